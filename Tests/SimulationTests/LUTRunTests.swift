import EngineKit
import Foundation
import Simulation
import Testing
import Workloads

/// `simulate run` on LUT Tensor Core documents through the library.
@Suite("simulate run: LUT Tensor Core")
struct LUTRunTests {
    static let repository = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
    static func path(_ name: String) -> String { "/" + repository + "/Architectures/" + name }

    struct Case: Sendable, CustomStringConvertible {
        let document: String
        let activation: String
        let weight: String
        var description: String { "\(document) \(activation) x \(weight)" }
    }

    static let cases: [Case] = ["uint1", "uint2", "uint4", "int4", "ternary", "binary"].flatMap { w in
        ["fp16", "bf16", "e4m3", "e5m2"].map { Case(document: "lut-tensor-core-28nm.json", activation: $0, weight: w) }
            + [Case(document: "lut-tensor-core-a100-4x.json", activation: "int8", weight: w)]
    }

    func request(_ c: Case, shape: GEMMShape = GEMMShape(m: 24, n: 96, k: 136), quantization: QuantizationChoice? = .group(64)) -> RunRequest {
        RunRequest(architecturePath: Self.path(c.document), shape: shape, aFormat: c.activation, bFormat: c.weight, dFormat: nil,
                   instruction: nil, quantization: quantization, dataA: .synthetic(.llmOutliers(outlierFraction: 0.01)),
                   dataB: .synthetic(.gaussian), seed: 3, recheckCount: 128)
    }

