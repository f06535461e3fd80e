import Formats
import Reference
import Testing

/// The quantizer's x / s (binary64 rounded to odd with one FMA) rounds to every element format
/// exactly as the exact quotient does (MPFR), under every deterministic rule.
@Suite("Exact quotients for quantisation")
struct QuotientTests {
    @Test("Round-to-odd binary64 quotient then E4M3/E2M1/INT4 equals rounding the exact quotient")
    func quotients() {
        var rng = SeededGenerator(seed: 77)
        let formats: [ScalarFormat] = [.float(StandardFormats.e4m3), .float(StandardFormats.e2m1), .float(StandardFormats.fp16),
                                       .integer(IntegerFormat(bitWidth: 4, encoding: .twosComplement))]
        let references = formats.map { Conformance.Reference($0) }
        var mismatches = 0
        for _ in 0..<100_000 {
            let x = Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF | 0x3FE0_0000_0000_0000)
            // Scales with few bits make exact midpoints frequent.
            let s = Double(rng.next() % 64 + 1) * Double(sign: .plus, exponent: -Int(rng.next() % 12), significand: 1)
            let odd = ExactValue(Quantizer.quotientRoundedToOdd(x, s))
            // MPFR's quotient rounded to odd at 62 bits: rounds like the exact quotient to any
            // format of at most 60 bits.
            let quotient = BigFloat.quotientRoundedToOdd(BigFloat(x), BigFloat(s))!
            let input = BigFloat(quotient)
            for (f, r) in zip(formats, references) {
                for rule in RoundingRule.deterministic {
                    let subject = f.decode(f.encode(odd, rule: rule).code)
                    let reference = r.round(quotient, input, rule, .saturate, .saturate)
                    if subject.description != reference.value.hexString { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
    }
}
