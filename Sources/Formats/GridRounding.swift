/// The one rounding path every format uses (SoftFloat's single round-pack idea, style.md
/// lesson 1): round a finite magnitude `significand * 2^exponent` onto a grid with
/// `precision`-bit significands, a smallest-normal exponent and gradual, flushed or absent
/// underflow, under a `RoundingRule`.
///
/// The result is the rounded magnitude `result * 2^quantum` with `result < 2^precision`
/// (normalised so that a carry out moves to the next binade), plus which way it moved.
/// Overflow is *not* decided here: callers compare with their own largest finite value, because
/// OCP "fn" formats stop short of the binade's end (E4M3's 0x7F is NaN).
@usableFromInline
struct GridRounding: Sendable {
    @usableFromInline var significand: UInt64
    @usableFromInline var quantum: Int
    /// -1: magnitude rounded down, 0: exact, +1: magnitude rounded up.
    @usableFromInline var direction: Int

    @inlinable
    init(significand: UInt64, quantum: Int, direction: Int) {
        self.significand = significand
        self.quantum = quantum
        self.direction = direction
    }

    /// Drops the low `shift` (>= 1) bits of a magnitude and rounds by `rule`: the kept integer
    /// (possibly incremented) and the direction of the magnitude change (-1, 0, +1).
    @inlinable
    static func roundRight(_ significand: UInt64, by shift: Int, negative: Bool, rule: RoundingRule,
                           random: () -> UInt64) -> (kept: UInt64, direction: Int) {
        let kept: UInt64
        let remainder: UInt64
        let half: UInt64
        let belowHalfOnly: Bool
        if shift >= 64 {
            // The discarded part is the whole value, below 2^64 <= 2^shift.
            kept = 0
            remainder = significand
            half = shift == 64 ? 1 << 63 : 0
            belowHalfOnly = shift > 64
        } else {
            kept = significand >> UInt64(shift)
            remainder = significand & ((1 << UInt64(shift)) &- 1)
            half = 1 << UInt64(shift - 1)
            belowHalfOnly = false
        }
        if remainder == 0 { return (kept, 0) }
        let above = !belowHalfOnly && remainder > half
        let tie = !belowHalfOnly && remainder == half
        let up: Bool
        switch rule {
        case .toNearestOrEven: up = above || (tie && kept & 1 == 1)
        case .toNearestOrAwayFromZero: up = above || tie
        case .towardZero: up = false
        case .up: up = !negative
        case .down: up = negative
        case .toOdd: up = kept & 1 == 0
        case .stochastic(let bits):
            // The `bits` most significant discarded bits against `bits` random bits: rounds up
            // with probability floor(discarded fraction * 2^bits) / 2^bits.
            let fraction: UInt64
            if shift >= bits {
                fraction = shift - bits >= 64 ? 0 : remainder >> UInt64(shift - bits)
            } else {
                fraction = remainder << UInt64(bits - shift)
            }
            up = random() >> UInt64(64 - bits) < fraction
        }
        return (up ? kept + 1 : kept, up ? 1 : -1)
    }
}

/// How values below the smallest normal are represented.
public enum UnderflowMode: Sendable, Hashable {
    /// IEEE gradual underflow: exponent field 0 holds subnormals (and zero).
    case subnormal
    /// Exponent field 0 holds only ±0; tiny values round to 0 or the smallest normal.
    case flushToZero
    /// Exponent field 0 is an ordinary binade and there is no zero (OCP MX E8M0).
    case noZero
}

/// The grid a rounding targets (the integer counterpart of Reference's `BinaryFloatTarget`).
@usableFromInline
struct RoundingGrid: Sendable, Hashable {
    @usableFromInline let precision: Int
    @usableFromInline let minNormalExponent: Int
    @usableFromInline let underflow: UnderflowMode

    @inlinable
    init(precision: Int, minNormalExponent: Int, underflow: UnderflowMode) {
        self.precision = precision
        self.minNormalExponent = minNormalExponent
        self.underflow = underflow
    }

    /// Rounds the non-zero magnitude `significand * 2^exponent`.
    /// `random` supplies stochastic bits (only called for `.stochastic`).
    @inlinable
    func round(negative: Bool, significand: UInt64, exponent: Int, rule: RoundingRule,
               random: () -> UInt64) -> GridRounding {
        let binade = exponent + 63 - significand.leadingZeroBitCount
        if binade < minNormalExponent && underflow != .subnormal {
            return roundTiny(negative: negative, significand: significand, exponent: exponent, rule: rule, random: random)
        }
        let quantum = Swift.max(binade, underflow == .subnormal ? minNormalExponent : binade) - precision + 1
        if exponent >= quantum {
            return GridRounding(significand: significand << UInt64(exponent - quantum), quantum: quantum, direction: 0)
        }
        let (kept, direction) = GridRounding.roundRight(significand, by: quantum - exponent, negative: negative,
                                                        rule: rule, random: random)
        return normalised(kept, quantum, direction)
    }

    @inlinable
    func normalised(_ kept: UInt64, _ quantum: Int, _ direction: Int) -> GridRounding {
        if kept >> UInt64(precision) != 0 {
            return GridRounding(significand: kept >> 1, quantum: quantum + 1, direction: direction)
        }
        return GridRounding(significand: kept, quantum: quantum, direction: direction)
    }

    /// Below the smallest normal without subnormals: the neighbours are 0 (absent for `.noZero`)
    /// and 2^minNormalExponent.
    @inlinable
    func roundTiny(negative: Bool, significand: UInt64, exponent: Int, rule: RoundingRule,
                   random: () -> UInt64) -> GridRounding {
        let smallest = GridRounding(significand: 1 << UInt64(precision - 1),
                                    quantum: minNormalExponent - precision + 1, direction: 1)
        if underflow == .noZero { return smallest }
        let zero = GridRounding(significand: 0, quantum: minNormalExponent - precision + 1, direction: -1)
        let binade = exponent + 63 - significand.leadingZeroBitCount
        // Compare the magnitude with half the smallest normal, 2^(minNormal - 1).
        let isHalf = binade == minNormalExponent - 1 && significand & (significand &- 1) == 0
        let aboveHalf = binade == minNormalExponent - 1 && !isHalf
        let up: Bool
        switch rule {
        case .toNearestOrEven: up = aboveHalf
        case .toNearestOrAwayFromZero: up = aboveHalf || isHalf
        case .towardZero: up = false
        case .up: up = !negative
        case .down: up = negative
        case .toOdd: up = true
        case .stochastic(let bits):
            // Probability |x| / 2^minNormal, quantised down to `bits` bits (|x| < 2^minNormal,
            // so the fraction is below 2^bits).
            let s = exponent + bits - minNormalExponent
            let fraction: UInt64 = s >= 0 ? significand << UInt64(s) : (-s >= 64 ? 0 : significand >> UInt64(-s))
            up = random() >> UInt64(64 - bits) < fraction
        }
        return up ? smallest : zero
    }
}
