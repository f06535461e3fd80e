import Formats
import Reference
import Simulation
import Testing

/// The accuracy metrics' fast correctly rounded dot product (`AccurateDot`, Dot2 with an error
/// bound) against the exact long accumulator rounded by MPFR: where it answers, it answers the
/// correctly rounded binary32 value; where the bound straddles a rounding boundary it declines.
@Suite("Accurate dot product")
struct AccurateDotTests {
    /// Exact sum of products rounded to binary32 (nearest even) by MPFR.
    static func exact(_ x: [Double], _ y: [Double]) -> Float {
        var accumulator = ExactAccumulator(lowestExponent: -1200, highestExponent: 900)
        for (a, b) in zip(x, y) { accumulator.addProduct(ExactValue(a), ExactValue(b)) }
        return accumulator.value().float()
    }

    static func check(_ x: [Double], _ y: [Double], declined: inout Int) {
        let r = x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in AccurateDot.compensated(a.baseAddress!, b.baseAddress!, count: x.count) } }
        let expected = exact(x, y)
        if let got = r.binary32 {
            #expect(got.bitPattern == expected.bitPattern, "\(x) . \(y): \(got) vs \(expected)")
        } else {
            declined += 1
        }
        if expected.isFinite { #expect(Swift.abs(r.value - Double(expected)) <= Double(Swift.abs(expected).ulp) || r.binary32 == nil) }
    }

    @Test("Seeded random E4M3-valued vectors with per-tensor scales, lengths 1 to 300")
    func random() {
        var rng = SeededGenerator(seed: 11)
        let e4m3 = StandardFormats.e4m3
        var declined = 0
        for trial in 0..<20_000 {
            let n = 1 + Int(rng.next() % 300)
            let sa = Double(Float(rng.nextUnitDouble() + 0.01)), sb = Double(Float(rng.nextUnitDouble() * 3 + 0.01))
            func value(_ s: Double) -> Double {
                var c: UInt64
                repeat { c = rng.next() & 0xFF } while !e4m3.decode(c).isFinite
                return e4m3.decode(c).approximateDouble * s
            }
            let x = (0..<n).map { _ in value(sa) }, y = (0..<n).map { _ in value(sb) }
            Self.check(x, y, declined: &declined)
            _ = trial
        }
        // Declines are rare on random data (they need a result within ~2^-50 of a boundary).
        #expect(declined < 20)
    }

    @Test("Cancellation, exact zeros, binary32 midpoints and ties, subnormal results, huge ranges")
    func adversarial() {
        var declined = 0
        var rng = SeededGenerator(seed: 12)
        // Exact zero: x . y with y's second half the negation of the first.
        for n in [2, 8, 64, 1024] {
            let x = (0..<n).map { _ in Double(Float(rng.nextUnitDouble() - 0.5)) }
            let half = (0..<(n / 2)).map { _ in Double(Float(rng.nextUnitDouble())) }
            let y = half + half.map { -$0 }
            let xx = Array(x[0..<(n / 2)]) + Array(x[0..<(n / 2)])
            Self.check(xx, y, declined: &declined)
        }
        // Results exactly at a binary32 midpoint (1 + 2^-24), just above and below it.
        for tail in [0.0, 0x1p-80, -0x1p-80, 0x1p-60, -0x1p-200] {
            let x = [1.0, 0x1p-24, tail, 0x1p40, -0x1p40], y = [1.0, 1.0, 1.0, 1.0, 1.0]
            Self.check(x, y, declined: &declined)
        }
        // Ties to even at the top of a binade, and sums that round up into the next binade.
        Self.check([0x1.fffffep0, 0x1p-24], [1, 1], declined: &declined)
        Self.check([0x1.fffffep0, 0x1p-24, 0x1p-90], [1, 1, 1], declined: &declined)
        // Heavy cancellation: large terms cancel, a tiny remainder decides the result.
        for _ in 0..<2000 {
            let big = Double(Float(rng.nextUnitDouble() * 1000))
            let small = Double(Float(rng.nextUnitDouble())) * 0x1p-30
            Self.check([big, small, -big, small * 3], [1.5, 1, 1.5, -0.25], declined: &declined)
        }
        // Subnormal binary32 results and results beyond binary32's range.
        Self.check([0x1p-140, 0x1p-149], [0x1p-5, 1], declined: &declined)
        Self.check([0x1p-149, 0x1p-151], [0.75, 1], declined: &declined)
        Self.check([0x1p100, 0x1p100], [0x1p30, 0x1p30], declined: &declined)
        Self.check([0x1.fffffep127, 0x1p103], [1, 1], declined: &declined)
        // The exact zero declines (its bound straddles +0 and -0) and the caller rounds exactly.
        #expect(declined >= 4)
    }
}
