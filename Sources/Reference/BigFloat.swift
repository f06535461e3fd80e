import CMPFR
import Formats

/// An owning, leak-free wrapper over one `mpfr_t` (GNU MPFR 4.2).
///
/// The class owns a heap-allocated `__mpfr_struct`, initialised with `mpfr_init2` and released
/// with `mpfr_clear` in `deinit`, so in-place operations (`x.add(x, y, ...)`) are legal and no
/// value can leak (oracles.md §5.2). Every operation takes its precision (the receiver's, or
/// an explicit one) and a rounding mode, and returns MPFR's ternary value.
///
/// A `BigFloat` is mutable and not `Sendable`: each thread builds its own values. MPFR's flags
/// and exponent range are per thread; functions here that change them restore them before
/// returning (`MPFRExponentRange`).
public final class BigFloat {
    @usableFromInline
    let pointer: UnsafeMutablePointer<__mpfr_struct>

    /// A NaN of the given precision (bits, `>= 1`).
    public init(precision: Int) {
        precondition(precision >= Int(quantsim_mpfr_prec_min()) &&
                     precision <= Int(quantsim_mpfr_prec_max()), "precision \(precision) out of range")
        pointer = .allocate(capacity: 1)
        mpfr_init2(pointer, mpfr_prec_t(precision))
    }

    deinit {
        mpfr_clear(pointer)
        pointer.deallocate()
    }

    /// Precision in bits.
    public var precision: Int { Int(mpfr_get_prec(pointer)) }

    /// Changes the precision, rounding the current value (`mpfr_prec_round`).
    @discardableResult
    public func setPrecision(_ bits: Int, rounding: MPFRRounding) -> Ternary {
        Ternary(sign: Int(mpfr_prec_round(pointer, mpfr_prec_t(bits), rounding.mode)))
    }

    // MARK: Construction

    /// An integer value, exact (64 bits of precision).
    public convenience init(_ value: Int) {
        self.init(precision: 64)
        mpfr_set_si(pointer, value, MPFR_RNDN)
    }

    /// A Double, exact (53 bits of precision).
    public convenience init(_ value: Double) {
        self.init(precision: 53)
        mpfr_set_d(pointer, value, MPFR_RNDN)
    }

    /// The exact value `(-1)^negative * significand * 2^exponent`; the precision is the
    /// significand's bit length (at least 1).
    public convenience init(negative: Bool, significand: UInt64, exponent: Int) {
        self.init(negative: negative, limbs: [significand], exponent: exponent)
    }

    /// The exact value `(-1)^negative * L * 2^exponent` for a little-endian 64-bit limb array L.
    public convenience init(negative: Bool, limbs: [UInt64], exponent: Int) {
        let top = limbs.lastIndex(where: { $0 != 0 })
        let bits = top.map { $0 * 64 + 64 - limbs[$0].leadingZeroBitCount } ?? 1
        self.init(precision: max(bits, 1))
        let t = limbs.map { CUnsignedLongLong($0) }.withUnsafeBufferPointer {
            quantsim_mpfr_set_limbs_2exp(pointer, $0.baseAddress, $0.count,
                                         negative ? 1 : 0, exponent, MPFR_RNDN)
        }
        precondition(t == 0, "exact construction must not round")
        if negative && top == nil { mpfr_setsign(pointer, pointer, 1, MPFR_RNDN) }
    }

    /// The exact value of an `ExactValue` (NaN and infinities included).
    public convenience init(_ value: ExactValue) {
        switch value.kind {
        case .nan:
            self.init(precision: 2)
        case .infinity:
            self.init(precision: 2)
            mpfr_set_inf(pointer, value.isNegative ? -1 : 1)
        case .finite:
            self.init(negative: value.isNegative, significand: value.significand,
                      exponent: value.exponent)
        }
    }

