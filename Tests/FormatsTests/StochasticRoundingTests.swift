import Formats
import Testing

@Suite("Stochastic rounding")
struct StochasticRoundingTests {
    /// Mean error of 10^6 stochastic roundings of one value to E4M3 (and to INT8) is zero within
    /// 5 standard errors: each draw lands on one of two neighbours a quantum q apart, so its
    /// error has standard deviation at most q/2 and the mean of n draws at most q / (2 sqrt n).
    /// With 16 random bits the rounding probability is quantised to 2^-16, a bias of at most
    /// q * 2^-16, added to the bound.
    @Test("Unbiased within the stated bound, and reproducible", arguments: [
        (StandardFormats.e4m3, 1.3, 0x1p-3),  // between 1.25 and 1.375
        (StandardFormats.e4m3, -0.0123, 0x1p-9),  // subnormal range: step 2^-9
        (StandardFormats.e2m1, 2.6, 1.0),  // between 2 and 3
    ])
    func unbiased(_ format: MiniFloatFormat, _ x: Double, _ quantum: Double) {
        let n = 1_000_000
        var rng = SeededGenerator(seed: 42)
        var sum = 0.0
        var first: [UInt64] = []
        for i in 0..<n {
            let r = format.encode(ExactValue(x), rule: .stochastic(randomBits: 16), overflow: .saturate) { rng.next() }
            if i < 32 { first.append(r.code) }
            sum += format.decode(r.code).approximateDouble - x
        }
        let mean = sum / Double(n)
        let bound = 5 * quantum / (2 * Double(n).squareRoot()) + quantum * 0x1p-16
        #expect(Swift.abs(mean) < bound, "mean error \(mean) exceeds \(bound)")
        // Same seed, same draws.
        var again = SeededGenerator(seed: 42)
        let replay = (0..<32).map { _ in
            format.encode(ExactValue(x), rule: .stochastic(randomBits: 16), overflow: .saturate) { again.next() }.code
        }
        #expect(replay == first)
        #expect(Set(first).count == 2, "both neighbours must occur")
    }

    @Test("Integer stochastic rounding is unbiased too")
    func integers() {
        let int8 = IntegerFormat(bitWidth: 8, encoding: .twosComplement)
        var rng = SeededGenerator(seed: 7)
        var sum = 0.0
        let n = 1_000_000
        for _ in 0..<n {
            let r = int8.encode(ExactValue(-3.3), rule: .stochastic(randomBits: 20), overflow: .saturate) { rng.next() }
            sum += Double(int8.integer(ofCode: r.code)) + 3.3
        }
        #expect(Swift.abs(sum / Double(n)) < 5 * 0.5 / Double(n).squareRoot() + 0x1p-20)
    }

    @Test("Exact values never move")
    func exact() {
        var rng = SeededGenerator(seed: 1)
        for code in UInt64(0)..<0x7F {
            let v = StandardFormats.e4m3.decode(code)
            let r = StandardFormats.e4m3.encode(v, rule: .stochastic(randomBits: 8), overflow: .saturate) { rng.next() }
            #expect(r.code == code && r.ternary == .exact)
        }
    }
}
