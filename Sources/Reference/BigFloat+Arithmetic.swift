import CMPFR
import Formats

// Arithmetic with an explicit precision and rounding mode; every operation returns MPFR's
// ternary value (MPFR manual §5.5 "Arithmetic Functions").
extension BigFloat {
    /// `self = a + b`, rounded to `self.precision`.
    @discardableResult
    public func add(_ a: BigFloat, _ b: BigFloat, rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_add(pointer, a.pointer, b.pointer, rounding.mode)))
    }

    /// `self = a - b`, rounded to `self.precision`.
    @discardableResult
    public func subtract(_ a: BigFloat, _ b: BigFloat, rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_sub(pointer, a.pointer, b.pointer, rounding.mode)))
    }

    /// `self = a * b`, rounded to `self.precision`.
    @discardableResult
    public func multiply(_ a: BigFloat, _ b: BigFloat, rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_mul(pointer, a.pointer, b.pointer, rounding.mode)))
    }

    /// `self = a / b`, rounded to `self.precision`.
    @discardableResult
    public func divide(_ a: BigFloat, _ b: BigFloat, rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_div(pointer, a.pointer, b.pointer, rounding.mode)))
    }

    /// `self = a * b + c` with one rounding (`mpfr_fma`).
    @discardableResult
    public func fusedMultiplyAdd(_ a: BigFloat, _ b: BigFloat, _ c: BigFloat,
                                 rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_fma(pointer, a.pointer, b.pointer, c.pointer, rounding.mode)))
    }

    /// `self = x`, rounded to `self.precision`.
    @discardableResult
    public func set(_ x: BigFloat, rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_set(pointer, x.pointer, rounding.mode)))
    }

    /// `self = value` (rounded to `self.precision` if it has more bits).
    @discardableResult
    public func set(_ value: Int, rounding: MPFRRounding = .nearestEven) -> Ternary {
        Ternary(sign: Int(mpfr_set_si(pointer, value, rounding.mode)))
    }

    /// `self = -x` (exact when the precisions allow).
    @discardableResult
    public func negate(_ x: BigFloat, rounding: MPFRRounding = .nearestEven) -> Ternary {
        Ternary(sign: Int(mpfr_neg(pointer, x.pointer, rounding.mode)))
    }

    /// `self = x * 2^n` (`mpfr_mul_2si`): exact unless the result leaves the exponent range.
    @discardableResult
    public func scale(_ x: BigFloat, byPowerOfTwo n: Int, rounding: MPFRRounding = .nearestEven) -> Ternary {
        Ternary(sign: Int(mpfr_mul_2si(pointer, x.pointer, n, rounding.mode)))
    }

    /// Sets the value to zero with the given sign.
    public func setZero(negative: Bool = false) {
        mpfr_set_zero(pointer, negative ? -1 : 1)
    }

    /// Sets the value to an infinity.
    public func setInfinity(negative: Bool) {
        mpfr_set_inf(pointer, negative ? -1 : 1)
    }

    /// Sets the value to NaN.
    public func setNaN() { mpfr_set_nan(pointer) }

    // MARK: Functional forms

    /// `a + b` at `precision` bits.
    public static func sum(_ a: BigFloat, _ b: BigFloat, precision: Int,
                           rounding: MPFRRounding) -> (BigFloat, Ternary) {
        let r = BigFloat(precision: precision)
        let t = r.add(a, b, rounding: rounding)
        return (r, t)
    }

    /// `a * b` at `precision` bits.
    public static func product(_ a: BigFloat, _ b: BigFloat, precision: Int,
                               rounding: MPFRRounding) -> (BigFloat, Ternary) {
        let r = BigFloat(precision: precision)
        let t = r.multiply(a, b, rounding: rounding)
        return (r, t)
    }

    /// The exact product: precision is the sum of the operand precisions, so no rounding
    /// happens (the ternary is always `.exact` inside MPFR's exponent range).
    public static func exactProduct(_ a: BigFloat, _ b: BigFloat) -> BigFloat {
        let r = BigFloat(precision: a.precision + b.precision)
        let t = r.multiply(a, b, rounding: .nearestEven)
        precondition(t == .exact, "an exact product rounded")
        return r
    }

    /// `self = sum of terms`, correctly rounded to `self.precision` with `mpfr_sum` (never the
    /// experimental `mpfr_dot`, MPFR manual §5.5). The empty sum is +0.
    @discardableResult
    public func setSum(of terms: [BigFloat], rounding: MPFRRounding) -> Ternary {
        var pointers: [mpfr_ptr?] = terms.map { $0.pointer }
        let t = pointers.withUnsafeMutableBufferPointer { buffer in
            mpfr_sum(pointer, buffer.baseAddress, UInt(terms.count), rounding.mode)
        }
        return withExtendedLifetime(terms) { Ternary(sign: Int(t)) }
    }

    /// The correctly rounded sum of `terms` at `precision` bits.
    public static func sum(of terms: [BigFloat], precision: Int,
                           rounding: MPFRRounding) -> (BigFloat, Ternary) {
        let r = BigFloat(precision: precision)
        let t = r.setSum(of: terms, rounding: rounding)
        return (r, t)
    }

    /// `self = x` truncated toward zero to a multiple of 2^log2Quantum: the aligned truncation
    /// of a hardware aligner that drops the bits below its LSB (sign-magnitude truncation).
    /// Exact: the result needs no more bits than x (the receiver's precision is raised to x's
    /// when smaller).
    @discardableResult
    public func setTruncated(_ x: BigFloat, toMultipleOfPowerOfTwo log2Quantum: Int) -> Ternary {
        if precision < x.precision { mpfr_set_prec(pointer, mpfr_prec_t(x.precision)) }
        mpfr_set(pointer, x.pointer, MPFR_RNDN)  // exact at this precision
        if !isFinite || isZero { return .exact }
        mpfr_mul_2si(pointer, pointer, -log2Quantum, MPFR_RNDN)
        let t = mpfr_trunc(pointer, pointer)
        mpfr_mul_2si(pointer, pointer, log2Quantum, MPFR_RNDN)
        return Ternary(sign: Int(t))
    }
}
