import Formats
import Reference
import Testing

/// Rounding of binary64 values to binary16, bfloat16 and binary32 by MPFR (`rounded(to:)`)
/// against Swift's correctly rounded `Float16(x)` / `Float(x)` (nearest-even) and against the
/// independent `IntegerRoundingModel` (every mode). 10^6 seeded cases per target.
@Suite("MPFR rounding to binary targets")
struct FormatRoundingTests {
    static let caseCount = 1_000_000

    struct Target: Sendable, CustomStringConvertible {
        let name: String
        let target: BinaryFloatTarget
        let seed: UInt64
        var description: String { name }
    }

    static let targets = [
        Target(name: "binary16", target: .binary16, seed: 16),
        Target(name: "bfloat16", target: .bfloat16, seed: 1616),
        Target(name: "binary32", target: .binary32, seed: 32),
    ]

    @Test("MPFR vs integer model and Swift conversions", arguments: targets)
    func agreesWithIndependentModels(_ t: Target) {
        var cases = RoundingCaseGenerator(seed: t.seed, precision: t.target.precision,
                                          minNormalExponent: t.target.minNormalExponent,
                                          maxExponent: t.target.maxExponent)
        var mismatches = 0
        var checked = 0
        let x = BigFloat(precision: 53)
        for _ in 0..<Self.caseCount {
            let value = cases.next()
            x.set(BigFloat(value), rounding: .nearestEven)
            for mode in MPFRRounding.allCases {
                let subject = x.rounded(to: t.target, rounding: mode).value.double()
                let expected = IntegerRoundingModel.round(value, to: t.target, rounding: mode)
                var ok = subject.bitPattern == expected.bitPattern
                if mode == .nearestEven {
                    switch t.name {
                    case "binary16": ok = ok && Double(Float16(value)).bitPattern == subject.bitPattern
                    case "binary32": ok = ok && Double(Float(value)).bitPattern == subject.bitPattern
                    default: break
                    }
                }
                checked += 1
                if !ok {
                    mismatches += 1
                    if mismatches <= 5 {
                        Issue.record("""
                            \(t.name) \(mode): x=\(ExactValue(value)) reference=\(ExactValue(subject)) \
                            model=\(ExactValue(expected))
                            """)
                    }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(checked == Self.caseCount * MPFRRounding.allCases.count)
    }

    @Test("Known binary16 boundaries")
    func binary16Boundaries() {
        func r(_ v: Double) -> String {
            BigFloat(v).rounded(to: .binary16, rounding: .nearestEven).value.hexString
        }
        #expect(r(65519.99) == "0x1.ffcp+15")
        #expect(r(65520) == "inf")  // tie between 65504 and 65536 (even) overflows
        #expect(r(0x1p-25) == "0x0p+0")  // tie to even (zero)
        #expect(r(0x1.8p-24) == "0x1p-23")  // tie between 1 and 2 subnormal steps -> 2
        #expect(r(0x1.0000000000001p-25) == "0x1p-24")
    }

    @Test("Overflow and underflow flags")
    func flags() {
        let big = BigFloat(70000.0).rounded(to: .binary16, rounding: .nearestEven)
        #expect(big.overflow && big.value.isInfinite)
        let clamped = BigFloat(70000.0).rounded(to: .binary16, rounding: .towardZero)
        #expect(clamped.overflow && clamped.value.hexString == "0x1.ffcp+15")
        let tiny = BigFloat(0x1.8p-25).rounded(to: .binary16, rounding: .nearestEven)
        #expect(tiny.underflow && tiny.ternary == .roundedUp)
        let exactSubnormal = BigFloat(0x1p-24).rounded(to: .binary16, rounding: .nearestEven)
        #expect(!exactSubnormal.underflow && exactSubnormal.ternary == .exact)
    }

    @Test("Without subnormals, tiny values go to zero or the smallest normal")
    func noSubnormals() {
        let target = BinaryFloatTarget(precision: 11, minNormalExponent: -14, maxExponent: 15,
                                       subnormals: false)
        let cases: [(Double, MPFRRounding, String)] = [
            (0x1p-15, .nearestEven, "0x0p+0"),  // exact midpoint of 0 and 2^-14: even (0)
            (0x1.0001p-15, .nearestEven, "0x1p-14"),
            (0x1p-20, .up, "0x1p-14"),
            (0x1p-20, .towardZero, "0x0p+0"),
        ]
        for (value, mode, expected) in cases {
            let got = BigFloat(value).rounded(to: target, rounding: mode).value.hexString
            #expect(got == expected, "\(value) \(mode)")
            let model = IntegerRoundingModel.round(value, to: target, rounding: mode)
            #expect(ExactValue(model).description == expected)
        }
    }

    @Test("Ties-away and to-odd compositions")
    func composedRules() {
        func r(_ v: Double, _ rule: RoundingRule) -> String {
            BigFloat(v).rounded(to: .binary16, rule: rule).value.hexString
        }
        #expect(r(1 + 0x1p-11, .toNearestOrAwayFromZero) == "0x1.004p+0")
        #expect(r(1 + 0x1p-11, .toNearestOrEven) == "0x1p+0")
        #expect(r(-(1 + 0x1p-11), .toNearestOrAwayFromZero) == "-0x1.004p+0")
        #expect(r(1 + 0x1p-12, .toOdd) == "0x1.004p+0")
        #expect(r(1 + 0x1p-10 + 0x1p-12, .toOdd) == "0x1.004p+0")
        #expect(r(1, .toOdd) == "0x1p+0")
        #expect(r(0x1p-26, .toOdd) == "0x1p-24")
        #expect(r(65504 + 16, .toNearestOrAwayFromZero) == "inf")  // tie at the overflow point
    }
}
