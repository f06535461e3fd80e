/// The outcome of a rounding, as MPFR's ternary value: whether the stored result equals the
/// exact value, lies above it or lies below it.
///
/// MPFR returns a positive ternary value when the rounded result is greater than the exact one
/// (MPFR manual §4.6 "Rounding Modes"); `roundedUp` and `roundedDown` name those signs. They
/// refer to the *value*, not the magnitude: rounding -1.5 toward zero gives -1, which is
/// `roundedUp`.
public enum Ternary: Int, Sendable, Hashable, CustomStringConvertible {
    case roundedDown = -1
    case exact = 0
    case roundedUp = 1

    /// Maps an MPFR-style ternary integer (any sign) to a case.
    @inlinable
    public init(sign value: Int) {
        self = value > 0 ? .roundedUp : (value < 0 ? .roundedDown : .exact)
    }

    public var description: String {
        switch self {
        case .roundedDown: return "rounded down"
        case .exact: return "exact"
        case .roundedUp: return "rounded up"
        }
    }
}

/// Exception flags raised by a conversion (IEEE 754-2019 §7 names; no ambient state).
public struct ConversionFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The result is not the exact value.
    public static let inexact = ConversionFlags(rawValue: 1 << 0)
    /// The rounded magnitude exceeded the largest finite value of the target.
    public static let overflow = ConversionFlags(rawValue: 1 << 1)
    /// The result is tiny (below the smallest normal) and inexact.
    public static let underflow = ConversionFlags(rawValue: 1 << 2)
    /// The input has no meaning in the target (NaN into a format without NaN, negative into an
    /// unsigned format without a sign, ...).
    public static let invalid = ConversionFlags(rawValue: 1 << 3)

    public var description: String {
        var names: [String] = []
        if contains(.inexact) { names.append("inexact") }
        if contains(.overflow) { names.append("overflow") }
        if contains(.underflow) { names.append("underflow") }
        if contains(.invalid) { names.append("invalid") }
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }
}
