import EngineKit
import Formats

/// L-Mul (Luo and Sun, "Addition is All You Need for Energy-efficient Language Models",
/// arXiv:2410.00907): the product of x = (1 + x_m) 2^x_e and y = (1 + y_m) 2^y_e approximated
/// by (1 + x_m + y_m + 2^-l(m)) 2^(x_e + y_e), with l(m) = m for m <= 3, 3 for m = 4 and 4 for
/// m > 4 (m the mantissa bits). The hardware does it with one integer addition of the operands'
/// exponent-and-mantissa fields (minus the bias, plus the offset), so a mantissa carry raises
/// the exponent (the paper's "automatic carry handling"): when x_m + y_m + 2^-l >= 1 the result
/// is (x_m + y_m + 2^-l) 2^(x_e + y_e + 1). Zeros and subnormals (exponent field 0) give zero;
/// NaN gives NaN, infinities infinity.
public struct LMul: Sendable {
    public let a: MiniFloatFormat
    public let b: MiniFloatFormat
    /// The shared mantissa width m (the wider of the two; the narrower operand's field is
    /// extended with zeros) and l(m).
    public let mantissaBits: Int
    public let offsetBits: Int

    public init(a: MiniFloatFormat, b: MiniFloatFormat) {
        self.a = a
        self.b = b
        mantissaBits = Swift.max(a.mantissaBits, b.mantissaBits)
        offsetBits = Self.l(mantissaBits)
    }

    public static func l(_ m: Int) -> Int { m <= 3 ? m : (m == 4 ? 3 : 4) }

    /// (exponent, significand over mantissaBits) of a code, or nil for zero/subnormal, and flags.
    @inlinable
    func fields(_ code: UInt64, _ f: MiniFloatFormat) -> (special: Double?, negative: Bool, exponent: Int, mantissa: Int)? {
        let v = f.decode(code)
        let negative = v.isNegative
        if v.isNaN { return (.nan, negative, 0, 0) }
        if v.isInfinite { return (negative ? -.infinity : .infinity, negative, 0, 0) }
        let field = Int((code >> UInt64(f.mantissaBits)) & BitMask.low(f.exponentBits))
        guard field != 0 || f.underflow == .noZero, !v.isZero else { return nil }
        let mantissa = Int(code & BitMask.low(f.mantissaBits)) << (mantissaBits - f.mantissaBits)
        return (nil, negative, field - f.bias, mantissa)
    }

    /// The L-Mul product as an exact binary64 value.
    @inlinable
    public func product(_ x: UInt64, _ y: UInt64) -> Double {
        let fx = fields(x, a), fy = fields(y, b)
        guard let p = fx, let q = fy else {
            // Zero times anything finite is zero; zero times infinity is NaN.
            if let p = fx, p.special?.isInfinite == true { return .nan }
            if let q = fy, q.special?.isInfinite == true { return .nan }
            if fx?.special?.isNaN == true || fy?.special?.isNaN == true { return .nan }
            return (fx?.negative ?? a.decode(x).isNegative) != (fy?.negative ?? b.decode(y).isNegative) ? -0.0 : 0.0
        }
        let negative = p.negative != q.negative
        if p.special != nil || q.special != nil {
            if p.special!.isNaN || q.special?.isNaN == true { return .nan }
            return negative ? -.infinity : .infinity
        }
        // One integer addition: the fields as fixed point (exponent << m | mantissa), plus 2^(m - l).
        let m = mantissaBits
        var sum = (p.exponent + q.exponent) << m + p.mantissa + q.mantissa + (1 << (m - offsetBits))
        // sum encodes e << m | f (f < 2^m), the carry already in e.
        let e = sum >> m
        sum &= (1 << m) - 1
        let magnitude = Double(sum + (1 << m)) * Double(sign: .plus, exponent: e - m, significand: 1)
        return negative ? -magnitude : magnitude
    }
}
