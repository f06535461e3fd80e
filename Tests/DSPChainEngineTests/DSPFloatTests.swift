import DSPChainEngine
import EngineKit
import Formats
import Reference
import Testing

/// DSPFP32 and Kulisch minifloat MACs against MPFR.
@Suite("FPGA floating-point chains")
struct DSPFloatTests {
    static func rendered(_ raw: UInt64) -> String { ScalarFormat.float(StandardFormats.fp32).decode(raw).description }

    @Test("Kulisch: every minifloat product pair, alone, equals MPFR (one rounding to FP32)", arguments: ["e4m3", "e5m2", "e3m2", "e2m1"])
    func kulischProducts(_ name: String) throws {
        let e = try DSPSupport.engine(family: "dsp48e2", mode: "minifloat_kulisch")
        let plan = try DSPSupport.plan(e, name, name, k: 1)
        guard case .float(let f) = FormatCatalog.parse(name)!.elementFormat! else { return }
        var bad: [String] = []
        for x in 0..<(1 << f.bitWidth) {
            for y in 0..<(1 << f.bitWidth) {
                let r = e.chainPass(plan, activations: [[UInt64(x)]], weights: [[UInt64(y)]])
                let expected = ReferenceDSP.kulisch([UInt64(x)], [UInt64(y)], a: f, b: f)
                if Self.rendered(r[0].raw) != expected && bad.count < 5 { bad.append("\(x) x \(y): \(Self.rendered(r[0].raw)) vs \(expected)") }
            }
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test("Kulisch and DSPFP32: seeded random dot products of 1..256 terms equal MPFR", arguments: [("minifloat_kulisch", "e4m3"), ("minifloat_kulisch", "e5m2"),
                                                                                                  ("minifloat_kulisch", "e2m1"), ("dspfp32", "fp16"), ("dspfp32", "fp32")])
    func randomDots(_ mode: String, _ name: String) throws {
        let e = try DSPSupport.engine(family: mode == "dspfp32" ? "dsp58" : "dsp48e2", mode: mode)
        guard case .float(let f) = FormatCatalog.parse(name)!.elementFormat! else { return }
        var rng = SeededGenerator(seed: UInt64(name.count * 7 + mode.count))
        var bad: [String] = []
        for _ in 0..<4000 {
            let k = 1 + Int(rng.next() % 256)
            let plan = try DSPSupport.plan(e, name, name, k: k)
            func draw() -> UInt64 {
                if f.bitWidth == 32 { return UInt64(Float(Double(Int(rng.next() % 2001) - 1000) / 37).bitPattern) }
                var c: UInt64
                repeat { c = rng.next() % (1 << UInt64(f.bitWidth)) } while !f.decode(c).isFinite
                return c
            }
            let x = (0..<k).map { _ in draw() }, y = (0..<k).map { _ in draw() }
            let r = e.chainPass(plan, activations: [x], weights: [y])
            let expected = mode == "dspfp32" ? ReferenceDSP.dspfp32(x, y, input: f) : ReferenceDSP.kulisch(x, y, a: f, b: f)
            if Self.rendered(r[0].raw) != expected && bad.count < 5 { bad.append("k=\(k): \(Self.rendered(r[0].raw)) vs \(expected)") }
        }
        #expect(bad.isEmpty, "\(bad)")
    }
}
