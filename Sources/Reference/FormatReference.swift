import CMPFR
import Formats

/// Reference semantics of the `Formats` conversions, written from the specifications with MPFR:
/// values from bit fields, rounding by `BigFloat.rounded(to:rule:)` (exponent range,
/// `mpfr_subnormalize`), then each format's special-value and overflow policy applied on top.
/// Only format *parameters* are read from `Formats`, never its encode/decode code.
public enum FormatReference {
    /// A reference conversion result: the value (NaN, ±Inf or finite), its ternary and flags.
    public struct Outcome: CustomStringConvertible {
        public let value: BigFloat
        public let ternary: Ternary
        public let flags: ConversionFlags
        public var description: String { "\(value.hexString) (\(ternary), \(flags))" }
    }

    // MARK: Minifloats

    /// The value of a code, from its bit fields (IEEE 754-2019 §3.4; OFP8; OCP MX; FNUZ).
    public static func value(ofCode code: UInt64, in f: MiniFloatFormat) -> BigFloat {
        let m = UInt64(f.mantissaBits), e = UInt64(f.exponentBits)
        let negative = f.isSigned && (code >> (m + e)) & 1 == 1
        let field = Int((code >> m) & ((1 << e) - 1))
        let mantissa = code & ((1 << m) - 1)
        let allOnesField = (1 << f.exponentBits) - 1
        let result = BigFloat(precision: 64)
        switch f.specials {
        case .ieee where field == allOnesField:
            if mantissa == 0 { result.setInfinity(negative: negative) } else { result.setNaN() }
            return result
        case .finiteWithNaN where field == allOnesField && mantissa == (1 << m) - 1:
            result.setNaN()
            return result
        case .finiteUnsignedZero where negative && field == 0 && mantissa == 0:
            result.setNaN()
            return result
        default: break
        }
        if field == 0 && f.underflow == .flushToZero {
            result.setZero(negative: negative)
            return result
        }
        let isSubnormal = field == 0 && f.underflow == .subnormal
        let significand = isSubnormal ? mantissa : mantissa | (1 << m)
        let exponent = (isSubnormal ? 1 : field) - f.bias - f.mantissaBits
        mpfr_set_ui_2exp(result.pointer, UInt(significand), exponent, MPFR_RNDN)
        if negative { result.negate(result) }
        if significand == 0 && negative { result.setZero(negative: true) }
        return result
    }

    /// The largest finite magnitude, from the spec of each special-value policy.
    public static func largestFinite(_ f: MiniFloatFormat) -> BigFloat {
        let m = f.mantissaBits
        let top = (1 << f.exponentBits) - 1
        let (field, mantissa): (Int, UInt64)
        switch f.specials {
        case .ieee: (field, mantissa) = (top - 1, (1 << UInt64(m)) - 1)
        case .finiteWithNaN: (field, mantissa) = m == 0 ? (top - 1, 0) : (top, (1 << UInt64(m)) - 2)
        case .finiteUnsignedZero, .none: (field, mantissa) = (top, (1 << UInt64(m)) - 1)
        }
        return BigFloat(negative: false, significand: mantissa | (1 << UInt64(m)), exponent: field - f.bias - m)
    }

    /// The rounding target MPFR uses for `f`: the binade of the largest finite value is the top.
    public static func target(for f: MiniFloatFormat) -> BinaryFloatTarget {
        let maxBinade = largestFinite(f).mpfrExponent! - 1
        let minNormal = f.underflow == .noZero ? -f.bias : 1 - f.bias
        return BinaryFloatTarget(precision: f.mantissaBits + 1, minNormalExponent: minNormal,
                                 maxExponent: maxBinade, subnormals: f.underflow == .subnormal)
    }

    /// Converts `x` to `f` with `rule` (deterministic rules only) and `overflow`.
    public static func round(_ x: ExactValue, to f: MiniFloatFormat, rule: RoundingRule,
                             overflow: OverflowPolicy) -> Outcome {
        MiniFloat(f).round(x, rule: rule, overflow: overflow)
    }

    /// The reference for one minifloat format, with its MPFR target and largest finite value
    /// computed once.
    public struct MiniFloat {
        public let format: MiniFloatFormat
        public let target: BinaryFloatTarget
        let largest: BigFloat
        let hasNaN: Bool
        let hasInf: Bool
        let hasNegativeZero: Bool

        public init(_ f: MiniFloatFormat) {
            format = f
            largest = FormatReference.largestFinite(f)
            target = FormatReference.target(for: f)
            hasNaN = f.specials != .none
            hasInf = f.specials == .ieee
            hasNegativeZero = f.isSigned && f.specials != .finiteUnsignedZero && f.underflow != .noZero
        }

