import Formats
import Testing

@Suite("Quantizers")
struct QuantizerTests {
    static func matrix(_ rows: Int, _ columns: Int, seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        return (0..<rows * columns).map { _ in (rng.nextUnitDouble() * 2 - 1) * Double(1 + rng.next() % 4) }
    }

    func quantize(_ v: [Double], _ rows: Int, _ columns: Int, _ scheme: QuantizationScheme) -> QuantizedMatrix {
        var g = SeededGenerator(seed: 0)
        return Quantizer.quantize(v, rows: rows, columns: columns, scheme: scheme, generator: &g)
    }

    @Test("Per-tensor E4M3: one binary32 scale amax/448; the amax element maps to 448")
    func perTensor() {
        let v = Self.matrix(16, 24, seed: 1)
        let q = quantize(v, 16, 24, QuantizationScheme(format: .scalar(.float(StandardFormats.e4m3))))
        let amax = v.map(Swift.abs).max()!
        #expect(q.scales.count == 1)
        #expect(q.scales[0] == Double(Float(amax / 448)))
        let i = v.firstIndex { Swift.abs($0) == amax }!
        #expect(StandardFormats.e4m3.decode(UInt64(q.codes[i])).magnitude.approximateDouble == 448 || q.clippedCount <= 1)
        // Every element is the nearest E4M3 value to x / s (checked against the encoder directly).
        for (k, x) in v.enumerated() {
            let expected = StandardFormats.e4m3.encode(ExactValue(x / q.scales[0]), rule: .toNearestOrEven, overflow: .saturate)
            #expect(UInt64(q.codes[k]) == expected.code)
            #expect(q.dequantized(row: k / 24, column: k % 24).approximateDouble
                    == StandardFormats.e4m3.decode(expected.code).approximateDouble * q.scales[0])
        }
    }

    @Test("Per-row, per-column and per-group layouts")
    func layouts() {
        let v = Self.matrix(8, 40, seed: 2)
        let int8 = NumberFormat.scalar(.integer(IntegerFormat(bitWidth: 8, encoding: .twosComplement)))
        let rows = quantize(v, 8, 40, QuantizationScheme(format: int8, granularity: .perRow))
        #expect(rows.scales.count == 8)
        let columns = quantize(v, 8, 40, QuantizationScheme(format: int8, granularity: .perColumn))
        #expect(columns.scales.count == 40)
        let groups = quantize(v, 8, 40, QuantizationScheme(format: int8, granularity: .perGroup(size: 16, alongRows: true)))
        #expect(groups.scales.count == 8 * 3)  // 16 + 16 + 8
        #expect(groups.groupIndex(row: 1, column: 33) == 5)
        // Each group's largest magnitude maps to +-127 (absmax, symmetric).
        for g in 0..<groups.scales.count {
            let r = g / 3, start = (g % 3) * 16
            let codes = (start..<min(start + 16, 40)).map { Int8(truncatingIfNeeded: groups.codes[r * 40 + $0]) }
            #expect(codes.map { Swift.abs(Int($0)) }.max() == 127)
        }
    }

    @Test("Asymmetric UINT8 with a zero point spans the range")
    func asymmetric() {
        let v = Self.matrix(4, 64, seed: 3).map { $0 + 1.5 }
        let u8 = NumberFormat.scalar(.integer(IntegerFormat(bitWidth: 8, encoding: .unsigned)))
        let q = quantize(v, 4, 64, QuantizationScheme(format: u8, granularity: .perRow, asymmetric: true))
        for r in 0..<4 {
            let row = (0..<64).map { q.codes[r * 64 + $0] }
            #expect(row.min()! <= 1 && row.max()! >= 254)
            for c in 0..<64 {
                let err = Swift.abs(q.dequantized(row: r, column: c).approximateDouble - v[r * 64 + c])
                #expect(err <= q.scales[r] * 0.5 + 1e-12)
            }
        }
    }

    @Test("MSE scale search never does worse than absmax")
    func mseSearch() {
        var rng = SeededGenerator(seed: 4)
        // Heavy-tailed data (cubes of uniforms): clipping the few large values pays off.
        let v = (0..<8 * 128).map { _ -> Double in let u = rng.nextUnitDouble() * 2 - 1; return u * u * u }
        let int4 = NumberFormat.scalar(.integer(IntegerFormat(bitWidth: 4, encoding: .twosComplement)))
        func sse(_ q: QuantizedMatrix) -> Double {
            zip(q.dequantizedDoubles(), v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let absmax = quantize(v, 8, 128, QuantizationScheme(format: int4, granularity: .perRow))
        let mse = quantize(v, 8, 128, QuantizationScheme(format: int4, granularity: .perRow, scaleSelection: .mseSearch(candidates: 64)))
        #expect(sse(mse) < sse(absmax))
        #expect(mse.clippedCount > 0)
        #expect(zip(mse.scales, absmax.scales).allSatisfy { $0 <= $1 })
    }

    @Test("BitMoD: INT8 group scales under a binary16 row scale")
    func twoLevel() {
        let v = Self.matrix(4, 256, seed: 5)
        let q = quantize(v, 4, 256, .default(for: .mixture(.bitmod4)))
        #expect(q.scales.count == 8)
        for r in 0..<4 {
            let deltas = (0..<2).map { g in BitMoDFamily.bitmod4.select(group: Array(v[(r * 256 + g * 128)..<(r * 256 + g * 128 + 128)])).scale }
            let rowScale = StandardFormats.fp16.decode(StandardFormats.fp16.encode(ExactValue(deltas.max()! / 255),
                                                                                   rule: .toNearestOrEven, overflow: .saturate).code).approximateDouble
            for g in 0..<2 {
                let s = q.scales[r * 2 + g]
                let multiple = s / rowScale
                #expect(multiple == multiple.rounded() && multiple <= 255 && multiple >= 1)
            }
        }
    }

    @Test("MXFP4 through the quantizer equals block-by-block quantisation")
    func blockScaled() {
        let v = Self.matrix(4, 64, seed: 6)
        guard case .blockScaled(let mx)? = FormatCatalog.parse("mxfp4") else { return }
        let q = quantize(v, 4, 64, .default(for: .blockScaled(mx)))
        #expect(q.scales.count == 8)
        for g in 0..<8 {
            let block = mx.quantize(Array(v[(g * 32)..<(g * 32 + 32)]))
            #expect(q.scaleCodes[g] == block.scaleCode)
            #expect(q.codes[(g * 32)..<(g * 32 + 32)].map { UInt64($0) } == block.elementCodes)
        }
    }
}
