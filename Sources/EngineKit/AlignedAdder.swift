/// One term of an aligned multi-operand sum: the exact value `(-1)^negative * significand *
/// 2^(exponent - fractionBits)`, where `exponent` is the term's *alignment* exponent. For a
/// product it is e_a + e_b of the unnormalised operands (|significand| may reach
/// 4 * 2^fractionBits), the convention of MMA-Sim and the MATLAB toolbox (tensor-cores.md §3.1).
public struct AlignedTerm: Sendable {
    public var negative: Bool
    public var significand: UInt64
    public var exponent: Int
    public var fractionBits: Int
    /// Zero terms whose exponent comes from a zero-operand rule; `excludeZeros` drops them.
    @inlinable public var isZero: Bool { significand == 0 }

    @inlinable
    public init(negative: Bool, significand: UInt64, exponent: Int, fractionBits: Int) {
        self.negative = negative
        self.significand = significand
        self.exponent = exponent
        self.fractionBits = fractionBits
    }
}

/// The aligned multi-operand adder of dot-product hardware (tensor-core block FMAs,
/// tensor-cores.md §3.1, MMA-Sim `fused_sum`; bit-serial PE adder trees, bitmod.md §4): align
/// every term to the largest alignment exponent E, truncate each aligned magnitude to F fraction
/// bits (sign-magnitude truncation, so not IEEE round-toward-zero of the sum), add exactly.
/// The integer sum N and E give the value N * 2^(E - F).
///
/// Width: |significand| < 4 * 2^fractionBits for products, so an aligned term is below
/// 2^(F + 2); up to 256 terms stay below 2^(F + 10), and F <= 40 fits Int64.
public struct AlignedAdder: Sendable {
    public let keptFractionBits: Int
    public let excludeZeros: Bool
    public let minAlignmentExponent: Int?

    public init(keptFractionBits: Int, excludeZeros: Bool = false, minAlignmentExponent: Int? = nil) {
        precondition((0...40).contains(keptFractionBits), "kept fraction bits in 0...40 (Int64 sums)")
        self.keptFractionBits = keptFractionBits
        self.excludeZeros = excludeZeros
        self.minAlignmentExponent = minAlignmentExponent
    }

    /// The aligned, truncated, exact sum of `terms`; `nil` when every term was excluded.
    @inlinable
    public func sum(_ terms: [AlignedTerm]) -> (sum: Int64, exponent: Int, allNegativeZeros: Bool)? {
        var e = Int.min
        var allNegativeZeros = true
        for t in terms {
            if t.significand != 0 || !t.negative { allNegativeZeros = false }
            if excludeZeros && t.significand == 0 { continue }
            e = Swift.max(e, t.exponent)
        }
        guard e != Int.min else { return nil }
        if let floor = minAlignmentExponent { e = Swift.max(e, floor) }
        let f = keptFractionBits
        var n: Int64 = 0
        for t in terms where t.significand != 0 {
            // Aligned magnitude = significand * 2^(F + exponent - E - fractionBits), truncated.
            let shift = f + t.exponent - e - t.fractionBits
            let magnitude: UInt64
            if shift >= 0 {
                magnitude = shift < 64 ? t.significand << UInt64(shift) : 0
            } else if shift > -64 {
                magnitude = t.significand >> UInt64(-shift)
            } else {
                magnitude = 0
            }
            let signed = Int64(bitPattern: magnitude)
            n &+= t.negative ? -signed : signed
        }
        return (n, e - f, allNegativeZeros)
    }
}
