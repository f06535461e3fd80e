import CMPFR
import Formats

extension FormatReference {
    /// Rounds x to an integer with MPFR (`mpfr_rint` in the native modes; ties away composed
    /// from toward-zero/away results and an exact midpoint test; to odd from toward-zero and
    /// away-from-zero).
    /// Runs inside a flag-preserving scope: `mpfr_rint` raises inexact, and callers' flags stay
    /// as they were.
    static func roundToInteger(_ x: BigFloat, rule: RoundingRule) -> (BigFloat, Ternary) {
        MPFRExponentRange.preservingFlags { roundToIntegerRaisingFlags(x, rule: rule) }
    }

    private static func roundToIntegerRaisingFlags(_ x: BigFloat, rule: RoundingRule) -> (BigFloat, Ternary) {
        func rint(_ mode: MPFRRounding) -> (BigFloat, Ternary) {
            let r = BigFloat(precision: Swift.max(x.precision, 64) + 2)
            let t = mpfr_rint(r.pointer, x.pointer, mode.mode)
            return (r, Ternary(sign: Int(t)))
        }
        switch rule {
        case .toNearestOrEven: return rint(.nearestEven)
        case .towardZero: return rint(.towardZero)
        case .up: return rint(.up)
        case .down: return rint(.down)
        case .toNearestOrAwayFromZero:
            let r = BigFloat(precision: Swift.max(x.precision, 64) + 2)
            let t = mpfr_round(r.pointer, x.pointer)  // MPFR: nearest, ties away from zero
            return (r, Ternary(sign: Int(t)))
        case .toOdd:
            let z = rint(.towardZero)
            if z.1 == .exact { return z }
            let isOdd = mpfr_integer_p(z.0.pointer) != 0 && {
                let h = BigFloat(precision: z.0.precision)
                h.scale(z.0, byPowerOfTwo: -1)
                return mpfr_integer_p(h.pointer) == 0
            }()
            return isOdd ? z : rint(.awayFromZero)
        case .stochastic:
            preconditionFailure("stochastic rounding has no deterministic reference")
        }
    }

