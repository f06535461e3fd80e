import EngineKit
import Formats

/// One weight term of the BitMoD PE (bitmod.md §3): (-1)^sign * mantissa * 2^exponent, the
/// cycle's bit significance 2^bsig applied by the group accumulator.
public struct BitMoDTerm: Sendable, Hashable {
    public var negative: Bool
    /// 0...3 (2 bits).
    public var exponent: Int
    /// 0 or 1.
    public var mantissa: Int

    public static let zero = BitMoDTerm(negative: false, exponent: 0, mantissa: 0)
}

/// How the PE's term generator turns weights into per-cycle terms (bitmod.md §3):
/// - integers (two's complement INT8/INT6/INT4): radix-4 Booth digits, least significant first,
///   cycle t at bit significance 2t; digit +-1 is (exp 0, man 1), +-2 is (exp 1, man 1);
/// - BitMoD FP4/FP3 values (integers on the code grid, |v| < 32): at most two terms from the
///   binary form, the lower one in cycle 0 (bit significance 0, exponent = its bit position, at
///   most 3), the upper one in cycle 1 (bit significance 1, exponent = its position - 1, at most
///   3); a value with three set bits is 2^a - 2^b (a custom special value, e.g. 7 = 8 - 1).
public struct BitMoDTermTable: Sendable {
    /// Terms per weight (cycles per group of 4 activations).
    public let cycles: Int
    /// Bit significance of each cycle.
    public let significance: [Int]
    /// terms[code * cycles + t].
    public let terms: [BitMoDTerm]

    /// Booth terms of every code of a two's complement integer format.
    public init(integer f: IntegerFormat) {
        cycles = (f.bitWidth + 1) / 2
        significance = (0..<cycles).map { 2 * $0 }
        var terms: [BitMoDTerm] = []
        for code in 0..<(1 << f.bitWidth) {
            for d in BoothRecoding.radix4(f.integer(ofCode: UInt64(code)), bits: f.bitWidth) {
                terms.append(d == 0 ? .zero : BitMoDTerm(negative: d < 0, exponent: abs(Int(d)) == 2 ? 1 : 0, mantissa: 1))
            }
        }
        self.terms = terms
    }

    /// Two-term form of every code of a codebook (nil when a value has no such form).
    public init?(codebook c: CodebookFormat) {
        cycles = 2
        significance = [0, 1]
        var terms: [BitMoDTerm] = []
        for code in 0..<(1 << c.bitWidth) {
            guard code < c.values.count, let v = c.values[code] else { terms += [.zero, .zero]; continue }
            guard v.isFinite, let d = v.exactDouble, d == d.rounded(), Swift.abs(d) < 32 else { return nil }
            guard let pair = Self.twoTerms(Int(Swift.abs(d)), negative: d < 0) else { return nil }
            terms += pair
        }
        self.terms = terms
    }

    /// |v| as (low term, high term): v = low + 2 * high, each +-2^e with e <= 3.
    static func twoTerms(_ magnitude: Int, negative: Bool) -> [BitMoDTerm]? {
        if magnitude == 0 { return [.zero, .zero] }
        var bits = (0..<5).filter { magnitude >> $0 & 1 == 1 }
        var lowNegative = false
        if bits.count == 3 {
            // 2^a - 2^b: a = the next power of two, b = the value below it (7 = 8 - 1).
            let a = 64 - (magnitude - 1).leadingZeroBitCount
            let b = (1 << a) - magnitude
            guard b > 0, b & (b - 1) == 0 else { return nil }
            bits = [b.trailingZeroBitCount, a]
            lowNegative = true
        }
        guard bits.count <= 2 else { return nil }
        var low = BitMoDTerm.zero, high = BitMoDTerm.zero
        if bits.count == 1 {
            let p = bits[0]
            if p == 0 { low = BitMoDTerm(negative: negative, exponent: 0, mantissa: 1) } else {
                guard p - 1 <= 3 else { return nil }
                high = BitMoDTerm(negative: negative, exponent: p - 1, mantissa: 1)
            }
        } else {
            let (pl, ph) = (bits[0], bits[1])
            guard pl <= 3, ph >= 1, ph - 1 <= 3 else { return nil }
            low = BitMoDTerm(negative: negative != lowNegative, exponent: pl, mantissa: 1)
            high = BitMoDTerm(negative: negative, exponent: ph - 1, mantissa: 1)
        }
        return [low, high]
    }

    /// The value the terms of `code` represent (for tests and the reference's cross-checks).
    public func value(ofCode code: Int) -> Int {
        (0..<cycles).reduce(0) { sum, t in
            let term = terms[code * cycles + t]
            return sum + (term.negative ? -1 : 1) * term.mantissa << (term.exponent + significance[t])
        }
    }
}
