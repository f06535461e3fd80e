import EngineKit
import ArchitectureSpec
import Formats

/// Problems resolving an MMA configuration.
public struct MMAConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}

/// One MMA instruction variant with its numerics profile, ready to compute dot products bit for
/// bit. A vector line longer than the instruction's K is a sequence of instructions accumulating
/// into D; a shorter one is zero-padded to K (as the captures were taken).
public struct MMAUnit: Sendable {
    public let instruction: MMAInstructionSpec
    public let profile: MMANumericsSpec
    public let aFormat: ScalarFormat
    public let bFormat: ScalarFormat
    public let accumulatorFormat: ScalarFormat
    let a: OperandDecoder?
    let b: OperandDecoder?
    let addend: OperandDecoder?
    let output: MMAOutput?
    let block: AlignedAdder
    /// fp8_via_f16_steps: FP8 code -> binary16 code (exact widening).
    let widenA: [UInt64]
    let widenB: [UInt64]
    let scaleFormat: MiniFloatFormat?
    /// The scale code of 1.0, given to the zero padding of a line shorter than the instruction's
    /// K (the padded products are zero whatever their scale; a unit scale keeps them finite).
    let unitScaleCode: UInt64

    public init(instruction: MMAInstructionSpec, profile: MMANumericsSpec, aFormat aName: String, bFormat bName: String,
                accumulatorFormat cName: String) throws(MMAConfigurationError) {
        func scalar(_ n: String) throws(MMAConfigurationError) -> ScalarFormat {
            guard case .scalar(let s)? = FormatCatalog.parse(n) else { throw MMAConfigurationError("unknown element format \"\(n)\"") }
            return s
        }
        self.instruction = instruction
        self.profile = profile
        aFormat = try scalar(aName)
        bFormat = try scalar(bName)
        accumulatorFormat = try scalar(cName == "s32" ? "int32" : cName)
        block = AlignedAdder(keptFractionBits: profile.keptFractionBits, excludeZeros: profile.zeroOperandExponent == .excluded,
                         minAlignmentExponent: profile.minAlignmentExponent)
        scaleFormat = instruction.scaleFormat.flatMap { name -> MiniFloatFormat? in
            if case .scalar(.float(let f))? = FormatCatalog.parse(name) { return f }
            return nil
        }
        unitScaleCode = scaleFormat.map { $0.encode(ExactValue(1.0), rule: .toNearestOrEven, overflow: .saturate).code } ?? 0
        if aFormat != bFormat {
            // PTX: f16/bf16/tf32 MMAs take one type for both operands; FP8 (e4m3 x e5m2),
            // kind::f8f6f4 and same-width integers (s8 x u8) may mix.
            let mixable: Bool
            switch (aFormat, bFormat) {
            case (.float(let x), .float(let y)): mixable = x.bitWidth <= 8 && y.bitWidth <= 8
            case (.integer(let x), .integer(let y)): mixable = x.bitWidth == y.bitWidth
            default: mixable = false
            }
            guard mixable else {
                throw MMAConfigurationError("\(instruction.name) cannot mix \(aName) and \(bName): f16/bf16/tf32 MMAs take one type for A and B; "
                                            + "only FP8/FP6/FP4 (e.g. e4m3 x e5m2) and same-width integers (s8 x u8) mix")
            }
        }
        if profile.algorithm == .blockFMA && instruction.shapeK % profile.blockWidth != 0 {
            throw MMAConfigurationError("block_width \(profile.blockWidth) of \(profile.name) does not divide \(instruction.name)'s K = \(instruction.shapeK)")
        }
        if profile.algorithm == .integer {
            guard case .integer = aFormat, case .integer = bFormat, case .integer(let acc) = accumulatorFormat,
                  acc.bitWidth == profile.accumulatorBits else {
                throw MMAConfigurationError("integer MMA needs integer inputs and an int\(profile.accumulatorBits) accumulator")
            }
            (a, b, addend, output, widenA, widenB) = (nil, nil, nil, nil, [], [])
            return
        }
        guard case .float(var fa) = aFormat, case .float(var fb) = bFormat, case .float(let fc) = accumulatorFormat,
              fc == StandardFormats.fp32 || fc == StandardFormats.fp16 else {
            throw MMAConfigurationError("floating-point MMA needs minifloat inputs and an fp32 or fp16 accumulator")
        }
        // TF32 operands travel as FP32 bit patterns (captures, PTX); the unit truncates them.
        let tf32Rule: RoundingRule = profile.tf32InputTruncation ? .towardZero : .toNearestOrAwayFromZero
        if profile.algorithm == .fp8ViaF16Steps {
            // The emulation widens FP8 to binary16 exactly, then runs FP16 steps.
            func widening(_ f: MiniFloatFormat) -> [UInt64] {
                (0..<(UInt64(1) << UInt64(f.bitWidth))).map {
                    StandardFormats.fp16.encode(f.decode($0), rule: .toNearestOrEven, overflow: .infinity).code
                }
            }
            widenA = widening(fa)
            widenB = widening(fb)
            fa = StandardFormats.fp16
            fb = StandardFormats.fp16
        } else {
            (widenA, widenB) = ([], [])
        }
        a = OperandDecoder(format: fa, zeroRule: profile.zeroOperandExponent,
                           tf32Container: fa == StandardFormats.tf32 ? tf32Rule : nil)
        b = OperandDecoder(format: fb, zeroRule: profile.zeroOperandExponent,
                           tf32Container: fb == StandardFormats.tf32 ? tf32Rule : nil)
        addend = OperandDecoder(format: fc, zeroRule: profile.zeroOperandExponent)
        output = MMAOutput(container: fc, profile: profile)
        if profile.algorithm == .blockScaled && scaleFormat == nil {
            throw MMAConfigurationError("block-scaled instruction \(instruction.name) has no scale_format")
        }
    }

