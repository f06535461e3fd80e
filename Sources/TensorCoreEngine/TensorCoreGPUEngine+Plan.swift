import ArchitectureSpec
import EngineKit
import Formats

extension TensorCoreGPUEngine {
    public func plan(_ r: GEMMRequest) throws(EngineRefusal) -> TensorCorePlan {
        let planA = try Self.operandPlan(formatName: r.aFormat, quantization: r.quantization)
        let planB = try Self.operandPlan(formatName: r.bFormat, quantization: r.quantization)
        let dFormat = r.dFormat ?? Self.defaultAccumulator(planA.format)
        guard let a = Self.elementName(planA.element), let b = Self.elementName(planB.element) else {
            throw EngineRefusal("no tensor-core element format for \(r.aFormat)/\(r.bFormat)")
        }
        // A block-scaled MMA scales both operands with one scale format and block size; a plain
        // operand against a block-scaled one has no such instruction.
        let blockA = planA.blockScaled, blockB = planB.blockScaled
        let mismatched: Bool
        switch (blockA, blockB) {
        case (nil, nil): mismatched = false
        case let (x?, y?): mismatched = x.scale != y.scale || x.blockSize != y.blockSize
        default: mismatched = true
        }
        if mismatched {
            throw EngineRefusal("\(r.aFormat) x \(r.bFormat): a block-scaled MMA needs both operands block-scaled with the same scale "
                                + "format and block (e.g. mxfp8e4m3 x mxfp4, or nvfp4 x nvfp4); use matching formats")
        }
        let candidates = gpu.instructions(input: a, accumulator: dFormat, named: r.variant).filter { v in
            guard v.inputFormats.contains(where: { FormatCatalog.parse($0) == FormatCatalog.parse(b) }) else { return false }
            if let blockA {
                guard let s = v.scaleFormat, case .scalar(.float(let f))? = FormatCatalog.parse(s) else { return false }
                return f == blockA.scale && v.scaleBlock == blockA.blockSize
            }
            return v.scaleFormat == nil
        }
        guard let chosen = candidates.first else {
            let available = Set(gpu.mmaInstructions.map { "\($0.name) [\($0.inputFormats.joined(separator: "|")) -> \($0.accumulatorFormats.joined(separator: "|"))\($0.scaleFormat.map { ", \($0) scales" } ?? "")]" })
            throw EngineRefusal("\(name) has no MMA instruction\(r.variant.map { " named \($0)" } ?? "") for \(r.aFormat) x \(r.bFormat) -> \(dFormat); available: \(available.sorted().joined(separator: ", "))")
        }
        let unit: MMAUnit
        do {
            unit = try MMAUnit(instruction: chosen, profile: gpu.profile(for: chosen), aFormat: a, bFormat: b, accumulatorFormat: dFormat)
        } catch {
            throw EngineRefusal(error.description)
        }
        let alternatives = gpu.instructions(input: a, accumulator: dFormat)
        let why = r.variant != nil ? "chosen with --instruction"
            : "the fastest dense path for these types (\(Int(chosen.fmaPerSMPerCycle)) FMA/SM/cycle"
                + (alternatives.count > 1 ? "; \(alternatives.count - 1) slower variant\(alternatives.count > 2 ? "s" : "")" : "") + ")"
        let out = try Self.outputFormat(r.outFormat, accumulator: dFormat)
        return TensorCorePlan(a: planA, b: planB, instruction: chosen, unit: unit, instructionWhy: why, outFormat: out)
    }

    /// `--out-format`: fp16 or bf16 (the epilogue rounds the binary32 result to nearest even,
    /// overflow to infinity, as cuBLASLt's conversion does), or the accumulator itself.
    static func outputFormat(_ name: String?, accumulator: String) throws(EngineRefusal) -> (name: String, format: MiniFloatFormat)? {
        guard let name, name != accumulator else { return nil }
        guard accumulator == "fp32" else {
            throw EngineRefusal("--out-format \(name): a \(accumulator) accumulator is written as is; use --out-format \(accumulator) or leave it out")
        }
        switch name {
        case "fp16": return (name, StandardFormats.fp16)
        case "bf16": return (name, StandardFormats.bf16)
        default: throw EngineRefusal("--out-format \(name): the epilogue writes fp32, fp16 or bf16")
        }
    }

    /// int32 for (unscaled-block) integer inputs, fp32 otherwise.
    static func defaultAccumulator(_ format: NumberFormat) -> String {
        if case .scalar(.integer) = format { return "int32" }
        return "fp32"
    }

    /// How one operand is quantised for the tensor cores: block-scaled formats carry their own
    /// block scales; 16-bit and wider formats (and TF32) round directly by default, narrower ones
    /// take a per-tensor absmax scale; TF32 travels in FP32 containers.
    static func operandPlan(formatName: String, quantization: QuantizationChoice?) throws(EngineRefusal) -> OperandPlan {
        guard let format = FormatCatalog.parse(formatName) else {
            throw EngineRefusal("unknown format \"\(formatName)\"; see `simulate formats list`")
        }
        switch format {
        case .mixture:
            throw EngineRefusal("\(formatName) is a BitMoD mixture for bit-serial PEs, not a tensor-core input format")
        case .blockScaled(let block):
            if let q = quantization, q != .none {
                throw EngineRefusal("\(formatName) carries its own block scales; drop --quantize \(q) (or pass --quantize none)")
            }
            return OperandPlan(format: format, element: format.elementFormat!, scheme: .default(for: format), groupSize: nil,
                               needsTensorAmax: block.rule == .nvfp4,
                               description: "\(block.name) blocks of \(block.blockSize) along K (\(block.rule.rawValue) rule)")
        case .scalar(let element):
            let tf32 = element == .float(StandardFormats.tf32)
            let wide = element.bitWidth >= 16 || tf32
            let q = quantization ?? (wide ? .none : .perTensor)
            let shift = tf32 ? 13 : 0
            let scaled = "\(q) absmax, binary32 scales, nearest-even"
            switch q {
            case .none:
                return OperandPlan(format: format, element: element, scheme: nil, containerShift: shift, groupSize: nil,
                                   needsTensorAmax: false, description: "none (direct rounding)")
            case .perTensor:
                return OperandPlan(format: format, element: element, scheme: QuantizationScheme(format: format, granularity: .perTensor),
                                   containerShift: shift, groupSize: nil, needsTensorAmax: true, description: scaled)
            case .perChannel:
                return OperandPlan(format: format, element: element, scheme: QuantizationScheme(format: format, granularity: .perRow),
                                   containerShift: shift, groupSize: nil, needsTensorAmax: false, description: scaled)
            case .group(let g):
                return OperandPlan(format: format, element: element,
                                   scheme: QuantizationScheme(format: format, granularity: .perGroup(size: g, alongRows: true)),
                                   containerShift: shift, groupSize: g, needsTensorAmax: false, description: scaled)
            }
        }
    }

    /// The catalogue name of an element format (for instruction lookup).
    public static func elementName(_ element: ScalarFormat) -> String? { FormatCatalog.name(of: element) }
}