    @Test("Every document with every activation and weight format: re-checks clean, timed, priced", arguments: cases)
    func everyCombination(_ c: Case) throws {
        let r = try Simulator.run(request(c)).report
        #expect(r.engine == "lut_tensor_core")
        #expect(r.verification!.mismatches == 0 && r.verification!.outputs_rechecked == 128)
        // E5M2 activations scaled to their largest value (57344) overflow FP16 tables: the
        // outputs are reported as non-finite, not hidden (`e5m2Overflow`).
        if c.activation != "e5m2" { #expect(r.accuracy!.outputs_measured == 24 * 96) }
        #expect(r.accuracy!.outputs_measured + r.accuracy!.non_finite_outputs == 24 * 96)
        // Groups of 64 along K = 136: three weight groups, raw outputs per group.
        #expect(r.timing.cycles > 0 && r.timing.utilisation > 0 && r.timing.utilisation <= 1)
        #expect(r.cost.status == "modelled", "\(r.cost.status)")
        let b = try #require(r.cost.breakdown)
        #expect(b.energy_pj > 0 && b.area_mm2 > 0 && b.unpriced_actions.isEmpty)
        #expect(abs(b.energy_pj_by_kind.values.reduce(0, +) - b.energy_pj) <= 1e-9 * b.energy_pj)
        // More weight bits, better accuracy is not guaranteed per run; but every run keeps signal.
        if c.weight != "uint1" && c.weight != "binary" && c.activation != "e5m2" { #expect(r.accuracy!.sqnr_db > 1, "\(c): \(r.accuracy!.sqnr_db)") }
    }

    /// Per-token E5M2 scaling puts the row's largest activation at 57344; a table entry sums four
    /// of them, beyond FP16's 65504. The datapath (and the reference) overflow to infinity.
    @Test("E5M2 activations overflow FP16 tables; the outputs are reported non-finite")
    func e5m2Overflow() throws {
        let r = try Simulator.run(request(Case(document: "lut-tensor-core-28nm.json", activation: "e5m2", weight: "uint4"))).report
        #expect(r.accuracy!.non_finite_outputs > 0 && r.verification!.mismatches == 0)
    }

    @Test("More weight bits give more accuracy (uint1 < uint2 < uint4 on identical data)")
    func bitsImproveAccuracy() throws {
        let sqnr = try ["uint1", "uint2", "uint4"].map {
            try Simulator.run(request(Case(document: "lut-tensor-core-28nm.json", activation: "fp16", weight: $0))).report.accuracy!.sqnr_db
        }
        #expect(sqnr[0] < sqnr[1] && sqnr[1] < sqnr[2], "\(sqnr)")
    }

    @Test("The cycle model by hand: one M2N64K4 LMMA of W = 2 on one unit")
    func oneLMMA() throws {
        var r = request(Case(document: "lut-tensor-core-28nm.json", activation: "fp16", weight: "uint2"), shape: GEMMShape(m: 2, n: 64, k: 4),
                        quantization: .perChannel)
        r.numerics = .off
        let report = try Simulator.run(r).report
        #expect(report.timing.limits["compute"] == 2)  // one LMMA, two planes
        // One table of 8 entries x 3 adds, plus 2 x 4 activation sums = 32 adds at 32 per cycle.
        #expect(report.timing.limits["table_precompute"] == 2 * (8 * 3 + 4) / 32.0 * 1)
        #expect(report.actions["lut.lookup"] == 2 * 64 * 2 && report.actions["lut.useful_mac"] == 2 * 64 * 4)
        #expect(report.timing.cycles == Swift.max(2, report.timing.limits.values.max()!) + 2)
    }

    @Test("Refusals say why: KV-cache operands, formats the tables cannot take, unquantised weights, too many planes")
    func refusals() {
        let fp = Case(document: "lut-tensor-core-28nm.json", activation: "fp16", weight: "uint2")
        var kv = request(fp)
        kv.roleB = .kvCache
        #expect { try Simulator.run(kv) } throws: { "\($0)".contains("no low-bit weight form") }
        #expect { try Simulator.run(request(Case(document: "lut-tensor-core-a100-4x.json", activation: "fp16", weight: "uint2"))) }
            throws: { "\($0)".contains("use --a-format int8") }
        #expect { try Simulator.run(request(Case(document: "lut-tensor-core-28nm.json", activation: "int8", weight: "uint2"))) }
            throws: { "\($0)".contains("take fp16, bf16, e4m3 or e5m2") }
        #expect { try Simulator.run(request(fp, quantization: QuantizationChoice.none)) } throws: { "\($0)".contains("per-channel or group:G") }
        #expect { try Simulator.run(request(Case(document: "lut-tensor-core-28nm.json", activation: "fp16", weight: "uint5"))) }
            throws: { "\($0)".contains("at most 4") }
        #expect { try Simulator.run(request(Case(document: "lut-tensor-core-28nm.json", activation: "fp16", weight: "nf4"))) }
            throws: { "\($0)".contains("uint1..uint8") }
    }

    @Test("--compare: the dequantise-then-MMA baseline on identical inputs re-checks clean")
    func compare() throws {
        let r = request(Case(document: "lut-tensor-core-28nm.json", activation: "fp16", weight: "uint4"))
        let first = try Simulator.run(r)
        let report = try Simulator.compare(first, request: r, with: ComparisonRequest(architecturePath: Self.path("nvidia-a100-sxm4-80gb.json")))
        let c = try #require(report.comparison)
        #expect(c.engine == "tensor_core" && c.b_format == "fp16" && c.mismatches == 0)
        // The same 4-bit weights dominate both errors: SQNR within 1 dB.
        #expect(abs((c.sqnr_db ?? 0) - report.accuracy!.sqnr_db) < 1, "\(String(describing: c.sqnr_db)) vs \(report.accuracy!.sqnr_db)")
        #expect((c.energy_pj ?? 0) > 0 && c.cycles > 0)
    }

    @Test("BitNet b1.58 3B decode on A100-LUT-4X: linear layers on the LUT units, attention on the A100")
    func bitnet() throws {
        let base = RunRequest(architecturePath: Self.path("lut-tensor-core-a100-4x.json"), shape: GEMMShape(m: 1, n: 1, k: 1), aFormat: "int8",
                              bFormat: "ternary", dFormat: nil, instruction: nil, quantization: nil, dataA: .synthetic(.gaussian),
                              dataB: .synthetic(.gaussian), seed: 1)
        let workload = try ModelCatalog.named("bitnet-b1.58-3b")!.workload(phase: .decode(context: 256), batch: 1)
        let r = try Simulator.run(WorkloadRequest(base: base, workload: workload, numericsLayers: nil, layerGrid: 4, layerRecheck: 8)).report
        #expect(r.totals.mismatches == 0 && r.totals.layers_with_numerics == 10)
        for l in r.layers {
            #expect(l.architecture == (l.b_role == "kv_cache" ? "NVIDIA A100 SXM4 80 GB" : "A100-LUT-4X (LUT Tensor Core units in an A100, INT8 activations)"), "\(l.name)")
        }
        #expect(r.approximations.contains { $0.hasPrefix("attention GEMMs (B from the KV cache) run on") })
    }

    @Test("The paper comparison rows exist; A100-LUT-4X's peak follows from its configuration")
    func paper() throws {
        let rows = try LUTPaperComparison.rows()
        #expect(rows.count == 26)
        let peak = try #require(rows.first { $0.comparison.hasPrefix("A100-LUT-4X peak") })
        #expect(abs(peak.ratio! - 1) < 0.001)
        #expect(rows.allSatisfy { $0.quantsim.isFinite && $0.quantsim > 0 })
    }
}
