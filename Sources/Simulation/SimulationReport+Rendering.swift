import Foundation

extension SimulationReport {
    /// Pretty JSON with sorted keys; non-finite numbers as the strings "inf", "-inf", "nan".
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// The CSV columns, in order (stable public API).
    public static let csvColumns = [
        "schema_version", "architecture", "m", "n", "k", "a_format", "b_format", "d_format", "quantization_a", "quantization_b",
        "data_a", "data_b", "seed", "instruction", "instruction_shape", "numerics_profile", "block_m", "block_n", "block_k",
        "stages", "ctas_per_sm", "cycles", "time_s", "achieved_tflops", "peak_tflops", "utilisation", "binding_limit",
        "numerics_mode", "outputs_simulated", "sqnr_db", "relative_frobenius_error", "max_abs_error",
        "max_ulp_vs_correctly_rounded", "quantization_only_sqnr_db", "outputs_rechecked", "mismatches",
        "tensor.mma_instructions", "tensor.fma_issued", "smem.write_bytes", "smem.read_bytes", "l2.read_bytes",
        "l2.write_bytes", "dram.read_bytes", "dram.write_bytes",
    ]

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
        values += Self.csvColumns.suffix(8).map { number(actions[$0] ?? 0) }
        return Self.csvColumns.joined(separator: ",") + "\n" + values.map(field).joined(separator: ",") + "\n"
    }

    /// A human-readable report.
    public func table() -> String {
        var lines: [String] = []
        func section(_ title: String) { lines.append(""); lines.append(title) }
        func row(_ key: String, _ value: String) {
            lines.append("  " + key + String(repeating: " ", count: Swift.max(1, 30 - key.count)) + value)
        }
        func g(_ x: Double, _ digits: Int = 4) -> String {
            guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
            return String(format: "%.\(digits)g", x)
        }
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
        row("SQNR vs FP64", g(accuracy.sqnr_db) + " dB")
        row("relative Frobenius error", g(accuracy.relative_frobenius_error))
        row("max abs error", g(accuracy.max_abs_error))
        row("max ULP vs correctly rounded", String(accuracy.max_ulp_vs_correctly_rounded) + " (mean \(g(accuracy.mean_ulp_vs_correctly_rounded, 3)))")
        row("quantization-only SQNR", g(accuracy.quantization_only_sqnr_db) + " dB")
        section("Verification")
        row("outputs re-checked", "\(verification.outputs_rechecked) with \(verification.reference)")
        row("mismatches", String(verification.mismatches))
        for m in verification.first_mismatches { row("", m) }
        section("Energy and area")
        row(cost.status, cost.note)
        section("Approximations")
        for a in approximations { lines.append("  - " + a) }
        return lines.joined(separator: "\n") + "\n"
    }
}
