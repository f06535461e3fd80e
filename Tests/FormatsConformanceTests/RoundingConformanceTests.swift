import Formats
import Reference
import Testing

/// Every format of at most 16 bits under every deterministic rounding rule and overflow policy:
/// all midpoints of consecutive representable values, the binary64 values one ulp either side
/// of them, the overflow thresholds, specials, and 10^5 seeded random values, against the MPFR
/// reference (value, ternary and flags).
@Suite("Rounding conformance against MPFR")
struct RoundingConformanceTests {
    static let formats = DecodeConformanceTests.formats
    static let randomCount = 100_000

    static func cases(for format: ScalarFormat, seed: UInt64) -> [ExactValue] {
        let values = Conformance.finiteValues(format)
        var xs: [ExactValue] = [.nan, .infinity(negative: false), .infinity(negative: true), .zero(negative: true)]
        for i in 1..<values.count {
            let m = Conformance.midpoint(values[i - 1], values[i])
            xs.append(m)
            if let d = m.exactDouble {
                xs.append(ExactValue(d.nextUp))
                xs.append(ExactValue(d.nextDown))
            }
        }
        // Overflow thresholds: beyond each end by half and one step of the last gap, and far out.
        if values.count >= 2 {
            for (end, inner) in [(values.last!, values[values.count - 2]), (values.first!, values[1])] {
                let e = BigFloat(end), g = BigFloat(precision: 256)
                g.subtract(e, BigFloat(inner), rounding: .nearestEven)
                for k in [1, 2, 3, 4] {
                    let t = BigFloat(precision: 256)
                    let step = BigFloat(precision: 256)
                    step.scale(g, byPowerOfTwo: -2)
                    step.multiply(step, BigFloat(k), rounding: .nearestEven)
                    t.add(e, step, rounding: .nearestEven)
                    xs.append(t.exactValue!)
                    if let d = t.exactValue!.exactDouble { xs.append(ExactValue(d.nextUp)); xs.append(ExactValue(d.nextDown)) }
                }
                xs.append(end.scaled(byPowerOfTwo: 40))
            }
        }
        var rng = SeededGenerator(seed: seed)
        let top = values.compactMap(\.binade).max() ?? 0
        let bottom = values.filter { !$0.isZero }.map(\.exponent).min() ?? 0
        for _ in 0..<randomCount {
            let span = UInt64(top - bottom + 6)
            let e = bottom - 3 + Int(rng.next() % span)
            let significand = rng.next() >> (rng.next() % 40)
            let v = ExactValue(negative: rng.next() & 1 == 1, significand: significand | 1, exponent: e - 63)
            xs.append(v)
        }
        return xs
    }

    @Test("Subject and MPFR reference agree", arguments: formats)
    func agrees(_ c: RoundingCaseFormat) {
        let xs = Self.cases(for: c.format, seed: UInt64(c.name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var failures = 0
        var checked = 0
        let oracle = Conformance.Reference(c.format)
        for x in xs {
            let input = BigFloat(x)
            for rule in RoundingRule.deterministic {
                let base = oracle.round(x, input, rule, .saturate, .saturate)
                let policyMatters = x.isInfinite || base.flags.contains(.overflow)
                for policy in OverflowPolicy.allCases {
                    for integerPolicy in IntegerOverflow.allCases {
                        if case .integer = c.format {} else if integerPolicy == .wrap { continue }
                        if case .float = c.format {} else if policy != .saturate { continue }
                        let reference = policyMatters
                            ? oracle.round(x, input, rule, policy, integerPolicy) : base
                        let subject = Conformance.subjectEncode(x, c.format, rule, policy, integerPolicy)
                        let value = c.format.decode(subject.code)
                        checked += 1
                        if value.description != reference.value.hexString || subject.ternary != reference.ternary
                            || subject.flags != reference.flags {
                            failures += 1
                            if failures <= 8 {
                                Issue.record("""
                                    \(c.name) \(rule) \(policy)/\(integerPolicy): x = \(x)
                                      subject   \(value) code 0x\(String(subject.code, radix: 16)) (\(subject.ternary), \(subject.flags))
                                      reference \(reference)
                                    """)
                            }
                        }
                    }
                }
            }
        }
        #expect(failures == 0)
        #expect(checked >= Self.randomCount * RoundingRule.deterministic.count)
    }
}

typealias RoundingCaseFormat = DecodeConformanceTests.FormatCase
