import EngineKit
import Formats
import Testing

/// The shared datapath blocks, each against an independent integer model.
@Suite("Shared datapath blocks")
struct DatapathBlockTests {
    /// Two's complement of `x` modulo 2^width (width <= 126), computed with Int128 remainders.
    static func wrapped(_ x: Int128, width: Int) -> Int128 {
        let m = Int128(1) << width
        var r = ((x % m) + m) % m
        if r >= m / 2 { r -= m }
        return r
    }

    @Test("Fixed-width adders wrap and saturate: every pair of operands, widths 1...9")
    func fixedWidth() {
        for width in 1...9 {
            let wrap = FixedWidthAdder(width: width, overflow: .wrap), sat = FixedWidthAdder(width: width, overflow: .saturate)
            let lo = -(Int64(1) << Int64(width - 1)), hi = (Int64(1) << Int64(width - 1)) - 1
            #expect(wrap.minimum == lo && wrap.maximum == hi)
            for a in lo...hi {
                for b in lo...hi {
                    let exact = a + b
                    let w = wrap.add(a, b)
                    #expect(Int128(w.sum) == Self.wrapped(Int128(exact), width: width), "wrap \(width): \(a) + \(b)")
                    #expect(w.overflowed == (exact < lo || exact > hi))
                    #expect(sat.add(a, b).sum == min(max(exact, lo), hi), "saturate \(width): \(a) + \(b)")
                }
            }
        }
        // The DSP48E2 ALU width: 2^47 - 1 + 1 wraps to -2^47.
        #expect(FixedWidthAdder(width: 48, overflow: .wrap).add((1 << 47) - 1, 1) == (-(1 << 47), true))
    }

    @Test("Radix-4 Booth digits reproduce every value of widths 1...14")
    func booth() {
        for bits in 1...14 {
            let lo = -(Int64(1) << Int64(bits - 1)), hi = (Int64(1) << Int64(bits - 1)) - 1
            for v in lo...hi {
                let d = BoothRecoding.radix4(v, bits: bits)
                #expect(d.count == (bits + 1) / 2)
                #expect(d.allSatisfy { (-2...2).contains($0) })
                #expect(BoothRecoding.value(d) == v, "\(v) in \(bits) bits: \(d)")
            }
        }
        // INT8 needs four terms (bitmod.md §3.1): -128 = -2 * 4^3.
        #expect(BoothRecoding.radix4(-128, bits: 8) == [0, 0, 0, -2])
        #expect(BoothRecoding.radix4(127, bits: 8) == [-1, 0, 0, 2])
    }

    @Test("Wide accumulators add exactly and wrap at their width (10^5 seeded terms against Int128)")
    func wideAccumulator() {
        var rng = SeededGenerator(seed: 17)
        for width in [2, 7, 48, 63, 64, 65, 100, 126] {
            var acc = WideAccumulator(width: width)
            var reference: Int128 = 0
            for _ in 0..<12_500 {
                let significand = rng.next() >> (rng.next() % 64)
                let shift = Int(rng.next() % UInt64(min(width, 62)))
                let negative = rng.next() & 1 == 1
                acc.add(negative: negative, significand: significand, shift: shift)
                let term = Int128(significand) << shift  // below 2^126
                reference = Self.wrapped(reference + (negative ? -term : term), width: width)
            }
            let (negative, magnitude) = acc.signMagnitude
            var value = Int128(magnitude[0]) + (magnitude.count > 1 ? Int128(magnitude[1]) << 64 : 0)
            if width <= 64 { value = Int128(magnitude[0]) }
            if negative { value = -value }
            #expect(value == reference, "width \(width)")
            #expect(acc.int64 == Int64(exactly: reference), "width \(width)")
        }
    }

    @Test("The aligned adder truncates each aligned term in sign-magnitude, then adds exactly")
    func alignedAdder() throws {
        let adder = AlignedAdder(keptFractionBits: 3)
        // 1.5 (exponent 0) + 2^-5 and - 2^-5: both small terms fall below 2^-3 and vanish.
        let terms = [AlignedTerm(negative: false, significand: 3, exponent: 0, fractionBits: 1),
                     AlignedTerm(negative: false, significand: 1, exponent: -5, fractionBits: 0),
                     AlignedTerm(negative: true, significand: 1, exponent: -5, fractionBits: 0)]
        let s = try #require(adder.sum(terms))
        #expect(s.sum == 12 && s.exponent == -3)
        // -0.375 with F = 1 at alignment exponent 0: truncates toward zero to -0 (magnitude 0), not to -0.5.
        let t = try #require(AlignedAdder(keptFractionBits: 1).sum([AlignedTerm(negative: true, significand: 3, exponent: -2, fractionBits: 1),
                                                                      AlignedTerm(negative: false, significand: 1, exponent: 0, fractionBits: 0)]))
        #expect(t.sum == 2 && t.exponent == -1)
        #expect(AlignedAdder(keptFractionBits: 3, excludeZeros: true).sum([AlignedTerm(negative: true, significand: 0, exponent: 9, fractionBits: 0)]) == nil)
    }
}
