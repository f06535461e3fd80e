import ArchitectureSpec
import Dispatch
import Formats

extension MMAUnit {
    /// D = C + A B for A (m x k, row-major codes), B (k x n, row-major codes) and C (m x n):
    /// every output computed as the hardware chains its blocks along K, bit for bit the same as
    /// `dot` on each row/column pair. `threads` splits the rows (1 = the calling thread).
    public func gemm(a: [UInt64], b: [UInt64], c: [UInt64], m: Int, n: Int, k: Int, threads: Int = 1) -> [UInt64] {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n && m > 0 && n > 0 && k > 0)
        var transposed = [UInt64](repeating: 0, count: n * k)
        for r in 0..<k { for col in 0..<n { transposed[col * k + r] = b[r * n + col] } }
        let bt = transposed
        var d = [UInt64](repeating: 0, count: m * n)
        let workers = Swift.max(1, Swift.min(threads, m))
        if let kernel = BlockFMAGEMM(unit: self), let decoderA = self.a, let decoderB = self.b {
            let pa = PredecodedOperands(codes: a, rows: m, columns: k, decoder: decoderA)
            let pb = PredecodedOperands(codes: bt, rows: n, columns: k, decoder: decoderB)
            d.withUnsafeMutableBufferPointer { out in
                let output = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let rows = Self.slice(m, workers, w)
                    kernel.run(a: pa, bt: pb, aCodes: a, btCodes: bt, c: c, rowRange: rows, d: output.value)
                }
            }
            return d
        }
        if profile.algorithm == .integer, let kernel = IntegerGEMM(unit: self) {
            d.withUnsafeMutableBufferPointer { out in
                let output = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    kernel.run(a: a, bt: bt, c: c, m: m, n: n, k: k, rowRange: Self.slice(m, workers, w), d: output.value)
                }
            }
            return d
        }
        // Other algorithms: the generic path, output by output.
        d.withUnsafeMutableBufferPointer { out in
            let output = UncheckedSendable(out)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in Self.slice(m, workers, w) {
                    let row = Array(a[(i * k)..<(i * k + k)])
                    for j in 0..<n { output.value[i * n + j] = dot(row, Array(bt[(j * k)..<(j * k + k)]), c: c[i * n + j]) }
                }
            }
        }
        return d
    }

    static func slice(_ count: Int, _ parts: Int, _ index: Int) -> Range<Int> {
        (count * index / parts)..<(count * (index + 1) / parts)
    }
}

/// Carries a buffer into concurrent workers that write disjoint ranges of it.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
