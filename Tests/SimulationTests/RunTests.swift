import ArchitectureSpec
import EngineKit
import Formats
import Simulation
import Testing
import Workloads

/// `simulate run` through the library: every tensor-core preset with every format combination
/// its instructions accept; every run re-checks a sample against MPFR with no mismatch.
@Suite("simulate run")
struct RunTests {
    static let repository = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
    static let presets = ["nvidia-v100-sxm2.json", "nvidia-a100-sxm4-80gb.json", "nvidia-l40s.json", "nvidia-h100-sxm.json",
                          "nvidia-h200-sxm.json", "nvidia-b200.json"]

    struct Combination: Sendable, CustomStringConvertible {
        let arch: String
        let format: String
        let accumulator: String
        let quantize: QuantizationChoice?
        var description: String { "\(arch.dropLast(5)) \(format)->\(accumulator) \(quantize?.description ?? "default")" }
    }

    /// Every (input format, accumulator) an instruction of each preset accepts; block-scaled
    /// instructions as their MX/NVFP4 formats.
    static let combinations: [Combination] = {
        var out: [Combination] = []
        for arch in presets {
            let document = try! ArchitectureLoader.load(path: "/" + repository + "/Architectures/" + arch)
            guard case .tensorCoreGPU(let gpu) = document.body else { continue }
            var seen = Set<String>()
            for v in gpu.mmaInstructions {
                for input in v.inputFormats {
                    for acc in v.accumulatorFormats {
                        var name = input
                        if let s = v.scaleFormat {
                            name = s == "ue4m3" ? "nvfp4" : ["e4m3": "mxfp8e4m3", "e5m2": "mxfp8e5m2", "e3m2": "mxfp6e3m2",
                                                             "e2m3": "mxfp6e2m3", "e2m1": v.shapeK == 64 ? "mxfp4" : "mxfp4-f8f6f4"][input] ?? input
                            if name == "mxfp4-f8f6f4" { continue }
                        }
                        guard seen.insert("\(name)/\(acc)").inserted else { continue }
                        out.append(Combination(arch: arch, format: name, accumulator: acc, quantize: nil))
                    }
                }
            }
        }
        return out
    }()

    func request(_ c: Combination, shape: GEMMShape = GEMMShape(m: 48, n: 40, k: 128)) -> RunRequest {
        RunRequest(architecturePath: "/" + Self.repository + "/Architectures/" + c.arch, shape: shape, aFormat: c.format,
                   bFormat: c.format, dFormat: c.accumulator, instruction: nil, quantization: c.quantize,
                   dataA: .synthetic(.gaussian), dataB: .synthetic(.laplace), seed: 5, recheckCount: 64)
    }

