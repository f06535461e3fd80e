import Formats

/// The arithmetic algorithm of a matrix-multiply-accumulate instruction.
public enum MMAAlgorithm: String, SpecEnum, Sendable {
    /// NVIDIA fused block FMA: exact products, alignment to the largest exponent, per-term
    /// sign-magnitude truncation to F fraction bits, exact sum, one output rounding; blocks of n
    /// chained through the output format (tensor-cores.md §3).
    case blockFMA = "block_fma"
    /// FP8 through `mma.sync` on sm_90/sm_100: inputs widened to FP16, two HMMA steps of n = 16
    /// (products with k mod 4 in {0,1}, then {2,3}), each rounded to the output, then c added last
    /// by one IEEE add with round-to-nearest-even (tensor-cores.md, "What the real-GPU captures
    /// pin down" item 4).
    case fp8ViaF16Steps = "fp8_via_f16_steps"
    /// Blackwell block-scaled MMA (mxf8f6f4, mxf4, mxf4nvf4): scales folded into the products
    /// (group size 0) or exact group sums times both scales (group size 16), then one fused block
    /// at F (tensor-cores.md §6.1).
    case blockScaled = "block_scaled"
    /// Exact integer MMA into an N-bit accumulator that wraps or saturates (PTX ISA mma).
    case integer
    /// AMD CDNA3 (MI300) FP16/BF16: products truncated at F relative to the largest product,
    /// product sum floored, c added after ("late partial sum") floored at 24 bits, final RNE;
    /// products >= 2^128 overflow to Inf (tensor-cores.md §3.4).
    case amdCDNA3 = "amd_cdna3"
}

/// What exponent a zero operand takes during alignment (an open question: tensor-cores.md §4).
public enum ZeroOperandExponent: String, SpecEnum, Sendable {
    /// -126 for every format, the addend included (MMA-Sim `extract_significand_exponent`): a
    /// zero product gets -126 + e_other and can set the alignment exponent.
    case fixedMinus126 = "fixed_minus126"
    /// The operand format's minimum exponent, as its subnormals have (fp16: -14).
    case formatMinimum = "format_minimum"
    /// Zero products (and a zero addend) are removed before alignment (Khattak & Mikaitis).
    case excluded
}

/// The sign of an exact-zero result (open: tensor-cores.md §10).
public enum ExactZeroSign: String, SpecEnum, Sendable {
    /// Always +0 (MMA-Sim sums significands from +0.0).
    case positive
    /// IEEE 754 §6.3: -0 only when every term is a negative zero.
    case ieee
}

/// The NaN an MMA produces (open: tensor-cores.md §10).
public enum NaNEncoding: String, SpecEnum, Sendable {
    /// 0x7FFFFFFF (FP32) / 0x7FFF (FP16): NVIDIA's canonical NaN (MMA-Sim).
    case canonical
    /// The IEEE default quiet NaN 0x7FC00000 / 0x7E00.
    case ieeeQuiet = "ieee_quiet"
}

public enum ProductOverflow: String, SpecEnum, Sendable {
    /// Products have a wider exponent range than the output (NVIDIA).
    case none
    /// A product of magnitude >= 2^128 becomes ±Inf (AMD CDNA3).
    case infinity
}

public enum OutputOverflow: String, SpecEnum, Sendable {
    /// ±Inf on overflow (MMA-Sim).
    case infinity
    /// ±largest finite (pure round-toward-zero).
    case maxFinite = "max_finite"
}

public enum IntegerAccumulatorOverflow: String, SpecEnum, Sendable {
    /// Wrap modulo 2^bits (PTX default).
    case wrap
    /// Clamp to the accumulator range (PTX `.satfinite`).
    case saturate
}

/// Rounding names accepted in documents.
public enum OutputRounding: String, SpecEnum, Sendable {
    case towardZero = "toward-zero"
    case nearestEven = "nearest-even"

    public var rule: RoundingRule { self == .towardZero ? .towardZero : .toNearestOrEven }
}

