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
    /// `activations` are FP16 codes, `weights` codes of the table's format (both `count` long).
    func group(activations x: UnsafeBufferPointer<UInt64>, weights w: UnsafeBufferPointer<UInt64>, groupScale: Int64) -> Double {
        var man: Int64 = 0, exp = 0
        let count = x.count
        let cycles = table.cycles
        table.terms.withUnsafeBufferPointer { terms in
            var c = 0
            while c < count {
                for t in 0..<cycles {
                    // The four lanes of this cycle: exponent v, aligned-product input, sign.
                    var top = exp
                    var ve = SIMD4<Int64>(repeating: 0), product = SIMD4<Int64>(repeating: 0), negative = SIMD4<Int64>(repeating: 0)
                    for l in 0..<4 {
                        let k = c + l
                        let h = k < count ? x[k] : 0
                        let term = k < count ? terms[Int(w[k]) &* cycles &+ t] : .zero
                        let field = Int64(h >> 10) & 31
                        let aMan = Int64(h & 0x3FF) | (field != 0 ? 0x400 : 0)
                        ve[l] = Swift.max(field, 1) + Int64(term.exponent)
                        product[l] = aMan * Int64(term.mantissa)
                        negative[l] = ((h & 0x8000 != 0) != term.negative) ? 1 : 0
                        top = Swift.max(top, Int(ve[l]))
                    }
                    var dot: Int64 = 0
                    for l in 0..<4 {
                        let shift = Int64(top) - ve[l]
                        let aligned = shift >= 32 ? 0 : (product[l] << 3) >> shift
                        dot += negative[l] != 0 ? -aligned : aligned
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
                c += 4
            }
        }
        let out = dequantizer.reduce(man * groupScale)
        return Double(out) * Double(sign: .plus, exponent: exp - 28, significand: 1)
    }
}
