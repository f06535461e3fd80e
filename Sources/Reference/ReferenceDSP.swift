import Formats

/// Reference semantics of the FPGA DSP chains (docs/fpga-dsp.md, "Semantics"), written from
/// fpga-dsp.md §2-5 and §7 on exact integers (the GMP-backed values of MPFR where a sum leaves
/// 64 bits) and MPFR roundings. Shares no code with `DSPChainEngine`: the packed P register is
/// formed from the exact lane sums (P = S1 2^18 + S0 modulo 2^48), not term by term.
public enum ReferenceDSP {
    /// Signed value of the field P[high-1:low] of a non-negative P.
    static func field(_ p: Int128, low: Int, high: Int) -> Int128 {
        let width = high - low
        let v = (p >> low) & ((Int128(1) << width) - 1)
        return v >= Int128(1) << (width - 1) ? v - (Int128(1) << width) : v
    }

    static func modulo(_ x: Int128, bits: Int) -> Int128 {
        let m = Int128(1) << bits
        let r = x % m
        return r < 0 ? r + m : r
    }

    static func exactDot(_ x: [Int64], _ y: [Int64]) -> Int128 { ExactInteger.dot(x, y)! }

    /// WP486 two-lane INT8: lanes (lo, hi) of one pass; `signBit` adds P[17] to hi.
    public static func int8Pair(b: [Int64], c: [Int64], a: [Int64], signBit: Bool) -> (Int64, Int64) {
        let s0 = exactDot(b, a), s1 = exactDot(c, a)
        let p = modulo(s1 * (1 << 18) + s0, bits: 48)
        let lo = field(p, low: 0, high: 18)
        var hi = field(p, low: 18, high: 48)
        if signBit { hi += (p >> 17) & 1 }
        return (Int64(lo), Int64(hi))
    }

    /// FINN four-lane INT4 (offsets 0, 8, 15, 22): lane k of one pass. `correction`:
    /// "canary" = the exact lane sum (the top lane wrapped to its 26 bits), "sign_bit" = the
    /// signed field plus the sign bit below it, "none" = the signed field.
    public static func int4Lane(_ lane: Int, weights: [[Int64]], activations: [Int64], correction: String) -> Int64 {
        let sums = weights.map { exactDot($0, activations) }
        if correction == "canary" {
            return Int64(lane == 3 ? field(modulo(sums[3], bits: 26), low: 0, high: 26) : sums[lane])
        }
        let offsets = [0, 8, 15, 22, 48]
        let p = modulo((0..<4).reduce(Int128(0)) { $0 + sums[$1] * (Int128(1) << offsets[$1]) }, bits: 48)
        var v = field(p, low: offsets[lane], high: offsets[lane + 1])
        if correction == "sign_bit" && lane > 0 { v += (p >> (offsets[lane] - 1)) & 1 }
        return Int64(v)
    }

    /// Native accumulators (single INT8, DSP58 3-term dot, tensor block): the exact pass sum
    /// wrapped to the accumulator's width.
    public static func native(_ a: [Int64], _ b: [Int64], accumulatorBits: Int) -> Int64 {
        let s = exactDot(a, b)
        return Int64(ExactInteger.wrapped(s, toBits: accumulatorBits))
    }

    /// DSPFP32 along a cascade: acc = RN32(acc + RN32(a b)) from +0 (fp16 or fp32 inputs).
    public static func dspfp32(_ x: [UInt64], _ y: [UInt64], input: MiniFloatFormat) -> String {
        var acc = BigFloat(0)
        for (u, v) in zip(x, y) {
            let p = BigFloat(precision: 128)
            p.multiply(FormatReference.value(ofCode: u, in: input), FormatReference.value(ofCode: v, in: input), rounding: .nearestEven)
            let product = p.rounded(to: .binary32, rounding: .nearestEven).value
            let s = BigFloat(precision: 256)
            s.add(acc, product, rounding: .nearestEven)
            acc = s.rounded(to: .binary32, rounding: .nearestEven).value
        }
        return acc.hexString
    }

    /// Kulisch: the exact sum of the minifloat products, rounded once to binary32 (nearest even);
    /// a zero sum is +0 (a fixed-point accumulator has no negative zero).
    public static func kulisch(_ x: [UInt64], _ y: [UInt64], a: MiniFloatFormat, b: MiniFloatFormat) -> String {
        let terms: [BigFloat] = zip(x, y).map { u, v in
            let p = BigFloat(precision: 128)
            p.multiply(FormatReference.value(ofCode: u, in: a), FormatReference.value(ofCode: v, in: b), rounding: .nearestEven)
            return p
        }
        let (s, _) = BigFloat.sum(of: terms, precision: 512, rounding: .nearestEven)
        if s.isZero { return "0x0p+0" }
        return s.rounded(to: .binary32, rounding: .nearestEven).value.hexString
    }
}