    /// Width of one input code as given on the command line: TF32 uses 32-bit FP32 containers.
    public var inputContainerBits: Int { Self.containerBits(aFormat) }
    /// The same for B (A and B may differ: e4m3 x e5m2, e2m1 x e4m3 under kind::f8f6f4).
    public var inputContainerBitsB: Int { Self.containerBits(bFormat) }

    static func containerBits(_ f: ScalarFormat) -> Int {
        if case .float(let x) = f, x == StandardFormats.tf32 { return 32 }
        return f.bitWidth
    }

    /// D = C + sum a[i] * b[i] over the whole line, as the hardware computes it.
    /// `scalesA` / `scalesB` hold one scale code per `instruction.scaleBlock` elements.
    /// The caller supplies at least `scalesNeeded(forLength: a.count)` scales per operand.
    public func dot(_ a: [UInt64], _ b: [UInt64], c: UInt64, scalesA: [UInt64] = [], scalesB: [UInt64] = []) -> UInt64 {
        precondition(a.count == b.count)
        let k = instruction.shapeK
        var scalesA = scalesA, scalesB = scalesB
        if instruction.scaleBlock > 0 {
            let needed = scalesNeeded(forLength: a.count)
            precondition(scalesA.count >= needed && scalesB.count >= needed,
                         "block-scaled MMA needs one scale per \(instruction.scaleBlock) elements")
            // The zero padding up to a whole instruction gets unit scales.
            let padded = scalesNeeded(forLength: (a.count + k - 1) / k * k)
            if scalesA.count < padded { scalesA += Array(repeating: unitScaleCode, count: padded - scalesA.count) }
            if scalesB.count < padded { scalesB += Array(repeating: unitScaleCode, count: padded - scalesB.count) }
        }
        var d = c
        var start = 0
        repeat {
            let end = Swift.min(start + k, a.count)
            var sliceA = Array(a[start..<end]), sliceB = Array(b[start..<end])
            if sliceA.count < k {
                sliceA += Array(repeating: 0, count: k - sliceA.count)
                sliceB += Array(repeating: 0, count: k - sliceB.count)
            }
            d = instructionResult(sliceA, sliceB, c: d, scalesA: scalesA, scalesB: scalesB, offset: start)
            start += k
        } while start < a.count
        return d
    }

    /// Bits of one scale code as written (whole bytes: UE4M3 travels as an E4M3 byte whose sign
    /// bit is ignored); 0 without block scales.
    public var scaleBitWidth: Int { scaleFormat.map { ($0.bitWidth + 7) / 8 * 8 } ?? 0 }

    /// Scale codes a line of `length` elements needs per operand (0 without block scales).
    public func scalesNeeded(forLength length: Int) -> Int {
        instruction.scaleBlock > 0 ? (length + instruction.scaleBlock - 1) / instruction.scaleBlock : 0
    }

    /// One instruction: K products plus c.
    func instructionResult(_ a: [UInt64], _ b: [UInt64], c: UInt64, scalesA: [UInt64], scalesB: [UInt64], offset: Int) -> UInt64 {
        switch profile.algorithm {
        case .blockFMA:
            var d = c
            let n = profile.blockWidth
            for s in stride(from: 0, to: a.count, by: n) {
                d = fusedBlock(a[s..<Swift.min(s + n, a.count)], b[s..<Swift.min(s + n, a.count)], c: d, scaleExponent: 0)
            }
            return d
        case .fp8ViaF16Steps:
            return fp8Steps(a, b, c: c)
        case .blockScaled:
            return blockScaled(a, b, c: c, scalesA: scalesA, scalesB: scalesB, offset: offset)
        case .integer:
            return integerMMA(a, b, c: c)
        case .amdCDNA3:
            return amdCDNA3(a, b, c: c)
        }
    }
}
