import Formats

/// Reference semantics of the BitMoD PE over one weight group (docs/pe-array.md, "BitMoD
/// semantics"), written on values with MPFR from bitmod.md §3-4 and the corrections the docs
/// list. State: the accumulator value A and its exponent e (A a multiple of 2^(e-28) with
/// |A| < 2^(e-14)), starting at (0, 0). Per chunk of four activations and per weight term t:
/// - each lane reads its FP16 code as sign, significand s (hidden bit set for a non-zero field)
///   and field f (read as 1 when 0; field 31 is an ordinary exponent: the PE has no special
///   values), x = +-s 2^(max(f,1) - 25); the lane's term is +-mu 2^c (mu 0 or 1, c <= 3) and its
///   exponent v = max(f,1) + c (a zero term keeps c = 0; a lane past the group's end reads code 0
///   and a zero term);
/// - M = max(e, v_0..v_3); each product x * term is truncated toward zero to a multiple of
///   2^(M-28) (the 14-bit aligner with three guard bits); D = their exact sum, times 2^bsig(t);
/// - A is floored to a multiple of 2^(M-28) (arithmetic shift), or 0 when M - e > 13;
/// - S = D + A as a multiple of 2^(M-28), wrapped to 23-bit two's complement in those units;
/// - when |S| >= 2^14 units it is floored to a multiple of 2^k units, k = (bit length of |S| in
///   units) - 14, and e = M + k (the 15-bit signed mantissa may then hold -2^14); else e = M.
/// Dequantisation: the mantissa A / 2^(e-28) times the unsigned INT8 group scale, wrapped to
/// `dequantizationBits`; the group's value is that times 2^(e-28).
///
/// Terms, from the weight's integer value w: two's complement integers of `integerBits` bits
/// give radix-4 Booth digits d_t = w_{2t-1} + w_{2t} - 2 w_{2t+1} (w_{-1} = 0), least
/// significant first, term t = d_t at bit significance 2t (|d| = 2 is 2^1); codebook values
/// give two terms, low (significance 0) and high (significance 1), with w = low + 2 high:
/// |w| with one set bit at position p is low = 2^0 when p = 0, else high = 2^(p-1); with two
/// set bits p < q, low = 2^p and high = 2^(q-1); with three, |w| = 2^q - 2^p gives low = -2^p,
/// high = 2^(q-1); the signs follow w.
public enum ReferenceBitMoD {
    public struct Term: Equatable, Sendable {
        public var sign: Int
        public var exponent: Int
        public var significance: Int
    }

    /// Booth terms (integerBits given) or the two-term form of a weight value.
    public static func terms(ofValue w: Int, integerBits: Int?) -> [Term] {
        if let bits = integerBits {
            let pattern = UInt64(bitPattern: Int64(w)) & ((1 << UInt64(bits)) - 1)
            func bit(_ i: Int) -> Int {
                if i < 0 { return 0 }
                return Int((pattern >> UInt64(Swift.min(i, bits - 1))) & 1)  // sign extension
            }
            return (0..<((bits + 1) / 2)).map { t in
                let d = bit(2 * t - 1) + bit(2 * t) - 2 * bit(2 * t + 1)
                return Term(sign: d.signum(), exponent: Swift.abs(d) == 2 ? 1 : 0, significance: 2 * t)
            }
        }
        let s = w < 0 ? -1 : 1, magnitude = Swift.abs(w)
        let positions = (0..<6).filter { magnitude >> $0 & 1 == 1 }
        var low = Term(sign: 0, exponent: 0, significance: 0), high = Term(sign: 0, exponent: 0, significance: 1)
        switch positions.count {
        case 0: break
        case 1:
            if positions[0] == 0 { low.sign = s } else { high = Term(sign: s, exponent: positions[0] - 1, significance: 1) }
        case 2:
            low = Term(sign: s, exponent: positions[0], significance: 0)
            high = Term(sign: s, exponent: positions[1] - 1, significance: 1)
        default:
            // 2^q - 2^p: q one above the leading bit, p the lowest set bit.
            let q = positions.last! + 1, p = positions[0]
            precondition((1 << q) - (1 << p) == magnitude, "no two-term form")
            low = Term(sign: -s, exponent: p, significance: 0)
            high = Term(sign: s, exponent: q - 1, significance: 1)
        }
        return [low, high]
    }