    @Test("Every preset with every supported format combination runs and re-checks clean", arguments: combinations)
    func everyCombination(_ c: Combination) throws {
        let report = try Simulator.run(request(c)).report
        #expect(report.verification!.mismatches == 0)
        #expect(report.verification!.outputs_rechecked == 64)
        #expect(report.numerics.mode == "full")
        #expect(report.timing.cycles > 0 && report.timing.utilisation > 0 && report.timing.utilisation <= 1)
        #expect(report.accuracy!.outputs_measured + report.accuracy!.non_finite_outputs == 48 * 40)
        // Signed formats keep the signal (SQNR well above 0 dB). Unsigned formats clip the
        // negative half of zero-mean data (symmetric absmax scaling), and FP8 scaled to its
        // maximum overflows an FP16 accumulator: both are reported, not hidden.
        let unsigned = c.format.hasPrefix("uint")
        if !unsigned && report.accuracy!.outputs_measured > 0 {
            #expect(report.accuracy!.sqnr_db > 5, "\(c): SQNR \(report.accuracy!.sqnr_db)")
        }
        if unsigned { #expect(report.problem.clipped_elements > 0) }
        // Energy and area: priced with a breakdown, every counted action priced, parts sum to the total.
        #expect(report.cost.status == "modelled", "\(c): \(report.cost.status)")
        let b = try #require(report.cost.breakdown)
        #expect(b.unpriced_actions.isEmpty, "\(c): unpriced \(b.unpriced_actions)")
        #expect(b.energy_pj > 0 && b.area_mm2 > 0 && b.average_power_w > 0 && b.tops_per_w > 0)
        #expect(abs(b.energy_pj_by_kind.values.reduce(0, +) - b.energy_pj) <= 1e-9 * b.energy_pj)
        let actionSum = b.energy_by_action.reduce(0) { $0 + $1.energy_pj } + b.leakage_pj
        #expect(abs(actionSum - b.energy_pj) <= 1e-9 * b.energy_pj)
        for kind in ["compute", "register_file", "sram", "dram", "leakage"] { #expect((b.energy_pj_by_kind[kind] ?? 0) > 0, "\(c): no \(kind) energy") }
        #expect((report.cost.datapath_energy_per_mac_pj ?? 0) > 0 && (report.cost.datapath_area_mm2 ?? 0) > 0)
    }

    /// Lines shorter than, or not a multiple of, the instruction's K are zero-padded (with unit
    /// block scales for MX/NVFP4), by the engine and the MPFR reference independently.
    @Test("K not a multiple of the instruction's K: zero padding, re-checks clean", arguments: combinations)
    func paddedK(_ c: Combination) throws {
        for k in [1, 40, 96] {
            let report = try Simulator.run(request(c, shape: GEMMShape(m: 16, n: 8, k: k))).report
            #expect(report.verification!.mismatches == 0, "\(c) K=\(k)")
            #expect(report.verification!.outputs_rechecked == 64, "\(c) K=\(k)")
        }
    }

    /// All-zero and all-huge operands: nothing to scale, outputs zero or non-finite; the run
    /// reports them instead of trapping.
    @Test("Degenerate data: all zeros, all non-finite after quantisation")
    func degenerateData() throws {
        func matrix(_ rows: Int, _ columns: Int, _ v: Double) -> RunRequest.DataSource {
            .file(MatrixFile(rows: rows, columns: columns, values: Array(repeating: v, count: rows * columns), source: "constant \(v)"))
        }
        for (format, value) in [("fp16", 0.0), ("e4m3", 0.0), ("fp16", Double.nan), ("fp16", 1e38)] {
            var r = request(Combination(arch: "nvidia-h100-sxm.json", format: format, accumulator: "fp32", quantize: nil),
                            shape: GEMMShape(m: 16, n: 8, k: 32))
            r.dataA = matrix(16, 32, value)
            r.dataB = matrix(32, 8, value)
            let report = try Simulator.run(r).report
            #expect(report.verification!.mismatches == 0, "\(format) \(value)")
            #expect(report.accuracy!.outputs_measured + report.accuracy!.non_finite_outputs == 16 * 8, "\(format) \(value)")
        }
    }

    @Test("Scaling modes: per-channel and group:32 on H100 E4M3; groups promote per group")
    func scalingModes() throws {
        let base = Combination(arch: "nvidia-h100-sxm.json", format: "e4m3", accumulator: "fp32", quantize: .perTensor)
        let perTensor = try Simulator.run(request(base)).report
        let perChannel = try Simulator.run(request(Combination(arch: base.arch, format: "e4m3", accumulator: "fp32", quantize: .perChannel))).report
        let grouped = try Simulator.run(request(Combination(arch: base.arch, format: "e4m3", accumulator: "fp32", quantize: .group(32)))).report
        #expect(grouped.verification!.mismatches == 0 && grouped.verification!.outputs_rechecked == 64)
        #expect(perChannel.accuracy!.sqnr_db >= perTensor.accuracy!.sqnr_db - 0.5)
        #expect(grouped.accuracy!.sqnr_db >= perTensor.accuracy!.sqnr_db - 0.5)
        #expect(grouped.problem.quantization_a.hasPrefix("group:32"))
    }

    @Test("Beyond the budgets, a seeded grid of outputs is simulated and the report says so")
    func sampledMode() throws {
        var r = request(Combination(arch: "nvidia-a100-sxm4-80gb.json", format: "bf16", accumulator: "fp32", quantize: nil),
                        shape: GEMMShape(m: 1024, n: 2048, k: 64))
        r.exactMACBudget = 1e6
        r.sampleRows = 16
        r.sampleColumns = 8
        let report = try Simulator.run(r).report
        #expect(report.numerics.mode == "sampled")
        #expect(report.numerics.outputs_simulated == 128)
        #expect(report.numerics.reason.contains("seeded grid of 16 rows x 8 columns"))
        // All 128 simulated outputs are measured: the accuracy sample is the whole simulation.
        #expect(report.accuracy!.coverage == "all" && report.accuracy!.outputs_measured == 128)
        #expect(report.verification!.mismatches == 0)
        // The cycle model still covers the whole problem.
        #expect((report.actions["tensor.fma_useful"] ?? 0) == Double(1024 * 2048 * 64))
    }

    @Test("Clear errors: numerics-only document, no instruction for a format, file shape mismatch")
    func errors() {
        let numericsOnly = Combination(arch: "nvidia-a2.json", format: "fp16", accumulator: "fp32", quantize: nil)
        #expect { try Simulator.run(request(numericsOnly)).report } throws: { "\($0)".contains("carries numerics only") }
        let noFP8 = Combination(arch: "nvidia-a100-sxm4-80gb.json", format: "e4m3", accumulator: "fp32", quantize: nil)
        #expect { try Simulator.run(request(noFP8)).report } throws: { "\($0)".contains("has no MMA instruction") && "\($0)".contains("available:") }
        let mixture = Combination(arch: "nvidia-h100-sxm.json", format: "bitmod4", accumulator: "fp32", quantize: nil)
        #expect { try Simulator.run(request(mixture)).report } throws: { "\($0)".contains("not a tensor-core input") }
        // A plain operand against a block-scaled one (either order) has no instruction: it used to
        // run B's elements without B's scales (silently wrong) or trap.
        for (a, b, arch) in [("e4m3", "mxfp8e4m3", "nvidia-h100-sxm.json"), ("mxfp8e4m3", "e4m3", "nvidia-b200.json"),
                             ("mxfp4", "nvfp4", "nvidia-b200.json"), ("nvfp4", "e2m1", "nvidia-b200.json")] {
            var r = request(Combination(arch: arch, format: a, accumulator: "fp32", quantize: nil), shape: GEMMShape(m: 8, n: 8, k: 32))
            r.bFormat = b
            #expect { try Simulator.run(r).report } throws: { "\($0)".contains("needs both operands block-scaled") }
        }
        // Per-tensor scaling of an operand too large to scan, and a K too long to sample.
        let huge = request(Combination(arch: "nvidia-h100-sxm.json", format: "e4m3", accumulator: "fp32", quantize: .perTensor),
                           shape: GEMMShape(m: 1_000_000, n: 1_000_000, k: 1_000_000))
        #expect { try Simulator.run(huge).report } throws: { "\($0)".contains("per-tensor scaling of A") }
        let long = request(Combination(arch: "nvidia-h100-sxm.json", format: "fp16", accumulator: "fp32", quantize: nil),
                           shape: GEMMShape(m: 1, n: 1, k: 1 << 60))
        #expect { try Simulator.run(long).report } throws: { "\($0)".contains("too long for a bit-exact sample") }
    }
}
