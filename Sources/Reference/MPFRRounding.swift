import CMPFR

/// The five rounding modes MPFR implements natively (MPFR manual §4.4). Rules MPFR lacks
/// (ties away with subnormals, to odd, stochastic) are composed from these in
/// `BigFloat+FormatRounding.swift`.
public enum MPFRRounding: Sendable, Hashable, CaseIterable {
    case nearestEven
    case towardZero
    case up
    case down
    case awayFromZero

    @usableFromInline
    var mode: mpfr_rnd_t {
        switch self {
        case .nearestEven: return MPFR_RNDN
        case .towardZero: return MPFR_RNDZ
        case .up: return MPFR_RNDU
        case .down: return MPFR_RNDD
        case .awayFromZero: return MPFR_RNDA
        }
    }
}
