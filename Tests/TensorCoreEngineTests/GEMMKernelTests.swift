import ArchitectureSpec
import Formats
import TensorCoreEngine
import Testing

/// The GEMM kernels equal output-by-output `dot` (itself proven against MPFR and captures).
@Suite("GEMM kernels")
struct GEMMKernelTests {
    static let configs: [RandomDotTests.Config] = [
        .init(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "e4m3", c: "fp32"),
        .init(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "fp16", c: "fp16"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "bf16", c: "fp32"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "tf32", c: "fp32"),
        .init(arch: "nvidia-v100-sxm2.json", instruction: "wmma", a: "fp16", c: "fp32"),
        .init(arch: "nvidia-l40s.json", instruction: "mma.sync", a: "e5m2", c: "fp32"),
        .init(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e2m1", c: "fp32"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "int8", c: "int32"),
        .init(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync.satfinite", a: "int8", c: "int32"),
        .init(arch: "nvidia-h100-sxm.json", instruction: "mma.sync", a: "e4m3", c: "fp32"),
    ]

    @Test("gemm equals dot on every output (specials, zero padding, two threads)", arguments: configs)
    func matchesDot(_ config: RandomDotTests.Config) {
        let (unit, _) = Support.unitAndOptionalReference(config.arch, instruction: config.instruction, a: config.a, b: config.a, c: config.c)
        var gen = DotCaseGenerator(unit: unit, seed: 99)
        let m = 7, n = 9, k = unit.instruction.shapeK * 2 + 5  // not a multiple of the block
        var a: [UInt64] = [], b = [UInt64](repeating: 0, count: k * n), c: [UInt64] = []
        for _ in 0..<m { a += (0..<k).map { _ in gen.code(unit.aFormat, containerBits: unit.inputContainerBits) } }
        for r in 0..<k { for col in 0..<n { b[r * n + col] = gen.code(unit.bFormat, containerBits: unit.inputContainerBits) } }
        // Mostly finite operands: clear specials from all but a few rows.
        let cBits = unit.accumulatorFormat.bitWidth
        for _ in 0..<(m * n) { c.append(gen.next().2 & ((1 << UInt64(cBits)) - 1)) }
        for threads in [1, 2] {
            let d = unit.gemm(a: a, b: b, c: c, m: m, n: n, k: k, threads: threads)
            var mismatches = 0
            for i in 0..<m {
                for j in 0..<n {
                    let row = Array(a[(i * k)..<(i * k + k)]), column = (0..<k).map { b[$0 * n + j] }
                    if d[i * n + j] != unit.dot(row, column, c: c[i * n + j]) { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "\(config) threads \(threads)")
        }
    }

    @Test("Finite-only matrices take the fast kernel and still match dot")
    func finiteFastPath() {
        let (unit, _) = Support.unitAndReference("nvidia-h100-sxm.json", instruction: "wgmma", a: "e4m3", b: "e4m3", c: "fp32")
        var rng = SeededGenerator(seed: 5)
        let m = 16, n = 16, k = 96
        func finite() -> UInt64 { var c: UInt64; repeat { c = rng.next() & 0xFF } while c & 0x7F == 0x7F; return c }
        let a = (0..<m * k).map { _ in finite() }, b = (0..<k * n).map { _ in finite() }
        let c = (0..<m * n).map { _ in UInt64(Float(rng.nextUnitDouble() * 4 - 2).bitPattern) }
        let d = unit.gemm(a: a, b: b, c: c, m: m, n: n, k: k, threads: 2)
        for i in 0..<m {
            for j in 0..<n {
                #expect(d[i * n + j] == unit.dot(Array(a[(i * k)..<(i * k + k)]), (0..<k).map { b[$0 * n + j] }, c: c[i * n + j]))
            }
        }
    }
}

extension GEMMKernelTests {
    @Test("Fast kernel at the extremes: overflow to Inf, subnormal and e8m13 outputs", arguments: [
        ("nvidia-h100-sxm.json", "wgmma", "fp16", "fp16"), ("nvidia-a100-sxm4-80gb.json", "mma.sync", "bf16", "fp32"),
        ("nvidia-h100-sxm.json", "wgmma", "e5m2", "fp32"), ("nvidia-v100-sxm2.json", "wmma", "fp16", "fp16"),
    ])
    func extremes(_ arch: String, _ instruction: String, _ input: String, _ output: String) {
        let (unit, _) = Support.unitAndOptionalReference(arch, instruction: instruction, a: input, b: input, c: output)
        var rng = SeededGenerator(seed: 11)
        let bits = unit.aFormat.bitWidth
        let exponentMask = UInt64((1 << bits) - 1) >> 1 & ~((1 << UInt64(bits == 16 && input == "fp16" ? 10 : (input == "bf16" ? 7 : 2))) - 1)
        func extreme() -> UInt64 {
            var c: UInt64
            repeat {
                let r = rng.next()
                // Largest or smallest binades, random mantissa and sign.
                c = r % 2 == 0 ? (exponentMask - (1 << UInt64(input == "fp16" ? 10 : (input == "bf16" ? 7 : 2)))) | (rng.next() & ~exponentMask)
                    : rng.next() & ~exponentMask
                c &= (1 << UInt64(bits)) - 1
            } while unit.aFormat.decode(c).isNaN || unit.aFormat.decode(c).isInfinite
            return c
        }
        let m = 12, n = 12, k = 64
        let a = (0..<m * k).map { _ in extreme() }, b = (0..<k * n).map { _ in extreme() }
        let c = (0..<m * n).map { _ in rng.next() % 2 == 0 ? 0 : UInt64(1) }
        let d = unit.gemm(a: a, b: b, c: c, m: m, n: n, k: k)
        var specials = 0
        for i in 0..<m {
            for j in 0..<n {
                let expected = unit.dot(Array(a[(i * k)..<(i * k + k)]), (0..<k).map { b[$0 * n + j] }, c: c[i * n + j])
                #expect(d[i * n + j] == expected)
                if unit.accumulatorFormat.decode(expected).isInfinite { specials += 1 }
            }
        }
        _ = specials
    }
}

extension GEMMKernelTests {
    /// Sums that round up into the next binade (a carry out of the significand) in FP16 output.
    @Test("Fast kernel: FP16 round-to-nearest-even carries into the next binade")
    func fp16Carries() {
        let (unit, _) = Support.unitAndReference("nvidia-h100-sxm.json", instruction: "wgmma", a: "fp16", b: "fp16", c: "fp16")
        var rng = SeededGenerator(seed: 21)
        let m = 8, n = 8, k = 48
        // Operands 2^e and 1 + 2^-10 (x 1.5) make sums land next to 2^p - 2^-11 ulp boundaries.
        let choices: [Double] = [1, 0.5, 0x1p-11, 1 + 0x1p-10, 2047, 1023.5, 0.999755859375, 1.5]
        func code() -> UInt64 {
            let v = choices[Int(rng.next() % UInt64(choices.count))] * (rng.next() % 2 == 0 ? 1 : -1)
            return StandardFormats.fp16.encode(ExactValue(v), rule: .toNearestOrEven, overflow: .infinity).code
        }
        let a = (0..<m * k).map { _ in code() }, b = (0..<k * n).map { _ in code() }
        let c = (0..<m * n).map { _ in code() }
        let d = unit.gemm(a: a, b: b, c: c, m: m, n: n, k: k)
        for i in 0..<m {
            for j in 0..<n {
                #expect(d[i * n + j] == unit.dot(Array(a[(i * k)..<(i * k + k)]), (0..<k).map { b[$0 * n + j] }, c: c[i * n + j]))
            }
        }
    }
}
