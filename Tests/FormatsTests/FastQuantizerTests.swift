import Formats
import Testing

/// The fast kernels compute exactly what the generic quantizer computes.
@Suite("Fast quantisation kernels")
struct FastQuantizerTests {
    static func inputs(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var v: [Float] = (0..<n).map { _ in
            switch rng.next() % 6 {
            case 0: return Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))  // any pattern
            case 1: return 0
            case 2: return -Float(rng.nextUnitDouble()) * 1e-30
            default: return Float(rng.nextUnitDouble() * 2 - 1) * Float(1 << (rng.next() % 12))
            }
        }
        v += [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        return v
    }

    @Test("Per-tensor kernel equals the generic encoder", arguments: ["e4m3", "e5m2", "e2m1", "e3m2", "e2m3", "e4m3fnuz", "e5m2fnuz"])
    func perTensor(_ name: String) {
        guard case .scalar(.float(let f))? = FormatCatalog.parse(name) else { return }
        let x = Self.inputs(200_000, seed: 3).filter { !$0.isNaN || name != "e2m1" }
        var codes = [UInt8](repeating: 0, count: x.count)
        let finite = x.filter { $0.isFinite }
        let scale = finite.withUnsafeBufferPointer { FastQuantizer.perTensorScale(amax: FastQuantizer.absoluteMaximum($0), format: f) }
        x.withUnsafeBufferPointer { xs in codes.withUnsafeMutableBufferPointer { FastQuantizer.quantize(xs, scale: scale, format: f, into: $0) } }
        var mismatches = 0
        for (i, v) in x.enumerated() {
            let expected = f.encode(ExactValue(Quantizer.quotientRoundedToOdd(Double(v), Double(scale))), rule: .toNearestOrEven,
                                    overflow: .saturate)
            if UInt64(codes[i]) != expected.code {
                mismatches += 1
                if mismatches < 5 { Issue.record("\(name) x=\(v): fast 0x\(String(codes[i], radix: 16)) generic 0x\(String(expected.code, radix: 16))") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("MX kernel equals BlockScaledFormat block by block", arguments: ["mxfp4", "mxfp8e4m3", "mxfp6e3m2"])
    func mx(_ name: String) {
        guard case .blockScaled(let b)? = FormatCatalog.parse(name), case .float(let element) = b.element else { return }
        let x = Self.inputs(64_000, seed: 9)
        var scales = [UInt8](repeating: 0, count: (x.count + 31) / 32)
        var codes = [UInt8](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in
            scales.withUnsafeMutableBufferPointer { s in
                codes.withUnsafeMutableBufferPointer { FastQuantizer.quantizeMX(xs, element: element, blockSize: 32, scales: s, codes: $0) }
            }
        }
        var mismatches = 0
        for blk in 0..<scales.count {
            let slice = x[(blk * 32)..<Swift.min(blk * 32 + 32, x.count)].map(Double.init)
            let q = b.quantize(slice)
            if UInt64(scales[blk]) != q.scaleCode || codes[(blk * 32)..<(blk * 32 + slice.count)].map(UInt64.init) != q.elementCodes {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test("Table decode equals the exact decoder")
    func decode() {
        let codes = (0..<256).map { UInt8($0) }
        var out = [Float](repeating: 0, count: 256)
        codes.withUnsafeBufferPointer { c in out.withUnsafeMutableBufferPointer { FastQuantizer.decode(c, format: StandardFormats.e4m3, into: $0) } }
        for c in 0..<256 {
            let v = StandardFormats.e4m3.decode(UInt64(c))
            #expect(v.isNaN ? out[c].isNaN : ExactValue(out[c]) == v)
        }
    }
}

extension FastQuantizerTests {
    @Test("absoluteMaximum ignores NaN, counts Inf, equals a plain maximum of |x|")
    func absoluteMaximum() {
        let x = Self.inputs(100_000, seed: 9)
        let expected = x.reduce(Float(0)) { $1.isNaN ? $0 : Swift.max($0, Swift.abs($1)) }
        #expect(x.withUnsafeBufferPointer { FastQuantizer.absoluteMaximum($0) } == expected)
        let finite = x.filter { $0.isFinite }
        #expect(finite.withUnsafeBufferPointer { FastQuantizer.absoluteMaximum($0) } == finite.map { Swift.abs($0) }.max())
        for v: [Float] in [[], [.nan], [-.infinity, 1], [-0.0], [.nan, -3, 2], [-.leastNonzeroMagnitude]] {
            let plain = v.reduce(Float(0)) { $1.isNaN ? $0 : Swift.max($0, Swift.abs($1)) }
            #expect(v.withUnsafeBufferPointer { FastQuantizer.absoluteMaximum($0) } == plain, "\(v)")
        }
    }
}
