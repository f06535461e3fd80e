/// Which codes of a minifloat are NaN or infinite.
public enum SpecialValuePolicy: String, Sendable, Hashable, CaseIterable {
    /// IEEE 754: the all-ones exponent field holds ±Inf (mantissa 0) and NaNs.
    case ieee
    /// OCP "fn" (OFP8 E4M3, E8M0): no infinities; only the all-ones magnitude code is NaN.
    case finiteWithNaN = "fn"
    /// FNUZ (AMD CDNA3, Graphcore): no infinities, no negative zero; the code with only the sign
    /// bit set is the single NaN.
    case finiteUnsignedZero = "fnuz"
    /// Every code is finite (OCP MX FP6 / FP4).
    case none
}

/// What a conversion does with a value beyond the largest finite magnitude (or an infinite
/// input where the target cannot hold it).
public enum OverflowPolicy: String, Sendable, Hashable, CaseIterable {
    /// Clamp to ±largest finite (OFP8 "saturating"; PTX `.satfinite`). ±Inf inputs also
    /// saturate, as gfloat, Spike and `cvt.rn.satfinite` do.
    case saturate
    /// IEEE behaviour: ±Inf, except that rounding directions that never round up in magnitude
    /// (toward zero, to odd, and up/down on the far side) give ±largest finite. Formats without
    /// infinities produce NaN where they have one (OFP8 non-saturating E4M3), else saturate.
    case infinity
    /// NaN (with the same directed-rounding exception), or saturate where there is no NaN.
    case nan
}

/// A parametric minifloat: sign (optional), `exponentBits`, `mantissaBits`, `bias`, an underflow
/// mode and a special-value policy. Covers binary16/32/64, bfloat16, TF32, OFP8, FNUZ, MX
/// FP6/FP4 and E8M0 (formats.md §1 table).
public struct MiniFloatFormat: Sendable, Hashable {
    public let exponentBits: Int
    public let mantissaBits: Int
    public let bias: Int
    public let isSigned: Bool
    public let underflow: UnderflowMode
    public let specials: SpecialValuePolicy

    public init(exponentBits: Int, mantissaBits: Int, bias: Int? = nil, isSigned: Bool = true,
                underflow: UnderflowMode = .subnormal, specials: SpecialValuePolicy) {
        precondition((1...11).contains(exponentBits) && (0...52).contains(mantissaBits),
                     "minifloat needs 1...11 exponent bits and 0...52 mantissa bits")
        precondition(!(specials == .finiteUnsignedZero && !isSigned), "FNUZ needs a sign bit")
        precondition(!(specials == .ieee && (mantissaBits == 0 || exponentBits < 2)),
                     "IEEE specials need at least 2 exponent bits and 1 mantissa bit (for NaN)")
        self.exponentBits = exponentBits
        self.mantissaBits = mantissaBits
        self.bias = bias ?? ((1 << (exponentBits - 1)) - 1)
        self.isSigned = isSigned
        self.underflow = underflow
        self.specials = specials
    }

    /// Total code width in bits.
    @inlinable public var bitWidth: Int { (isSigned ? 1 : 0) + exponentBits + mantissaBits }
    /// Significand precision including the hidden bit.
    @inlinable public var precision: Int { mantissaBits + 1 }
    @inlinable var magnitudeMask: UInt64 { (1 << UInt64(exponentBits + mantissaBits)) - 1 }
    @inlinable var signBit: UInt64 { isSigned ? 1 << UInt64(exponentBits + mantissaBits) : 0 }
    @inlinable var mantissaMask: UInt64 { (1 << UInt64(mantissaBits)) - 1 }
    @inlinable var maxExponentField: Int { (1 << exponentBits) - 1 }

    /// Exponent of the smallest normal binade.
    @inlinable public var minNormalExponent: Int { underflow == .noZero ? -bias : 1 - bias }

    /// Magnitude code of the largest finite value.
    @inlinable public var maxFiniteMagnitudeCode: UInt64 {
        switch specials {
        case .ieee: return UInt64(maxExponentField - 1) << UInt64(mantissaBits) | mantissaMask
        case .finiteWithNaN: return magnitudeMask - 1
        case .finiteUnsignedZero, .none: return magnitudeMask
        }
    }

    /// Exponent of the binade holding the largest finite value.
    public var maxExponent: Int { Int(maxFiniteMagnitudeCode >> UInt64(mantissaBits)) - bias }

    public var hasInfinity: Bool { specials == .ieee }
    public var hasNaN: Bool { specials != .none }
    public var hasNegativeZero: Bool { isSigned && specials != .finiteUnsignedZero && underflow != .noZero }

    /// The canonical NaN code (IEEE: quiet NaN with the top mantissa bit; `nil` without NaN).
    public var nanCode: UInt64? {
        switch specials {
        case .ieee:
            return UInt64(maxExponentField) << UInt64(mantissaBits) | (mantissaBits > 0 ? 1 << UInt64(mantissaBits - 1) : 0)
        case .finiteWithNaN: return magnitudeMask
        case .finiteUnsignedZero: return signBit
        case .none: return nil
        }
    }

    /// Code of ±Inf (`nil` without infinities).
    public func infinityCode(negative: Bool) -> UInt64? {
        guard specials == .ieee else { return nil }
        return (negative ? signBit : 0) | UInt64(maxExponentField) << UInt64(mantissaBits)
    }

    /// Code of the largest finite value with the given sign.
    public func maxFiniteCode(negative: Bool) -> UInt64 { (negative ? signBit : 0) | maxFiniteMagnitudeCode }

    /// Whether `code` is the one encoding of its value that conversions produce (flushed formats
    /// decode every exponent-field-0 code as zero; only the all-zero mantissa is canonical; NaN
    /// payloads other than the canonical NaN are not canonical).
    public func isCanonical(_ code: UInt64) -> Bool {
        guard code >> UInt64(bitWidth) == 0 else { return false }
        let magnitude = code & magnitudeMask
        let field = Int(magnitude >> UInt64(mantissaBits))
        if decode(code).isNaN { return code == nanCode }
        if underflow == .flushToZero && field == 0 { return magnitude == 0 }
        return true
    }

    // MARK: Decoding

    /// The exact value of a code (bits above `bitWidth` must be zero).
    @inlinable
    public func decode(_ code: UInt64) -> ExactValue {
        let negative = code & signBit != 0
        let magnitude = code & magnitudeMask
        let field = Int(magnitude >> UInt64(mantissaBits))
        let mantissa = magnitude & mantissaMask
        switch specials {
        case .ieee where field == maxExponentField:
            return mantissa == 0 ? .infinity(negative: negative) : .nan
        case .finiteWithNaN where magnitude == magnitudeMask:
            return .nan
        case .finiteUnsignedZero where negative && magnitude == 0:
            return .nan
        default:
            break
        }
        if field == 0 {
            switch underflow {
            case .subnormal:
                return ExactValue(negative: negative, significand: mantissa, exponent: 1 - bias - mantissaBits)
            case .flushToZero:
                return .zero(negative: negative)
            case .noZero:
                break
            }
        }
        return ExactValue(negative: negative, significand: mantissa | (1 << UInt64(mantissaBits)),
                          exponent: field - bias - mantissaBits)
    }
}
