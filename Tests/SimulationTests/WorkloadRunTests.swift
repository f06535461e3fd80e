import EngineKit
import Foundation
import Simulation
import Testing
import Workloads

/// Whole-workload runs through the one pipeline: every layer timed and priced, a seeded sample
/// simulated bit-exactly, totals consistent with the layers and with single-GEMM runs.
@Suite("Workload runs")
struct WorkloadRunTests {
    static let repository = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
    static let h100 = "/" + repository + "/Architectures/nvidia-h100-sxm.json"

    func base(_ a: String = "e4m3", _ b: String = "e4m3", numerics: RunRequest.NumericsMode = .auto) -> RunRequest {
        RunRequest(architecturePath: Self.h100, shape: GEMMShape(m: 1, n: 1, k: 1), aFormat: a, bFormat: b, dFormat: nil,
                   instruction: nil, quantization: nil, dataA: .synthetic(.gaussian), dataB: .synthetic(.gaussian), seed: 9,
                   numerics: numerics)
    }

    @Test("Llama-2-7B prefill: per-layer and total figures, a seeded sample of layers re-checks clean")
    func llamaPrefill() throws {
        let workload = try ModelCatalog.named("llama-2-7b")!.workload(phase: .prefill(tokens: 64), batch: 1)
        let result = try Simulator.run(WorkloadRequest(base: base(), workload: workload, numericsLayers: 3, layerGrid: 8, layerRecheck: 16))
        let r = result.report
        #expect(r.layers.count == 10 && r.report == "workload" && r.engine == "tensor_core")
        #expect(r.totals.layers_with_numerics == 3 && r.totals.mismatches == 0 && r.totals.outputs_rechecked == 48)
        #expect(result.artifacts.count == 3)
        #expect(abs(r.totals.cycles - r.layers.reduce(0) { $0 + $1.cycles }) <= 1e-9 * r.totals.cycles)
        #expect(r.totals.macs == workload.multiplyAccumulates)
        for l in r.layers {
            #expect(l.cycles == l.cycles_each * Double(l.repeat_count), "\(l.name)")
            #expect(l.utilisation > 0 && l.utilisation <= 1, "\(l.name)")
            #expect((l.energy_pj ?? 0) > 0, "\(l.name)")
        }
        let sampled = r.layers.compactMap(\.numerics)
        #expect(sampled.allSatisfy { $0.outputs_measured + $0.non_finite_outputs == 64 && $0.sqnr_db > 10 })
        #expect(abs((r.totals.energy_pj ?? 0) - r.layers.reduce(0) { $0 + ($1.energy_pj ?? 0) }) <= 1e-6 * (r.totals.energy_pj ?? 0))
    }

    @Test("A one-layer workload times and prices exactly as the single GEMM does")
    func sameAsSingle() throws {
        let shape = GEMMShape(m: 256, n: 512, k: 1024)
        var single = base()
        single.shape = shape
        single.numerics = .off
        let s = try Simulator.run(single).report
        let workload = Workload(name: "one", source: "test", layers: [WorkloadLayer(name: "g", shape: shape, repeatCount: 3)])
        let w = try Simulator.run(WorkloadRequest(base: base(numerics: .off), workload: workload)).report
        #expect(w.layers[0].cycles_each == s.timing.cycles)
        #expect(w.layers[0].cycles == 3 * s.timing.cycles)
        let e = try #require(s.cost.breakdown?.energy_pj)
        #expect(abs((w.layers[0].energy_pj ?? 0) - 3 * e) <= 1e-9 * e)
        #expect(w.layers[0].numerics == nil && w.totals.layers_with_numerics == 0)
        #expect(s.accuracy == nil && s.verification == nil && s.numerics.mode == "off")
    }

    @Test("KV-cache GEMMs take --kv-format, weights the B format; a refused layer is named")
    func formatsByRole() throws {
        let workload = try ModelCatalog.named("llama-3-8b")!.workload(phase: .decode(context: 128), batch: 1)
        let r = try Simulator.run(WorkloadRequest(base: base("e4m3", "e4m3", numerics: .off), workload: workload, kvFormat: "e5m2")).report
        #expect(r.layers.first { $0.name == "q_proj" }.map { ($0.a_format, $0.b_format) } ?? ("", "") == ("e4m3", "e4m3"))
        #expect(r.layers.first { $0.name == "attn_qk" }.map { ($0.a_format, $0.b_format) } ?? ("", "") == ("e4m3", "e5m2"))
        #expect(r.formats.kv_cache == "e5m2")
        // f16 x bf16 has no MMA: the error names the layer and its formats.
        #expect { try Simulator.run(WorkloadRequest(base: base("bf16", "bf16", numerics: .off), workload: workload, kvFormat: "fp16")) }
            throws: { "\($0)".contains("layer attn_qk") && "\($0)".contains("bf16 x fp16") }
    }

    @Test("A SCALE-Sim topology runs layer by layer")
    func topology() throws {
        let w = try TopologyFile.parse("Layer,M,N,K,\nq,128,384,384,\nffn_up,128,1536,384,\n", file: "minilm.csv")
        let r = try Simulator.run(WorkloadRequest(base: base("fp16", "fp16"), workload: w, layerGrid: 4, layerRecheck: 4)).report
        #expect(r.layers.map(\.name) == ["q", "ffn_up"] && r.totals.mismatches == 0 && r.totals.layers_with_numerics == 2)
        #expect(r.workload.source.contains("SCALE-Sim topology"))
    }

    @Test("--save artifacts: every file listed, shapes and values as simulated")
    func archive() throws {
        var r = base("e4m3", "e4m3")
        r.shape = GEMMShape(m: 12, n: 10, k: 64)
        r.quantization = .group(32)
        let result = try Simulator.run(r)
        let x = try #require(result.artifacts)
        let files = RunArchive.files(x, shape: r.shape, aFormat: "e4m3", bFormat: "e4m3", reportJSON: result.report.json())
        let names = Set(files.map(\.path))
        for f in ["index.json", "report.json", "rows.npy", "columns.npy", "a_codes.npy", "a_values.npy", "a_originals.npy", "a_scales.npy",
                  "b_codes.npy", "d_raw.npy", "d_values.npy"] {
            #expect(names.contains(f), "\(f)")
        }
        let directory = NSTemporaryDirectory() + "quantsim-archive-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for f in files { try Data(f.bytes).write(to: URL(fileURLWithPath: directory + "/" + f.path)) }
        // The float64 files read back through the .npy reader the runs use.
        let values = try MatrixFile.load(directory + "/d_values.npy")
        #expect(values.rows == 12 && values.columns == 10 && values.values == x.output.values)
        let scales = try MatrixFile.load(directory + "/a_scales.npy")
        #expect(scales.rows == 12 && scales.columns == 2 && scales.values == x.a.scales)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/index.json"))) as! [String: Any]
        #expect((index["output"] as! [String: Any])["groups"] as? Int == 2)
        #expect((index["a"] as! [String: Any])["values_exact"] as? Bool == true)
    }
}