    /// The dequantised group value (a hex float) for FP16 activation codes and weight values.
    public static func group(activations: [UInt64], weightValues: [Int], integerBits: Int?, groupScale: Int,
                             dequantizationBits: Int) -> String {
        let wide = 128
        var a = BigFloat(0)
        var e = 0
        let termsPerWeight = integerBits.map { ($0 + 1) / 2 } ?? 2
        let chunks = (activations.count + 3) / 4
        for c in 0..<chunks {
            for t in 0..<termsPerWeight {
                var lanes: [(x: BigFloat, v: Int, term: Term)] = []
                for l in 0..<4 {
                    let k = c * 4 + l
                    let code = k < activations.count ? activations[k] : 0
                    let term = k < activations.count ? terms(ofValue: weightValues[k], integerBits: integerBits)[t]
                        : Term(sign: 0, exponent: 0, significance: t == 0 ? 0 : (integerBits == nil ? 1 : 2 * t))
                    let field = Int(code >> 10) & 31
                    let significand = Int(code & 0x3FF) | (field != 0 ? 0x400 : 0)
                    let x = BigFloat(precision: 64)
                    x.set(significand)
                    x.scale(x, byPowerOfTwo: Swift.max(field, 1) - 25)
                    if code & 0x8000 != 0 { x.negate(x) }
                    lanes.append((x, Swift.max(field, 1) + term.exponent, term))
                }
                let top = lanes.reduce(e) { Swift.max($0, $1.v) }
                let unit = top - 28
                let d = BigFloat(precision: wide)
                d.setZero()
                for lane in lanes where lane.term.sign != 0 {
                    let p = BigFloat(precision: wide)
                    p.scale(lane.x, byPowerOfTwo: lane.term.exponent)
                    if lane.term.sign < 0 { p.negate(p) }
                    let aligned = BigFloat(precision: wide)
                    aligned.setTruncated(p, toMultipleOfPowerOfTwo: unit)
                    d.add(d, aligned, rounding: .nearestEven)
                }
                d.scale(d, byPowerOfTwo: lanes[0].term.significance)
                let shiftedA = BigFloat(precision: wide)
                if top - e <= 13 { shiftedA.setFloored(a, toMultipleOfPowerOfTwo: unit) } else { shiftedA.setZero() }
                let s = BigFloat(precision: wide)
                s.add(d, shiftedA, rounding: .nearestEven)
                // In units of 2^unit, wrapped to 23 bits.
                s.scale(s, byPowerOfTwo: -unit)
                let wrapped = ExactInteger.wrapped(s.int128Value!, toBits: 23)
                let length = 128 - wrapped.magnitude.leadingZeroBitCount
                let k = length > 14 ? length - 14 : 0
                let units = floorDivide(wrapped, by: k)
                a = BigFloat(precision: wide)
                a.set(Int(units))
                a.scale(a, byPowerOfTwo: unit + k)
                e = top + k
            }
        }
        // Dequantisation in the exponent's units.
        let mantissa = BigFloat(precision: wide)
        mantissa.scale(a, byPowerOfTwo: -(e - 28))
        let product = ExactInteger.wrapped(mantissa.int128Value! * Int128(groupScale), toBits: dequantizationBits)
        let out = BigFloat(precision: wide)
        out.set(Int(product))
        out.scale(out, byPowerOfTwo: e - 28)
        return out.hexString
    }

    /// floor(x / 2^k).
    static func floorDivide(_ x: Int128, by k: Int) -> Int128 {
        let d = Int128(1) << k
        let q = x / d
        return (x % d != 0 && x < 0) ? q - 1 : q
    }
}

extension BigFloat {
    /// `self = x` floored (toward minus infinity) to a multiple of 2^log2Quantum: an arithmetic
    /// right shift of a two's complement register.
    @discardableResult
    public func setFloored(_ x: BigFloat, toMultipleOfPowerOfTwo log2Quantum: Int) -> Ternary {
        let t = setTruncated(x, toMultipleOfPowerOfTwo: log2Quantum)
        if t != .exact && x.isNegative {
            subtract(self, BigFloat.powerOfTwo(log2Quantum), rounding: .nearestEven)
        }
        return t
    }
}
