/// Any number format QuantSim knows: one element format, a block-scaled format, or BitMoD's
/// per-group mixture of codebooks. Parsed from the standard names (`FormatCatalog`).
public enum NumberFormat: Sendable, Hashable {
    case scalar(ScalarFormat)
    case blockScaled(BlockScaledFormat)
    case mixture(BitMoDFamily)

    /// The element format of a scalar or block-scaled format (`nil` for mixtures).
    public var elementFormat: ScalarFormat? {
        switch self {
        case .scalar(let s): return s
        case .blockScaled(let b): return b.element
        case .mixture: return nil
        }
    }

    /// Parses a standard or generic name (see `FormatCatalog`); `nil` if unknown.
    public init?(name: String) {
        guard let f = FormatCatalog.parse(name) else { return nil }
        self = f
    }
}

/// The standard format names, their specification sources and the generic syntaxes:
/// `e<E>m<M>[b<bias>][fn|fnuz|nosp]`, `int<n>`, `uint<n>`, `symint<n>`, `smint<n>`,
/// `bipolar<n>` (n in 1...32), `bfp<E>m<M>[x<block>]`, and an `-ceil` suffix on MX names for
/// the amax-ceil scale rule.
public enum FormatCatalog {
    public struct Entry: Sendable {
        public let name: String
        public let format: NumberFormat
        public let source: String
    }

    static func mx(_ name: String, _ element: ScalarFormat) -> BlockScaledFormat {
        BlockScaledFormat(name: name, element: element, scale: StandardFormats.e8m0, blockSize: 32, rule: .mxFloor)
    }

