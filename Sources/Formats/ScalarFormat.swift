/// One element format: a minifloat, an integer or a codebook. Every conversion goes through
/// the format's own exact rules; there is no hidden cast through Float or Double.
public enum ScalarFormat: Sendable, Hashable {
    case float(MiniFloatFormat)
    case integer(IntegerFormat)
    case codebook(CodebookFormat)

    public var bitWidth: Int {
        switch self {
        case .float(let f): return f.bitWidth
        case .integer(let i): return i.bitWidth
        case .codebook(let c): return c.bitWidth
        }
    }

    public func decode(_ code: UInt64) -> ExactValue {
        switch self {
        case .float(let f): return f.decode(code)
        case .integer(let i): return i.decode(code)
        case .codebook(let c): return c.decode(code)
        }
    }

    public func isCanonical(_ code: UInt64) -> Bool {
        switch self {
        case .float(let f): return f.isCanonical(code)
        case .integer(let i): return i.isCanonical(code)
        case .codebook(let c): return c.isCanonical(code)
        }
    }

    /// Converts with `rule`; `overflow` applies to minifloats, and to integers as saturate
    /// (`.saturate`) or wrap (`.infinity`/`.nan` have no integer meaning and saturate too, so
    /// integer wrapping is asked for explicitly with `encode(_:rule:integerOverflow:)`).
    public func encode(_ value: ExactValue, rule: RoundingRule, overflow: OverflowPolicy = .saturate,
                       random: () -> UInt64 = { 0 }) -> EncodeResult {
        switch self {
        case .float(let f): return f.encode(value, rule: rule, overflow: overflow, random: random)
        case .integer(let i): return i.encode(value, rule: rule, overflow: .saturate, random: random)
        case .codebook(let c): return c.encode(value, rule: rule, random: random)
        }
    }

    /// Largest finite magnitude (integers: the positive maximum).
    public var maxMagnitude: ExactValue {
        switch self {
        case .float(let f): return f.decode(f.maxFiniteMagnitudeCode)
        case .integer(let i):
            // The positive maximum (INT8: 127): the magnitude both signs reach in symmetric use,
            // and MX v1.0's emax_elem = 0 for MXINT8 (max 127/64).
            return ExactValue(negative: false, significand: UInt64(i.maximum), exponent: i.scaleExponent)
        case .codebook(let c):
            return ExactValue.compareMagnitudes(c.maximum, c.minimum) >= 0 ? c.maximum.magnitude : c.minimum.magnitude
        }
    }

    /// Exponent of the binade of the largest finite magnitude: OCP MX v1.0's emax_elem.
    public var maxBinade: Int { maxMagnitude.binade ?? 0 }
}
