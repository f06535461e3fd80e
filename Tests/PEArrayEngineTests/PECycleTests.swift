import EngineKit
import Foundation
import PEArrayEngine
import Testing
import Workloads

/// The systolic cycle model: SCALE-Sim v3's own outputs for plain INT8 arrays (55 recorded runs,
/// ScaleSim/README.md) and hand-worked BitMoD cases.
@Suite("PE-array cycle model")
struct PECycleTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ScaleSim/goldens.csv")

    struct Golden: Sendable, CustomStringConvertible {
        let name: String, dataflow: String
        let rows: Int, columns: Int, m: Int, n: Int, k: Int
        let computeCycles: Double, overallUtil: Double, mappingEfficiency: Double
        var description: String { name }
    }

    static func load() throws -> [Golden] {
        let lines = try String(contentsOf: goldens, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        return lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Golden(name: f[column("case")], dataflow: f[column("dataflow")], rows: Int(f[column("rows")])!, columns: Int(f[column("cols")])!,
                          m: Int(f[column("m")])!, n: Int(f[column("n")])!, k: Int(f[column("k")])!,
                          computeCycles: Double(f[column("compute_cycles")])!, overallUtil: Double(f[column("overall_util_pct")])!,
                          mappingEfficiency: Double(f[column("mapping_efficiency_pct")])!)
        }
    }

    static func detail(_ t: EngineTiming, _ key: String) -> Double? {
        guard let e = t.details.first(where: { $0.key == key }), case .number(let v) = e.value else { return nil }
        return v
    }

    @Test("INT8 arrays: compute cycles, utilisation and mapping efficiency equal SCALE-Sim v3's for all 55 recorded runs")
    func scaleSim() throws {
        let goldens = try Self.load()
        #expect(goldens.count == 55)
        for g in goldens {
            let spec = try PESupport.spec(type: "int_mac", accumulator: "int32", rows: g.rows, columns: g.columns, dataflow: g.dataflow)
            let engine = PEArrayEngine(name: g.name, spec: spec)
            let shape = GEMMShape(m: g.m, n: g.n, k: g.k)
            let t = try engine.timing(try engine.plan(GEMMRequest(shape: shape, aFormat: "int8", bFormat: "int8", quantization: nil)), shape: shape)
            #expect(Self.detail(t, "compute_cycles") == g.computeCycles, "\(g.name)")
            #expect(Swift.abs(Self.detail(t, "overall_util_pct")! - g.overallUtil) < 1e-9, "\(g.name)")
            #expect(Swift.abs(Self.detail(t, "mapping_efficiency_pct")! - g.mappingEfficiency) < 1e-9, "\(g.name)")
        }
    }

    @Test("BitMoD hand-worked: folds, terms per weight, fill and drain, dequantisation")
    func bitmod() throws {
        // 4 x 4 tiles of 8 x 8 (32 x 32), Cout on the rows: N = 64, M = 32 -> 2 x 1 folds.
        let spec = try PESupport.spec(type: "bitmod", accumulator: "fp32", rows: 32, columns: 32, rowOperand: "n")
        let engine = PEArrayEngine(name: "bitmod", spec: spec)
        let shape = GEMMShape(m: 32, n: 64, k: 256)
        for (format, terms) in [("int8", 4.0), ("int6", 3.0), ("bitmod4", 2.0)] {
            let t = try engine.timing(try engine.plan(GEMMRequest(shape: shape, aFormat: "fp16", bFormat: format, quantization: nil)), shape: shape)
            // Per fold: K / 4 steps x terms + (32 + 32 - 2) fill and drain + 8 cycles of the last
            // group's dequantisation (each group's 32 x terms cycles hide the previous one's 8).
            let perFold = 256 / 4 * terms + 62 + 8
            #expect(Self.detail(t, "compute_cycles") == 2 * perFold - 1, "\(format)")
            #expect(Self.detail(t, "folds") == 2)
        }
        // Groups of 8 with 2 terms: 4 cycles of compute per group against 8 of dequantisation, so
        // the fold is dequantisation-bound: the first group's 4 cycles, then 16 x 8, plus fill and drain.
        let small = PEArrayEngine(name: "g8", spec: try PESupport.spec(type: "bitmod", accumulator: "fp32", group: 8, rows: 32, columns: 32, rowOperand: "n"))
        let t = try small.timing(try small.plan(GEMMRequest(shape: GEMMShape(m: 32, n: 32, k: 128), aFormat: "fp16", bFormat: "bitmod4", quantization: nil)),
                                 shape: GEMMShape(m: 32, n: 32, k: 128))
        let expected: Double = 4 + 16 * 8 + 62 - 1
        #expect(Self.detail(t, "compute_cycles") == expected)
    }

    @Test("DRAM refetch only when both operands overflow their buffers; cycles = max(compute, DRAM)")
    func memory() throws {
        let spec = try PESupport.spec(type: "fp16_mac", accumulator: "fp32", rows: 32, columns: 32, rowOperand: "n")
        let engine = PEArrayEngine(name: "fp16", spec: spec)
        // 4096 x 4096 FP16 weights (32 MiB) and 1024 x 4096 activations (8 MiB) against 512 KiB
        // buffers: refetch the cheaper way.
        let shape = GEMMShape(m: 1024, n: 4096, k: 4096)
        let t = try engine.timing(try engine.plan(GEMMRequest(shape: shape, aFormat: "fp16", bFormat: "fp16", quantization: nil)), shape: shape)
        let w = 4096.0 * 4096 * 2, a = 1024.0 * 4096 * 2, buffer = 512.0 * 1024
        let expected = Swift.min(w * (a / buffer).rounded(.up) + a, a * (w / buffer).rounded(.up) + w)
        #expect(t.actions["dram.read_bytes"] == expected)
        #expect(t.cycles.totalCycles == Swift.max(t.cycles[.compute], t.cycles[.dram]))
        // A decode GEMV is DRAM-bound.
        let gemv = GEMMShape(m: 1, n: 4096, k: 4096)
        let d = try engine.timing(try engine.plan(GEMMRequest(shape: gemv, aFormat: "fp16", bFormat: "fp16", quantization: nil)), shape: gemv)
        #expect(d.cycles.bindingLimit == .dram)
        #expect(d.actions["dram.read_bytes"] == w + 4096 * 2)
    }
}
