/// An exact binary value: (-1)^sign * significand * 2^exponent, or an infinity, or NaN.
///
/// Used to move values between formats without loss (any IEEE binary64 value, any product of
/// two values with at most 32 significand bits). The representation is normalised: a non-zero
/// significand is odd, a zero has exponent 0, so `==` is equality of values (with signed zeros
/// distinct and all NaNs equal).
public struct ExactValue: Hashable, Sendable {
    public enum Kind: Sendable, Hashable { case finite, infinity, nan }

    public let kind: Kind
    public let isNegative: Bool
    /// Odd when non-zero; 0 for zeros, infinities and NaN.
    public let significand: UInt64
    public let exponent: Int

    /// A finite value `(-1)^negative * significand * 2^exponent`, normalised.
    @inlinable
    public init(negative: Bool, significand: UInt64, exponent: Int) {
        kind = .finite
        isNegative = negative
        if significand == 0 {
            self.significand = 0
            self.exponent = 0
        } else {
            let shift = significand.trailingZeroBitCount
            self.significand = significand >> UInt64(shift)
            self.exponent = exponent + shift
        }
    }

    @usableFromInline
    init(kind: Kind, negative: Bool, significand: UInt64 = 0, exponent: Int = 0) {
        self.kind = kind
        isNegative = negative
        self.significand = significand
        self.exponent = exponent
    }

    public static let nan = ExactValue(kind: .nan, negative: false)
    public static func infinity(negative: Bool) -> ExactValue {
        ExactValue(kind: .infinity, negative: negative)
    }
    public static func zero(negative: Bool) -> ExactValue {
        ExactValue(negative: negative, significand: 0, exponent: 0)
    }

    public var isNaN: Bool { kind == .nan }
    public var isInfinite: Bool { kind == .infinity }
    public var isFinite: Bool { kind == .finite }
    public var isZero: Bool { kind == .finite && significand == 0 }

    /// Position of the leading one: the value's magnitude lies in [2^e, 2^(e+1)).
    /// `nil` for zero, infinity and NaN.
    public var binade: Int? {
        guard kind == .finite, significand != 0 else { return nil }
        return exponent + (63 - significand.leadingZeroBitCount)
    }

    /// Number of significant bits (0 for zero).
    public var significantBits: Int {
        significand == 0 ? 0 : 64 - significand.leadingZeroBitCount
    }

    /// The exact value of a Double (every binary64 value is representable).
    public init(_ value: Double) {
        if value.isNaN { self = .nan; return }
        if value.isInfinite { self = .infinity(negative: value < 0); return }
        let bits = value.bitPattern
        let negative = bits >> 63 != 0
        let field = Int((bits >> 52) & 0x7FF)
        let fraction = bits & ((1 << 52) - 1)
        if field == 0 {
            self.init(negative: negative, significand: fraction, exponent: -1074)
        } else {
            self.init(negative: negative, significand: fraction | (1 << 52), exponent: field - 1075)
        }
    }

    /// The exact value of a Float.
    public init(_ value: Float) { self.init(Double(value)) }

    /// The value as a Double when it is exactly representable, else `nil`.
    public var exactDouble: Double? {
        switch kind {
        case .nan: return .nan
        case .infinity: return isNegative ? -.infinity : .infinity
        case .finite:
            if significand == 0 { return isNegative ? -0.0 : 0.0 }
            guard significantBits <= 53, let top = binade, top <= 1023,
                  exponent >= -1074 else { return nil }
            let magnitude = Double(sign: .plus, exponent: exponent, significand: Double(significand))
            return isNegative ? -magnitude : magnitude
        }
    }

    /// The nearest Double (ties to even; for reporting and metrics, never for rounding
    /// decisions).
    public var approximateDouble: Double {
        switch kind {
        case .nan: return .nan
        case .infinity: return isNegative ? -.infinity : .infinity
        case .finite:
            let magnitude = Double(sign: .plus, exponent: exponent, significand: Double(significand))
            return isNegative ? -magnitude : magnitude
        }
    }

    /// The same value with the opposite sign.
    public var negated: ExactValue {
        kind == .nan ? self : ExactValue(kind: kind, negative: !isNegative, significand: significand,
                                         exponent: exponent)
    }

    /// The magnitude (sign cleared).
    public var magnitude: ExactValue {
        ExactValue(kind: kind, negative: false, significand: significand, exponent: exponent)
    }

    /// This value times 2^n (exact).
    public func scaled(byPowerOfTwo n: Int) -> ExactValue {
        guard kind == .finite, significand != 0 else { return self }
        return ExactValue(kind: kind, negative: isNegative, significand: significand,
                          exponent: exponent + n)
    }

    /// The exact product when its significand fits 64 bits, else `nil`.
    public func multipliedExactly(by other: ExactValue) -> ExactValue? {
        if isNaN || other.isNaN { return .nan }
        let negative = isNegative != other.isNegative
        if isInfinite || other.isInfinite {
            return (isZero || other.isZero) ? .nan : .infinity(negative: negative)
        }
        let (high, low) = significand.multipliedFullWidth(by: other.significand)
        guard high == 0 else { return nil }
        return ExactValue(negative: negative, significand: low, exponent: exponent + other.exponent)
    }

    /// Compares magnitudes of two finite values: -1, 0 or 1.
    public static func compareMagnitudes(_ a: ExactValue, _ b: ExactValue) -> Int {
        precondition(a.isFinite && b.isFinite, "compareMagnitudes needs finite values")
        if a.significand == 0 || b.significand == 0 {
            return a.significand == b.significand ? 0 : (a.significand == 0 ? -1 : 1)
        }
        let ba = a.binade!, bb = b.binade!
        if ba != bb { return ba < bb ? -1 : 1 }
        // Same binade: compare significands aligned at the top bit.
        let sa = a.significand << UInt64(a.significand.leadingZeroBitCount)
        let sb = b.significand << UInt64(b.significand.leadingZeroBitCount)
        return sa == sb ? 0 : (sa < sb ? -1 : 1)
    }

    /// Total order on finite values (-0 == +0); NaN and infinities ordered as IEEE.
    public static func compare(_ a: ExactValue, _ b: ExactValue) -> Int {
        func rank(_ v: ExactValue) -> Int {
            v.isInfinite ? (v.isNegative ? -1 : 1) : 0
        }
        precondition(!a.isNaN && !b.isNaN, "compare needs non-NaN values")
        let ra = rank(a), rb = rank(b)
        if ra != 0 || rb != 0 { return ra == rb ? 0 : (ra < rb ? -1 : 1) }
        let na = a.isNegative && !a.isZero, nb = b.isNegative && !b.isZero
        if na != nb { return na ? -1 : 1 }
        let m = compareMagnitudes(a, b)
        return na ? -m : m
    }
}

extension ExactValue: CustomStringConvertible {
    /// C99 hex-float text (`0x1.8p+3`, `-0x0p+0`, `nan`, `inf`, `-inf`).
    public var description: String { HexFloat.format(self) }
}
