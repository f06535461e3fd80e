import CostModel
import EngineKit
import Foundation

extension SimulationReport {
    /// Pretty JSON with sorted keys; non-finite numbers as the strings "inf", "-inf", "nan".
    public func json() -> String { ReportText.json(self) }

    /// The engine-neutral CSV columns, in order (stable public API); after them come one
    /// `action.<name>` column per counted action (sorted) and the engine section flattened as
    /// `<engine>.<key>[.<key>]`.
    public static let csvColumns = [
        "schema_version", "engine", "architecture", "layer", "m", "n", "k", "a_format", "b_format", "d_format", "quantization_a",
        "quantization_b", "data_a", "data_b", "seed", "numerics_profile", "cycles", "time_s", "achieved_tops", "peak_tops",
        "utilisation", "binding_limit", "numerics_mode", "outputs_simulated", "sqnr_db", "relative_frobenius_error", "max_abs_error",
        "max_ulp_error", "max_normwise_error", "quantization_only_sqnr_db", "outputs_rechecked", "mismatches",
        "cost_status", "energy_pj", "energy_compute_pj", "energy_register_file_pj", "energy_sram_pj", "energy_dram_pj",
        "energy_leakage_pj", "energy_per_mac_pj", "datapath_energy_per_mac_pj", "average_power_w", "tops_per_w", "area_mm2",
        "datapath_area_mm2", "tops_per_mm2", "technology",
    ]

    /// Column names and values of this report's CSV line.
    func csvFields() -> [(String, String)] {
        func number(_ x: Double) -> String { CSVText.number(x) }
        func optional(_ x: Double?) -> String { x.map(number) ?? "" }
        let a = accuracy, v = verification, b = cost.breakdown
        var values: [String] = [String(schema_version), engine, architecture.name, problem.layer ?? "", String(problem.m)]
        values += [String(problem.n), String(problem.k), problem.a_format, problem.b_format, problem.d_format]
        values += [problem.quantization_a, problem.quantization_b, problem.data_a, problem.data_b, String(problem.seed)]
        values += [numerics.profile, number(timing.cycles), number(timing.time_s), number(timing.achieved_tops)]
        values += [number(timing.peak_tops), number(timing.utilisation), timing.binding_limit, numerics.mode]
        values += [String(numerics.outputs_simulated), optional(a?.sqnr_db), optional(a?.relative_frobenius_error)]
        values += [optional(a?.max_abs_error), optional(a?.max_ulp_error), optional(a?.max_normwise_error), optional(a?.quantization_only_sqnr_db)]
        values += [v.map { String($0.outputs_rechecked) } ?? "", v.map { String($0.mismatches) } ?? ""]
        values += [cost.status, optional(b?.energy_pj)]
        values += EnergyKind.allCases.map { optional(b?.energy_pj_by_kind[$0.rawValue]) }
        values += [optional(b?.energy_per_mac_pj), optional(cost.datapath_energy_per_mac_pj), optional(b?.average_power_w)]
        values += [optional(b?.tops_per_w), optional(b?.area_mm2), optional(cost.datapath_area_mm2), optional(b?.tops_per_mm2)]
        values += [b?.technology ?? ""]
        var fields = Array(zip(Self.csvColumns, values))
        fields += actions.keys.sorted().map { ("action." + $0, number(actions[$0]!)) }
        fields += CSVText.flatten(details.entries, prefix: engine)
        return fields
    }

    /// A header line and one value line.
    public func csv() -> String {
        let fields = csvFields()
        return CSVText.line(fields.map(\.0)) + CSVText.line(fields.map(\.1))
    }

