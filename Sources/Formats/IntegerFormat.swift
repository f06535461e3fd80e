/// How an integer format maps codes to integers.
public enum IntegerEncoding: String, Sendable, Hashable, CaseIterable {
    /// Two's complement, [-2^(n-1), 2^(n-1) - 1].
    case twosComplement = "int"
    /// Unsigned, [0, 2^n - 1].
    case unsigned = "uint"
    /// Sign bit + (n-1)-bit magnitude, [-(2^(n-1) - 1), 2^(n-1) - 1] with ±0.
    case signMagnitude = "sm"
    /// Two's complement without -2^(n-1) (symmetric weight ranges, fpga-dsp.md §2).
    case symmetric = "sym"
    /// Bipolar odd integers: code c (unsigned) is 2c - (2^n - 1), so every bit weighs ±2^i
    /// (the "bipolar-INT" of the arbitrary-precision tensor-core paper, seeds/paper-abstracts).
    case bipolar = "bipolar"
}

/// What an integer conversion does with out-of-range values.
public enum IntegerOverflow: String, Sendable, Hashable, CaseIterable {
    /// Clamp to the nearest representable end.
    case saturate
    /// Reduce modulo the format's value count (two's complement/unsigned: modulo 2^n, as an
    /// N-bit register wraps; ml_dtypes integer casts behave so).
    case wrap
}

/// An integer format, optionally scaled by a power of two (MX v1.0 MXINT8 elements are INT8
/// times 2^-6).
public struct IntegerFormat: Sendable, Hashable {
    public let bitWidth: Int
    public let encoding: IntegerEncoding
    /// value = integer * 2^scaleExponent.
    public let scaleExponent: Int

    public init(bitWidth: Int, encoding: IntegerEncoding, scaleExponent: Int = 0) {
        precondition((1...32).contains(bitWidth), "integer formats have 1...32 bits")
        precondition(!(bitWidth == 1 && (encoding == .signMagnitude || encoding == .symmetric)),
                     "1-bit sign-magnitude/symmetric integers hold only zero")
        self.bitWidth = bitWidth
        self.encoding = encoding
        self.scaleExponent = scaleExponent
    }

    /// Smallest and largest integer (before scaling).
    public var minimum: Int64 {
        switch encoding {
        case .twosComplement: return -(1 << Int64(bitWidth - 1))
        case .unsigned: return 0
        case .signMagnitude, .symmetric: return -((1 << Int64(bitWidth - 1)) - 1)
        case .bipolar: return -((1 << Int64(bitWidth)) - 1)
        }
    }

    public var maximum: Int64 {
        switch encoding {
        case .twosComplement, .signMagnitude, .symmetric: return (1 << Int64(bitWidth - 1)) - 1
        case .unsigned, .bipolar: return (1 << Int64(bitWidth)) - 1
        }
    }

    /// Spacing of representable integers (2 for bipolar).
    public var step: Int64 { encoding == .bipolar ? 2 : 1 }

    /// The integer a code stands for. Symmetric: the unused code -2^(n-1) decodes to its two's
    /// complement value (never produced by `encode`).
    @inlinable
    public func integer(ofCode code: UInt64) -> Int64 {
        let n = UInt64(bitWidth)
        switch encoding {
        case .twosComplement, .symmetric:
            return Int64(bitPattern: code << (64 - n)) >> Int64(64 - n)
        case .unsigned:
            return Int64(code)
        case .signMagnitude:
            let magnitude = Int64(code & ((1 << (n - 1)) - 1))
            return code >> (n - 1) & 1 == 1 ? -magnitude : magnitude
        case .bipolar:
            return 2 * Int64(code) - ((1 << Int64(n)) - 1)
        }
    }

    /// The code of a representable integer.
    @inlinable
    public func code(ofInteger v: Int64) -> UInt64 {
        let n = UInt64(bitWidth)
        switch encoding {
        case .twosComplement, .symmetric, .unsigned:
            return UInt64(bitPattern: v) & ((1 << n) - 1)
        case .signMagnitude:
            return v < 0 ? (1 << (n - 1)) | UInt64(-v) : UInt64(v)
        case .bipolar:
            return UInt64((v + (1 << Int64(n)) - 1) / 2)
        }
    }

    public func decode(_ code: UInt64) -> ExactValue {
        let v = integer(ofCode: code)
        if encoding == .signMagnitude, v == 0, code >> UInt64(bitWidth - 1) & 1 == 1 {
            return .zero(negative: true)
        }
        return ExactValue(negative: v < 0, significand: v.magnitude, exponent: scaleExponent)
    }

    /// Codes that `encode` can produce (the symmetric format's -2^(n-1) and sign-magnitude's
    /// -0 are not).
    public func isCanonical(_ code: UInt64) -> Bool {
        guard code >> UInt64(bitWidth) == 0 else { return false }
        switch encoding {
        case .symmetric: return code != 1 << UInt64(bitWidth - 1)
        case .signMagnitude: return code != 1 << UInt64(bitWidth - 1)
        default: return true
        }
    }

