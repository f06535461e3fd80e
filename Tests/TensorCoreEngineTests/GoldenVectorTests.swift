import ArchitectureSpec
import Formats
import Reference
import TensorCoreEngine
import Testing

/// The golden vectors of tensor-cores.md §7 (MMA-Sim results, several reproducing Fasi et al.),
/// one named test per feature; each checked on the datapath and on the MPFR reference.
@Suite("Golden vectors (tensor-cores.md §7)")
struct GoldenVectorTests {
    /// Runs `D = c + a . b` with values given as Doubles (exact in their formats).
    func run(_ arch: String, _ instruction: String, _ input: String, _ output: String, _ a: [Double], _ b: [Double],
             _ c: Double, profile: ((MMANumericsSpec) -> MMANumericsSpec)? = nil,
             scales: ([UInt64], [UInt64])? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let (unit0, _) = Support.unitAndOptionalReference(arch, instruction: instruction, a: input, b: input, c: output)
        var unit = unit0
        if let profile {
            unit = try! MMAUnit(instruction: unit0.instruction, profile: profile(unit0.profile), aFormat: input, bFormat: input,
                                accumulatorFormat: output)
        }
        func codes(_ values: [Double], _ f: ScalarFormat) -> [UInt64] {
            values.map { v in
                let r = f.encode(ExactValue(v), rule: .toNearestOrEven, overflow: .infinity)
                #expect(r.ternary == .exact || v.isNaN, "\(v) is not exact in \(input)", sourceLocation: sourceLocation)
                return unit.inputContainerBits == 32 && f.bitWidth == 19 ? r.code << 13 : r.code
            }
        }
        let ca = codes(a, unit.aFormat), cb = codes(b, unit.bFormat)
        let cc = unit.accumulatorFormat.encode(ExactValue(c), rule: .toNearestOrEven, overflow: .infinity).code
        let d = unit.dot(ca, cb, c: cc, scalesA: scales?.0 ?? [], scalesB: scales?.1 ?? [])
        let subject = unit.accumulatorFormat.decode(d).description
        // The MPFR reference must agree.
        guard case .float(let fa) = unit.aFormat, case .float(let fc) = unit.accumulatorFormat else { return subject }
        let scaleFormat: MiniFloatFormat? = unit.instruction.scaleFormat.flatMap {
            if case .scalar(.float(let f))? = FormatCatalog.parse($0) { return f }
            return nil
        }
        let reference = ReferenceMMA(profile: unit.profile, inputA: fa, inputB: fa, output: fc, instructionK: unit.instruction.shapeK,
                                     scaleBlock: unit.instruction.scaleBlock, scaleFormat: scaleFormat)
        let r = reference.dot(ca, cb, c: cc, scalesA: scales?.0 ?? [], scalesB: scales?.1 ?? []).hexString
        #expect(r == subject, "reference \(r) datapath \(subject)", sourceLocation: sourceLocation)
        return subject
    }

    let v100 = "nvidia-v100-sxm2.json", a100 = "nvidia-a100-sxm4-80gb.json", t4 = "nvidia-t4.json"
    let ada = "nvidia-l40s.json", h100 = "nvidia-h100-sxm.json", b200 = "nvidia-b200.json", mi300 = "amd-mi300x.json"
    let almostOne = 1 - 0x1p-24

    @Test("No extra alignment bit on V100; at least one from Turing on")
    func extraAlignmentBit() {
        #expect(run(v100, "mma.sync", "fp16", "fp32", [1], [1], -almostOne) == "0x1p-23")
        for (arch, inst) in [(t4, "mma.sync"), (a100, "mma.sync"), (h100, "mma.sync"), (h100, "wgmma"), (b200, "tcgen05")] {
            #expect(run(arch, inst, "fp16", "fp32", [1], [1], -almostOne) == "0x1p-24", "\(arch) \(inst)")
        }
    }

