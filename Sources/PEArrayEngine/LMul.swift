import EngineKit
import Formats

/// L-Mul (Luo and Sun, "Addition is All You Need for Energy-efficient Language Models",
/// arXiv:2410.00907): the product of x = (1 + x_m) 2^x_e and y = (1 + y_m) 2^y_e approximated
/// by (1 + x_m + y_m + 2^-l(m)) 2^(x_e + y_e), with l(m) = m for m <= 3, 3 for m = 4 and 4 for
/// m > 4 (m the mantissa bits). The hardware does it with one integer addition of the operands'
/// exponent-and-mantissa fields (minus the bias, plus the offset), so a mantissa carry raises
/// the exponent (the paper's "automatic carry handling"): when x_m + y_m + 2^-l >= 1 the result
/// is (x_m + y_m + 2^-l) 2^(x_e + y_e + 1). Zeros and subnormals (exponent field 0) give zero;
/// NaN gives NaN, infinities infinity (times zero: NaN).
public struct LMul: Sendable {
    /// One operand code decoded once: its class, sign, unbiased exponent and mantissa field
    /// widened to the shared mantissa width.
    struct Fields: Sendable {
        enum Kind: UInt8, Sendable { case zero, normal, infinity, nan }
        var kind: Kind
        var negative: Bool
        var exponent: Int32
        var mantissa: Int32
    }

    public let a: MiniFloatFormat
    public let b: MiniFloatFormat
    /// The shared mantissa width m (the wider of the two; the narrower operand's field is
    /// extended with zeros) and l(m).
    public let mantissaBits: Int
    public let offsetBits: Int
    let fieldsA: [Fields]
    let fieldsB: [Fields]

    public init(a: MiniFloatFormat, b: MiniFloatFormat) {
        self.a = a
        self.b = b
        let m = Swift.max(a.mantissaBits, b.mantissaBits)
        mantissaBits = m
        offsetBits = Self.l(m)
        fieldsA = Self.table(a, mantissaBits: m)
        fieldsB = Self.table(b, mantissaBits: m)
    }

    public static func l(_ m: Int) -> Int { m <= 3 ? m : (m == 4 ? 3 : 4) }

    /// Every code of a format (at most 16 bits) decoded.
    static func table(_ f: MiniFloatFormat, mantissaBits m: Int) -> [Fields] {
        (0..<(1 << f.bitWidth)).map { c in
            let code = UInt64(c)
            let v = f.decode(code)
            let negative = v.isNegative
            if v.isNaN { return Fields(kind: .nan, negative: negative, exponent: 0, mantissa: 0) }
            if v.isInfinite { return Fields(kind: .infinity, negative: negative, exponent: 0, mantissa: 0) }
            let field = Int((code >> UInt64(f.mantissaBits)) & BitMask.low(f.exponentBits))
            if v.isZero || (field == 0 && f.underflow != .noZero) { return Fields(kind: .zero, negative: negative, exponent: 0, mantissa: 0) }
            let mantissa = Int(code & BitMask.low(f.mantissaBits)) << (m - f.mantissaBits)
            return Fields(kind: .normal, negative: negative, exponent: Int32(field - f.bias), mantissa: Int32(mantissa))
        }
    }

    /// The L-Mul product as an exact binary64 value.
    public func product(_ x: UInt64, _ y: UInt64) -> Double {
        let p = fieldsA[Int(x)], q = fieldsB[Int(y)]
        let negative = p.negative != q.negative
        if p.kind == .normal && q.kind == .normal {
            // One integer addition: the fields as fixed point (exponent << m | mantissa), plus 2^(m - l).
            let m = mantissaBits
            let sum = (Int(p.exponent) + Int(q.exponent)) << m + Int(p.mantissa) + Int(q.mantissa) + (1 << (m - offsetBits))
            let e = sum >> m
            let magnitude = Double((sum & ((1 << m) - 1)) + (1 << m)) * Double(sign: .plus, exponent: e - m, significand: 1)
            return negative ? -magnitude : magnitude
        }
        if p.kind == .nan || q.kind == .nan { return .nan }
        if p.kind == .infinity || q.kind == .infinity {
            return p.kind == .zero || q.kind == .zero ? .nan : (negative ? -.infinity : .infinity)
        }
        return negative ? -0.0 : 0.0
    }
}