    /// Converts an exact value: round to the integer grid (odd integers for bipolar) with `rule`,
    /// then saturate or wrap. NaN gives the code of 0 (bipolar: of +1) with `.invalid`; ±Inf
    /// saturates under both policies.
    @inlinable
    public func encode(_ value: ExactValue, rule: RoundingRule, overflow: IntegerOverflow,
                       random: () -> UInt64 = { 0 }) -> EncodeResult {
        switch value.kind {
        case .nan:
            let nearZero: Int64 = encoding == .bipolar ? 1 : 0
            return EncodeResult(code: code(ofInteger: nearZero), ternary: .exact, flags: .invalid)
        case .infinity:
            let end = value.isNegative ? minimum : maximum
            return EncodeResult(code: code(ofInteger: end), ternary: value.isNegative ? .roundedUp : .roundedDown,
                                flags: [.overflow, .inexact])
        case .finite: break
        }
        let rounded = roundedInteger(value, rule: rule, random: random)
        var flags: ConversionFlags = rounded.direction == 0 ? [] : .inexact
        let integer: Int64
        if let r = rounded.integer, r >= Int128(minimum), r <= Int128(maximum) {
            integer = Int64(r)
        } else {
            flags.formUnion([.overflow, .inexact])
            switch (overflow, rounded.integer) {
            case (.wrap, .some(let r)): integer = wrapped(r)
            default: integer = value.isNegative ? minimum : maximum
            }
        }
        let result = ExactValue(negative: integer < 0, significand: integer.magnitude, exponent: scaleExponent)
        let ternary = Ternary(sign: ExactValue.compare(result, value))
        return EncodeResult(code: code(ofInteger: integer), ternary: ternary, flags: flags)
    }

    /// x / 2^scaleExponent rounded to an integer (bipolar: to an odd integer, via
    /// k = round((y + 1) / 2), value 2k - 1); `nil` at 2^120 and beyond.
    @inlinable
    func roundedInteger(_ value: ExactValue, rule: RoundingRule, random: () -> UInt64) -> (integer: Int128?, direction: Int) {
        guard value.significand != 0 || encoding == .bipolar else { return (0, 0) }
        var negative = value.isNegative
        var significand = value.significand
        var exponent = value.exponent - scaleExponent
        // At 2^120 and beyond the integer is not formed (both overflow policies saturate).
        if let b = value.binade, b - scaleExponent >= 120 { return (nil, 1) }
        if value.significand == 0 {
            // Bipolar zero: y = 0 is the tie between -1 and +1 (k = 1/2).
            negative = false
            significand = 1
            exponent = -1
        } else if encoding == .bipolar {
            (negative, significand, exponent) = Self.halvedSuccessor(negative: negative, significand: significand,
                                                                     exponent: exponent)
        }
        let magnitude: Int128
        let direction: Int
        if exponent >= 0 {
            magnitude = Int128(significand) << exponent
            direction = 0
        } else {
            let (kept, d) = GridRounding.roundRight(significand, by: -exponent, negative: negative,
                                                    rule: rule, random: random)
            (magnitude, direction) = (Int128(kept), d)
        }
        let k = negative ? -magnitude : magnitude
        if encoding == .bipolar {
            // The value 2k - 1 moves twice as far as k, in the same direction.
            return (2 * k - 1, negative ? -direction : direction)
        }
        return (k, negative ? -direction : direction)
    }

    /// (y + 1) / 2 for y = (-1)^negative * significand * 2^exponent, exactly, as a sign,
    /// significand and exponent. Magnitudes below 2^-62 become a sticky 2^-62 first: only the
    /// sign of such a nudge matters to every rule (and to stochastic rounding with <= 32 bits).
    @inlinable
    static func halvedSuccessor(negative: Bool, significand: UInt64, exponent: Int) -> (Bool, UInt64, Int) {
        var significand = significand, exponent = exponent
        if exponent < -62 && (exponent + 63 - significand.leadingZeroBitCount) < -62 {
            significand = 1
            exponent = -62
        }
        // Fixed point with f fraction bits; |y| < 2^120 so y * 2^f fits Int128 when f <= 62 ...
        let f = Swift.max(0, -exponent)
        if f > 62 {
            // |y| >= 2^-62 with more than 62 fraction bits: keep 64 significant bits, sticky.
            let drop = f - 62
            let sticky: UInt64 = significand & ((1 << UInt64(drop)) - 1) != 0 ? 1 : 0
            significand = significand >> UInt64(drop) | sticky
            exponent = -62
        }
        let g = Swift.max(0, -exponent)
        let y = Int128(significand) << Swift.max(0, exponent)
        var sum = (negative ? -y : y) + (Int128(1) << g)
        if sum == 0 { return (false, 0, 0) }
        let sumNegative = sum < 0
        if sumNegative { sum = -sum }
        var halving = g + 1
        while sum >> 64 != 0 {
            // Fold the dropped bit into a sticky last bit (round to odd keeps the later rounding
            // to integers correct: at least 3 bits remain below the integer position).
            sum = (sum >> 1) | (sum & 1)
            halving -= 1
        }
        return (sumNegative, UInt64(sum), -halving)
    }

    /// Reduces an out-of-range integer modulo the format's value count.
    @usableFromInline
    func wrapped(_ v: Int128) -> Int64 {
        let low = Int128(minimum), high = Int128(maximum)
        switch encoding {
        case .twosComplement, .unsigned:
            let m = Int128(1) << bitWidth
            var r = (v - low) % m
            if r < 0 { r += m }
            return Int64(r + low)
        case .signMagnitude, .symmetric:
            let m = 2 * high + 1
            var r = (v - low) % m
            if r < 0 { r += m }
            return Int64(r + low)
        case .bipolar:
            let m = Int128(1) << bitWidth
            var k = ((v + high) / 2) % m
            if k < 0 { k += m }
            return Int64(2 * k - high)
        }
    }
}