    @Test("Per-term truncation is sign-magnitude, and is not RZ of the exact sum")
    func truncation() {
        for arch in [v100, a100] {
            #expect(run(arch, "mma.sync", "fp16", "fp32", [1, 1], [2, 0x1p-23 + 0x1p-24], 0) == "0x1p+1")
            #expect(run(arch, "mma.sync", "fp16", "fp32", [1, 1], [-2, -(0x1p-23 + 0x1p-24)], 0) == "-0x1p+1")
        }
        // RZ of 2 - 2^-30 would be 0x1.fffffep+0; the -2^-30 term is truncated to 0 first.
        // (2^-30 is below binary16's range, so the vector runs in bf16, which A100 fuses alike.)
        #expect(run(a100, "mma.sync", "bf16", "fp32", [1, 1], [2, -0x1p-30], 0) == "0x1p+1")
    }

    @Test("Non-monotonicity: a larger c gives a smaller result")
    func nonMonotonic() {
        let b = [0x1p-24, 0x1p-24, 0x1p-24, 0x1p-23 + 0x1p-24]
        for arch in [t4, a100] {
            #expect(run(arch, "mma.sync", "fp16", "fp32", [0.5, 0.5, 0.5, 0.5], b, almostOne) == "0x1.000002p+0")
            #expect(run(arch, "mma.sync", "fp16", "fp32", [0.5, 0.5, 0.5, 0.5], b, 1) == "0x1p+0")
        }
        #expect(run(v100, "mma.sync", "fp16", "fp32", [1, 1, 1, 1], [0x1p-24, 0x1p-24, 0x1p-24, 0x1p-24], almostOne) == "0x1.000002p+0")
        #expect(run(v100, "mma.sync", "fp16", "fp32", [1, 1, 1, 1], [0x1p-24, 0x1p-24, 0x1p-24, 0x1p-24], 1) == "0x1p+0")
    }

    @Test("Carry-out of the block sum (V100)")
    func carryOut() {
        #expect(run(v100, "mma.sync", "fp16", "fp32", [1, 1, 1, 1], [1, 1.5, 1.75, 1.875], 1.875) == "0x1p+3")
    }

    @Test("FP16 output: round to nearest even, subnormals and ties")
    func fp16Output() {
        #expect(run(a100, "mma.sync", "fp16", "fp16", [0x1p-24, 0x1p-24], [0.5, 0.25], 0) == "0x1p-24")
        #expect(run(v100, "wmma", "fp16", "fp16", [1, 1], [1, 0x1p-11], 0) == "0x1p+0")
        #expect(run(v100, "wmma", "fp16", "fp16", [1, 1], [1 + 0x1p-10, 0x1p-11], 0) == "0x1.008p+0")
    }

    @Test("Split-K chaining: the second block sees the first's rounded result as c")
    func splitK() {
        var b = [Double](repeating: 0, count: 16)
        b[0] = 1; b[8] = 0x1p-24; b[9] = 0x1p-24
        #expect(run(a100, "mma.sync", "fp16", "fp32", [Double](repeating: 1, count: 16), b, 0) == "0x1.000002p+0")
    }

    @Test("TF32 inputs are truncated from FP32, not rounded")
    func tf32Truncation() {
        // 1 + 2^-11 is an FP32 value; as a TF32 operand it loses bit 2^-11 (truncation).
        let (unit, _) = Support.unitAndReference(a100, instruction: "mma.sync", a: "tf32", b: "tf32", c: "fp32")
        let a = UInt64(Float(1 + 0x1p-11).bitPattern), one = UInt64(Float(1).bitPattern)
        #expect(StandardFormats.fp32.decode(unit.dot([a], [one], c: 0)).description == "0x1p+0")
    }

    @Test("No product overflow (NVIDIA); overflow at the output")
    func productRange() {
        #expect(run(a100, "mma.sync", "bf16", "fp32", [0x1p100, 0x1p100], [0x1p100, -0x1p100], 0) == "0x0p+0")
        #expect(run(a100, "mma.sync", "bf16", "fp32", [0x1p100], [0x1p100], 0) == "inf")
    }

