/// How a codebook breaks a tie between two neighbouring values under nearest rounding.
public enum CodebookTie: String, Sendable, Hashable {
    /// The lower of the two values: BitMoD's quantiser tests `x <= midpoint` (bitmod.md §2.2).
    case lowerValue
    /// The value with the even code.
    case evenCode
    /// The value farther from zero.
    case awayFromZero
}

/// A finite value set with a code mapping: ternary, binary, NF4, flint4 and BitMoD's FP3/FP4
/// variants (bitmod.md §2.1, §7; QLoRA NF4). Values beyond the ends saturate.
public struct CodebookFormat: Sendable, Hashable {
    public let name: String
    public let bitWidth: Int
    /// `values[code]`; `nil` marks an unused code.
    public let values: [ExactValue?]
    public let tie: CodebookTie
    /// Bits per element in memory (OliVe stores 4-bit pair codes for its 5-bit value codes);
    /// `bitWidth` unless the format says otherwise.
    public internal(set) var storageBits: Int
    /// OliVe's outlier-victim pairs: the quantiser encodes elements in adjacent pairs and zeroes
    /// an outlier's neighbour (`OliVe`).
    public internal(set) var outlierVictimPairs = false
    /// Sorted distinct values with the code each encodes to (the lowest code holding it).
    @usableFromInline let sorted: [(value: ExactValue, code: UInt64)]

