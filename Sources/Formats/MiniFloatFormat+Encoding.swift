/// The result of converting a value to a format.
public struct EncodeResult: Sendable, Hashable {
    public let code: UInt64
    /// Whether the encoded value is above, equal to or below the input (NaN results: `.exact`).
    public let ternary: Ternary
    public let flags: ConversionFlags

    public init(code: UInt64, ternary: Ternary, flags: ConversionFlags) {
        self.code = code
        self.ternary = ternary
        self.flags = flags
    }
}

extension MiniFloatFormat {
    /// Converts an exact value with `rule` and `overflow`; `random` supplies stochastic bits.
    /// Tininess is detected before rounding (|x| < 2^minNormalExponent), IEEE 754-2019 §7.5.
    @inlinable
    public func encode(_ value: ExactValue, rule: RoundingRule, overflow: OverflowPolicy,
                       random: () -> UInt64 = { 0 }) -> EncodeResult {
        if value.isNegative && !isSigned && !value.isZero && !value.isNaN {
            return EncodeResult(code: nanCode ?? 0, ternary: .exact, flags: .invalid)
        }
        switch value.kind {
        case .nan:
            return EncodeResult(code: nanCode ?? (hasNegativeZero ? signBit : 0), ternary: .exact,
                                flags: hasNaN ? [] : .invalid)
        case .infinity:
            return encodeOverflow(negative: value.isNegative, rule: rule, overflow: overflow, fromInfinity: true)
        case .finite:
            break
        }
        let negative = value.isNegative
        if value.significand == 0 {
            if underflow == .noZero {
                return EncodeResult(code: 0, ternary: .roundedUp, flags: [.inexact, .underflow])
            }
            return EncodeResult(code: hasNegativeZero && negative ? signBit : 0, ternary: .exact, flags: [])
        }
        let grid = RoundingGrid(precision: precision, minNormalExponent: minNormalExponent, underflow: underflow)
        let r = grid.round(negative: negative, significand: value.significand, exponent: value.exponent,
                           rule: rule, random: random)
        var flags: ConversionFlags = []
        if r.direction != 0 {
            flags.insert(.inexact)
            if let b = value.binade, b < minNormalExponent { flags.insert(.underflow) }
        }
        let ternary: Ternary = r.direction == 0 ? .exact
            : ((r.direction > 0) != negative ? .roundedUp : .roundedDown)
        if r.significand == 0 {
            let code: UInt64 = hasNegativeZero && negative ? signBit : 0
            return EncodeResult(code: code, ternary: ternary, flags: flags)
        }
        // Pack: the rounded value is significand * 2^quantum with significand < 2^precision.
        let binade = r.quantum + 63 - r.significand.leadingZeroBitCount
        let magnitude: UInt64
        if binade < minNormalExponent {
            magnitude = r.significand << UInt64(r.quantum - (minNormalExponent - mantissaBits))
        } else {
            let field = binade + bias
            guard field <= maxExponentField else {
                return encodeOverflow(negative: negative, rule: rule, overflow: overflow, fromInfinity: false)
            }
            let normalised = r.significand << UInt64(mantissaBits - (binade - r.quantum))
            magnitude = UInt64(field) << UInt64(mantissaBits) | (normalised & mantissaMask)
        }
        if magnitude > maxFiniteMagnitudeCode {
            return encodeOverflow(negative: negative, rule: rule, overflow: overflow, fromInfinity: false)
        }
        return EncodeResult(code: (negative ? signBit : 0) | magnitude, ternary: ternary, flags: flags)
    }

    /// Overflow (or an infinite input): the policy, with IEEE's directed-rounding exception.
    @inlinable
    func encodeOverflow(negative: Bool, rule: RoundingRule, overflow: OverflowPolicy,
                        fromInfinity: Bool) -> EncodeResult {
        let flags: ConversionFlags = fromInfinity ? [] : [.overflow, .inexact]
        let toLargest: Bool
        switch rule {
        case .towardZero, .toOdd: toLargest = true
        case .up: toLargest = negative
        case .down: toLargest = !negative
        case .toNearestOrEven, .toNearestOrAwayFromZero, .stochastic: toLargest = false
        }
        let saturated = EncodeResult(code: maxFiniteCode(negative: negative),
                                     ternary: negative ? .roundedUp : .roundedDown,
                                     flags: fromInfinity ? [.inexact] : flags)
        if overflow == .saturate || (toLargest && !fromInfinity) { return saturated }
        if overflow == .infinity, let inf = infinityCode(negative: negative) {
            return EncodeResult(code: inf, ternary: fromInfinity ? .exact : (negative ? .roundedDown : .roundedUp), flags: flags)
        }
        if let nan = nanCode {
            // OCP fn formats have a NaN of each sign (E4M3: 0x7F, 0xFF); keep the value's sign,
            // as ml_dtypes does for non-saturating E4M3 conversions.
            let signed = specials == .finiteWithNaN && negative ? nan | signBit : nan
            return EncodeResult(code: signed, ternary: .exact, flags: flags.union(fromInfinity ? .invalid : []))
        }
        return saturated
    }
}
