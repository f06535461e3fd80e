import Formats
import Reference
import Testing

@Suite("MPFR thread state is restored")
struct ExponentRangeTests {
    @Test("Range and flags are restored after every rounding")
    func restored() {
        // Start from clear flags so a flag leaked by the rounding itself cannot hide behind one
        // an earlier test left on this thread (that is how a leak once passed locally).
        MPFRExponentRange.clearFlags()
        let before = MPFRExponentRange.current
        let flagsBefore = MPFRExponentRange.currentFlags
        for value in [70000.0, 0x1p-30, 1.0 / 3.0, 0] {
            _ = BigFloat(value).rounded(to: .binary16, rounding: .nearestEven)
            _ = BigFloat(value).rounded(to: .binary16, rule: .toOdd)
            #expect(MPFRExponentRange.current == before)
            #expect(MPFRExponentRange.currentFlags == flagsBefore)
        }
        // The format-level oracles (minifloat with its policies, integers) keep flags too.
        let e4m3 = StandardFormats.e4m3
        for value in [448.5, 0x1p-12, 1.0 / 3.0, 1e6] {
            let x = ExactValue(value)
            for rule in [RoundingRule.toNearestOrEven, .towardZero, .toNearestOrAwayFromZero, .toOdd] {
                _ = FormatReference.round(x, to: e4m3, rule: rule, overflow: .saturate)
                _ = FormatReference.round(x, to: IntegerFormat(bitWidth: 8, encoding: .twosComplement), rule: rule,
                                          overflow: .saturate)
            }
            #expect(MPFRExponentRange.current == before)
            #expect(MPFRExponentRange.currentFlags == flagsBefore)
        }
    }

    @Test("Eight concurrent tasks rounding to different targets see their own state")
    func concurrent() async {
        let targets: [BinaryFloatTarget] = [
            .binary16, .bfloat16, .binary32, .binary64,
            BinaryFloatTarget(precision: 4, minNormalExponent: -6, maxExponent: 8, subnormals: true),
            BinaryFloatTarget(precision: 3, minNormalExponent: -14, maxExponent: 15, subnormals: true),
            BinaryFloatTarget(precision: 2, minNormalExponent: 0, maxExponent: 2, subnormals: true),
            BinaryFloatTarget(precision: 11, minNormalExponent: -14, maxExponent: 15, subnormals: false),
        ]
        let results = await withTaskGroup(of: Int.self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask {
                    var rng = SeededGenerator(seed: UInt64(index))
                    var mismatches = 0
                    let before = MPFRExponentRange.current
                    for _ in 0..<20_000 {
                        let v = Double(bitPattern: rng.next() >> 2 | 0x3000_0000_0000_0000) - 1
                        let subject = BigFloat(v).rounded(to: target, rounding: .nearestEven).value.double()
                        let model = IntegerRoundingModel.round(v, to: target, rounding: .nearestEven)
                        if subject.bitPattern != model.bitPattern { mismatches += 1 }
                        if MPFRExponentRange.current != before { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            var total = 0
            for await m in group { total += m }
            return total
        }
        #expect(results == 0)
    }
}