    public static func == (a: CodebookFormat, b: CodebookFormat) -> Bool {
        a.name == b.name && a.bitWidth == b.bitWidth && a.values == b.values && a.tie == b.tie
    }

    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(values)
    }

    public init(name: String, bitWidth: Int, values: [ExactValue?], tie: CodebookTie) {
        precondition(values.count <= 1 << bitWidth && values.allSatisfy { $0?.isFinite ?? true })
        self.name = name
        self.bitWidth = bitWidth
        self.values = values
        self.tie = tie
        storageBits = bitWidth
        var seen: [(ExactValue, UInt64)] = []
        for (code, v) in values.enumerated() {
            guard let v else { continue }
            // ±0 count as one value; the first code (a +0 before a -0) wins.
            if seen.contains(where: { ExactValue.compare($0.0, v) == 0 }) { continue }
            seen.append((v, UInt64(code)))
        }
        sorted = seen.sorted { ExactValue.compare($0.0, $1.0) < 0 }
    }

    public func decode(_ code: UInt64) -> ExactValue {
        guard code < UInt64(values.count), let v = values[Int(code)] else { return .nan }
        return v
    }

    public func isCanonical(_ code: UInt64) -> Bool {
        sorted.contains { $0.code == code }
    }

    public var maximum: ExactValue { sorted.last!.value }
    public var minimum: ExactValue { sorted.first!.value }

    /// The representable value nearest `value` under `rule` (ties per `tie` for
    /// `toNearestOrEven`, away from zero for `toNearestOrAwayFromZero`); stochastic rounding
    /// picks a neighbour with probability proportional to closeness, using `bits` random bits.
    public func encode(_ value: ExactValue, rule: RoundingRule, random: () -> UInt64 = { 0 }) -> EncodeResult {
        if value.isNaN {
            let zero = sorted.min { ExactValue.compareMagnitudes($0.value, $1.value) < 0 }!
            return EncodeResult(code: zero.code, ternary: .exact, flags: .invalid)
        }
        // Index of the first sorted value >= input.
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if ExactValue.compare(sorted[mid].value, value) < 0 { low = mid + 1 } else { high = mid }
        }
        if low < sorted.count, ExactValue.compare(sorted[low].value, value) == 0 {
            return EncodeResult(code: sorted[low].code, ternary: .exact, flags: [])
        }
        if low == 0 {
            return EncodeResult(code: sorted[0].code, ternary: .roundedUp, flags: value.isInfinite ? [.inexact] : [.inexact, .overflow])
        }
        if low == sorted.count {
            return EncodeResult(code: sorted[low - 1].code, ternary: .roundedDown,
                                flags: value.isInfinite ? [.inexact] : [.inexact, .overflow])
        }
        let below = sorted[low - 1], above = sorted[low]
        let pick: Bool  // true: above
        switch rule {
        case .up: pick = true
        case .down: pick = false
        case .towardZero: pick = value.isNegative
        case .toOdd:
            let zeroward = value.isNegative ? above : below
            pick = (zeroward.code & 1 == 1) ? value.isNegative : !value.isNegative
        case .toNearestOrEven, .toNearestOrAwayFromZero, .stochastic:
            // Compare the distances exactly: d = (x - below) - (above - x) = 2x - below - above.
            let order = Self.compareToMidpoint(value, below.value, above.value)
            switch rule {
            case .stochastic(let bits):
                let p = Self.upperProbability(value, below.value, above.value, bits: bits)
                pick = random() >> UInt64(64 - bits) < p
            default:
                if order != 0 {
                    pick = order > 0
                } else if case .toNearestOrAwayFromZero = rule {
                    pick = !value.isNegative
                } else {
                    switch tie {
                    case .lowerValue: pick = false
                    case .evenCode: pick = above.code & 1 == 0
                    case .awayFromZero: pick = !value.isNegative
                    }
                }
            }
        }
        let chosen = pick ? above : below
        return EncodeResult(code: chosen.code, ternary: pick ? .roundedUp : .roundedDown, flags: .inexact)
    }

    /// Sign of x - (a + b) / 2, exactly: a + b in Int128 fixed point at the finer of their
    /// exponents (codebook neighbours lie within a few binades of each other), then x against it,
    /// with x far below that grid decided by the sign of a + b, and x far above by its own sign.
    static func compareToMidpoint(_ x: ExactValue, _ a: ExactValue, _ b: ExactValue) -> Int {
        func fixed(_ v: ExactValue, at exponent: Int) -> Int128 {
            let m = v.isZero ? 0 : Int128(v.significand) << (v.exponent - exponent)
            return v.isNegative ? -m : m
        }
        let ab = [a, b].filter { !$0.isZero }
        let low = ab.map(\.exponent).min() ?? x.exponent
        precondition((ab.compactMap(\.binade).max() ?? low) - low < 100, "codebook neighbours too far apart")
        let s = fixed(a, at: low) + fixed(b, at: low)
        if x.isZero { return s == 0 ? 0 : (s > 0 ? -1 : 1) }
        let xBinade = x.binade!
        if xBinade < low - 2 {
            // |2x| < 2^(low - 1): below the grid of a + b.
            return s != 0 ? (s > 0 ? -1 : 1) : (x.isNegative ? -1 : 1)
        }
        if xBinade > low + 110 { return x.isNegative ? -1 : 1 }
        let base = Swift.min(low, x.exponent)
        guard xBinade - base < 120 else {
            // x has bits far below the grid of a + b: compare its truncation, then its tail.
            let truncated = ExactValue(negative: x.isNegative, significand: x.significand >> UInt64(low - 2 - x.exponent),
                                       exponent: low - 2)
            let c = compareToMidpoint(truncated, a, b)
            return c != 0 ? c : (x.isNegative ? -1 : 1)
        }
        let d = 2 * fixed(x, at: base) - (s << (low - base))
        return d == 0 ? 0 : (d > 0 ? 1 : -1)
    }

    /// floor((x - a) / (b - a) * 2^bits), the probability of rounding to b, as an integer.
    static func upperProbability(_ x: ExactValue, _ a: ExactValue, _ b: ExactValue, bits: Int) -> UInt64 {
        let p = (x.approximateDouble - a.approximateDouble) / (b.approximateDouble - a.approximateDouble)
        return UInt64(Swift.max(0, Swift.min(p, 1)) * Double(UInt64(1) << UInt64(bits)))
    }
}

extension CodebookFormat {
    /// The value of `code` as an integer (integer-valued codebooks: flint4, BitMoD and OliVe
    /// grids): 0 for an unused code, nil when the value is not an integer of magnitude below 2^31.
    public func integerValue(ofCode code: UInt64) -> Int? {
        guard code < UInt64(values.count), let v = values[Int(code)] else { return 0 }
        guard let d = v.exactDouble, d.isFinite, d == d.rounded(), Swift.abs(d) < 0x1p31 else { return nil }
        return Int(d)
    }
}
