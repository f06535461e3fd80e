/// The named formats, each pinned to the specification revision it follows (formats.md §1).
public enum StandardFormats {
    // MARK: IEEE 754-2019 and friends

    /// IEEE 754-2019 binary64.
    public static let fp64 = MiniFloatFormat(exponentBits: 11, mantissaBits: 52, specials: .ieee)
    /// IEEE 754-2019 binary32.
    public static let fp32 = MiniFloatFormat(exponentBits: 8, mantissaBits: 23, specials: .ieee)
    /// NVIDIA TensorFloat-32: binary32's range with 10 mantissa bits (19-bit code; in FP32
    /// containers the low 13 bits are zero). NVIDIA A100 whitepaper (2020).
    public static let tf32 = MiniFloatFormat(exponentBits: 8, mantissaBits: 10, specials: .ieee)
    /// bfloat16 (Google; binary32's upper half).
    public static let bf16 = MiniFloatFormat(exponentBits: 8, mantissaBits: 7, specials: .ieee)
    /// IEEE 754-2019 binary16.
    public static let fp16 = MiniFloatFormat(exponentBits: 5, mantissaBits: 10, specials: .ieee)

    // MARK: OCP 8-bit floating point, Revision 1.0 (2023)

    /// OFP8 E5M2: IEEE-like, max 57344.
    public static let e5m2 = MiniFloatFormat(exponentBits: 5, mantissaBits: 2, specials: .ieee)
    /// OFP8 E4M3 ("fn": no Inf, NaN = S.1111.111), max 448.
    public static let e4m3 = MiniFloatFormat(exponentBits: 4, mantissaBits: 3, specials: .finiteWithNaN)
    /// E4M3FNUZ (AMD CDNA3 / Graphcore): bias 8, NaN = 0x80, no -0, max 240.
    public static let e4m3fnuz = MiniFloatFormat(exponentBits: 4, mantissaBits: 3, bias: 8, specials: .finiteUnsignedZero)
    /// E5M2FNUZ (AMD CDNA3 / Graphcore): bias 16, NaN = 0x80, no -0, max 57344.
    public static let e5m2fnuz = MiniFloatFormat(exponentBits: 5, mantissaBits: 2, bias: 16, specials: .finiteUnsignedZero)

    // MARK: OCP Microscaling Formats (MX) v1.0 (September 2023)

    /// MX FP6 E3M2: no Inf/NaN, max 28.
    public static let e3m2 = MiniFloatFormat(exponentBits: 3, mantissaBits: 2, specials: .none)
    /// MX FP6 E2M3: no Inf/NaN, max 7.5.
    public static let e2m3 = MiniFloatFormat(exponentBits: 2, mantissaBits: 3, specials: .none)
    /// MX FP4 E2M1: no Inf/NaN, max 6.
    public static let e2m1 = MiniFloatFormat(exponentBits: 2, mantissaBits: 1, specials: .none)
    /// MX E8M0 scale: unsigned power of two 2^-127..2^127, no zero, 0xFF = NaN.
    public static let e8m0 = MiniFloatFormat(exponentBits: 8, mantissaBits: 0, bias: 127, isSigned: false,
                                             underflow: .noZero, specials: .finiteWithNaN)
    /// NVFP4 block scale: E4M3 read as unsigned (the MMA ignores the sign bit; NVIDIA NVFP4 blog,
    /// June 2025; MMA-Sim).
    public static let ue4m3 = MiniFloatFormat(exponentBits: 4, mantissaBits: 3, isSigned: false, specials: .finiteWithNaN)

    // MARK: Codebooks

    /// Ternary {-1, 0, +1} in two bits: 0b00 = 0, 0b01 = +1, 0b11 = -1 (0b10 unused), as a 2-bit
    /// symmetric integer. BitNet b1.58 weights (lut-tensor-core.md).
    public static let ternary = CodebookFormat(name: "ternary", bitWidth: 2, values: [
        ExactValue(0.0), ExactValue(1.0), nil, ExactValue(-1.0),
    ], tie: .evenCode)

    /// Binary {-1, +1}: code 0 = -1, code 1 = +1 (1-bit bipolar).
    public static let binary = CodebookFormat(name: "binary", bitWidth: 1, values: [ExactValue(-1.0), ExactValue(1.0)],
                                              tie: .evenCode)

    /// QLoRA NormalFloat4 (Dettmers et al., arXiv:2305.14314), the binary32 table of
    /// bitsandbytes, codes 0..15 in increasing order (code 7 = 0).
    public static let nf4 = CodebookFormat(name: "nf4", bitWidth: 4, values: ([
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
        -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
        0.24611230194568634, 0.33791524171829224, 0.44070982933044617, 0.5626170039176941,
        0.7229568362236023, 1.0,
    ] as [Float]).map { ExactValue($0) }, tie: .evenCode)

    /// ANT flint4 (Guo et al., MICRO 2022): sign-magnitude, magnitudes {0, 1, 2, 3, 4, 6, 8, 16}
    /// in BitMoD's integer grid (bitmod.md §7); code 0b1000 (-0) decodes to 0.
    public static let flint4 = signMagnitudeCodebook(name: "flint4", magnitudes: [0, 1, 2, 3, 4, 6, 8, 16], special: nil)

    /// Sign-magnitude codebook over `magnitudes`; the negative-zero code holds `special`
    /// (BitMoD's extended types) or duplicates 0.
    public static func signMagnitudeCodebook(name: String, magnitudes: [Int], special: Int?) -> CodebookFormat {
        let half = magnitudes.count
        var values: [ExactValue?] = magnitudes.map { ExactValue(Double($0)) }
        values += magnitudes.enumerated().map { i, m in
            i == 0 ? ExactValue(Double(special ?? 0)) : ExactValue(Double(-m))
        }
        let bits = (2 * half - 1).bitWidth - (2 * half - 1).leadingZeroBitCount
        return CodebookFormat(name: name, bitWidth: bits, values: values, tie: .lowerValue)
    }
}