    /// A human-readable report.
    public func table() -> String {
        var t = TableWriter()
        func g(_ x: Double, _ digits: Int = 4) -> String { ReportText.g(x, digits) }
        t.title("QuantSim simulate run (report schema \(schema_version))")
        t.section("Problem")
        if let layer = problem.layer { t.row("layer", layer) }
        t.row("GEMM (MxNxK)", "\(problem.m) x \(problem.n) x \(problem.k)")
        t.row("formats A, B -> D", "\(problem.a_format), \(problem.b_format) -> \(problem.d_format)")
        t.row("roles A, B", "\(problem.a_role), \(problem.b_role)")
        t.row("quantization A", problem.quantization_a)
        t.row("quantization B", problem.quantization_b)
        t.row("data", "A \(problem.data_a), B \(problem.data_b), seed \(problem.seed)")
        t.row("clipped elements", String(problem.clipped_elements))
        t.section("Hardware: \(architecture.name)")
        t.row("kind", architecture.kind)
        t.row("units x clock", "\(architecture.units) x \(g(architecture.clock_mhz)) MHz")
        t.row("numerics", "\(numerics.profile): \(numerics.datapath)")
        t.section(details.title)
        t.entries(details.entries)
        t.section("Timing (cycle model)")
        t.row("cycles", g(timing.cycles, 6))
        t.row("time", g(timing.time_s * 1e6, 5) + " us")
        t.row("achieved / peak", "\(g(timing.achieved_tops)) / \(g(timing.peak_tops)) TOPS (\(g(timing.utilisation * 100, 3))%)")
        t.row("binding limit", timing.binding_limit)
        t.row("limits (cycles)", timing.limits.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value))" }.joined(separator: ", "))
        t.section("Action counts")
        for (name, count) in actions.sorted(by: { $0.key < $1.key }) { t.row(name, g(count, 6)) }
        t.section("Numerics (bit-exact datapath)")
        t.row("mode", numerics.mode)
        t.row("outputs simulated", "\(numerics.outputs_simulated) (\(numerics.rows_simulated) rows x \(numerics.columns_simulated) columns)")
        t.row("why", numerics.reason)
        for (name, count) in numerics.events.sorted(by: { $0.key < $1.key }) { t.row(name, String(count)) }
        if let overflows = numerics.events["lane_overflows"], overflows > 0 {
            t.row("WARNING", "\(overflows) packed-lane result(s) overflowed into the next lane and differ from exact integer arithmetic (shorten the chain or narrow the operand range: docs/fpga-dsp.md)")
        }
        renderAccuracy(&t)
        renderCost(&t)
        renderComparison(&t)
        t.section("Approximations")
        for a in approximations { t.bullet(a) }
        return t.text
    }

    func renderAccuracy(_ t: inout TableWriter) {
        func g(_ x: Double, _ digits: Int = 4) -> String { ReportText.g(x, digits) }
        guard let accuracy, let verification else {
            t.section("Accuracy")
            t.row("metrics", "not measured (--numerics off)")
            return
        }
        t.section("Accuracy")
        let population = accuracy.coverage == "all" ? " (all simulated)" : " (seeded sample of \(numerics.outputs_simulated) simulated)"
        t.row("outputs measured", String(accuracy.outputs_measured) + population
              + (accuracy.non_finite_outputs > 0 ? " (+\(accuracy.non_finite_outputs) non-finite)" : ""))
        if accuracy.outputs_measured == 0 {
            // Nothing finite to compare: no zeros that would read as a perfect result.
            t.row("metrics", "n/a: no output and reference are both finite")
        } else {
            t.row("SQNR vs FP64", g(accuracy.sqnr_db) + " dB")
            t.row("relative Frobenius error", accuracy.relative_frobenius_error.isNaN
                ? "n/a (the FP64 reference is all zero)" : g(accuracy.relative_frobenius_error))
            t.row("max abs error", g(accuracy.max_abs_error))
            t.row("max ULP error", g(accuracy.max_ulp_error) + " (mean \(g(accuracy.mean_ulp_error, 3))) vs the correctly rounded product")
            t.row("max normwise error", g(accuracy.max_normwise_error) + " (|D - exact| / sum |a b|)")
            t.row("quantization-only SQNR", g(accuracy.quantization_only_sqnr_db) + " dB")
        }
        t.section("Verification")
        t.row("outputs re-checked", "\(verification.outputs_rechecked) with \(verification.reference)")
        t.row("mismatches", String(verification.mismatches))
        for m in verification.first_mismatches { t.row("", m) }
    }

    func renderComparison(_ t: inout TableWriter) {
        guard let c = comparison else { return }
        func g(_ x: Double?, _ digits: Int = 4) -> String { x.map { ReportText.g($0, digits) } ?? "-" }
        t.section("Comparison on identical inputs: \(c.architecture.name) (\(c.engine))")
        t.row("", "this run".padding(toLength: 22, withPad: " ", startingAt: 0) + "baseline")
        func pair(_ key: String, _ mine: String, _ theirs: String) {
            t.row(key, mine.padding(toLength: Swift.max(22, mine.count + 1), withPad: " ", startingAt: 0) + theirs)
        }
        pair("formats A, B", "\(problem.a_format), \(problem.b_format)", "\(c.a_format), \(c.b_format) (B: the dequantised weights)")
        pair("numerics", numerics.profile, c.numerics_profile)
        pair("SQNR vs FP64 (dB)", g(accuracy?.sqnr_db), g(c.sqnr_db))
        pair("relative Frobenius error", g(accuracy?.relative_frobenius_error), g(c.relative_frobenius_error))
        pair("re-check mismatches", verification.map { "\($0.mismatches)/\($0.outputs_rechecked)" } ?? "-",
             c.mismatches.map { "\($0)/\(c.outputs_rechecked ?? 0)" } ?? "-")
        pair("time (us)", g(timing.time_s * 1e6, 5), g(c.time_s * 1e6, 5))
        pair("binding limit", timing.binding_limit, c.binding_limit)
        pair("energy (uJ)", g(cost.breakdown.map { $0.energy_pj * 1e-6 }), g(c.energy_pj.map { $0 * 1e-6 }))
        pair("energy per MAC (pJ)", g(cost.breakdown?.energy_per_mac_pj, 3), g(c.energy_per_mac_pj, 3))
        pair("datapath energy per MAC (pJ)", g(cost.datapath_energy_per_mac_pj, 3), g(c.datapath_energy_per_mac_pj, 3))
        pair("datapath area (mm^2)", g(cost.datapath_area_mm2, 4) + " (\(cost.datapath_area_scope ?? ""))",
             g(c.datapath_area_mm2, 4) + " (\(c.datapath_area_scope ?? ""))")
    }

    func renderCost(_ t: inout TableWriter) {
        func g(_ x: Double, _ digits: Int = 4) -> String { ReportText.g(x, digits) }
        t.section("Energy and area (cost model)")
        guard let b = cost.breakdown else {
            t.row("status", cost.status)
            return
        }
        t.row("technology", b.technology)
        t.row("scaling", b.scaling)
        t.row("energy", "\(g(b.energy_pj * 1e-6, 4)) uJ, \(g(b.energy_per_mac_pj, 3)) pJ per useful MAC")
        for kind in EnergyKind.allCases {
            let e = b.energy_pj_by_kind[kind.rawValue] ?? 0
            t.row("  " + kind.rawValue, "\(g(e * 1e-6, 4)) uJ (\(g(b.energy_pj > 0 ? e / b.energy_pj * 100 : 0, 3))%)")
        }
        if let e = cost.datapath_energy_per_mac_pj {
            t.row("datapath energy per MAC", g(e, 3) + " pJ (" + (cost.datapath_mode ?? "") + ")")
        }
        t.row("average power", g(b.average_power_w, 4) + " W")
        t.row("efficiency", b.fpga_resources != nil ? "\(g(b.tops_per_w, 4)) TOPS/W" : "\(g(b.tops_per_w, 4)) TOPS/W, \(g(b.tops_per_mm2, 4)) TOPS/mm^2 of modelled area")
        if let r = b.fpga_resources {
            t.row("FPGA resources", "\(g(r.dsp, 6)) DSP, \(g(r.lut, 6)) LUT, \(g(r.ff, 6)) FF, \(g(r.bram, 6)) BRAM, \(g(r.uram, 6)) URAM")
        } else {
            t.row("modelled area", g(b.area_mm2, 4) + " mm^2 (the priced components; not the die)")
        }
        for a in b.area_by_component where a.area_mm2 != nil { t.row("  " + a.component, "\(g(a.area_mm2!, 4)) mm^2 (\(a.instances) instances)") }
        if let area = cost.datapath_area_mm2 { t.row("datapath area", g(area, 3) + " mm^2 (" + (cost.datapath_area_scope ?? "") + ")") }
        for e in b.energy_by_action where e.energy_pj > 0 {
            t.row("  " + e.component + "." + e.action, "\(g(e.count, 4)) x \(g(e.energy_pj_per_action, 3)) pJ = \(g(e.energy_pj * 1e-6, 4)) uJ")
        }
        if !b.unpriced_actions.isEmpty { t.row("unpriced actions", b.unpriced_actions.joined(separator: ", ")) }
        if let u = cost.uncertainty { t.row("uncertainty", u) }
    }
}

/// CSV cells: quoted when they hold commas or quotes; numbers as Swift prints binary64 (exact
/// round trip); non-finite numbers as nan/inf/-inf.
enum CSVText {
    static func field(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func number(_ x: Double) -> String { x.isFinite ? String(x) : (x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf")) }

    static func line(_ cells: [String]) -> String { cells.map(field).joined(separator: ",") + "\n" }

    /// An engine section as `prefix.key[.key]` columns.
    static func flatten(_ entries: [ReportEntry], prefix: String) -> [(String, String)] {
        entries.flatMap { e -> [(String, String)] in
            let key = prefix + "." + e.key
            switch e.value {
            case .object(let inner): return flatten(inner, prefix: key)
            case .number(let d): return [(key, number(d))]
            default: return [(key, e.value.description)]
            }
        }
    }
}
