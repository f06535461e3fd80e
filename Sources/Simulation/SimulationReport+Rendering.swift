import CostModel
import Foundation

extension SimulationReport {
    /// Pretty JSON with sorted keys; non-finite numbers as the strings "inf", "-inf", "nan".
    public func json() -> String { ReportText.json(self) }

    /// The CSV columns, in order (stable public API).
    public static let csvColumns = [
        "schema_version", "architecture", "m", "n", "k", "a_format", "b_format", "d_format", "quantization_a", "quantization_b",
        "data_a", "data_b", "seed", "instruction", "instruction_shape", "numerics_profile", "block_m", "block_n", "block_k",
        "stages", "ctas_per_sm", "cycles", "time_s", "achieved_tflops", "peak_tflops", "utilisation", "binding_limit",
        "numerics_mode", "outputs_simulated", "sqnr_db", "relative_frobenius_error", "max_abs_error",
        "max_ulp_vs_correctly_rounded", "quantization_only_sqnr_db", "outputs_rechecked", "mismatches",
        "tensor.mma_instructions", "tensor.fma_issued", "smem.write_bytes", "smem.read_bytes", "l2.read_bytes",
        "l2.write_bytes", "dram.read_bytes", "dram.write_bytes",
        "cost_status", "energy_pj", "energy_compute_pj", "energy_register_file_pj", "energy_sram_pj", "energy_dram_pj",
        "energy_leakage_pj", "energy_per_mac_pj", "tensor_energy_per_fma_pj", "average_power_w", "tops_per_w", "area_mm2",
        "tensor_area_per_sm_mm2", "tops_per_mm2", "technology",
    ]

    /// The action-count columns of the CSV.
    static let csvActionColumns = Array(csvColumns[csvColumns.firstIndex(of: "tensor.mma_instructions")!..<csvColumns.firstIndex(of: "cost_status")!])

