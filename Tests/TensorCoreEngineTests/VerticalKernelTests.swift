import ArchitectureSpec
import Formats
import TensorCoreEngine
import Testing

/// The vertical block-FMA kernel (4 x 16 tiles, K chunks, binary32 toward-zero outputs) equals
/// output-by-output `dot` (itself proven against MPFR and real-GPU captures) for every block-FMA
/// profile family, on shapes with full tiles, edge rows and columns, K not a multiple of the
/// block or the chunk, NaN/Inf rows and columns, non-finite and subnormal addends, and chains
/// that overflow part-way.
@Suite("Vertical GEMM kernel")
struct VerticalKernelTests {
    static let configs: [RandomDotTests.Config] = [
        .init(arch: "nvidia-v100-sxm2.json", instruction: "wmma", a: "fp16", c: "fp32"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "bf16", c: "fp32"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "fp16", c: "fp32"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "tf32", c: "fp32"),
        .init(arch: "nvidia-l40s.json", instruction: "mma.sync", a: "e5m2", c: "fp32"),
        .init(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "e4m3", c: "fp32"),
        .init(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "e5m2", c: "fp32"),
        .init(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "fp16", c: "fp32"),
        .init(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "tf32", c: "fp32"),
        .init(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e4m3", c: "fp32"),
        .init(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e2m1", c: "fp32"),
        .init(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e3m2", c: "fp32"),
        .init(arch: "nvidia-b200.json", instruction: "tcgen05", a: "bf16", c: "fp32"),
    ]

    static func check(_ unit: MMAUnit, a: [UInt64], b: [UInt64], c: [UInt64], m: Int, n: Int, k: Int, _ label: String) {
        for threads in [1, 2] {
            let d = unit.gemm(a: a, b: b, c: c, m: m, n: n, k: k, threads: threads)
            var mismatches: [String] = []
            for i in 0..<m {
                for j in 0..<n {
                    let expected = unit.dot(Array(a[(i * k)..<(i * k + k)]), (0..<k).map { b[$0 * n + j] }, c: c[i * n + j])
                    if d[i * n + j] != expected { mismatches.append("(\(i), \(j))") }
                }
            }
            #expect(mismatches.isEmpty, "\(label) threads \(threads): \(mismatches.count) mismatches, first \(mismatches.prefix(5))")
        }
    }

    /// `gemm` with per-line scales against `dot` output by output, on 1 and 2 threads.
    static func checkScaled(_ unit: MMAUnit, a: [UInt64], bt: [UInt64], c: [UInt64], m: Int, n: Int, k: Int,
                            scalesA: [UInt64], scalesB: [UInt64], _ label: String) {
        let perLine = unit.scalesNeeded(forLength: k)
        for threads in [1, 2] {
            let d = unit.gemm(a: a, bt: bt, c: c, m: m, n: n, k: k, scalesA: scalesA, scalesB: scalesB, threads: threads)
            var mismatches = 0
            for i in 0..<m {
                for j in 0..<n {
                    let expected = unit.dot(Array(a[(i * k)..<(i * k + k)]), Array(bt[(j * k)..<(j * k + k)]), c: c[i * n + j],
                                            scalesA: Array(scalesA[(i * perLine)..<((i + 1) * perLine)]),
                                            scalesB: Array(scalesB[(j * perLine)..<((j + 1) * perLine)]))
                    if d[i * n + j] != expected { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "\(label) threads \(threads): \(mismatches) mismatches")
        }
    }

    @Test("Random operands with specials in a few rows and columns, random addends", arguments: configs)
    func random(_ config: RandomDotTests.Config) {
        let (unit, _) = Support.unitAndOptionalReference(config.arch, instruction: config.instruction, a: config.a, b: config.a, c: config.c)
        var gen = DotCaseGenerator(unit: unit, seed: 7)
        var rng = SeededGenerator(seed: 8)
        // 13 rows (3 full row groups + 1), 37 columns (2 panels + 5), K past a 128 chunk and
        // not a multiple of the block.
        let m = 13, n = 37, k = 128 + unit.profile.blockWidth + 3
        let bits = unit.inputContainerBits
        func finite(_ f: ScalarFormat) -> UInt64 {
            var c: UInt64
            repeat { c = gen.code(f, containerBits: bits) } while !f.decode(bits == 32 && f.bitWidth == 19 ? c >> 13 : c).isFinite
            return c
        }
        var a = (0..<m * k).map { _ in finite(unit.aFormat) }, b = (0..<k * n).map { _ in finite(unit.bFormat) }
        // Specials (NaN/Inf codes drawn by the generator) in row 5 of A and column 20 of B.
        for t in stride(from: 0, to: k, by: 7) { a[5 * k + t] = gen.code(unit.aFormat, containerBits: bits) }
        for t in stride(from: 3, to: k, by: 5) { b[t * n + 20] = gen.code(unit.bFormat, containerBits: bits) }
        // Addends: zeros, subnormals, normals of both signs, one Inf and one NaN.
        var c = (0..<m * n).map { _ -> UInt64 in
            switch rng.next() % 4 {
            case 0: return 0
            case 1: return rng.next() & 0x807F_FFFF
            default: return UInt64(Float(rng.nextUnitDouble() * 64 - 32).bitPattern)
            }
        }
        c[2 * n + 3] = 0x7F80_0000
        c[9 * n + 33] = 0x7FC0_0001
        Self.check(unit, a: a, b: b, c: c, m: m, n: n, k: k, "\(config)")
    }

    @Test("Chains that overflow part-way, subnormal results, cancellation to zero", arguments: configs)
    func extremes(_ config: RandomDotTests.Config) {
        let (unit, _) = Support.unitAndOptionalReference(config.arch, instruction: config.instruction, a: config.a, b: config.a, c: config.c)
        guard case .float(let f) = unit.aFormat else { return }
        var rng = SeededGenerator(seed: 9)
        let bits = unit.inputContainerBits
        let finite = (0..<(1 << Swift.min(f.bitWidth, 16))).map(UInt64.init).filter { f.decode($0 << UInt64(f.bitWidth == 19 ? 0 : 0)).isFinite }
        let byBinade = Dictionary(grouping: finite) { f.decode($0).isZero ? Int.min : f.decode($0).binade! }
        let top = byBinade.keys.max()!, low = byBinade.keys.filter { $0 > Int.min }.min()!
        func code(_ binade: Int) -> UInt64 {
            let choices = byBinade[binade] ?? finite
            let c = choices[Int(rng.next() % UInt64(choices.count))]
            return bits == 32 && f.bitWidth == 19 ? c << 13 : c
        }
        let m = 8, n = 32, k = 4 * unit.profile.blockWidth + 1
        // Rows 0-3: largest binades (sums overflow binary32 for 8-bit and wider exponents after
        // a few blocks, or grow large); rows 4-7: smallest (subnormal products and results).
        var a: [UInt64] = []
        for i in 0..<m { a += (0..<k).map { _ in code(i < 4 ? top : low) } }
        var b: [UInt64] = []
        for _ in 0..<k { b += (0..<n).map { _ in code(rng.next() % 2 == 0 ? top : low) } }
        // Column 7: B equals the negation of column 6 in the second half of K (cancellation).
        let signBit: UInt64 = bits == 32 ? 1 << 31 : 1 << UInt64(f.bitWidth - 1)
        for t in 0..<k { b[t * n + 7] = t < k / 2 ? b[t * n + 6] : b[(t - k / 2) * n + 6] ^ signBit }
        let c = (0..<m * n).map { i -> UInt64 in i % 3 == 0 ? 0x7F7F_FFFF : (i % 3 == 1 ? 0x0000_0001 : 0) }
        Self.check(unit, a: a, b: b, c: c, m: m, n: n, k: k, "\(config)")
    }
}

extension VerticalKernelTests {
    /// Block sums at their largest: every product at the same exponent with the largest
    /// significands, all positive, plus a large addend. In the checked modes (H100/B200 FP16,
    /// B200 FP8) these sums exceed Int32: the tile must detect it and fall back.
    @Test("Largest block sums: Int32 overflow of the checked modes is detected", arguments: [
        ("nvidia-h100-sxm.json", "wgmma", "fp16", UInt64(0x3FFF)), ("nvidia-b200.json", "tcgen05", "fp16", UInt64(0x3FFF)),
        ("nvidia-b200.json", "tcgen05", "e4m3", UInt64(0x3F)), ("nvidia-h100-sxm.json", "wgmma", "e4m3", UInt64(0x3F)),
        ("nvidia-a100-sxm4-80gb.json", "mma.sync", "bf16", UInt64(0x3FFF)),
    ])
    func largestSums(_ arch: String, _ instruction: String, _ input: String, _ largest: UInt64) {
        let (unit, _) = Support.unitAndOptionalReference(arch, instruction: instruction, a: input, b: input, c: "fp32")
        let m = 8, n = 32, k = 3 * unit.profile.blockWidth
        let a = [UInt64](repeating: largest, count: m * k), b = [UInt64](repeating: largest, count: k * n)
        // Addends: 0, and values at the products' binade (1.99..^2 ~ 4) and above.
        let c = (0..<(m * n)).map { i -> UInt64 in [0, UInt64(Float(3.999).bitPattern), UInt64(Float(7.5).bitPattern)][i % 3] }
        Self.check(unit, a: a, b: b, c: c, m: m, n: n, k: k, "\(arch) \(instruction) \(input)")
    }
}

extension VerticalKernelTests {
    /// kind::mxf8f6f4: the E8M0 scale exponents folded into the operands' exponents give the
    /// block-scaled MMA's results (scales from 2^-127 to 2^127, a NaN scale in one row and one
    /// column, results that overflow binary32).
    @Test("MX GEMM with folded E8M0 scales equals dot", arguments: ["e4m3", "e5m2", "e3m2", "e2m3", "e2m1"])
    func mxScales(_ input: String) {
        let (unit, _) = Support.unitAndOptionalReference("nvidia-b200.json", instruction: "tcgen05.mxf8f6f4", a: input, b: input, c: "fp32")
        var gen = DotCaseGenerator(unit: unit, seed: 31)
        var rng = SeededGenerator(seed: 32)
        let m = 9, n = 35, k = 4 * unit.instruction.scaleBlock
        let perLine = k / unit.instruction.scaleBlock
        func finite() -> UInt64 {
            var c: UInt64
            repeat { c = gen.code(unit.aFormat, containerBits: unit.inputContainerBits) } while !unit.aFormat.decode(c).isFinite
            return c
        }
        let a = (0..<m * k).map { _ in finite() }, b = (0..<k * n).map { _ in finite() }
        var bt = [UInt64](repeating: 0, count: n * k)
        for t in 0..<k { for j in 0..<n { bt[j * k + t] = b[t * n + j] } }
        // Scales mostly near 2^0, some at the extremes; one NaN (0xFF) in row 2 and column 17.
        func scale() -> UInt64 {
            switch rng.next() % 8 {
            case 0: return rng.next() % 8
            case 1: return 254 - rng.next() % 8
            default: return 120 + rng.next() % 16
            }
        }
        var scalesA = (0..<(m * perLine)).map { _ in scale() }, scalesB = (0..<(n * perLine)).map { _ in scale() }
        scalesA[2 * perLine + 1] = 0xFF
        scalesB[17 * perLine + 3] = 0xFF
        let c = (0..<(m * n)).map { i -> UInt64 in i % 4 == 0 ? 0 : UInt64(Float(Double(i % 7) - 3.25).bitPattern) }
        Self.checkScaled(unit, a: a, bt: bt, c: c, m: m, n: n, k: k, scalesA: scalesA, scalesB: scalesB, input)
    }
}

extension VerticalKernelTests {
    /// kind::mxf4 (E8M0 per 32) and kind::mxf4nvf4 (UE4M3 per 16): exact group sums, scaled,
    /// fused at F = 35. The group-scaled kernel equals `dot` with scales, NaN scales, non-finite
    /// addends and a K that is not a whole number of instructions included.
    @Test("Group-scaled FP4 GEMM (mxf4, nvf4) equals dot", arguments: ["tcgen05.mxf4", "tcgen05.nvf4"])
    func groupScaled(_ instruction: String) {
        let (unit, _) = Support.unitAndOptionalReference("nvidia-b200.json", instruction: instruction, a: "e2m1", b: "e2m1", c: "fp32")
        var rng = SeededGenerator(seed: 41)
        let nvf4 = instruction.hasSuffix("nvf4")
        for k in [2 * unit.instruction.shapeK, unit.instruction.shapeK + 32] {
            let m = 6, n = 7
            let perLine = (k + unit.instruction.scaleBlock - 1) / unit.instruction.scaleBlock
            let a = (0..<m * k).map { _ in rng.next() & 0xF }, bt = (0..<n * k).map { _ in rng.next() & 0xF }
            func scale() -> UInt64 {
                if nvf4 { return rng.next() % 5 == 0 ? rng.next() & 0xFF : 0x30 + rng.next() % 16 }  // sign bit ignored; some huge/tiny
                return rng.next() % 6 == 0 ? rng.next() % 256 : 120 + rng.next() % 16
            }
            var scalesA = (0..<(m * perLine)).map { _ in scale() }, scalesB = (0..<(n * perLine)).map { _ in scale() }
            scalesA[1 * perLine] = nvf4 ? 0x7F : 0xFF  // NaN
            scalesB[4 * perLine + perLine - 1] = nvf4 ? 0xFF : 0xFF
            var c = (0..<(m * n)).map { i -> UInt64 in i % 3 == 0 ? 0 : UInt64(Float(Double(i % 11) * 0.37 - 2).bitPattern) }
            c[5] = 0x7F80_0000
            c[9] = 0xFF80_0000
            c[13] = 0x8000_0000
            Self.checkScaled(unit, a: a, bt: bt, c: c, m: m, n: n, k: k, scalesA: scalesA, scalesB: scalesB, "\(instruction) k \(k)")
        }
    }
}
