import Formats

/// An exact accumulator for sums of products (a Kulisch-style long accumulator): terms
/// `(-1)^s * significand * 2^exponent` with significands below 2^64 are added into 32-bit chunks
/// held in Int64 limbs (carry-save: up to 2^31 additions before normalisation), covering
/// exponents from `lowestExponent` upward. The exact sum is then rounded once with MPFR. Used
/// for accuracy metrics (the correctly rounded product of quantised inputs), not by engines.
public struct ExactAccumulator {
    public let lowestExponent: Int
    var limbs: [Int64]
    var additions = 0

    /// An accumulator for terms whose exponents (of the least significant bit) are at least
    /// `lowestExponent` and whose values are below 2^highestExponent in magnitude.
    public init(lowestExponent: Int, highestExponent: Int) {
        precondition(highestExponent > lowestExponent)
        self.lowestExponent = lowestExponent
        limbs = [Int64](repeating: 0, count: (highestExponent - lowestExponent) / 32 + 8)
    }

    public mutating func reset() {
        for i in limbs.indices { limbs[i] = 0 }
        additions = 0
    }

    /// Adds `(-1)^negative * significand * 2^exponent` exactly.
    public mutating func add(negative: Bool, significand: UInt64, exponent: Int) {
        if significand == 0 { return }
        let position = exponent - lowestExponent
        precondition(position >= 0, "term below the accumulator's range")
        let index = position >> 5, offset = UInt64(position & 31)
        precondition(index + 2 < limbs.count, "term above the accumulator's range")
        // significand << offset spans at most 96 bits: three 32-bit chunks.
        let low = significand << offset
        let high = offset == 0 ? 0 : significand >> (64 - offset)
        let c0 = Int64(low & 0xFFFF_FFFF), c1 = Int64(low >> 32), c2 = Int64(high)
        if negative {
            limbs[index] -= c0; limbs[index + 1] -= c1; limbs[index + 2] -= c2
        } else {
            limbs[index] += c0; limbs[index + 1] += c1; limbs[index + 2] += c2
        }
        additions += 1
        if additions >= 1 << 30 { normalise() }
    }

    /// Adds the exact product of two exact values.
    public mutating func addProduct(_ a: ExactValue, _ b: ExactValue) {
        guard a.isFinite, b.isFinite, !a.isZero, !b.isZero else { return }
        let (high, low) = a.significand.multipliedFullWidth(by: b.significand)
        let negative = a.isNegative != b.isNegative
        let e = a.exponent + b.exponent
        add(negative: negative, significand: low, exponent: e)
        if high != 0 { add(negative: negative, significand: high, exponent: e + 64) }
    }

    /// Propagates carries so that every limb but the top lies in [0, 2^32).
    mutating func normalise() {
        var carry: Int64 = 0
        for i in limbs.indices {
            let v = limbs[i] &+ carry
            limbs[i] = v & 0xFFFF_FFFF
            carry = v >> 32
        }
        limbs[limbs.count - 1] &+= carry << 32
        additions = 0
    }

    /// The exact sum as an MPFR value (the accumulator itself is unchanged).
    public func value() -> BigFloat {
        var copy = self
        return copy.extract()
    }

    mutating func extract() -> BigFloat {
        normalise()
        // The value is sum limbs[i] * 2^(32 i) with the top limb signed: negate every limb and
        // renormalise to get the magnitude of a negative total.
        let negative = limbs.last! < 0
        if negative {
            for i in limbs.indices { limbs[i] = -limbs[i] }
            normalise()
        }
        precondition(limbs.last! >= 0 && limbs.last! < 1 << 32, "accumulator range exceeded")
        var packed: [UInt64] = []
        var i = 0
        while i < limbs.count {
            packed.append(UInt64(limbs[i]) | (i + 1 < limbs.count ? UInt64(limbs[i + 1]) << 32 : 0))
            i += 2
        }
        return BigFloat(negative: negative, limbs: packed, exponent: lowestExponent)
    }
}