    /// The named formats, in listing order.
    public static let named: [Entry] = {
        let s = StandardFormats.self
        var entries: [Entry] = [
            Entry(name: "fp64", format: .scalar(.float(s.fp64)), source: "IEEE 754-2019 binary64"),
            Entry(name: "fp32", format: .scalar(.float(s.fp32)), source: "IEEE 754-2019 binary32"),
            Entry(name: "tf32", format: .scalar(.float(s.tf32)), source: "NVIDIA A100 whitepaper (2020); 19 bits, FP32 container with low 13 bits zero"),
            Entry(name: "bf16", format: .scalar(.float(s.bf16)), source: "bfloat16 (Google); upper half of binary32"),
            Entry(name: "fp16", format: .scalar(.float(s.fp16)), source: "IEEE 754-2019 binary16"),
            Entry(name: "e5m2", format: .scalar(.float(s.e5m2)), source: "OCP OFP8 Rev 1.0 (2023) E5M2"),
            Entry(name: "e4m3", format: .scalar(.float(s.e4m3)), source: "OCP OFP8 Rev 1.0 (2023) E4M3 (fn, max 448)"),
            Entry(name: "e4m3fnuz", format: .scalar(.float(s.e4m3fnuz)), source: "AMD CDNA3 / Graphcore FNUZ (bias 8)"),
            Entry(name: "e5m2fnuz", format: .scalar(.float(s.e5m2fnuz)), source: "AMD CDNA3 / Graphcore FNUZ (bias 16)"),
            Entry(name: "e3m2", format: .scalar(.float(s.e3m2)), source: "OCP MX v1.0 (2023) FP6 E3M2"),
            Entry(name: "e2m3", format: .scalar(.float(s.e2m3)), source: "OCP MX v1.0 (2023) FP6 E2M3"),
            Entry(name: "e2m1", format: .scalar(.float(s.e2m1)), source: "OCP MX v1.0 (2023) FP4 E2M1"),
            Entry(name: "e8m0", format: .scalar(.float(s.e8m0)), source: "OCP MX v1.0 (2023) E8M0 scale"),
            Entry(name: "ue4m3", format: .scalar(.float(s.ue4m3)), source: "NVFP4 block scale: E4M3 read unsigned (NVIDIA, 2025)"),
            Entry(name: "ternary", format: .scalar(.codebook(s.ternary)), source: "BitNet b1.58 ternary weights"),
            Entry(name: "binary", format: .scalar(.codebook(s.binary)), source: "binary {-1, +1} weights"),
            Entry(name: "nf4", format: .scalar(.codebook(s.nf4)), source: "QLoRA NormalFloat4, arXiv:2305.14314 (bitsandbytes table)"),
            Entry(name: "flint4", format: .scalar(.codebook(s.flint4)), source: "ANT flint4, MICRO 2022 (BitMoD integer grid)"),
            Entry(name: "bitmod3", format: .mixture(.bitmod3), source: "BitMoD-3, HPCA 2025 §III-B"),
            Entry(name: "bitmod4", format: .mixture(.bitmod4), source: "BitMoD-4, HPCA 2025 §III-B"),
            Entry(name: "olive4", format: .scalar(.codebook(OliVe.olive4)),
                  source: "OliVe outlier-victim pairs, ISCA 2023 (INT4 normals, E2M1 abfloat outliers {12..96} in INT4 units; 4 bits stored)"),
            Entry(name: "ant4", format: .mixture(.ant4), source: "ANT per-group {INT4, FLINT4} as BitMoD compares it (mixed_ant; MICRO 2022, HPCA 2025)"),
            Entry(name: "ant3", format: .mixture(.ant3), source: "ANT per-group {INT3, FP3} as BitMoD compares it (mixed_ant; MICRO 2022, HPCA 2025)"),
            Entry(name: "mxfp8e4m3", format: .blockScaled(mx("mxfp8e4m3", .float(s.e4m3))), source: "OCP MX v1.0 MXFP8 (E4M3)"),
            Entry(name: "mxfp8e5m2", format: .blockScaled(mx("mxfp8e5m2", .float(s.e5m2))), source: "OCP MX v1.0 MXFP8 (E5M2)"),
            Entry(name: "mxfp6e3m2", format: .blockScaled(mx("mxfp6e3m2", .float(s.e3m2))), source: "OCP MX v1.0 MXFP6 (E3M2)"),
            Entry(name: "mxfp6e2m3", format: .blockScaled(mx("mxfp6e2m3", .float(s.e2m3))), source: "OCP MX v1.0 MXFP6 (E2M3)"),
            Entry(name: "mxfp4", format: .blockScaled(mx("mxfp4", .float(s.e2m1))), source: "OCP MX v1.0 MXFP4 (E2M1)"),
            Entry(name: "mxint8", format: .blockScaled(mx("mxint8", .integer(IntegerFormat(bitWidth: 8, encoding: .twosComplement, scaleExponent: -6)))),
                  source: "OCP MX v1.0 MXINT8 (INT8 x 2^-6)"),
            Entry(name: "nvfp4", format: .blockScaled(BlockScaledFormat(name: "nvfp4", element: .float(s.e2m1), scale: s.ue4m3,
                                                                        blockSize: 16, rule: .nvfp4)),
                  source: "NVIDIA NVFP4 (2025): E2M1, block 16, UE4M3 scale, FP32 tensor scale"),
        ]
        for n in [8, 4] {
            entries.append(Entry(name: "int\(n)", format: .scalar(.integer(IntegerFormat(bitWidth: n, encoding: .twosComplement))),
                                 source: "two's complement"))
        }
        return entries
    }()

    static let aliases: [String: String] = [
        "f64": "fp64", "f32": "fp32", "f16": "fp16", "bfloat16": "bf16", "half": "fp16", "float": "fp32",
        "e4m3fn": "e4m3", "fp8e4m3": "e4m3", "fp8e5m2": "e5m2", "fp4": "e2m1", "mxfp8": "mxfp8e4m3", "mxfp6": "mxfp6e3m2",
        "ue8m0": "e8m0", "s32": "int32", "s8": "int8", "u8": "uint8", "s4": "int4", "u4": "uint4",
    ]

