import Formats
import Reference
import Testing

/// Shared pieces of the subject-vs-reference harness (style.md lesson 5: speak in bits).
enum Conformance {
    /// Every scalar format of at most 16 bits that the catalogue names or the generic syntax
    /// reaches in these tests.
    static var smallFormats: [(String, ScalarFormat)] {
        var list: [(String, ScalarFormat)] = []
        for name in ["fp16", "bf16", "e5m2", "e4m3", "e4m3fnuz", "e5m2fnuz", "e3m2", "e2m3", "e2m1", "e8m0", "ue4m3",
                     "e4m3b7", "e3m4", "e5m2fn", "e3m0fn", "e4m0nosp", "e6m9fnuz", "ternary", "binary", "nf4", "flint4"] {
            guard case .scalar(let s)? = FormatCatalog.parse(name) else { fatalError("unknown \(name)") }
            list.append((name, s))
        }
        for n in [1, 2, 3, 4, 5, 8, 12, 16] {
            for prefix in ["int", "uint", "symint", "smint", "bipolar"] where !(n == 1 && (prefix == "symint" || prefix == "smint")) {
                guard case .scalar(let s)? = FormatCatalog.parse("\(prefix)\(n)") else { fatalError("\(prefix)\(n)") }
                list.append(("\(prefix)\(n)", s))
            }
        }
        for family in [BitMoDFamily.bitmod3, .bitmod4] {
            for m in family.members { list.append((m.name, .codebook(m))) }
        }
        list.append(("mxint8-element", .integer(IntegerFormat(bitWidth: 8, encoding: .twosComplement, scaleExponent: -6))))
        list.append(("e5m3-flushed", .float(MiniFloatFormat(exponentBits: 5, mantissaBits: 3, underflow: .flushToZero, specials: .ieee))))
        return list
    }

    /// The reference value of a code, from the format's bit fields.
    static func referenceValue(_ code: UInt64, _ format: ScalarFormat) -> String {
        switch format {
        case .float(let f):
            return FormatReference.value(ofCode: code, in: f).hexString
        case .integer(let i):
            let n = i.bitWidth
            let raw = Int128(code)
            let v: Int128
            switch i.encoding {
            case .twosComplement, .symmetric: v = raw >= Int128(1) << (n - 1) ? raw - (Int128(1) << n) : raw
            case .unsigned: v = raw
            case .signMagnitude:
                let magnitude = raw & ((Int128(1) << (n - 1)) - 1)
                if magnitude == 0 && raw != 0 { return "-0x0p+0" }
                v = raw >> (n - 1) == 1 ? -magnitude : magnitude
            case .bipolar: v = 2 * raw - ((Int128(1) << n) - 1)
            }
            return BigFloat(negative: v < 0, limbs: [UInt64(v.magnitude)], exponent: i.scaleExponent).hexString
        case .codebook(let c):
            guard Int(code) < c.values.count, let v = c.values[Int(code)] else { return "nan" }
            return BigFloat(v).hexString
        }
    }

    /// Reference conversion for any scalar format, with per-format state prepared once.
    struct Reference {
        let format: ScalarFormat
        let miniFloat: FormatReference.MiniFloat?
        let codebook: FormatReference.Codebook?

        init(_ format: ScalarFormat) {
            self.format = format
            if case .float(let f) = format { miniFloat = FormatReference.MiniFloat(f) } else { miniFloat = nil }
            if case .codebook(let c) = format { codebook = FormatReference.Codebook(c) } else { codebook = nil }
        }

        func round(_ x: ExactValue, _ input: BigFloat, _ rule: RoundingRule, _ overflow: OverflowPolicy,
                   _ integerOverflow: IntegerOverflow) -> FormatReference.Outcome {
            switch format {
            case .float: return miniFloat!.round(x, input, rule: rule, overflow: overflow)
            case .integer(let i): return FormatReference.round(x, to: i, rule: rule, overflow: integerOverflow)
            case .codebook: return codebook!.round(x, rule: rule)
            }
        }
    }

    static func subjectEncode(_ x: ExactValue, _ format: ScalarFormat, _ rule: RoundingRule,
                              _ overflow: OverflowPolicy, _ integerOverflow: IntegerOverflow) -> EncodeResult {
        switch format {
        case .float(let f): return f.encode(x, rule: rule, overflow: overflow)
        case .integer(let i): return i.encode(x, rule: rule, overflow: integerOverflow)
        case .codebook(let c): return c.encode(x, rule: rule)
        }
    }

    /// Sorted distinct finite values of a format (both signs), as ExactValues.
    static func finiteValues(_ format: ScalarFormat) -> [ExactValue] {
        var values: [ExactValue] = []
        for code in 0..<(UInt64(1) << UInt64(format.bitWidth)) {
            let v = format.decode(code)
            if v.isFinite { values.append(v.isZero ? .zero(negative: false) : v) }
        }
        values.sort { ExactValue.compare($0, $1) < 0 }
        var unique: [ExactValue] = []
        for v in values where unique.last.map({ ExactValue.compare($0, v) != 0 }) ?? true { unique.append(v) }
        return unique
    }

    /// The exact midpoint of two finite values (needs one more bit than either).
    static func midpoint(_ a: ExactValue, _ b: ExactValue) -> ExactValue {
        let x = BigFloat(a), y = BigFloat(b)
        let s = BigFloat(precision: 256)
        s.add(x, y, rounding: .nearestEven)
        s.scale(s, byPowerOfTwo: -1)
        return s.exactValue!
    }
}
