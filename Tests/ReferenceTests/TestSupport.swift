import Formats

/// Seeded generators of "interesting" doubles for rounding tests: random bit patterns across a
/// target's whole range (subnormals and overflow included), exact midpoints between adjacent
/// target values, and values one binary64 ulp either side of those midpoints.
struct RoundingCaseGenerator {
    var rng: SeededGenerator
    let precision: Int
    let minNormalExponent: Int
    let maxExponent: Int

    init(seed: UInt64, precision: Int, minNormalExponent: Int, maxExponent: Int) {
        rng = SeededGenerator(seed: seed)
        self.precision = precision
        self.minNormalExponent = minNormalExponent
        self.maxExponent = maxExponent
    }

    mutating func next() -> Double {
        let kind = rng.next() % 8
        let negative = rng.next() & 1 == 1
        // Exponent spread: from well below the smallest subnormal to above the overflow point.
        let lowest = minNormalExponent - precision - 4
        let span = UInt64(maxExponent + 3 - lowest)
        let binade = lowest + Int(rng.next() % span)
        var value: Double
        switch kind {
        case 0, 1, 2:
            // Random 53-bit significand in the chosen binade.
            let significand = (rng.next() >> 11) | (1 << 52)
            value = Double(sign: .plus, exponent: binade - 52, significand: Double(significand))
        case 3, 4, 5:
            // Exact midpoint of the target grid in that binade, optionally nudged by one ulp.
            let quantum = max(binade, minNormalExponent) - precision + 1
            let steps = rng.next() % (1 << UInt64(min(precision, 20)))
            let base = Double(sign: .plus, exponent: binade, significand: 1)
                + Double(sign: .plus, exponent: quantum, significand: Double(steps))
            value = base + Double(sign: .plus, exponent: quantum - 1, significand: 1)
            if kind == 4 { value = value.nextUp }
            if kind == 5 { value = value.nextDown }
        case 6:
            // Raw random binary64 bit patterns (any exponent, subnormals of binary64 included).
            value = Double(bitPattern: rng.next() & 0x7FFF_FFFF_FFFF_FFFF)
            if value.isNaN { value = 1 }
        default:
            // Around the overflow threshold.
            let top = Double(sign: .plus, exponent: maxExponent + 1, significand: 1)
            let quantum = Double(sign: .plus, exponent: maxExponent - precision + 1, significand: 1)
            let choice = rng.next() % 5
            value = [top - quantum, top - quantum / 2, top - quantum / 2 + quantum / 4,
                     top, (top - quantum / 2).nextDown][Int(choice)]
        }
        return negative ? -value : value
    }
}
