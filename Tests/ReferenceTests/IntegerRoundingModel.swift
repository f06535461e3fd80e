import Formats
import Reference

/// An independent, integer-only model of rounding a binary64 value to a `BinaryFloatTarget`,
/// written for the tests from IEEE 754-2019 §4.3 and §7.4: it shares no code with MPFR or the
/// `Formats` rounding paths. The result is returned as a Double (every target here fits).
enum IntegerRoundingModel {
    static func round(_ x: Double, to target: BinaryFloatTarget, rounding: MPFRRounding) -> Double {
        if x.isNaN || x.isInfinite || x == 0 { return x }
        let bits = x.bitPattern
        let negative = bits >> 63 == 1
        let field = Int((bits >> 52) & 0x7FF)
        var significand = bits & ((1 << 52) - 1)
        var exponent: Int
        if field == 0 { exponent = -1074 } else { significand |= 1 << 52; exponent = field - 1075 }
        let binade = exponent + 63 - significand.leadingZeroBitCount
        let quantum = target.subnormals
            ? max(binade, target.minNormalExponent) - target.precision + 1
            : binade - target.precision + 1
        var kept: UInt64
        var increment = false
        if exponent >= quantum {
            kept = significand << UInt64(exponent - quantum)
        } else {
            let shift = quantum - exponent
            if shift >= 64 {
                // significand < 2^53 <= half: strictly below the midpoint, never exact.
                kept = 0
                increment = decide(rounding, negative: negative, oddKept: false,
                                   aboveHalf: false, isHalf: false)
            } else {
                kept = significand >> UInt64(shift)
                let remainder = significand & ((1 << UInt64(shift)) - 1)
                let half: UInt64 = 1 << UInt64(shift - 1)
                if remainder != 0 {
                    increment = decide(rounding, negative: negative, oddKept: kept & 1 == 1,
                                       aboveHalf: remainder > half, isHalf: remainder == half)
                }
            }
        }
        if increment { kept += 1 }
        // Without subnormals the only value below the smallest normal is zero: a tiny kept value
        // rounds to 0 or 2^minNormal by the same decision rule applied to that pair.
        if !target.subnormals, kept != 0 {
            let valueBinade = quantum + 63 - kept.leadingZeroBitCount
            if valueBinade < target.minNormalExponent {
                return flushed(x, target: target, rounding: rounding, negative: negative)
            }
        }
        var magnitude = Double(sign: .plus, exponent: quantum, significand: Double(kept))
        let limit = Double(sign: .plus, exponent: target.maxExponent + 1, significand: 1)
        if magnitude >= limit {
            let largest = limit - Double(sign: .plus, exponent: target.maxExponent - target.precision + 1, significand: 1)
            switch rounding {
            case .nearestEven, .awayFromZero: magnitude = .infinity
            case .towardZero: magnitude = largest
            case .up: magnitude = negative ? largest : .infinity
            case .down: magnitude = negative ? .infinity : largest
            }
        }
        return negative ? -magnitude : magnitude
    }

    private static func decide(_ rounding: MPFRRounding, negative: Bool, oddKept: Bool,
                               aboveHalf: Bool, isHalf: Bool) -> Bool {
        switch rounding {
        case .nearestEven: return aboveHalf || (isHalf && oddKept)
        case .towardZero: return false
        case .awayFromZero: return true
        case .up: return !negative
        case .down: return negative
        }
    }

    private static func flushed(_ x: Double, target: BinaryFloatTarget, rounding: MPFRRounding,
                                negative: Bool) -> Double {
        let smallest = Double(sign: .plus, exponent: target.minNormalExponent, significand: 1)
        let m = abs(x)
        if m >= smallest { return x }
        let up: Bool
        switch rounding {
        case .nearestEven: up = m > smallest / 2
        case .towardZero: up = false
        case .awayFromZero: up = true
        case .up: up = !negative
        case .down: up = negative
        }
        let magnitude = up ? smallest : 0
        return negative ? -magnitude : magnitude
    }
}
