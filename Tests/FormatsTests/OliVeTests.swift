import Formats
import Testing

/// OliVe's outlier-victim pairs (Formats.OliVe).
@Suite("OliVe outlier-victim pairs")
struct OliVeTests {
    @Test("Value set: INT4 normals and abfloat outliers {12..96}, 4 bits stored")
    func values() {
        let c = OliVe.olive4
        let magnitudes = Set((0..<c.values.count).compactMap { c.decode(UInt64($0)).exactDouble.map { Int(Swift.abs($0)) } })
        #expect(magnitudes == Set(OliVe.normals + OliVe.outliers))
        #expect(c.storageBits == 4 && c.bitWidth == 5 && c.outlierVictimPairs)
        #expect(FormatCatalog.parse("olive4") == .scalar(.codebook(c)))
    }

    @Test("Quantised groups keep at most one outlier per pair and zero its victim; beats INT4 on outlier data")
    func pairs() {
        var rng = SeededGenerator(seed: 7)
        var oliveError = 0.0, int4Error = 0.0
        let int4 = QuantizationScheme(format: FormatCatalog.parse("int4")!, granularity: .perRow)
        let olive = QuantizationScheme(format: .scalar(.codebook(OliVe.olive4)), granularity: .perRow)
        for trial in 0..<200 {
            let n = 2 * (8 + trial % 24) + trial % 2  // odd lengths too: the last element pairs with nothing
            let x: [Double] = (0..<n).map { _ in
                let g = rng.nextUnitDouble() * 2 - 1
                return rng.next() % 32 == 0 ? g * 40 : g
            }
            var generator = SeededGenerator(seed: 1)
            let q = Quantizer.quantize(x, rows: 1, columns: n, scheme: olive, generator: &generator)
            for i in stride(from: 0, to: n - 1, by: 2) {
                let a = OliVe.olive4.decode(UInt64(q.codes[i])).approximateDouble, b = OliVe.olive4.decode(UInt64(q.codes[i + 1])).approximateDouble
                if Swift.abs(a) > 7 { #expect(b == 0, "pair \(i) of trial \(trial): outlier \(a) next to \(b)") }
                if Swift.abs(b) > 7 { #expect(a == 0, "pair \(i) of trial \(trial): outlier \(b) next to \(a)") }
            }
            let r = Quantizer.quantize(x, rows: 1, columns: n, scheme: int4, generator: &generator)
            for i in 0..<n {
                let o = OliVe.olive4.decode(UInt64(q.codes[i])).approximateDouble * q.scales[0] - x[i]
                let p = FormatCatalog.parse("int4")!.elementFormat!.decode(UInt64(r.codes[i])).approximateDouble * r.scales[0] - x[i]
                oliveError += o * o
                int4Error += p * p
            }
        }
        #expect(oliveError < int4Error)
    }
}
