import Formats

/// One MMA instruction variant: its PTX name, operand formats, shape, numerics profile and rate.
public struct MMAInstructionSpec: SpecObject, Sendable {
    public let name: String
    public let ptx: String
    public let inputFormats: [String]
    public let accumulatorFormats: [String]
    public let shapeM: Int
    public let shapeN: Int
    public let shapeK: Int
    public let numerics: String
    public let scaleFormat: String?
    public let scaleBlock: Int
    public let fmaPerSMPerCycle: Double
    public let latencyCycles: Int
    public let issueScope: IssueScope

    /// Who issues one instruction.
    public enum IssueScope: String, SpecEnum, Sendable {
        case warp
        /// A 128-thread warpgroup (Hopper wgmma).
        case warpgroup
        /// One thread for the whole CTA (Blackwell tcgen05).
        case cta
    }

    static let nameField = Field<String>.required("name", "Short name used by --instruction (wmma, mma.sync, wgmma, tcgen05, ...).")
    static let ptxField = Field<String>.required("ptx", "The PTX instruction as written, e.g. \"wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3.e4m3\".")
    static let inputFormatsField = Field<[String]>.required("input_formats", "A and B element formats this variant accepts (format names).",
                                                            rule: SpecRule("non-empty") { $0.isEmpty ? ("no formats", "list at least one") : nil })
    static let accumulatorField = Field<[String]>.required("accumulator_formats", "C/D formats (fp32, fp16, int32).",
                                                           rule: SpecRule("non-empty") { $0.isEmpty ? ("no formats", "list at least one") : nil })
    static let mField = Field<Int>.required("shape_m", "M of one instruction.", rule: .inRange(1...1024))
    static let nField = Field<Int>.required("shape_n", "N of one instruction.", rule: .inRange(1...1024))
    static let kField = Field<Int>.required("shape_k", "K of one instruction.", rule: .inRange(1...1024))
    static let numericsField = Field<String>.required("numerics", "Name of the numerics profile (numerics_profiles[].name).")
    static let scaleFormatField = Field<String>.optional("scale_format", "Block-scale format (e8m0, ue4m3) for block-scaled kinds.")
    static let scaleBlockField = Field<Int>.defaulted("scale_block", 0, "Elements per block scale along K (32 or 16); 0 without scales.",
                                                      rule: .inRange(0...64))
    static let rateField = Field<Double>.required("fma_per_sm_per_cycle", unit: .perCycle,
                                                  "Dense multiply-accumulates per clock per SM for this variant (vendor peak / (SMs x clock)).",
                                                  rule: .inRange(0.001...1_000_000))
    static let latencyField = Field<Int>.defaulted("latency_cycles", 32, "Issue-to-result latency of one instruction (reported values; see docs/tensor-core.md).",
                                                   rule: .inRange(1...10_000))
    static let scopeField = Field<IssueScope>.defaulted("issue_scope", .warp, "Who issues the instruction.")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "mma_instruction", doc: "One MMA instruction variant.", fields: [
            nameField.erased, ptxField.erased, inputFormatsField.erased, accumulatorField.erased, mField.erased, nField.erased,
            kField.erased, numericsField.erased, scaleFormatField.erased, scaleBlockField.erased, rateField.erased,
            latencyField.erased, scopeField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        name = r[Self.nameField]
        ptx = r[Self.ptxField]
        inputFormats = r[Self.inputFormatsField]
        accumulatorFormats = r[Self.accumulatorField]
        shapeM = r[Self.mField]
        shapeN = r[Self.nField]
        shapeK = r[Self.kField]
        numerics = r[Self.numericsField]
        scaleFormat = r.optional(Self.scaleFormatField)
        scaleBlock = r[Self.scaleBlockField]
        fmaPerSMPerCycle = r[Self.rateField]
        latencyCycles = r[Self.latencyField]
        issueScope = r[Self.scopeField]
    }

    public func validate(_ r: ObjectReader) {
        for (key, names) in [("input_formats", inputFormats), ("accumulator_formats", accumulatorFormats), ("scale_format", scaleFormat.map { [$0] } ?? [])] {
            for name in names where FormatCatalog.parse(name) == nil {
                r.fail(key, "unknown format \"\(name)\"", fix: "use a name from `simulate formats list`")
            }
        }
        for name in inputFormats {
            guard let format = FormatCatalog.parse(name), !Self.isTensorCoreInput(format) else { continue }
            r.fail("input_formats", "\(name) is not a tensor-core input format",
                   fix: "use floating-point formats of at most 16 bits (fp16, bf16, e4m3, e5m2, e3m2, e2m3, e2m1), tf32, or integers of at most 8 bits (int8, uint8, int4, uint4)")
        }
        if name.allSatisfy(\.isWhitespace) { r.fail("name", "the instruction name is empty", fix: "name it (wmma, mma.sync, wgmma, tcgen05, ...)") }
        if ptx.allSatisfy(\.isWhitespace) { r.fail("ptx", "the PTX text is empty", fix: "write the PTX instruction") }
        if scaleFormat != nil && scaleBlock == 0 {
            r.fail("scale_block", "a scale_format needs its block size", fix: "set \"scale_block\": 32 (or 16)")
        }
    }

    /// Element formats the tensor-core datapaths decode: minifloats of at most 16 bits and TF32
    /// (in FP32 containers), two's complement or unsigned integers of at most 8 bits.
    public static func isTensorCoreInput(_ format: NumberFormat) -> Bool {
        switch format {
        case .scalar(.float(let f)): return f.bitWidth <= 16 || f == StandardFormats.tf32
        case .scalar(.integer(let i)): return i.bitWidth <= 8 && i.scaleExponent == 0 && (i.encoding == .twosComplement || i.encoding == .unsigned)
        default: return false
        }
    }

    /// Multiply-accumulates of one instruction.
    public var fmaCount: Int { shapeM * shapeN * shapeK }
}