    @Test("Specials: Inf x finite against -Inf gives NaN with NVIDIA's canonical pattern")
    func specials() {
        #expect(run(a100, "mma.sync", "fp16", "fp32", [.infinity, 1], [1, -.infinity], 0) == "nan")
        let (unit, _) = Support.unitAndReference(a100, instruction: "mma.sync", a: "fp16", b: "fp16", c: "fp32")
        #expect(unit.dot([0x7C00, 0x3C00], [0x3C00, 0xFC00], c: 0) == 0x7FFF_FFFF)
        #expect(unit.dot([0x7C00], [0], c: 0) == 0x7FFF_FFFF)  // Inf x 0
        #expect(unit.dot([0x7C00], [0x3C00], c: 0) == 0x7F80_0000)  // +Inf
    }

    @Test("e8m13: 13-bit accumulation on Ada and Hopper FP8, 25-bit on Blackwell; c truncated too")
    func e8m13() {
        #expect(run(ada, "mma.sync", "e4m3", "fp32", [0x1p-7], [0x1p-7], 1) == "0x1p+0")
        #expect(run(h100, "wgmma", "e4m3", "fp32", [0x1p-7], [0x1p-7], 1) == "0x1p+0")
        #expect(run(b200, "tcgen05", "e4m3", "fp32", [0x1p-7], [0x1p-7], 1) == "0x1.0004p+0")
        #expect(run(h100, "wgmma", "e4m3", "fp32", [0x1p-6], [0x1p-6], 1 + 0x1p-20) == "0x1.001p+0")
        #expect(run(b200, "tcgen05", "e4m3", "fp32", [0x1p-6], [0x1p-6], 1 + 0x1p-20) == "0x1.00101p+0")
        #expect(run(h100, "wgmma", "e5m2", "fp32", [0x1p-6], [0x1p-6], 3) == "0x1.8008p+1")
        #expect(run(b200, "tcgen05", "e5m2", "fp32", [0x1p-6], [0x1p-6], 3) == "0x1.8008p+1")
    }

    @Test("Block scales: NVFP4 (UE4M3, block 16), MXFP8 (UE8M0), MXFP4 (k = 64, block 32)")
    func blockScales() {
        // sf_a = 2 (UE4M3 0x40), sf_b = 0.5 (0x30): 6 * 6 * 2 * 0.5 + 1 = 37.
        #expect(run(b200, "tcgen05.nvf4", "e2m1", "fp32", [6], [6], 1, scales: ([0x40, 0x40, 0x40, 0x40], [0x30, 0x30, 0x30, 0x30])) == "0x1.28p+5")
        // 448 * 448 * 2^-20 + 1.
        #expect(run(b200, "tcgen05.mxf8f6f4", "e4m3", "fp32", [448], [448], 1, scales: ([117], [117])) == "0x1.31p+0")
        // 6 * 6 * 2^-6 + 1.
        #expect(run(b200, "tcgen05.mxf4", "e2m1", "fp32", [6], [6], 1, scales: ([124, 124], [124, 124])) == "0x1.9p+0")
        // A NaN scale (0xFF) poisons the result.
        #expect(run(b200, "tcgen05.mxf8f6f4", "e4m3", "fp32", [1], [1], 1, scales: ([0xFF], [127])) == "nan")
    }

    @Test("AMD CDNA3: asymmetric floors and product overflow to Inf")
    func amd() {
        #expect(run(mi300, "mfma", "fp16", "fp32", [0x1p-12, 0x1p-20], [0x1p-12, 0x1p-20], 1) == "0x1p+0")
        #expect(run(mi300, "mfma", "fp16", "fp32", [0x1p-12, 0x1p-20], [-0x1p-12, -0x1p-20], -1) == "-0x1.000002p+0")
        #expect(run(mi300, "mfma", "bf16", "fp32", [0x1p100, 0x1p100], [0x1p100, -0x1p100], 0) == "nan")
    }

    @Test("Open question: the exponent of a zero operand (MMA-Sim -126 vs dropped zero products)")
    func zeroOperand() {
        let v = (1 + 0x1p-7) * 0x1p-10
        #expect(run(a100, "mma.sync", "bf16", "fp32", [0, v], [0x1p127, v], 0) == "0x1p-20")
        let dropped = run(a100, "mma.sync", "bf16", "fp32", [0, v], [0x1p127, v], 0) { p in
            MMANumericsSpec(name: p.name, algorithm: p.algorithm, blockWidth: p.blockWidth, keptFractionBits: p.keptFractionBits,
                            zeroOperandExponent: .excluded, source: p.source)
        }
        #expect(dropped == "0x1.0404p-20")
    }