    /// Parses a name; `nil` if unknown.
    public static func parse(_ raw: String) -> NumberFormat? {
        var name = raw.lowercased()
        name = aliases[name] ?? name
        if let e = named.first(where: { $0.name == name }) { return e.format }
        if name.hasSuffix("-ceil"), case .blockScaled(let b)? = parse(String(name.dropLast(5))), b.rule == .mxFloor {
            return .blockScaled(b.with(rule: .amaxCeil))
        }
        for (prefix, encoding) in [("uint", IntegerEncoding.unsigned), ("symint", .symmetric), ("smint", .signMagnitude),
                                   ("bipolar", .bipolar), ("int", .twosComplement)] where name.hasPrefix(prefix) {
            guard let n = Int(name.dropFirst(prefix.count)), (1...32).contains(n),
                  !(n == 1 && (encoding == .symmetric || encoding == .signMagnitude)) else { return nil }
            return .scalar(.integer(IntegerFormat(bitWidth: n, encoding: encoding)))
        }
        if name.hasPrefix("bitmod-") {
            // One member type of a BitMoD mixture, e.g. bitmod-fp4-ea+ (BitMoD HPCA 2025 Table II).
            let member = name.dropFirst("bitmod-".count)
            return (BitMoDFamily.bitmod3.members + BitMoDFamily.bitmod4.members).first { $0.name == member }.map { .scalar(.codebook($0)) }
        }
        if let member = (BitMoDFamily.ant4.members + BitMoDFamily.ant3.members).first(where: { $0.name == name }) { return .scalar(.codebook(member)) }
        if name.hasPrefix("bfp") { return parseBFP(String(name.dropFirst(3))) }
        if name.hasPrefix("e") { return parseGenericFloat(String(name.dropFirst())).map { .scalar(.float($0)) } }
        return nil
    }

    /// `<E>m<M>[b<bias>][fn|fnuz|nosp]` (|bias| <= 4096): IEEE specials unless suffixed.
    static func parseGenericFloat(_ text: String) -> MiniFloatFormat? {
        var rest = Substring(text)
        var specials = SpecialValuePolicy.ieee
        for (suffix, policy) in [("fnuz", SpecialValuePolicy.finiteUnsignedZero), ("fn", .finiteWithNaN), ("nosp", .none)]
            where rest.hasSuffix(suffix) {
            specials = policy
            rest = rest.dropLast(suffix.count)
            break
        }
        guard let m = rest.firstIndex(of: "m"), let e = Int(rest[..<m]) else { return nil }
        let afterM = rest[rest.index(after: m)...]
        var mantissaText = afterM
        var bias: Int? = nil
        if let b = afterM.firstIndex(of: "b") {
            mantissaText = afterM[..<b]
            // Bounded so every exponent of the format stays far inside Int and binary64's
            // neighbourhood (the widest standard bias is 1023).
            guard let parsed = Int(afterM[afterM.index(after: b)...]), (-4096...4096).contains(parsed) else { return nil }
            bias = parsed
        }
        guard let mantissa = Int(mantissaText), (1...11).contains(e), (0...52).contains(mantissa),
              !(specials == .ieee && (e < 2 || mantissa == 0)) else { return nil }
        return MiniFloatFormat(exponentBits: e, mantissaBits: mantissa, bias: bias, specials: specials)
    }

    /// `<E>m<M>[x<block>]`: sign + M-bit magnitude elements under a shared E-bit exponent
    /// (unsigned, no zero, all-ones NaN), MX floor rule, block 32 by default.
    static func parseBFP(_ text: String) -> NumberFormat? {
        var body = Substring(text)
        var block = 32
        if let x = body.firstIndex(of: "x") {
            guard let b = Int(body[body.index(after: x)...]), (1...4096).contains(b) else { return nil }
            block = b
            body = body[..<x]
        }
        guard let m = body.firstIndex(of: "m"), let e = Int(body[..<m]), let mantissa = Int(body[body.index(after: m)...]),
              (2...11).contains(e), (1...31).contains(mantissa) else { return nil }
        let element = IntegerFormat(bitWidth: mantissa + 1, encoding: .signMagnitude)
        let scale = MiniFloatFormat(exponentBits: e, mantissaBits: 0, isSigned: false, underflow: .noZero, specials: .finiteWithNaN)
        return .blockScaled(BlockScaledFormat(name: "bfp\(text)", element: .integer(element), scale: scale,
                                              blockSize: block, rule: .mxFloor))
    }
}