    /// A header line and one value line.
    public func csv() -> String {
        func field(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func number(_ x: Double) -> String { x.isFinite ? String(x) : (x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")) }
        var values: [String] = [String(schema_version), architecture.name, String(problem.m), String(problem.n), String(problem.k)]
        values += [problem.a_format, problem.b_format, problem.d_format, problem.quantization_a, problem.quantization_b]
        values += [problem.data_a, problem.data_b, String(problem.seed), instruction.name, instruction.shape]
        values += [instruction.numerics_profile, String(tiling.block_m), String(tiling.block_n), String(tiling.block_k)]
        values += [String(tiling.stages), String(tiling.ctas_per_sm), number(timing.cycles), number(timing.time_s)]
        values += [number(timing.achieved_tflops), number(timing.peak_tflops), number(timing.utilisation), timing.binding_limit]
        values += [numerics.mode, String(numerics.outputs_simulated), number(accuracy.sqnr_db), number(accuracy.relative_frobenius_error)]
        values += [number(accuracy.max_abs_error), String(accuracy.max_ulp_vs_correctly_rounded), number(accuracy.quantization_only_sqnr_db)]
        values += [String(verification.outputs_rechecked), String(verification.mismatches)]
        values += Self.csvActionColumns.map { number(actions[$0] ?? 0) }
        let b = cost.breakdown
        func optional(_ x: Double?) -> String { x.map(number) ?? "" }
        values += [cost.status, optional(b?.energy_pj)]
        values += EnergyKind.allCases.map { optional(b?.energy_pj_by_kind[$0.rawValue]) }
        values += [optional(b?.energy_per_mac_pj), optional(cost.tensor_energy_per_fma_pj), optional(b?.average_power_w)]
        values += [optional(b?.tops_per_w), optional(b?.area_mm2), optional(cost.tensor_area_per_sm_mm2), optional(b?.tops_per_mm2)]
        values += [b?.technology ?? ""]
        return Self.csvColumns.joined(separator: ",") + "\n" + values.map(field).joined(separator: ",") + "\n"
    }

    /// A human-readable report.
    public func table() -> String {
        var lines: [String] = []
        func section(_ title: String) { lines.append(""); lines.append(title) }
        func row(_ key: String, _ value: String) {
            lines.append("  " + key + String(repeating: " ", count: Swift.max(1, 30 - key.count)) + value)
        }
        func g(_ x: Double, _ digits: Int = 4) -> String { ReportText.g(x, digits) }
        lines.append("QuantSim simulate run (report schema \(schema_version))")
        section("Problem")
        row("GEMM (MxNxK)", "\(problem.m) x \(problem.n) x \(problem.k)")
        row("formats A, B -> D", "\(problem.a_format), \(problem.b_format) -> \(problem.d_format)")
        row("quantization A", problem.quantization_a)
        row("quantization B", problem.quantization_b)
        row("data", "A \(problem.data_a), B \(problem.data_b), seed \(problem.seed)")
        row("clipped elements", String(problem.clipped_elements))
        section("Hardware: \(architecture.name)")
        row("SMs x clock", "\(architecture.sm_count) x \(g(architecture.clock_mhz)) MHz")
        row("instruction", "\(instruction.name) \(instruction.shape): \(instruction.ptx)")
        row("why", instruction.why)
        row("numerics", "\(instruction.numerics_profile): \(instruction.numerics)")
        row("threadblock tile", "\(tiling.block_m)x\(tiling.block_n)x\(tiling.block_k), \(tiling.stages) stages, \(tiling.ctas_per_sm) CTA/SM"
            + (tiling.cluster_m * tiling.cluster_n > 1 ? ", cluster \(tiling.cluster_m)x\(tiling.cluster_n)" : "") + (tiling.sm_pair ? ", SM pair" : ""))
        row("warp tile", "\(tiling.warp_m)x\(tiling.warp_n)")
        row("why", tiling.why)
        section("Timing (cycle model)")
        row("cycles", g(timing.cycles, 6))
        row("time", g(timing.time_s * 1e6, 5) + " us")
        row("achieved / peak", "\(g(timing.achieved_tflops)) / \(g(timing.peak_tflops)) TFLOP/s (\(g(timing.utilisation * 100, 3))%)")
        row("binding limit", timing.binding_limit)
        row("limits (cycles)", "compute \(g(timing.compute_cycles)), shared memory \(g(timing.shared_memory_cycles)), L2 \(g(timing.l2_cycles)), DRAM \(g(timing.dram_cycles))")
        row("tiles / waves", "\(timing.tiles) / \(timing.waves)")
        section("Action counts")
        for (name, count) in actions.sorted(by: { $0.key < $1.key }) { row(name, g(count, 6)) }
        section("Numerics (bit-exact datapath)")
        row("mode", numerics.mode)
        row("outputs simulated", "\(numerics.outputs_simulated) (\(numerics.rows_simulated) rows x \(numerics.columns_simulated) columns)")
        row("why", numerics.reason)
        section("Accuracy" + (accuracy.sampled ? " (over a seeded sample of outputs)" : ""))
        row("outputs measured", String(accuracy.outputs_measured) + (accuracy.non_finite_outputs > 0 ? " (+\(accuracy.non_finite_outputs) non-finite)" : ""))
        if accuracy.outputs_measured == 0 {
            // Nothing finite to compare: no zeros that would read as a perfect result.
            row("metrics", "n/a: no output and reference are both finite")
        } else {
            row("SQNR vs FP64", g(accuracy.sqnr_db) + " dB")
            row("relative Frobenius error", accuracy.relative_frobenius_error.isNaN
                ? "n/a (the FP64 reference is all zero)" : g(accuracy.relative_frobenius_error))
            row("max abs error", g(accuracy.max_abs_error))
            row("max ULP vs correctly rounded", String(accuracy.max_ulp_vs_correctly_rounded) + " (mean \(g(accuracy.mean_ulp_vs_correctly_rounded, 3)))")
            row("quantization-only SQNR", g(accuracy.quantization_only_sqnr_db) + " dB")
        }
        section("Verification")
        row("outputs re-checked", "\(verification.outputs_rechecked) with \(verification.reference)")
        row("mismatches", String(verification.mismatches))
        for m in verification.first_mismatches { row("", m) }
        section("Energy and area (cost model)")
        if let b = cost.breakdown {
            row("technology", b.technology)
            row("scaling", b.scaling)
            row("energy", "\(g(b.energy_pj * 1e-6, 4)) uJ, \(g(b.energy_per_mac_pj, 3)) pJ per useful MAC")
            for kind in EnergyKind.allCases {
                let e = b.energy_pj_by_kind[kind.rawValue] ?? 0
                row("  " + kind.rawValue, "\(g(e * 1e-6, 4)) uJ (\(g(b.energy_pj > 0 ? e / b.energy_pj * 100 : 0, 3))%)")
            }
            row("tensor energy per FMA", g(cost.tensor_energy_per_fma_pj ?? 0, 3) + " pJ (" + (cost.tensor_mode ?? "") + ")")
            row("average power", g(b.average_power_w, 4) + " W")
            row("efficiency", "\(g(b.tops_per_w, 4)) TOPS/W, \(g(b.tops_per_mm2, 4)) TOPS/mm^2 of modelled area")
            row("modelled area", g(b.area_mm2, 4) + " mm^2 (tensor cores, register files, shared memory, L2; not the die)")
            for a in b.area_by_component where a.area_mm2 != nil { row("  " + a.component, "\(g(a.area_mm2!, 4)) mm^2 (\(a.instances) instances)") }
            if let perSM = cost.tensor_area_per_sm_mm2 { row("tensor area per SM", g(perSM, 3) + " mm^2") }
            for e in b.energy_by_action where e.energy_pj > 0 {
                row("  " + e.component + "." + e.action, "\(g(e.count, 4)) x \(g(e.energy_pj_per_action, 3)) pJ = \(g(e.energy_pj * 1e-6, 4)) uJ")
            }
            if !b.unpriced_actions.isEmpty { row("unpriced actions", b.unpriced_actions.joined(separator: ", ")) }
            if let u = cost.uncertainty { row("uncertainty", u) }
        } else {
            row("status", cost.status)
        }
        section("Approximations")
        for a in approximations { lines.append("  - " + a) }
        return lines.joined(separator: "\n") + "\n"
    }
}