    /// Parses C99 hex-float text (`0x1.8p+3`, `-0x0p+0`, `nan`, `inf`) exactly: the precision
    /// is four bits per hex digit (at least `minimumPrecision`). `nil` if the text is not a hex
    /// float.
    public convenience init?(hexString: String, minimumPrecision: Int = 2) {
        let trimmed = hexString.trimmingCharacters()
        let lower = trimmed.lowercased()
        let unsigned = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
        if unsigned == "nan" || unsigned == "inf" || unsigned == "infinity" {
            self.init(precision: 2)
            if unsigned != "nan" { mpfr_set_inf(pointer, lower.hasPrefix("-") ? -1 : 1) }
            return
        }
        guard unsigned.hasPrefix("0x") else { return nil }
        let mantissa = unsigned.dropFirst(2).prefix { $0 != "p" }
        let digitCount = mantissa.filter { $0.isHexDigit }.count
        guard digitCount > 0, mantissa.allSatisfy({ $0.isHexDigit || $0 == "." }),
              mantissa.filter({ $0 == "." }).count <= 1 else { return nil }
        self.init(precision: max(minimumPrecision, 4 * digitCount))
        var end: UnsafeMutablePointer<CChar>? = nil
        let t = trimmed.withCString { start -> Int32 in
            let r = mpfr_strtofr(pointer, start, &end, 16, MPFR_RNDN)
            guard let end, end.pointee == 0 else { return Int32.min }
            return r
        }
        guard t != Int32.min else { return nil }
        precondition(t == 0, "hex parse at 4 bits per digit must be exact")
    }

    /// Parses decimal or hex text, rounding to `precision` bits with `rounding`; returns the
    /// value and the ternary. `nil` if the text is not a number.
    public static func parse(_ text: String, precision: Int,
                             rounding: MPFRRounding) -> (BigFloat, Ternary)? {
        let trimmed = text.trimmingCharacters()
        guard !trimmed.isEmpty else { return nil }
        let x = BigFloat(precision: precision)
        var end: UnsafeMutablePointer<CChar>? = nil
        let t = trimmed.withCString { start -> Int32? in
            let r = mpfr_strtofr(x.pointer, start, &end, 0, rounding.mode)
            guard let end, end.pointee == 0, end != UnsafeMutablePointer(mutating: start) else {
                return nil
            }
            return r
        }
        guard let t else { return nil }
        return (x, Ternary(sign: Int(t)))
    }

    /// A copy at the same precision.
    public func copy() -> BigFloat {
        let c = BigFloat(precision: precision)
        mpfr_set(c.pointer, pointer, MPFR_RNDN)
        return c
    }

    // MARK: Queries

    public var isNaN: Bool { mpfr_nan_p(pointer) != 0 }
    public var isInfinite: Bool { mpfr_inf_p(pointer) != 0 }
    public var isZero: Bool { mpfr_zero_p(pointer) != 0 }
    public var isFinite: Bool { mpfr_number_p(pointer) != 0 }
    /// The sign bit (true for -0 and negative values; false for NaN).
    public var isNegative: Bool { mpfr_nan_p(pointer) == 0 && mpfr_signbit(pointer) != 0 }

    /// Exponent e with |x| in [2^(e-1), 2^e) (MPFR convention), for regular values.
    public var mpfrExponent: Int? { mpfr_regular_p(pointer) != 0 ? Int(mpfr_get_exp(pointer)) : nil }

    /// The exact significand and exponent: |x| = limbs * 2^exponent (limbs little-endian).
    /// `nil` for zero, infinity and NaN.
    public var exactLimbs: (limbs: [UInt64], exponent: Int)? {
        guard mpfr_regular_p(pointer) != 0 else { return nil }
        let capacity = (precision + 63) / 64 + 1
        var buffer = [CUnsignedLongLong](repeating: 0, count: capacity)
        var exponent = 0
        let count = buffer.withUnsafeMutableBufferPointer {
            quantsim_mpfr_get_limbs_2exp(pointer, $0.baseAddress, capacity, &exponent)
        }
        guard count > 0 else { return nil }
        return (buffer.prefix(count).map { UInt64($0) }, exponent)
    }

    /// The value as an `ExactValue` when its significand fits 64 bits, else `nil`.
    public var exactValue: ExactValue? {
        if isNaN { return .nan }
        if isInfinite { return .infinity(negative: isNegative) }
        if isZero { return .zero(negative: isNegative) }
        guard let (limbs, exponent) = exactLimbs,
              let low = limbs.firstIndex(where: { $0 != 0 }),
              let high = limbs.lastIndex(where: { $0 != 0 }) else { return nil }
        let lowBit = low * 64 + limbs[low].trailingZeroBitCount
        let highBit = high * 64 + 63 - limbs[high].leadingZeroBitCount
        guard highBit - lowBit < 64 else { return nil }
        let word = lowBit / 64, offset = UInt64(lowBit % 64)
        var significand = limbs[word] >> offset
        if offset > 0, word + 1 < limbs.count { significand |= limbs[word + 1] << (64 - offset) }
        return ExactValue(negative: isNegative, significand: significand, exponent: exponent + lowBit)
    }

