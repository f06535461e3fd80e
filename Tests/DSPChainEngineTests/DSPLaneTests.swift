import DSPChainEngine
import EngineKit
import Formats
import Reference
import Testing

/// Packed and native integer chains against `ReferenceDSP` (exact integers), bit for bit, and
/// the overflow bounds of fpga-dsp.md §2.2.
@Suite("FPGA DSP integer lanes")
struct DSPLaneTests {
    @Test("INT8 two-lane: every INT8 x INT8 pair in each lane (the other lane seeded random) equals the exact product and the reference")
    func int8Exhaustive() throws {
        let e = try DSPSupport.engine(family: "dsp48e2", mode: "int8_packed2")
        let plan = try DSPSupport.plan(e, "int8", "int8", m: 2, k: 1)
        var rng = SeededGenerator(seed: 21)
        var bad: [String] = []
        for lane in 0..<2 {
            for x in 0..<256 {
                for w in 0..<256 {
                    let other = rng.next() & 0xFF
                    let acts: [[UInt64]] = lane == 0 ? [[UInt64(x)], [other]] : [[other], [UInt64(x)]]
                    let r = e.chainPass(plan, activations: acts, weights: [[UInt64(w)]])
                    let (lo, hi) = ReferenceDSP.int8Pair(b: [DSPSupport.int("int8", acts[0][0])], c: [DSPSupport.int("int8", acts[1][0])],
                                                         a: [DSPSupport.int("int8", UInt64(w))], signBit: true)
                    let exact = DSPSupport.int("int8", UInt64(x)) * DSPSupport.int("int8", UInt64(w))
                    let got = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: r[lane].raw)))
                    if got != exact || got != (lane == 0 ? lo : hi) || !r[lane].exact, bad.count < 5 { bad.append("lane \(lane) \(x) x \(w): \(got)") }
                }
            }
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    /// WP486's headroom: the 18-bit lower lane holds 7 full-range products (8 x (-128)^2 = 2^17
    /// wraps) and 8 products in [-127, 127] (9 x 127^2 > 2^17 - 1).
    @Test("INT8 two-lane overflow at every boundary chain length: full range 7 safe, [-127, 127] 8 safe")
    func int8Boundaries() throws {
        for (format, safe) in [("int8", 7), ("symint8", 8)] {
            let worst = DSPSupport.code(format, format == "int8" ? -128 : -127)
            for length in 1...12 {
                let e = try DSPSupport.engine(family: "dsp48e2", mode: "int8_packed2", chain: length)
                let plan = try DSPSupport.plan(e, format, format, m: 2, k: length)
                #expect(DSPChainEngine.safeChainLength(plan) == safe)
                let r = e.chainPass(plan, activations: [Array(repeating: worst, count: length), Array(repeating: 0, count: length)],
                                    weights: [Array(repeating: worst, count: length)])
                #expect(r[0].exact == (length <= safe), "\(format) L=\(length)")
                // The reference wraps the same way.
                let v = DSPSupport.int(format, worst)
                let (lo, _) = ReferenceDSP.int8Pair(b: Array(repeating: v, count: length), c: Array(repeating: 0, count: length),
                                                    a: Array(repeating: v, count: length), signBit: true)
                #expect(Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: r[0].raw))) == lo)
            }
        }
    }

    @Test("Seeded random chains of every mode and correction: datapath = reference, and no reported overflow means exact", arguments: [
        ("dsp48e2", "int8_packed2", "sign_bit", "int8", "int8"), ("dsp48e2", "int8_packed2", "none", "int8", "int8"),
        ("dsp48e2", "int8_packed2", "sign_bit", "uint8", "int8"), ("dsp48e2", "int4_packed4", "canary", "uint4", "int4"),
        ("dsp48e2", "int4_packed4", "sign_bit", "uint4", "int4"), ("dsp48e2", "int4_packed4", "none", "int4", "int4"),
        ("dsp48e2", "int8_single", "sign_bit", "int8", "int8"), ("dsp58", "int8_dot3", "sign_bit", "uint8", "int8"),
        ("agilex_tensor", "int8_tensor", "sign_bit", "int8", "int8"),
    ])
    func randomChains(_ family: String, _ mode: String, _ correction: String, _ fa: String, _ fb: String) throws {
        var rng = SeededGenerator(seed: UInt64(mode.count * 131 + correction.count))
        let laneA = mode == "int8_packed2" ? 2 : 1, laneW = mode == "int4_packed4" ? 4 : 1
        let bitsA = FormatCatalog.parse(fa)!.elementFormat!.bitWidth, bitsW = FormatCatalog.parse(fb)!.elementFormat!.bitWidth
        var mismatches: [String] = [], overflowsSeen = 0
        for trial in 0..<20_000 {
            let length = 1 + Int(rng.next() % 16)
            let e = try DSPSupport.engine(family: family, mode: mode, chain: length, correction: correction)
            let terms = length * (mode == "int8_dot3" ? 3 : (mode == "int8_tensor" ? 10 : 1))
            let plan = try DSPSupport.plan(e, fa, fb, m: laneA, n: laneW, k: terms)
            // Mostly full-range extremes now and then, so lanes overflow in some trials.
            func draw(_ bits: Int) -> UInt64 { rng.next() % 4 == 0 ? (rng.next() & 1 == 0 ? 1 << UInt64(bits - 1) : (1 << UInt64(bits - 1)) - 1) : rng.next() % (1 << UInt64(bits)) }
            let acts = (0..<laneA).map { _ in (0..<terms).map { _ in draw(bitsA) } }
            let ws = (0..<laneW).map { _ in (0..<terms).map { _ in draw(bitsW) } }
            let r = e.chainPass(plan, activations: acts, weights: ws)
            let av = acts.map { $0.map { DSPSupport.int(fa, $0) } }, wv = ws.map { $0.map { DSPSupport.int(fb, $0) } }
            for (lane, result) in r.enumerated() {
                let got = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: result.raw)))
                let expected: Int64
                switch mode {
                case "int8_packed2":
                    let (lo, hi) = ReferenceDSP.int8Pair(b: av[0], c: av[1], a: wv[0], signBit: correction == "sign_bit")
                    expected = lane == 0 ? lo : hi
                case "int4_packed4": expected = ReferenceDSP.int4Lane(lane, weights: wv, activations: av[0], correction: correction)
                default: expected = ReferenceDSP.native(av[0], wv[0], accumulatorBits: mode == "int8_tensor" ? 32 : 48)
                }
                let exact = zip(mode == "int4_packed4" ? av[0] : av[lane], mode == "int4_packed4" ? wv[lane] : wv[0]).reduce(Int64(0)) { $0 + $1.0 * $1.1 }
                if Int32(truncatingIfNeeded: expected) != Int32(truncatingIfNeeded: got) && mismatches.count < 5 { mismatches.append("trial \(trial) lane \(lane): \(got) vs \(expected)") }
                if result.exact && got != exact && mismatches.count < 5 { mismatches.append("trial \(trial) lane \(lane): reported exact, \(got) != \(exact)") }
                if !result.exact { overflowsSeen += 1 }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Packed modes without a full correction do overflow on these operands; native ones never.
        if mode.hasSuffix("packed2") || (mode == "int4_packed4" && correction != "canary") { #expect(overflowsSeen > 0) } else { #expect(overflowsSeen == 0) }
    }
}
