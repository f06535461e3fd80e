import Formats
import Testing

@Suite("MX, NVFP4 and BFP block quantisation")
struct BlockScaledTests {
    func mx(_ name: String) -> BlockScaledFormat {
        guard case .blockScaled(let b)? = FormatCatalog.parse(name) else { fatalError(name) }
        return b
    }

    @Test("Floor rule clips the block maximum (E2M1 block with amax 7); ceil does not")
    func clipping() {
        let floor = mx("mxfp4").quantize([7, 1, -0.5, 3])
        #expect(floor.scaleCode == 127)  // X = 2^0
        #expect(floor.elementCodes == [0x7, 0x2, 0x9, 0x5])  // 7 saturates to 6
        #expect(floor.clipped == 1)
        let ceil = mx("mxfp4-ceil").quantize([7, 1, -0.5, 3])
        #expect(ceil.scaleCode == 128)  // X = 2: 7/2 = 3.5 -> 4
        #expect(ceil.clipped == 0)
        #expect(mx("mxfp4-ceil").decode(ceil).map(\.description) == ["0x1p+3", "0x1p+0", "-0x0p+0", "0x1.8p+1"])
    }

    @Test("NaN scale: a NaN in an FP4 block, and a shared exponent beyond E8M0")
    func nanScale() {
        let f = mx("mxfp4")
        let withNaN = f.quantize([1, .nan, 2])
        #expect(withNaN.scaleCode == 0xFF)
        #expect(f.decode(withNaN).allSatisfy { $0.isNaN })
        let huge = f.quantize([0x1p+130])  // floor(log2) - 2 = 128 > 127
        #expect(huge.scaleCode == 0xFF)
        // FP8 elements keep their own NaN and the block stays valid.
        let fp8 = mx("mxfp8e4m3").quantize([1, .nan, 2])
        #expect(fp8.scaleCode != 0xFF && fp8.elementCodes[1] == 0x7F)
    }

    @Test("All-zero blocks take the smallest scale; tiny blocks clamp at 2^-127")
    func zerosAndSubnormals() {
        let f = mx("mxfp8e4m3")
        let zero = f.quantize([0, -0.0, 0])
        #expect(zero.scaleCode == 0 && zero.elementCodes == [0, 0x80, 0])
        // Binary32 subnormals: amax 2^-140 gives 2^-148 < 2^-127, clamped; the elements then
        // underflow to zero or E4M3 subnormals as rounding decides.
        let tiny = f.quantize([0x1p-140, 0x1p-135, 0x1p-149])
        #expect(tiny.scaleCode == 0)
        #expect(f.decode(tiny).map(\.description) == ["0x0p+0", "0x1p-135", "0x0p+0"])
        // Subnormal elements of the element format are kept.
        let sub = f.quantize([448, 0x1p-8, 0x1p-9])
        #expect(sub.scaleCode == 127 && sub.elementCodes == [0x7E, 0x02, 0x01])
    }

    @Test("MXINT8 and BFP use the same floor rule with integer elements")
    func integerElements() {
        let m = mx("mxint8").quantize([1.5, -0.25, 0.015625])
        #expect(m.scaleCode == 127 && m.elementCodes == [96, UInt64(256 - 16), 1])
        guard case .blockScaled(let bfp)? = FormatCatalog.parse("bfp8m7x4") else { Issue.record("bfp"); return }
        let b = bfp.quantize([100, -3, 0.4, 127.9])
        #expect(bfp.scale.decode(b.scaleCode).description == "0x1p+0")  // amax 127.9: 2^(6 - 6)
        #expect(bfp.decode(b).map(\.description) == ["0x1.9p+6", "-0x1.8p+1", "0x0p+0", "0x1.fcp+6"])
    }

    @Test("NVFP4: two-level scale recipe and exact decode")
    func nvfp4() {
        guard case .blockScaled(let f)? = FormatCatalog.parse("nvfp4") else { return }
        let values: [Double] = [6, -3, 1.5, 0.25]
        let tensor = BlockScaledFormat.nvfp4TensorScale(amax: 6)
        #expect(tensor == Float(6) / 2688)
        let b = f.quantize(values, tensorScale: tensor)
        // amax_block / 6 / global = 448 exactly: the scale is the E4M3 maximum.
        #expect(b.scaleCode == 0x7E)
        // The stored scale is 448 * fl(6/2688), not exactly 1: decoding is exact for what is
        // stored, so values come back within one binary32 rounding of the inputs; 0.25 lies
        // just below the 0/0.5 midpoint on this grid and becomes 0.
        #expect(b.elementCodes == [0x7, 0xD, 0x3, 0x0])
        let decoded = f.decode(b, tensorScale: tensor).map { $0.approximateDouble }
        for (d, v) in zip(decoded.prefix(3), values) { #expect(Swift.abs(d - v) <= Swift.abs(v) * 0x1p-22) }
        #expect(decoded[3] == 0)
    }

    /// Transformer Engine clamps the encode scale 448 * 6 / amax to FLT_MAX, so a tiny amax keeps
    /// a decode scale of 1 / FLT_MAX (it underflowed to 0 before, and every block scale became
    /// 0/0 = NaN); zero, infinite and NaN amax give 1.
    @Test("NVFP4 tensor scale: clamped for tiny amax, 1 when degenerate")
    func nvfp4TinyAmax() {
        #expect(BlockScaledFormat.nvfp4TensorScale(amax: 2688) == 1)
        #expect(BlockScaledFormat.nvfp4TensorScale(amax: Float.leastNonzeroMagnitude) == 1 / Float.greatestFiniteMagnitude)
        #expect(BlockScaledFormat.nvfp4TensorScale(amax: 0x1p-135) == 1 / Float.greatestFiniteMagnitude)
        for degenerate: Float in [0, .infinity, .nan] { #expect(BlockScaledFormat.nvfp4TensorScale(amax: degenerate) == 1) }
        guard case .blockScaled(let nvfp4)? = FormatCatalog.parse("nvfp4") else { Issue.record("nvfp4"); return }
        let tiny = [Double](repeating: 1e-45, count: 16)
        let t = BlockScaledFormat.nvfp4TensorScale(amax: Float(1e-45))
        let block = nvfp4.quantize(tiny, tensorScale: t)
        #expect(nvfp4.decode(block, tensorScale: t).allSatisfy { !$0.isNaN })
    }
}
