import EngineKit
import Foundation
import Simulation
import Testing
import Workloads

/// `simulate run` on FPGA DSP-chain documents through the library.
@Suite("simulate run: FPGA DSP chains")
struct FPGARunTests {
    static let repository = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
    static func path(_ name: String) -> String { "/" + repository + "/Architectures/" + name }

    static let cases: [(String, String, String)] = [
        ("fpga-alveo-u280-int8.json", "int8", "int8"), ("fpga-alveo-u280-int8.json", "uint8", "int8"),
        ("fpga-vu9p-int4.json", "uint4", "int4"), ("fpga-vu9p-int4.json", "int4", "int4"),
        ("fpga-vck190-int8-dot3.json", "int8", "int8"), ("fpga-vck190-dspfp32.json", "fp16", "fp16"),
        ("fpga-vck190-dspfp32.json", "fp32", "fp32"), ("fpga-alveo-u280-kulisch.json", "e4m3", "e4m3"),
        ("fpga-alveo-u280-kulisch.json", "e5m2", "e2m1"),
    ]

    @Test("Every preset: cycles, accuracy, re-check clean, resources within the device, energy", arguments: cases)
    func everyPreset(_ c: (String, String, String)) throws {
        var r = RunRequest(architecturePath: Self.path(c.0), shape: GEMMShape(m: 30, n: 70, k: 200), aFormat: c.1, bFormat: c.2, dFormat: nil,
                           instruction: nil, quantization: nil, dataA: .synthetic(.llmOutliers(outlierFraction: 0.01)), dataB: .synthetic(.gaussian),
                           seed: 7, recheckCount: 128)
        r.threads = 2
        let report = try Simulator.run(r).report
        #expect(report.engine == "fpga_dsp")
        #expect(report.verification!.mismatches == 0 && report.verification!.outputs_rechecked == 128, "\(report.verification!.first_mismatches)")
        #expect(report.accuracy!.outputs_measured == 30 * 70)
        #expect(report.timing.cycles > 0)
        let b = try #require(report.cost.breakdown)
        #expect(b.energy_pj > 0 && b.unpriced_actions.isEmpty, "\(b.unpriced_actions)")
        let resources = try #require(b.fpga_resources)
        #expect(resources.lut > 0 && resources.ff > 0)
        if !c.0.contains("kulisch") { #expect(resources.dsp > 0) }
    }

    /// Per-tensor absmax quantisation maps the data's extreme to 127 (never -128), so full-range
    /// overflow needs unsigned activations: 8 products of 255 x -127 leave the 18-bit lane
    /// (at most 4 fit), while signed 127 x -127 products fit 8.
    @Test("Packed INT8 lane overflow is counted and flagged: UINT8 activations overflow a chain of 8, INT8 ones do not")
    func overflowCounted() throws {
        let a = MatrixFile(rows: 4, columns: 64, values: Array(repeating: 1, count: 256), source: "ones")
        let b = MatrixFile(rows: 64, columns: 8, values: Array(repeating: -1, count: 512), source: "minus ones")
        for (format, overflows) in [("uint8", true), ("int8", false)] {
            let r = RunRequest(architecturePath: Self.path("fpga-alveo-u280-int8.json"), shape: GEMMShape(m: 4, n: 8, k: 64), aFormat: format, bFormat: "int8",
                               dFormat: nil, instruction: nil, quantization: .perTensor, dataA: .file(a), dataB: .file(b), seed: 1, recheckCount: 32)
            let report = try Simulator.run(r).report
            #expect(((report.numerics.events["lane_overflows"] ?? 0) > 0) == overflows, "\(format): \(report.numerics.events)")
            #expect(report.verification!.mismatches == 0)
            #expect(report.table().contains("WARNING") == overflows)
        }
    }

    @Test("Llama-2-7B decode and prefill run end to end on the U280 and VCK190 presets")
    func llama() throws {
        let llama = try #require(ModelCatalog.named("llama-2-7b"))
        for (document, a, b, kv) in [("fpga-alveo-u280-int8.json", "int8", "int8", "int8"), ("fpga-vck190-dspfp32.json", "fp16", "fp16", "fp16")] {
            for phase in [ModelPhase.prefill(tokens: 64), .decode(context: 256)] {
                let workload = try llama.workload(phase: phase, batch: 1)
                var base = RunRequest(architecturePath: Self.path(document), shape: workload.layers[0].shape, aFormat: a, bFormat: b, dFormat: nil,
                                      instruction: nil, quantization: nil, dataA: .synthetic(.gaussian), dataB: .synthetic(.gaussian), seed: 1,
                                      recheckCount: 4)
                base.threads = 2
                let request = WorkloadRequest(base: base, workload: workload, kvFormat: kv, numericsLayers: 2, layerGrid: 8, layerRecheck: 4,
                                              phase: phase.description, batch: 1)
                let report = try Simulator.run(request).report
                #expect(report.totals.mismatches == 0 && report.totals.cycles > 0 && (report.totals.energy_pj ?? 0) > 0)
            }
        }
    }
}