    @Test("Open questions: exact-zero sign, NaN encoding and output overflow are profile options")
    func otherOptions() {
        func variant(_ p: MMANumericsSpec, zero: ExactZeroSign = .positive, nan: NaNEncoding = .canonical,
                     overflow: OutputOverflow = .infinity) -> MMANumericsSpec {
            MMANumericsSpec(name: p.name, algorithm: p.algorithm, blockWidth: p.blockWidth, keptFractionBits: p.keptFractionBits,
                            outputOverflow: overflow, exactZeroSign: zero, nanEncoding: nan, source: p.source)
        }
        // Every product -0 (the whole K = 16, so no +0 padding) and c = -0.
        let negativeZeros = [Double](repeating: -0.0, count: 16), ones = [Double](repeating: 1, count: 16)
        #expect(run(a100, "mma.sync", "fp16", "fp32", negativeZeros, ones, -0.0) == "0x0p+0")
        #expect(run(a100, "mma.sync", "fp16", "fp32", negativeZeros, ones, -0.0) { variant($0, zero: .ieee) } == "-0x0p+0")
        #expect(run(a100, "mma.sync", "fp16", "fp32", [-0.0], [1], -0.0) { variant($0, zero: .ieee) } == "0x0p+0")
        #expect(run(a100, "mma.sync", "bf16", "fp32", [0x1p100], [0x1p100], 0) { variant($0, overflow: .maxFinite) } == "0x1.fffffep+127")
        let (unit, _) = Support.unitAndReference(a100, instruction: "mma.sync", a: "fp16", b: "fp16", c: "fp32")
        let quiet = try! MMAUnit(instruction: unit.instruction, profile: variant(unit.profile, nan: .ieeeQuiet), aFormat: "fp16",
                                 bFormat: "fp16", accumulatorFormat: "fp32")
        #expect(quiet.dot([0x7E00], [0x3C00], c: 0) == 0x7FC0_0000)
    }

    @Test("Integer MMA wraps, or saturates with .satfinite, per instruction")
    func integers() {
        let (wrap, _) = Support.unitAndOptionalReference(a100, instruction: "mma.sync", a: "int8", b: "int8", c: "int32")
        let (saturate, _) = Support.unitAndOptionalReference(a100, instruction: "mma.sync.satfinite", a: "int8", b: "int8", c: "int32")
        let a = [UInt64](repeating: 0x80, count: 32), b = [UInt64](repeating: 0x80, count: 32)  // (-128)^2 * 32 = 2^19
        let c: UInt64 = 0x7FFF_FFFF
        #expect(wrap.dot(a, b, c: c) == UInt64(UInt32(bitPattern: Int32.max &+ (1 << 19))))
        #expect(saturate.dot(a, b, c: c) == 0x7FFF_FFFF)
        #expect(wrap.dot([0x7F], [0x81], c: 5) == UInt64(UInt32(bitPattern: Int32(5 - 127 * 127))))
        // Against the exact reference over random lines.
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<2000 {
            let x = (0..<64).map { _ in rng.next() & 0xFF }, y = (0..<64).map { _ in rng.next() & 0xFF }
            let cc = rng.next() & 0xFFFF_FFFF
            var expected = Int128(Int32(bitPattern: UInt32(cc)))
            for s in stride(from: 0, to: 64, by: 32) {
                let exact = ExactInteger.dot((s..<s + 32).map { Int64(Int8(bitPattern: UInt8(x[$0]))) },
                                             (s..<s + 32).map { Int64(Int8(bitPattern: UInt8(y[$0]))) }, addend: expected)!
                expected = ExactInteger.wrapped(exact, toBits: 32)
            }
            #expect(wrap.dot(x, y, c: cc) == UInt64(UInt32(bitPattern: Int32(expected))))
        }
    }
}
