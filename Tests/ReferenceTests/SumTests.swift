import Formats
import Reference
import Testing

/// `mpfr_sum` wrapper: hard cancellations give the correctly rounded result.
@Suite("Correctly rounded n-ary sums")
struct SumTests {
    func value(_ hex: String) -> BigFloat { BigFloat(hexString: hex)! }

    @Test("2^100 + 1 - 2^100 = 1 exactly, at any precision")
    func cancellation() {
        let terms = [value("0x1p+100"), value("0x1p+0"), value("-0x1p+100")]
        for precision in [2, 24, 53] {
            let (s, t) = BigFloat.sum(of: terms, precision: precision, rounding: .nearestEven)
            #expect(s.hexString == "0x1p+0")
            #expect(t == .exact)
        }
    }

    @Test("Long alternating sum cancels to the one small term")
    func alternating() {
        var terms: [BigFloat] = []
        for k in 0..<1000 {
            let big = value("0x1.fffffffffffffp+\(k % 900)")
            terms.append(big)
            terms.append(big.copy())
            terms[terms.count - 1].negate(big)
        }
        terms.append(value("0x1p-1074"))
        let (s, t) = BigFloat.sum(of: terms, precision: 24, rounding: .nearestEven)
        #expect(s.hexString == "0x1p-1074")
        #expect(t == .exact)
    }

    @Test("Terms spanning 2^-1074..2^1023 round once (binary64 extremes)")
    func fullSpan() {
        let terms = [value("0x1p+1023"), value("0x1p-1074"), value("-0x1p+1023"), value("0x1p-1074"),
                     value("0x1p+0")]
        // 1 + 2^-1073: at 53 bits, round to nearest gives 1; toward +inf gives 1 + 2^-52.
        let (n, tn) = BigFloat.sum(of: terms, precision: 53, rounding: .nearestEven)
        #expect(n.hexString == "0x1p+0" && tn == .roundedDown)
        let (u, tu) = BigFloat.sum(of: terms, precision: 53, rounding: .up)
        #expect(u.hexString == "0x1.0000000000001p+0" && tu == .roundedUp)
        let (exact, te) = BigFloat.sum(of: terms, precision: 2200, rounding: .nearestEven)
        #expect(te == .exact)
        #expect(exact.hexString.hasPrefix("0x1.") && exact.hexString.hasSuffix("p+0"))
    }

    @Test("Double-rounding trap: 1 + 2^-24 + 2^-60 to binary32")
    func doubleRoundingTrap() {
        // oracles.md §4: rounding directly gives 0x1.000002p+0; via binary64 first gives 1.0.
        let terms = [value("0x1p+0"), value("0x1p-24"), value("0x1p-60")]
        let (wide, _) = BigFloat.sum(of: terms, precision: 200, rounding: .nearestEven)
        #expect(wide.float().bitPattern == 0x3F80_0001)
        #expect(wide.rounded(to: .binary32, rounding: .nearestEven).value.hexString == "0x1.000002p+0")
        #expect(Float(wide.double()).bitPattern == 0x3F80_0000)
    }

    @Test("Exact products and a 16-term binary32 dot product")
    func exactDot() {
        var rng = SeededGenerator(seed: 7)
        var products: [BigFloat] = []
        var exactParts: [(Float, Float)] = []
        for _ in 0..<16 {
            let a = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF | 0x3000_0000)
            let b = -Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF | 0x3000_0000)
            exactParts.append((a, b))
            let p = BigFloat.exactProduct(BigFloat(Double(a)), BigFloat(Double(b)))
            #expect(p.precision == 106)
            products.append(p)
        }
        let (sum, _) = BigFloat.sum(of: products, precision: 600, rounding: .nearestEven)
        let rounded = sum.float()
        // Independent check: the exact sum of products computed in Int128 fixed point.
        var fixed: Int128 = 0
        for (a, b) in exactParts {
            let ea = ExactValue(a), eb = ExactValue(b)
            let p = ea.multipliedExactly(by: eb)!
            let shift = p.exponent + 110
            #expect(shift >= 0 && shift < 72)
            let magnitude = Int128(p.significand) << shift
            fixed += p.isNegative ? -magnitude : magnitude
        }
        let fixedValue = BigFloat(negative: fixed < 0, limbs: [UInt64(truncatingIfNeeded: fixed.magnitude),
                                                               UInt64(truncatingIfNeeded: fixed.magnitude >> 64)],
                                  exponent: -110)
        #expect(BigFloat.compare(fixedValue, sum) == 0)
        #expect(rounded == fixedValue.float())
    }

    @Test("Empty sum is +0; all-zero sums keep IEEE signs")
    func zeros() {
        let (s, _) = BigFloat.sum(of: [], precision: 24, rounding: .nearestEven)
        #expect(s.hexString == "0x0p+0")
        let (n, _) = BigFloat.sum(of: [value("-0x0p+0"), value("-0x0p+0")], precision: 24, rounding: .nearestEven)
        #expect(n.hexString == "-0x0p+0")
    }
}

@Suite("Exact long accumulator")
struct ExactAccumulatorTests {
    @Test("Agrees with mpfr_sum of exact products, including cancellation and both signs")
    func agreesWithMPFR() {
        var rng = SeededGenerator(seed: 31)
        for trial in 0..<300 {
            var acc = ExactAccumulator(lowestExponent: -600, highestExponent: 600)
            var products: [BigFloat] = []
            for _ in 0..<(1 + trial % 50) {
                let a = Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF | UInt64(900 + rng.next() % 250) << 52)
                let b = Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF | UInt64(900 + rng.next() % 250) << 52)
                acc.addProduct(ExactValue(a), ExactValue(b))
                products.append(BigFloat.exactProduct(BigFloat(a), BigFloat(b)))
                if trial % 3 == 0 {  // exact cancellation partner
                    acc.addProduct(ExactValue(-a), ExactValue(b))
                    products.append(BigFloat.exactProduct(BigFloat(-a), BigFloat(b)))
                }
            }
            let (expected, t) = BigFloat.sum(of: products, precision: 2000, rounding: .nearestEven)
            #expect(t == .exact)
            #expect(BigFloat.compare(acc.value(), expected) == 0 || (expected.isZero && acc.value().isZero))
        }
    }
}
