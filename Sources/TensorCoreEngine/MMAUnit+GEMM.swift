import ArchitectureSpec
import Dispatch
import EngineKit
import Formats

extension MMAUnit {
    /// D = C + A B for A (m x k, row-major codes), B (k x n, row-major codes) and C (m x n):
    /// every output computed as the hardware chains its blocks along K, bit for bit the same as
    /// `dot` on each row/column pair. `threads` splits the rows (1 = the calling thread).
    public func gemm(a: [UInt64], b: [UInt64], c: [UInt64], m: Int, n: Int, k: Int, threads: Int = 1) -> [UInt64] {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n && m > 0 && n > 0 && k > 0)
        var transposed = [UInt64](repeating: 0, count: n * k)
        for r in 0..<k { for col in 0..<n { transposed[col * k + r] = b[r * n + col] } }
        return gemm(a: a, bt: transposed, c: c, m: m, n: n, k: k, threads: threads)
    }

    /// Output (i, j) of a GEMM given A (M x K codes), Bt (N x K codes), C and `perLine` scale codes
    /// per line, through `dot`: the generic path the GEMM kernels hand their special outputs to.
    public func dot(row i: Int, column j: Int, a: [UInt64], bt: [UInt64], c: [UInt64], k: Int, n: Int,
                    scalesA: [UInt64], scalesB: [UInt64], perLine: Int) -> UInt64 {
        dot(Array(a[(i * k)..<(i * k + k)]), Array(bt[(j * k)..<(j * k + k)]), c: c[i * n + j],
            scalesA: perLine > 0 ? Array(scalesA[(i * perLine)..<((i + 1) * perLine)]) : [],
            scalesB: perLine > 0 ? Array(scalesB[(j * perLine)..<((j + 1) * perLine)]) : [])
    }

    /// As `gemm(a:b:...)` with B given transposed (N x K, one row per output column), and, for
    /// block-scaled instructions, one scale code per `instruction.scaleBlock` elements of each row
    /// of A (`scalesA`, M x K/block) and of each row of Bt (`scalesB`, N x K/block).
    public func gemm(a: [UInt64], bt: [UInt64], c: [UInt64], m: Int, n: Int, k: Int, scalesA: [UInt64] = [],
                     scalesB: [UInt64] = [], threads: Int = 1) -> [UInt64] {
        precondition(a.count == m * k && bt.count == k * n && c.count == m * n && m > 0 && n > 0 && k > 0)
        var d = [UInt64](repeating: 0, count: m * n)
        let workers = ParallelSlices.workers(count: m, threads: threads)
        let perRow = instruction.scaleBlock > 0 ? (k + instruction.scaleBlock - 1) / instruction.scaleBlock : 0
        precondition(perRow == 0 || (scalesA.count == m * perRow && scalesB.count == n * perRow), "one scale per block of each row")
        if let kernel = BlockFMAGEMM(unit: self), let decoderA = self.a, let decoderB = self.b,
           !kernel.foldsScales || k % instruction.scaleBlock == 0 {
            // A and B are decoded (and, for the vertical kernel, packed) side by side when
            // there are two or more workers.
            let folds = kernel.foldsScales
            let scaleBlock = instruction.scaleBlock
            final class Prepared: @unchecked Sendable {
                var a: PredecodedOperands?, b: PredecodedOperands?
                var rowsA: VerticalBlockFMA.RowsA?, panelsB: VerticalBlockFMA.PanelsB?
            }
            let prepared = Prepared()
            let layout = kernel.verticalKernel(aFractionBits: decoderA.format.mantissaBits, bFractionBits: decoderB.format.mantissaBits)
            let scaleOperand = self.scaleOperand
            DispatchQueue.concurrentPerform(iterations: Swift.min(2, workers)) { w in
                for side in (workers >= 2 ? [w] : [0, 1]) {
                    if side == 0 {
                        let decoded = PredecodedOperands(codes: a, rows: m, columns: k, decoder: decoderA)
                        let pa = folds ? decoded.foldingScales(scalesA, perRow: perRow, block: scaleBlock, decode: scaleOperand) : decoded
                        prepared.a = pa
                        if layout != nil { prepared.rowsA = VerticalBlockFMA.rowsA(pa) }
                    } else {
                        let decoded = PredecodedOperands(codes: bt, rows: n, columns: k, decoder: decoderB)
                        let pb = folds ? decoded.foldingScales(scalesB, perRow: perRow, block: scaleBlock, decode: scaleOperand) : decoded
                        prepared.b = pb
                        if let layout { prepared.panelsB = VerticalBlockFMA.panelsB(pb, up: layout.up) }
                    }
                }
            }
            let pa = prepared.a!, pb = prepared.b!
            let scales: (a: [UInt64], b: [UInt64], perLine: Int)? = folds ? (scalesA, scalesB, perRow) : nil
            let vertical = layout.map { BlockFMAGEMM.VerticalOperands(kernel: $0, a: prepared.rowsA!, b: prepared.panelsB!) }
            d.withUnsafeMutableBufferPointer { out in
                let output = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let rows = ParallelSlices.slice(m, workers, w)
                    kernel.run(a: pa, bt: pb, aCodes: a, btCodes: bt, c: c, rowRange: rows, d: output.value, vertical: vertical,
                               scales: scales)
                }
            }
            return d
        }
        if profile.algorithm == .integer, let kernel = IntegerGEMM(unit: self) {
            d.withUnsafeMutableBufferPointer { out in
                let output = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    kernel.run(a: a, bt: bt, c: c, m: m, n: n, k: k, rowRange: ParallelSlices.slice(m, workers, w), d: output.value)
                }
            }
            return d
        }
        if let kernel = GroupScaledGEMM(unit: self) {
            d.withUnsafeMutableBufferPointer { out in
                let output = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    kernel.run(a: a, bt: bt, c: c, k: k, n: n, scalesA: scalesA, scalesB: scalesB, perLine: perRow,
                               rowRange: ParallelSlices.slice(m, workers, w), d: output.value)
                }
            }
            return d
        }
        // Other algorithms: the generic path, output by output.
        d.withUnsafeMutableBufferPointer { out in
            let output = UncheckedSendable(out)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in ParallelSlices.slice(m, workers, w) {
                    let row = Array(a[(i * k)..<(i * k + k)])
                    let sa = perRow > 0 ? Array(scalesA[(i * perRow)..<((i + 1) * perRow)]) : []
                    for j in 0..<n {
                        let sb = perRow > 0 ? Array(scalesB[(j * perRow)..<((j + 1) * perRow)]) : []
                        output.value[i * n + j] = dot(row, Array(bt[(j * k)..<(j * k + k)]), c: c[i * n + j], scalesA: sa, scalesB: sb)
                    }
                }
            }
        }
        return d
    }
}