    /// Converts `x` to an integer format: divide by 2^scaleExponent exactly, round (bipolar:
    /// k = round((y + 1) / 2), value 2k - 1), then saturate or wrap in Int128.
    public static func round(_ x: ExactValue, to f: IntegerFormat, rule: RoundingRule,
                             overflow: IntegerOverflow) -> Outcome {
        let bits = f.bitWidth
        let (low, high, modulus): (Int128, Int128, Int128)
        switch f.encoding {
        case .twosComplement: (low, high, modulus) = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1, 1 << bits)
        case .unsigned: (low, high, modulus) = (0, (1 << bits) - 1, 1 << bits)
        case .signMagnitude, .symmetric: (low, high, modulus) = (-((1 << (bits - 1)) - 1), (1 << (bits - 1)) - 1, (1 << bits) - 1)
        case .bipolar: (low, high, modulus) = (-((1 << bits) - 1), (1 << bits) - 1, 1 << bits)
        }
        func outcome(_ v: Int128, _ flags: ConversionFlags) -> Outcome {
            let value = BigFloat(negative: v < 0, limbs: [UInt64(truncatingIfNeeded: v.magnitude),
                                                          UInt64(truncatingIfNeeded: v.magnitude >> 64)],
                                 exponent: f.scaleExponent)
            let cmp = x.isNaN ? 0 : BigFloat.compare(value, BigFloat(x))!
            return Outcome(value: value, ternary: Ternary(sign: cmp), flags: flags)
        }
        if x.isNaN { return outcome(f.encoding == .bipolar ? 1 : 0, .invalid) }
        if x.isInfinite { return outcome(x.isNegative ? low : high, [.overflow, .inexact]) }
        let y = BigFloat(x)
        y.scale(y, byPowerOfTwo: -f.scaleExponent)
        let rounded: BigFloat
        let ternary: Ternary
        if f.encoding == .bipolar {
            let shifted = BigFloat(precision: y.precision + (y.mpfrExponent.map { Swift.max(0, 64 - $0) } ?? 0) + 130)
            shifted.add(y, BigFloat(1), rounding: .nearestEven)
            shifted.scale(shifted, byPowerOfTwo: -1)
            let (k, t) = roundToInteger(shifted, rule: rule)
            let v = BigFloat(precision: k.precision + 2)
            v.scale(k, byPowerOfTwo: 1)
            v.add(v, BigFloat(-1), rounding: .nearestEven)
            (rounded, ternary) = (v, t)
        } else {
            (rounded, ternary) = roundToInteger(y, rule: rule)
        }
        var flags: ConversionFlags = ternary == .exact ? [] : .inexact
        // At 2^120 and beyond the integer is not formed: saturate under both policies.
        if let e = rounded.mpfrExponent, e > 120 {
            return outcome(rounded.isNegative ? low : high, flags.union([.overflow, .inexact]))
        }
        var integer = rounded.int128Value!
        if integer < low || integer > high {
            flags.formUnion([.overflow, .inexact])
            switch overflow {
            case .saturate:
                integer = integer < low ? low : high
            case .wrap:
                if f.encoding == .bipolar {
                    var k = ((integer + high) / 2) % modulus
                    if k < 0 { k += modulus }
                    integer = 2 * k - high
                } else {
                    var r = (integer - low) % modulus
                    if r < 0 { r += modulus }
                    integer = r + low
                }
            }
        }
        return outcome(integer, flags)
    }

    /// Converts `x` to a codebook by brute force: exact distances to every value with MPFR.
    public static func round(_ x: ExactValue, to c: CodebookFormat, rule: RoundingRule) -> Outcome {
        Codebook(c).round(x, rule: rule)
    }

    /// The reference for one codebook, with its values sorted once.
    public struct Codebook {
        let book: CodebookFormat
        let entries: [(BigFloat, UInt64)]

        public init(_ c: CodebookFormat) {
            book = c
            var entries: [(BigFloat, UInt64)] = []
            for (code, v) in c.values.enumerated() {
                guard let v else { continue }
                let b = BigFloat(v)
                if !entries.contains(where: { BigFloat.compare($0.0, b) == 0 }) { entries.append((b, UInt64(code))) }
            }
            entries.sort { BigFloat.compare($0.0, $1.0)! < 0 }
            self.entries = entries
        }

        public func round(_ x: ExactValue, rule: RoundingRule) -> Outcome {
            if x.isNaN {
                let zero = entries.min { BigFloat.compare(absolute($0.0), absolute($1.0))! < 0 }!
                return Outcome(value: zero.0, ternary: .exact, flags: .invalid)
            }
            let input = BigFloat(x)
            if let exact = entries.first(where: { BigFloat.compare($0.0, input) == 0 }) {
                return Outcome(value: exact.0, ternary: .exact, flags: [])
            }
            let below = entries.last { BigFloat.compare($0.0, input)! < 0 }
            let above = entries.first { BigFloat.compare($0.0, input)! > 0 }
            guard let below else { return Outcome(value: above!.0, ternary: .roundedUp, flags: x.isInfinite ? .inexact : [.inexact, .overflow]) }
            guard let above else { return Outcome(value: below.0, ternary: .roundedDown, flags: x.isInfinite ? .inexact : [.inexact, .overflow]) }
            // 2x - below - above, exactly (inputs have at most 64-bit significands).
            let twice = BigFloat(precision: input.precision + 1)
            twice.scale(input, byPowerOfTwo: 1)
            let sum = BigFloat(precision: 2200)
            sum.add(below.0, above.0, rounding: .nearestEven)
            let order = BigFloat.compare(twice, sum)!  // > 0: closer to above
            let pickAbove: Bool
            switch rule {
            case .up: pickAbove = true
            case .down: pickAbove = false
            case .towardZero: pickAbove = x.isNegative
            case .toOdd:
                let zeroward = x.isNegative ? above : below
                pickAbove = zeroward.1 & 1 == 1 ? x.isNegative : !x.isNegative
            case .toNearestOrAwayFromZero: pickAbove = order != 0 ? order > 0 : !x.isNegative
            case .toNearestOrEven:
                if order != 0 { pickAbove = order > 0 } else {
                    switch book.tie {
                    case .lowerValue: pickAbove = false
                    case .evenCode: pickAbove = above.1 & 1 == 0
                    case .awayFromZero: pickAbove = !x.isNegative
                    }
                }
            case .stochastic: preconditionFailure("stochastic rounding has no deterministic reference")
            }
            return Outcome(value: pickAbove ? above.0 : below.0, ternary: pickAbove ? .roundedUp : .roundedDown, flags: .inexact)
        }
    }
}
