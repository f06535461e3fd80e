import Formats
import Reference
import Testing

/// Every code of every format of at most 16 bits decodes to the value MPFR computes from its bit
/// fields, and every canonical finite value re-encodes to its own code under every rule.
@Suite("Exhaustive decode and re-encode")
struct DecodeConformanceTests {
    static let formats = Conformance.smallFormats.map { FormatCase(name: $0.0, format: $0.1) }

    struct FormatCase: Sendable, CustomStringConvertible {
        let name: String
        let format: ScalarFormat
        var description: String { name }
    }

    @Test("Every code decodes to the reference value and re-encodes to itself", arguments: formats)
    func everyCode(_ c: FormatCase) {
        var failures = 0
        let count = UInt64(1) << UInt64(c.format.bitWidth)
        for code in 0..<count {
            let subject = c.format.decode(code)
            let expected = Conformance.referenceValue(code, c.format)
            if subject.description != expected {
                failures += 1
                if failures <= 5 { Issue.record("\(c.name) code \(String(code, radix: 16)): subject \(subject) reference \(expected)") }
                continue
            }
            guard subject.isFinite, c.format.isCanonical(code) else { continue }
            for rule in RoundingRule.deterministic {
                let r = c.format.encode(subject, rule: rule)
                if r.code != code || r.ternary != .exact || !r.flags.isEmpty {
                    failures += 1
                    if failures <= 5 {
                        Issue.record("\(c.name) \(rule): \(subject) re-encodes to \(String(r.code, radix: 16)) (\(r.ternary), \(r.flags)), expected \(String(code, radix: 16))")
                    }
                }
            }
        }
        #expect(failures == 0)
    }

    @Test("Spec extremes of the OCP and IEEE formats")
    func extremes() {
        let s = StandardFormats.self
        let cases: [(MiniFloatFormat, String, String, String)] = [
            // format, max finite, min normal, min subnormal
            (s.e4m3, "0x1.cp+8", "0x1p-6", "0x1p-9"),
            (s.e5m2, "0x1.cp+15", "0x1p-14", "0x1p-16"),
            (s.e4m3fnuz, "0x1.ep+7", "0x1p-7", "0x1p-10"),
            (s.e5m2fnuz, "0x1.cp+15", "0x1p-15", "0x1p-17"),
            (s.e3m2, "0x1.cp+4", "0x1p-2", "0x1p-4"),
            (s.e2m3, "0x1.ep+2", "0x1p+0", "0x1p-3"),
            (s.e2m1, "0x1.8p+2", "0x1p+0", "0x1p-1"),
            (s.fp16, "0x1.ffcp+15", "0x1p-14", "0x1p-24"),
            (s.bf16, "0x1.fep+127", "0x1p-126", "0x1p-133"),
        ]
        for (f, max, minNormal, minSub) in cases {
            #expect(f.decode(f.maxFiniteMagnitudeCode).description == max)
            #expect(f.decode(1 << UInt64(f.mantissaBits)).description == minNormal)
            #expect(f.decode(1).description == minSub)
        }
        #expect(s.e8m0.decode(0).description == "0x1p-127")
        #expect(s.e8m0.decode(0xFE).description == "0x1p+127")
        #expect(s.e8m0.decode(0xFF).isNaN)
        #expect(s.e4m3.decode(0x7F).isNaN && s.e4m3.decode(0xFF).isNaN && s.e4m3.decode(0x80).description == "-0x0p+0")
        #expect(s.e4m3fnuz.decode(0x80).isNaN)
    }
}
