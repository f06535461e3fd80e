import CMPFR
import Formats

/// The result of rounding to a `BinaryFloatTarget` with MPFR.
public struct ReferenceRounding {
    /// The rounded value (±Inf on overflow, as IEEE's default; format policies apply on top).
    public let value: BigFloat
    public let ternary: Ternary
    public let overflow: Bool
    /// Inexact and tiny, with tininess detected *before* rounding (|exact| < 2^minNormal), one
    /// of the two detections IEEE 754-2019 §7.5 allows; `Formats` uses the same rule.
    public let underflow: Bool
}

extension BigFloat {
    /// Rounds `self` to `target` with one of MPFR's native modes: round to `precision` bits in
    /// the unbounded range, then `mpfr_check_range` and `mpfr_subnormalize` (which use the
    /// ternary value to avoid double rounding) inside a narrowed exponent range that is restored
    /// afterwards together with the flags (MPFR manual §4.5, `mpfr_subnormalize` example).
    public func rounded(to target: BinaryFloatTarget, rounding: MPFRRounding) -> ReferenceRounding {
        let r = BigFloat(precision: target.precision)
        // The first rounding happens in the thread's (wide) range and raises MPFR's inexact
        // flag, so it too runs inside a flag-preserving scope: callers see their flags intact.
        var t: Int32 = 0
        let flags = MPFRExponentRange.preservingFlags {
            t = mpfr_set(r.pointer, pointer, rounding.mode)
            return MPFRExponentRange.with(emin: target.mpfrEmin, emax: target.mpfrEmax) {
                t = mpfr_check_range(r.pointer, t, rounding.mode)
                if target.subnormals { t = mpfr_subnormalize(r.pointer, t, rounding.mode) }
                return MPFRExponentRange.raised
            }
        }
        let tiny = isFinite && !isZero && mpfrExponent! - 1 < target.minNormalExponent
        return ReferenceRounding(value: r, ternary: Ternary(sign: Int(t)),
                                 overflow: flags.overflow, underflow: t != 0 && tiny)
    }

    /// Rounds `self` to `target` with any deterministic `RoundingRule`. MPFR's native modes are
    /// used directly; ties-away and to-odd are composed from the toward-zero and away-from-zero
    /// results, both computed by MPFR:
    /// - ties away: the away result when `self` is exactly their midpoint, else nearest-even's;
    /// - to odd: the toward-zero result when exact or when its integral significand on the
    ///   target's grid is odd, else the away result (Boldo & Melquiond 2008).
    /// Stochastic rounding has no reference here (tests check its statistics instead).
    public func rounded(to target: BinaryFloatTarget, rule: RoundingRule) -> ReferenceRounding {
        switch rule {
        case .toNearestOrEven: return rounded(to: target, rounding: .nearestEven)
        case .towardZero: return rounded(to: target, rounding: .towardZero)
        case .up: return rounded(to: target, rounding: .up)
        case .down: return rounded(to: target, rounding: .down)
        case .toNearestOrAwayFromZero:
            let z = rounded(to: target, rounding: .towardZero)
            if z.ternary == .exact { return z }
            let a = rounded(to: target, rounding: .awayFromZero)
            let upper = a.value.isInfinite ? BigFloat.powerOfTwo(target.maxExponent + 1, negative: isNegative) : a.value
            let midpoint = BigFloat(precision: target.precision + 8)
            precondition(midpoint.add(z.value, upper, rounding: .nearestEven) == .exact)
            midpoint.scale(midpoint, byPowerOfTwo: -1)
            return BigFloat.compare(self, midpoint) == 0 ? a : rounded(to: target, rounding: .nearestEven)
        case .toOdd:
            let z = rounded(to: target, rounding: .towardZero)
            if z.ternary == .exact || z.value.hasOddSignificand(on: target) { return z }
            return rounded(to: target, rounding: .awayFromZero)
        case .stochastic:
            preconditionFailure("stochastic rounding has no deterministic reference")
        }
    }

    /// ±2^n, exact.
    public static func powerOfTwo(_ n: Int, negative: Bool = false) -> BigFloat {
        BigFloat(negative: negative, significand: 1, exponent: n)
    }

    /// Whether the integral significand of this value on `target`'s grid is odd (zero is even).
    func hasOddSignificand(on target: BinaryFloatTarget) -> Bool {
        guard let (limbs, exponent) = exactLimbs, let e = mpfrExponent else { return false }
        let quantum = target.quantumExponent(atBinade: e - 1)
        let index = quantum - exponent
        guard index >= 0, index / 64 < limbs.count else { return false }
        return (limbs[index / 64] >> UInt64(index % 64)) & 1 == 1
    }
}