        public func round(_ x: ExactValue, rule: RoundingRule, overflow: OverflowPolicy) -> Outcome {
            round(x, BigFloat(x), rule: rule, overflow: overflow)
        }

        /// `input` must be the value of `x` (callers converting once for many rules pass it).
        public func round(_ x: ExactValue, _ input: BigFloat, rule: RoundingRule, overflow: OverflowPolicy) -> Outcome {
            let f = format
            if x.isNaN {
                if hasNaN { return Outcome(value: BigFloat(precision: 2), ternary: .exact, flags: []) }
                let z = BigFloat(precision: 2)
                z.setZero(negative: hasNegativeZero)
                return Outcome(value: z, ternary: .exact, flags: .invalid)
            }
            if x.isNegative && !f.isSigned && !x.isZero {
                return hasNaN ? Outcome(value: BigFloat(precision: 2), ternary: .exact, flags: .invalid)
                    : Outcome(value: BigFloat(0), ternary: .exact, flags: .invalid)
            }
            if x.isInfinite {
                return FormatReference.overflowOutcome(x, largest: largest, hasInf: hasInf, hasNaN: hasNaN, rule: rule,
                                                       overflow: overflow, fromInfinity: true)
            }
            if x.isZero {
                if f.underflow == .noZero {
                    let smallest = BigFloat(negative: false, significand: 1, exponent: -f.bias)
                    return Outcome(value: smallest, ternary: .roundedUp, flags: [.inexact, .underflow])
                }
                let v = BigFloat(precision: 2)
                v.setZero(negative: x.isNegative && hasNegativeZero)
                return Outcome(value: v, ternary: .exact, flags: [])
            }
            var r = input.rounded(to: target, rule: rule)
            if f.underflow == .noZero && r.value.isZero {
                // No zero in the format: the smallest value is the only neighbour below 2^minNormal.
                let smallest = BigFloat(negative: x.isNegative, significand: 1, exponent: target.minNormalExponent)
                r = ReferenceRounding(value: smallest, ternary: x.isNegative ? .roundedDown : .roundedUp,
                                      overflow: false, underflow: true)
            }
            if r.overflow || r.value.isInfinite || mpfr_cmpabs(r.value.pointer, largest.pointer) > 0 {
                return FormatReference.overflowOutcome(x, largest: largest, hasInf: hasInf, hasNaN: hasNaN, rule: rule,
                                                       overflow: overflow, fromInfinity: false)
            }
            var flags: ConversionFlags = r.ternary == .exact ? [] : .inexact
            if r.underflow { flags.insert(.underflow) }
            if r.value.isZero { r.value.setZero(negative: x.isNegative && hasNegativeZero) }
            return Outcome(value: r.value, ternary: r.ternary, flags: flags)
        }
    }

    static func absolute(_ v: BigFloat) -> BigFloat {
        let a = v.copy()
        if a.isNegative { a.negate(a) }
        return a
    }

    /// OverflowPolicy semantics: saturate; else ±Inf (or NaN, or saturate, by what the format
    /// holds), except that toward-zero, to-odd, and up/down on the far side give ±largest.
    static func overflowOutcome(_ x: ExactValue, largest: BigFloat, hasInf: Bool, hasNaN: Bool, rule: RoundingRule,
                                overflow: OverflowPolicy, fromInfinity: Bool) -> Outcome {
        let negative = x.isNegative
        let flags: ConversionFlags = fromInfinity ? [] : [.overflow, .inexact]
        let directedToLargest: Bool
        switch rule {
        case .towardZero, .toOdd: directedToLargest = true
        case .up: directedToLargest = negative
        case .down: directedToLargest = !negative
        default: directedToLargest = false
        }
        let saturated = largest.copy()
        if negative { saturated.negate(saturated) }
        let saturatedOutcome = Outcome(value: saturated, ternary: negative ? .roundedUp : .roundedDown,
                                       flags: fromInfinity ? [.inexact] : flags)
        if overflow == .saturate || (directedToLargest && !fromInfinity) { return saturatedOutcome }
        if overflow == .infinity && hasInf {
            let inf = BigFloat(precision: 2)
            inf.setInfinity(negative: negative)
            return Outcome(value: inf, ternary: fromInfinity ? .exact : (negative ? .roundedDown : .roundedUp), flags: flags)
        }
        if hasNaN {
            return Outcome(value: BigFloat(precision: 2), ternary: .exact, flags: flags.union(fromInfinity ? .invalid : []))
        }
        return saturatedOutcome
    }
}