/// The numerics profile of an MMA instruction: every parameter of its arithmetic, by name, with
/// the source it comes from.
public struct MMANumericsSpec: SpecObject, Sendable, Hashable {
    public let name: String
    public let algorithm: MMAAlgorithm
    public let blockWidth: Int
    public let keptFractionBits: Int
    public let fp32OutputRounding: OutputRounding
    public let fp32OutputSignificandBits: Int
    public let fp16OutputRounding: OutputRounding
    public let tf32InputTruncation: Bool
    public let zeroOperandExponent: ZeroOperandExponent
    public let minAlignmentExponent: Int?
    public let productOverflow: ProductOverflow
    public let outputOverflow: OutputOverflow
    public let scaleGroupSize: Int
    public let accumulatorBits: Int
    public let integerOverflow: IntegerAccumulatorOverflow
    public let exactZeroSign: ExactZeroSign
    public let nanEncoding: NaNEncoding
    public let source: String

    static let nameField = Field<String>.required("name", "Profile name, referenced by mma_instructions[].numerics.")
    static let algorithmField = Field<MMAAlgorithm>.required("algorithm", "The arithmetic algorithm.")
    static let blockWidthField = Field<Int>.defaulted("block_width", 1, "n: products fused per block (chained through the output when K > n).",
                                                      rule: .inRange(1...256))
    static let keptFractionField = Field<Int>.defaulted("kept_fraction_bits", 24, "F: fraction bits each aligned term keeps (truncated toward zero).",
                                                        rule: .inRange(1...40))
    static let fp32RoundingField = Field<OutputRounding>.defaulted("fp32_output_rounding", .towardZero, "Rounding of an FP32 result.")
    static let fp32BitsField = Field<Int>.defaulted("fp32_output_significand_bits", 24,
                                                    "Significand bits of an FP32 result: 24, or 14 for the FP8 'e8m13' accumulator of Ada/Hopper.",
                                                    rule: .inRange(2...24))
    static let fp16RoundingField = Field<OutputRounding>.defaulted("fp16_output_rounding", .nearestEven, "Rounding of an FP16 result.")
    static let tf32Field = Field<Bool>.defaulted("tf32_input_truncation", true,
                                                 "TF32 inputs given as FP32 patterns lose their low 13 bits by truncation (PTX wgmma text).")
    static let zeroField = Field<ZeroOperandExponent>.defaulted("zero_operand_exponent", .fixedMinus126,
                                                                "Exponent a zero operand takes in alignment (open question; see docs/tensor-core.md).")
    static let floorField = Field<Int>.optional("min_alignment_exponent",
                                                "Floor on the alignment exponent (Khattak & Mikaitis min_exp_limit); absent: none.",
                                                rule: .inRange(-16_384...16_384))
    static let productOverflowField = Field<ProductOverflow>.defaulted("product_overflow", .none, "Whether products can overflow.")
    static let outputOverflowField = Field<OutputOverflow>.defaulted("output_overflow", .infinity, "Result of an overflowing output.")
    static let groupField = Field<Int>.defaulted("scale_group_size", 0,
                                                 "Block-scaled: 0 folds the scales into each product; 16 sums 16-element groups exactly first.",
                                                 rule: .inRange(0...64))
    static let accumulatorBitsField = Field<Int>.defaulted("accumulator_bits", 32, "Integer accumulator width.", rule: .inRange(8...64))
    static let integerOverflowField = Field<IntegerAccumulatorOverflow>.defaulted("integer_overflow", .wrap,
                                                                                  "Integer accumulator overflow (.satfinite saturates).")
    static let zeroSignField = Field<ExactZeroSign>.defaulted("exact_zero_sign", .positive, "Sign of an exact-zero result (open; see docs/tensor-core.md).")
    static let nanField = Field<NaNEncoding>.defaulted("nan_encoding", .canonical, "NaN bit pattern of a NaN result (open; see docs/tensor-core.md).")
    static let sourceField = Field<String>.required("source", "Where these parameters come from (paper, model, captures).")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "numerics_profile", doc: "Arithmetic of one MMA instruction (tensor-cores.md §3).", fields: [
            nameField.erased, algorithmField.erased, blockWidthField.erased, keptFractionField.erased, fp32RoundingField.erased,
            fp32BitsField.erased, fp16RoundingField.erased, tf32Field.erased, zeroField.erased, floorField.erased,
            productOverflowField.erased, outputOverflowField.erased, groupField.erased, accumulatorBitsField.erased,
            integerOverflowField.erased, zeroSignField.erased, nanField.erased, sourceField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        name = r[Self.nameField]
        algorithm = r[Self.algorithmField]
        blockWidth = r[Self.blockWidthField]
        keptFractionBits = r[Self.keptFractionField]
        fp32OutputRounding = r[Self.fp32RoundingField]
        fp32OutputSignificandBits = r[Self.fp32BitsField]
        fp16OutputRounding = r[Self.fp16RoundingField]
        tf32InputTruncation = r[Self.tf32Field]
        zeroOperandExponent = r[Self.zeroField]
        minAlignmentExponent = r.optional(Self.floorField)
        productOverflow = r[Self.productOverflowField]
        outputOverflow = r[Self.outputOverflowField]
        scaleGroupSize = r[Self.groupField]
        accumulatorBits = r[Self.accumulatorBitsField]
        integerOverflow = r[Self.integerOverflowField]
        exactZeroSign = r[Self.zeroSignField]
        nanEncoding = r[Self.nanField]
        source = r[Self.sourceField]
    }

