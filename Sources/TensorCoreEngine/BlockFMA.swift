import ArchitectureSpec

/// The fused block FMA of NVIDIA tensor cores (tensor-cores.md §3.1; MMA-Sim `fused_sum`):
/// align every term to the largest alignment exponent E, truncate each aligned magnitude to F
/// fraction bits (sign-magnitude truncation, so not IEEE round-toward-zero of the sum), add
/// exactly. The integer sum N and E give the value N * 2^(E - F).
///
/// Width: |significand| < 4 * 2^fractionBits for products, so an aligned term is below
/// 2^(F + 2); a block of up to 256 terms stays below 2^(F + 10) and F <= 40 fits Int64.
@usableFromInline
struct BlockFMA: Sendable {
    @usableFromInline let keptFractionBits: Int
    @usableFromInline let excludeZeros: Bool
    @usableFromInline let minAlignmentExponent: Int?

    init(keptFractionBits: Int, excludeZeros: Bool, minAlignmentExponent: Int?) {
        self.keptFractionBits = keptFractionBits
        self.excludeZeros = excludeZeros
        self.minAlignmentExponent = minAlignmentExponent
    }

    /// The aligned, truncated, exact sum of `terms`; `nil` when every term was excluded.
    @inlinable
    func sum(_ terms: [BlockTerm]) -> (sum: Int64, exponent: Int, allNegativeZeros: Bool)? {
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
                magnitude = t.significand << UInt64(shift)
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
