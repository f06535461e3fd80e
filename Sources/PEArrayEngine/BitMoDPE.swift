import EngineKit
import Formats

/// The BitMoD PE's datapath for one output and one weight group (bitmod.md §4; docs/pe-array.md,
/// "BitMoD semantics"). Per cycle, four FP16 activations (11-bit significand with the hidden
/// bit; exponent field, a zero or subnormal one read as 1) meet four weight terms: v_e = e_a +
/// e_w; M = the largest v_e and the accumulator's exponent (the 5-input maximum, so the
/// accumulator is never above the products: the released RTL compares only the four products
/// and then adds new products unaligned, see the docs); each product a_man * w_man is shifted
/// to 14 bits with 3 guard bits and truncated (floor(a_man * 2^(3 - (M - v_e))), 0 below), signed,
/// summed exactly (17 bits), shifted left by the cycle's bit significance; the accumulator's
/// 15-bit mantissa is arithmetically shifted right by M - acc_e (0 beyond 13 places) and added
/// (a 23-bit wrapping adder); the sum is normalised by an arithmetic right shift to |man| < 2^14
/// (floor), the exponent growing by the shift. The value of (man, e) is man * 2^(e - 28) in
/// activation x weight-grid units. Dequantisation multiplies the mantissa by the unsigned INT8
/// group scale MSB first (exact in 23 bits; a narrower register wraps).
struct BitMoDPE {
    let table: BitMoDTermTable
    let dequantizer: FixedWidthAdder
    static let adder = FixedWidthAdder(width: 23, overflow: .wrap)

    init(table: BitMoDTermTable, dequantizationBits: Int) {
        self.table = table
        dequantizer = FixedWidthAdder(width: dequantizationBits, overflow: .wrap)
    }

    /// The (mantissa, exponent) state after a group, dequantised: returns out_man * 2^(e - 28).
    @inlinable
    func group(activations: UnsafeBufferPointer<UInt16>, weights: UnsafeBufferPointer<UInt16>, groupScale: Int64) -> Double {
        var man: Int64 = 0, exp = 0
        let count = activations.count
        let chunks = (count + 3) / 4
        for c in 0..<chunks {
            for t in 0..<table.cycles {
                // Lanes of this cycle.
                var ve = [Int](repeating: 0, count: 4), product = [Int64](repeating: 0, count: 4), negative = [Bool](repeating: false, count: 4)
                var top = exp
                for l in 0..<4 {
                    let k = c * 4 + l
                    let h: UInt16 = k < count ? activations[k] : 0
                    let code = k < count ? Int(weights[k]) : 0
                    let term = k < count ? table.terms[code * table.cycles + t] : .zero
                    let field = Int(h >> 10) & 31
                    let aMan = Int64(h & 0x3FF) | (field != 0 ? 0x400 : 0)
                    ve[l] = Swift.max(field, 1) + term.exponent
                    product[l] = aMan * Int64(term.mantissa)
                    negative[l] = (h & 0x8000 != 0) != term.negative
                    top = Swift.max(top, ve[l])
                }
                var dot: Int64 = 0
                for l in 0..<4 {
                    let shift = top - ve[l]
                    let aligned = shift >= 64 ? 0 : (product[l] << 3) >> Int64(shift)
                    dot += negative[l] ? -aligned : aligned
                }
                let incoming = dot << Int64(table.significance[t])
                let d = top - exp
                let shifted: Int64 = d <= 13 ? man >> Int64(d) : 0
                var sum = Self.adder.add(Self.adder.reduce(incoming), shifted).sum
                var e = top
                let magnitude = sum.magnitude
                if magnitude >= 1 << 14 {
                    let k = (64 - magnitude.leadingZeroBitCount) - 14
                    sum >>= Int64(k)
                    e += k
                }
                man = sum
                exp = e
            }
        }
        let out = dequantizer.reduce(man * groupScale)
        return Double(out) * Double(sign: .plus, exponent: exp - 28, significand: 1)
    }
}