    /// A profile built in code (tests, and presets that documents override).
    public init(name: String, algorithm: MMAAlgorithm, blockWidth: Int = 1, keptFractionBits: Int = 24,
                fp32OutputRounding: OutputRounding = .towardZero, fp32OutputSignificandBits: Int = 24,
                fp16OutputRounding: OutputRounding = .nearestEven, tf32InputTruncation: Bool = true,
                zeroOperandExponent: ZeroOperandExponent = .fixedMinus126, minAlignmentExponent: Int? = nil,
                productOverflow: ProductOverflow = .none, outputOverflow: OutputOverflow = .infinity,
                scaleGroupSize: Int = 0, accumulatorBits: Int = 32, integerOverflow: IntegerAccumulatorOverflow = .wrap,
                exactZeroSign: ExactZeroSign = .positive, nanEncoding: NaNEncoding = .canonical, source: String = "") {
        self.name = name
        self.algorithm = algorithm
        self.blockWidth = blockWidth
        self.keptFractionBits = keptFractionBits
        self.fp32OutputRounding = fp32OutputRounding
        self.fp32OutputSignificandBits = fp32OutputSignificandBits
        self.fp16OutputRounding = fp16OutputRounding
        self.tf32InputTruncation = tf32InputTruncation
        self.zeroOperandExponent = zeroOperandExponent
        self.minAlignmentExponent = minAlignmentExponent
        self.productOverflow = productOverflow
        self.outputOverflow = outputOverflow
        self.scaleGroupSize = scaleGroupSize
        self.accumulatorBits = accumulatorBits
        self.integerOverflow = integerOverflow
        self.exactZeroSign = exactZeroSign
        self.nanEncoding = nanEncoding
        self.source = source
    }

    public func validate(_ r: ObjectReader) {
        if name.allSatisfy(\.isWhitespace) { r.fail("name", "the profile name is empty", fix: "name it; instructions refer to it") }
        if algorithm == .fp8ViaF16Steps && blockWidth != 16 {
            r.fail("block_width", "fp8_via_f16_steps models two n = 16 HMMA steps", fix: "set \"block_width\": 16")
        }
        if algorithm == .blockScaled && ![0, 16].contains(scaleGroupSize) {
            r.fail("scale_group_size", "block_scaled supports group sizes 0 (mxf8f6f4) and 16 (mxf4, mxf4nvf4)", fix: "use 0 or 16")
        }
    }
}