    /// The value as an Int128 when it is an integer of magnitude below 2^126, else `nil`.
    public var int128Value: Int128? {
        if isZero { return 0 }
        guard let (all, exponent) = exactLimbs else { return nil }
        var limbs = all[...], e = exponent
        while let first = limbs.first, first == 0 { limbs = limbs.dropFirst(); e += 64 }
        guard limbs.count <= 2, limbs.count < 2 || limbs.last! >> 62 == 0 else { return nil }
        var magnitude: Int128 = 0
        for (i, limb) in limbs.enumerated() { magnitude |= Int128(bitPattern: UInt128(limb) << (64 * i)) }
        if e < 0 {
            guard -e < 128, magnitude & ((Int128(1) << -e) - 1) == 0 else { return nil }
            magnitude >>= -e
        } else if e > 0 {
            guard e < 126, magnitude >> (126 - e) == 0 else { return nil }
            magnitude <<= e
        }
        return isNegative ? -magnitude : magnitude
    }

    /// Rounds to a Double once (`mpfr_get_d`, subnormals included).
    public func double(rounding: MPFRRounding = .nearestEven) -> Double {
        mpfr_get_d(pointer, rounding.mode)
    }

    /// Rounds to a Float once (`mpfr_get_flt`); never via Double (oracles.md §4).
    public func float(rounding: MPFRRounding = .nearestEven) -> Float {
        mpfr_get_flt(pointer, rounding.mode)
    }

    /// C99 hex-float text of the exact value (`0x1.8p+3`, `-0x0p+0`, `nan`, `inf`, `-inf`).
    public var hexString: String {
        if isNaN { return "nan" }
        if isInfinite { return isNegative ? "-inf" : "inf" }
        if isZero { return isNegative ? "-0x0p+0" : "0x0p+0" }
        let (limbs, exponent) = exactLimbs!
        return HexFloat.format(negative: isNegative, limbs: limbs, exponent: exponent)
    }

    /// Three-way comparison of values (NaN compares as unordered: `nil`).
    public static func compare(_ a: BigFloat, _ b: BigFloat) -> Int? {
        if a.isNaN || b.isNaN { return nil }
        return Int(mpfr_cmp(a.pointer, b.pointer)).signum()
    }
}

extension String {
    func trimmingCharacters() -> String {
        String(self.drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}

extension BigFloat {
    /// Parses decimal or hex text and rounds it to odd at `precision` bits (<= 64): the result
    /// is exact when the text's value fits, and otherwise still rounds correctly to any format of
    /// at most `precision - 2` bits (Boldo & Melquiond 2008). `nil` if the text is not a number.
    public static func parseRoundedToOdd(_ text: String, precision: Int = 62) -> ExactValue? {
        precondition((2...64).contains(precision))
        guard let (x, t) = parse(text, precision: precision, rounding: .towardZero) else { return nil }
        return x.settingStickyBit(t)
    }

    /// `a / b` rounded to odd at `precision` (<= 64) bits, as an exact value.
    public static func quotientRoundedToOdd(_ a: BigFloat, _ b: BigFloat, precision: Int = 62) -> ExactValue? {
        let q = BigFloat(precision: precision)
        let t = q.divide(a, b, rounding: .towardZero)
        return q.settingStickyBit(t)
    }

    /// Turns a toward-zero result with ternary `t` into the round-to-odd result.
    func settingStickyBit(_ t: Ternary) -> ExactValue? {
        if t != .exact, isFinite, !isZero, let (limbs, _) = exactLimbs, limbs[0] & 1 == 0 {
            if isNegative { mpfr_nextbelow(pointer) } else { mpfr_nextabove(pointer) }
        } else if t != .exact && isZero {
            return nil
        }
        return exactValue
    }
}

extension BigFloat {
    /// The MPFR library's version string (e.g. "4.2.0"), for reports.
    public static var libraryVersion: String { String(cString: mpfr_get_version()) }
}
