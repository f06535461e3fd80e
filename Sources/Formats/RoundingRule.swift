/// A rounding rule, always passed as an argument (DESIGN.md, "Rounding is an argument").
///
/// Names follow swift-numerics' `RoundingRule` where they overlap. `toOdd` is sticky rounding:
/// an inexact result gets its last bit set, which makes a later rounding to at least two fewer
/// bits correct (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved
/// algorithms using rounding to odd", IEEE TC 57(4), 2008).
public enum RoundingRule: Sendable, Hashable, CustomStringConvertible {
    /// Round to nearest, ties to the even code (IEEE roundTiesToEven).
    case toNearestOrEven
    /// Round to nearest, ties away from zero (IEEE roundTiesToAway; PTX `.rna`).
    case toNearestOrAwayFromZero
    /// Round toward zero (truncate the magnitude).
    case towardZero
    /// Round toward +infinity.
    case up
    /// Round toward -infinity.
    case down
    /// Round to odd: truncate, then set the last bit when inexact.
    case toOdd
    /// Stochastic rounding: add `randomBits` uniformly random bits below the last kept bit,
    /// then truncate. Needs a caller-supplied generator (`FormatRounder` takes one).
    case stochastic(randomBits: Int)

    /// All deterministic rules, in a fixed order (for exhaustive tests and CLI help).
    public static let deterministic: [RoundingRule] = [
        .toNearestOrEven, .toNearestOrAwayFromZero, .towardZero, .up, .down, .toOdd,
    ]

    /// The CLI spelling (`nearest-even`, `nearest-away`, `toward-zero`, `up`, `down`, `to-odd`,
    /// `stochastic:N`).
    public var description: String {
        switch self {
        case .toNearestOrEven: return "nearest-even"
        case .toNearestOrAwayFromZero: return "nearest-away"
        case .towardZero: return "toward-zero"
        case .up: return "up"
        case .down: return "down"
        case .toOdd: return "to-odd"
        case .stochastic(let bits): return "stochastic:\(bits)"
        }
    }

    /// Parses the CLI spelling; `nil` when unknown.
    public init?(cliName: String) {
        switch cliName {
        case "nearest-even", "rne", "rn": self = .toNearestOrEven
        case "nearest-away", "rna": self = .toNearestOrAwayFromZero
        case "toward-zero", "rz": self = .towardZero
        case "up", "ru": self = .up
        case "down", "rd": self = .down
        case "to-odd", "ro": self = .toOdd
        default:
            guard cliName.hasPrefix("stochastic:"), let bits = Int(cliName.dropFirst(11)),
                  (1...32).contains(bits) else { return nil }
            self = .stochastic(randomBits: bits)
        }
    }
}
