/// Single correct roundings of binary64 values to narrower IEEE binary formats, to nearest even,
/// as a hardware rounder does them (integer operations on the bit fields): the FP16 adders and
/// converters of engines whose exact intermediate fits binary64.
public enum BinaryRounding {
    /// `x` rounded to nearest even into binary16: subnormals kept, overflow to ±Inf, NaN to 0x7E00.
    @inlinable
    public static func binary16(_ x: Double) -> UInt16 {
        let bits = x.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 48) & 0x8000
        let exponentField = Int((bits >> 52) & 0x7FF)
        let fraction = bits & 0x000F_FFFF_FFFF_FFFF
        if exponentField == 0x7FF { return fraction == 0 ? sign | 0x7C00 : 0x7E00 }
        if exponentField == 0 { return sign }  // binary64 subnormals are far below binary16's least value
        let e = exponentField - 1023
        let significand = fraction | (1 << 52)  // 53 bits, value significand * 2^(e - 52)
        // The result's quantum: 2^(e - 10) for normal binary16 results, 2^-24 below 2^-14.
        let quantumExponent = Swift.max(e, -14) - 10
        let shift = quantumExponent - (e - 52)  // bits below the quantum, >= 42
        if shift >= 64 { return sign }  // below half the least subnormal... unless exactly half? shift >= 64 means < 2^-25 * 2^-? (always < half)
        let kept = significand >> UInt64(shift)
        let remainder = significand & ((1 << UInt64(shift)) - 1)
        let half: UInt64 = 1 << UInt64(shift - 1)
        var q = kept
        if remainder > half || (remainder == half && q & 1 == 1) { q += 1 }
        // q * 2^quantumExponent; q may reach 2^11 (normal) or 2^10 (subnormal to normal).
        if e < -14 {
            // Subnormal range: q counts 2^-24 units; q == 1024 is the least normal (field 1).
            return sign | UInt16(q)
        }
        var biased = e + 15
        if q == 1 << 11 { q >>= 1; biased += 1 }
        if biased >= 31 { return sign | 0x7C00 }
        return sign | UInt16(biased) << 10 | UInt16(q & 0x3FF)
    }

    /// The value of a binary16 code.
    @inlinable
    public static func binary16Value(_ h: UInt16) -> Double {
        let sign: Double = h & 0x8000 != 0 ? -1 : 1
        let e = Int((h >> 10) & 0x1F), f = Double(h & 0x3FF)
        if e == 0x1F { return f == 0 ? sign * .infinity : .nan }
        if e == 0 { return sign * f * 0x1p-24 }
        return sign * (1024 + f) * Double(sign: .plus, exponent: e - 25, significand: 1)
    }
}
