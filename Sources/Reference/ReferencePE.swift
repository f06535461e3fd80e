import Formats

/// Reference semantics of the PE array's processing elements (docs/pe-array.md, "Semantics"),
/// written from the definitions with MPFR values: products exact, every rounding, truncation,
/// alignment and wrap applied to values on their grids. Shares no code with `PEArrayEngine`
/// (weights arrive as their integer values; the BitMoD terms are derived here from the
/// definitions of radix-4 Booth digits and the two-term form).
public enum ReferencePE {
    static let wide = 256

    static func exact(_ x: BigFloat, plus y: BigFloat) -> BigFloat {
        let s = BigFloat(precision: wide)
        s.add(x, y, rounding: .nearestEven)
        return s
    }

    static func exactProduct(_ x: BigFloat, _ y: BigFloat) -> BigFloat {
        let p = BigFloat(precision: wide)
        p.multiply(x, y, rounding: .nearestEven)
        return p
    }

    static func binary16Value(_ code: UInt64) -> BigFloat { FormatReference.value(ofCode: code, in: StandardFormats.fp16) }

    static func round(_ x: BigFloat, _ target: BinaryFloatTarget) -> BigFloat { x.rounded(to: target, rounding: .nearestEven).value }

    // MARK: FP16 MAC, FP16 x integer

    /// FP16 x FP16 products added in order into an FP16 (product rounded to FP16 first) or FP32
    /// (product exact) accumulator starting at +0, nearest-even, overflow to infinity.
    public static func fp16MAC(activations: [UInt64], weights: [UInt64], fp32Accumulator: Bool) -> String {
        var acc = BigFloat(0)
        for (x, w) in zip(activations, weights) {
            let p = exactProduct(binary16Value(x), binary16Value(w))
            acc = fp32Accumulator ? round(exact(acc, plus: p), .binary32) : round(exact(acc, plus: round(p, .binary16)), .binary16)
        }
        return acc.hexString
    }

    /// FP16 activation x integer weight value, the product rounded to FP16, added into FP16.
    public static func fp16Int(activations: [UInt64], weightValues: [Int]) -> String {
        var acc = BigFloat(0)
        for (x, w) in zip(activations, weightValues) {
            acc = round(exact(acc, plus: round(exactProduct(binary16Value(x), BigFloat(w)), .binary16)), .binary16)
        }
        return acc.hexString
    }

    // MARK: INT MAC

    /// The exact integer dot product wrapped to 32-bit two's complement.
    public static func intMAC(activations: [Int64], weights: [Int64]) -> String {
        String(ExactInteger.wrapped(ExactInteger.dot(activations, weights)!, toBits: 32))
    }

    // MARK: L-Mul

    /// L-Mul products (arXiv:2410.00907 eq. 3, with the integer adder's carry): for normal x =
    /// (1 + x_m) 2^x_e and y = (1 + y_m) 2^y_e, F = x_m + y_m + 2^-l(m) and the product is
    /// (1 + F - floor(F)) 2^(x_e + y_e + floor(F)), sign XOR; a zero or subnormal operand gives a
    /// signed zero, NaN NaN, infinity infinity (times zero: NaN). Added in order into FP16 or FP32.
    public static func lmul(activations: [UInt64], weights: [UInt64], a: MiniFloatFormat, b: MiniFloatFormat, fp32Accumulator: Bool) -> String {
        let m = Swift.max(a.mantissaBits, b.mantissaBits)
        let l = m <= 3 ? m : (m == 4 ? 3 : 4)
        var acc = BigFloat(0)
        for (xc, wc) in zip(activations, weights) {
            let x = FormatReference.value(ofCode: xc, in: a), y = FormatReference.value(ofCode: wc, in: b)
            let p = BigFloat(precision: wide)
            let negative = x.isNegative != y.isNegative
            if x.isNaN || y.isNaN {
                p.setNaN()
            } else if x.isInfinite || y.isInfinite {
                if isZeroForLMul(x, a) || isZeroForLMul(y, b) { p.setNaN() } else { p.setInfinity(negative: negative) }
            } else if isZeroForLMul(x, a) || isZeroForLMul(y, b) {
                p.setZero(negative: negative)
            } else {
                // x = (1 + x_m) 2^x_e: MPFR's exponent is x_e + 1.
                let xe = x.mpfrExponent! - 1, ye = y.mpfrExponent! - 1
                let f = BigFloat(precision: wide)
                f.add(fraction(x, xe), fraction(y, ye), rounding: .nearestEven)
                f.add(f, BigFloat.powerOfTwo(-l), rounding: .nearestEven)
                let whole = BigFloat(precision: wide)
                whole.setTruncated(f, toMultipleOfPowerOfTwo: 0)
                let carry = Int(whole.int128Value!)
                p.subtract(f, whole, rounding: .nearestEven)
                p.add(p, BigFloat(1), rounding: .nearestEven)
                p.scale(p, byPowerOfTwo: xe + ye + carry)
                if negative { p.negate(p) }
            }
            acc = round(exact(acc, plus: p), fp32Accumulator ? .binary32 : .binary16)
        }
        return acc.hexString
    }

    /// |x| / 2^e - 1: the mantissa fraction of a normal value of binade e.
    static func fraction(_ x: BigFloat, _ e: Int) -> BigFloat {
        let f = BigFloat(precision: wide)
        f.scale(x, byPowerOfTwo: -e)
        if f.isNegative { f.negate(f) }
        f.subtract(f, BigFloat(1), rounding: .nearestEven)
        return f
    }

    /// Zero or below the format's smallest normal (L-Mul has no subnormal path).
    static func isZeroForLMul(_ x: BigFloat, _ f: MiniFloatFormat) -> Bool {
        if x.isZero { return true }
        guard let e = x.mpfrExponent else { return false }
        return e - 1 < 1 - f.bias
    }
}
