import Formats
import Reference
import Testing

@Suite("BigFloat construction, text and truncation")
struct BigFloatTests {
    @Test("Hex-float text round-trips exactly")
    func hexRoundTrip() {
        let samples = ["0x1.8p+3", "-0x0p+0", "0x0p+0", "nan", "inf", "-inf", "0x1p-1074",
                       "0x1.fffffffffffffp+1023", "-0x1.23456789abcdef0123456789p-300"]
        for text in samples {
            let x = BigFloat(hexString: text)!
            #expect(x.hexString == text)
        }
        #expect(BigFloat(hexString: "0x18p-1")!.hexString == "0x1.8p+3")
        #expect(BigFloat(hexString: "1.5") == nil)
        #expect(BigFloat(hexString: "0x1.8p+3junk") == nil)
    }

    @Test("Integers, doubles and exact triples")
    func construction() {
        #expect(BigFloat(12).hexString == "0x1.8p+3")
        #expect(BigFloat(-1).hexString == "-0x1p+0")
        #expect(BigFloat(Int.min).hexString == "-0x1p+63")
        #expect(BigFloat(0.1).hexString == "0x1.999999999999ap-4")
        #expect(BigFloat(-0.0).hexString == "-0x0p+0")
        #expect(BigFloat(negative: true, significand: 3, exponent: -2).hexString == "-0x1.8p-1")
        #expect(BigFloat(negative: false, limbs: [0, 1], exponent: 0).hexString == "0x1p+64")
        #expect(BigFloat(ExactValue(Double.infinity)).isInfinite)
    }

    @Test("ExactValue and BigFloat agree on hex text")
    func exactValueText() {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<10_000 {
            let d = Double(bitPattern: rng.next())
            guard !d.isNaN else { continue }
            let e = ExactValue(d)
            let b = BigFloat(d)
            #expect(e.description == b.hexString)
            #expect(b.exactValue == e)
            #expect(HexFloat.parse(e.description)!.value == e)
        }
    }

    @Test("Decimal parsing rounds with the given mode and reports the ternary")
    func decimalParse() {
        let (x, t) = BigFloat.parse("0.1", precision: 24, rounding: .nearestEven)!
        #expect(x.hexString == "0x1.99999ap-4" && t == .roundedUp)
        let (y, u) = BigFloat.parse("0.1", precision: 24, rounding: .towardZero)!
        #expect(y.hexString == "0x1.999998p-4" && u == .roundedDown)
        #expect(BigFloat.parse("abc", precision: 24, rounding: .nearestEven) == nil)
        #expect(BigFloat.parse("0x1.8p1", precision: 24, rounding: .nearestEven)!.0.hexString == "0x1.8p+1")
    }

    @Test("Aligned truncation is sign-magnitude, toward zero")
    func truncation() {
        let r = BigFloat(precision: 64)
        let x = BigFloat(hexString: "0x1.ffp+0")!  // 1.99609375
        #expect(r.setTruncated(x, toMultipleOfPowerOfTwo: -4) == .roundedDown)
        #expect(r.hexString == "0x1.fp+0")
        let y = BigFloat(hexString: "-0x1.ffp+0")!
        #expect(r.setTruncated(y, toMultipleOfPowerOfTwo: -4) == .roundedUp)
        #expect(r.hexString == "-0x1.fp+0")
        #expect(r.setTruncated(BigFloat(hexString: "0x1p-30")!, toMultipleOfPowerOfTwo: -23) == .roundedDown)
        #expect(r.isZero)
        #expect(r.setTruncated(BigFloat(hexString: "0x1.8p+2")!, toMultipleOfPowerOfTwo: 1) == .exact)
        #expect(r.hexString == "0x1.8p+2")
    }

    @Test("Explicit precision and rounding on every operation")
    func arithmetic() {
        let a = BigFloat(1.0), b = BigFloat(hexString: "0x1p-30")!
        let (s, t) = BigFloat.sum(a, b, precision: 24, rounding: .up)
        #expect(s.hexString == "0x1.000002p+0" && t == .roundedUp)
        let (d, u) = BigFloat.sum(a, b, precision: 24, rounding: .down)
        #expect(d.hexString == "0x1p+0" && u == .roundedDown)
        let (p, v) = BigFloat.product(BigFloat(3), BigFloat(hexString: "0x1.555556p-2")!, precision: 24,
                                      rounding: .awayFromZero)
        #expect(v != .exact && p.hexString == "0x1.000002p+0")
        let fma = BigFloat(precision: 24)
        let one = BigFloat(hexString: "0x1.000002p+0")!, almost = BigFloat(hexString: "0x1.fffffep-1")!
        #expect(fma.fusedMultiplyAdd(one, almost, BigFloat(-1), rounding: .nearestEven) == .exact)
        #expect(fma.hexString == "0x1.fffffcp-25")  // oracles.md §5.2 fma example
    }
}
