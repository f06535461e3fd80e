import CostModel
import Foundation

extension WorkloadReport {
    public func json() -> String { ReportText.json(self) }

    /// CSV columns of a workload report: one row per layer, then a `TOTAL` row.
    public static let csvColumns = [
        "schema_version", "engine", "architecture", "workload", "layer", "m", "n", "k", "repeat_count", "a_role", "b_role", "a_format",
        "b_format", "d_format", "numerics_profile", "cycles_each", "cycles", "time_s", "macs", "utilisation", "binding_limit",
        "energy_pj", "energy_per_mac_pj", "sqnr_db", "relative_frobenius_error", "quantization_only_sqnr_db", "outputs_rechecked",
        "mismatches",
    ]

    public func csv() -> String {
        func number(_ x: Double) -> String { CSVText.number(x) }
        func optional(_ x: Double?) -> String { x.map(number) ?? "" }
        var text = CSVText.line(Self.csvColumns)
        let lead = [String(schema_version), engine, architecture.name, workload.name]
        for l in layers {
            text += CSVText.line(lead + [
                l.name, String(l.m), String(l.n), String(l.k), String(l.repeat_count), l.a_role, l.b_role, l.a_format, l.b_format,
                l.d_format, l.numerics_profile, number(l.cycles_each), number(l.cycles), number(l.time_s), number(l.macs),
                number(l.utilisation), l.binding_limit, optional(l.energy_pj), optional(l.energy_per_mac_pj),
                optional(l.numerics?.sqnr_db), optional(l.numerics?.relative_frobenius_error),
                optional(l.numerics?.quantization_only_sqnr_db), l.numerics.map { String($0.outputs_rechecked) } ?? "",
                l.numerics.map { String($0.mismatches) } ?? "",
            ])
        }
        let t = totals
        text += CSVText.line(lead + ["TOTAL", "", "", "", "", "", "", formats.activation, formats.weight, "", "", "", number(t.cycles),
                                     number(t.time_s), number(t.macs), "", "", optional(t.energy_pj), optional(t.energy_per_mac_pj),
                                     "", "", "", String(t.outputs_rechecked), String(t.mismatches)])
        return text
    }

    public func table() -> String {
        var t = TableWriter()
        func g(_ x: Double, _ digits: Int = 4) -> String { ReportText.g(x, digits) }
        t.title("QuantSim simulate run: workload (report schema \(schema_version))")
        t.section("Workload: \(workload.name)")
        t.row("source", workload.source)
        if let p = workload.phase { t.row("phase, batch", "\(p), \(workload.batch ?? 1)") }
        t.row("formats", "activations \(formats.activation), weights \(formats.weight), KV cache \(formats.kv_cache)")
        t.row("quantization", formats.quantization)
        for note in workload.notes { t.bullet(note) }
        t.section("Hardware: \(architecture.name)")
        t.row("kind", architecture.kind)
        t.row("units x clock", "\(architecture.units) x \(g(architecture.clock_mhz)) MHz")
        t.section("Layers (each row: all repeats, run one after another)")
        let header = ["layer", "M x N x K", "x", "cycles", "time us", "util %", "limit", "energy uJ", "pJ/MAC", "SQNR dB", "mism."]
        var cells = [header]
        for l in layers {
            cells.append([
                l.name, "\(l.m)x\(l.n)x\(l.k)", String(l.repeat_count), g(l.cycles, 5), g(l.time_s * 1e6, 5), g(l.utilisation * 100, 3),
                l.binding_limit, l.energy_pj.map { g($0 * 1e-6, 4) } ?? "-", l.energy_per_mac_pj.map { g($0, 3) } ?? "-",
                l.numerics.map { g($0.sqnr_db, 4) } ?? "-", l.numerics.map { "\($0.mismatches)/\($0.outputs_rechecked)" } ?? "-",
            ])
        }
        let widths = (0..<header.count).map { c in cells.map { $0[c].count }.max()! }
        for row in cells {
            t.title("  " + row.enumerated().map { c, s in
                c == 0 || c == 6 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - s.count) + s
            }.joined(separator: "  "))
        }
        t.section("Totals")
        t.row("cycles", g(totals.cycles, 6))
        t.row("time", g(totals.time_s * 1e3, 5) + " ms")
        t.row("MACs", g(totals.macs, 6))
        t.row("achieved", g(totals.achieved_tops) + " TOPS")
        if let e = totals.energy_pj {
            t.row("energy", "\(g(e * 1e-6, 5)) uJ, \(g(totals.energy_per_mac_pj ?? 0, 3)) pJ per MAC")
            for kind in EnergyKind.allCases {
                let k = totals.energy_pj_by_kind?[kind.rawValue] ?? 0
                t.row("  " + kind.rawValue, "\(g(k * 1e-6, 4)) uJ (\(g(e > 0 ? k / e * 100 : 0, 3))%)")
            }
            t.row("average power", g(totals.average_power_w ?? 0, 4) + " W")
        } else {
            t.row("energy", cost_status)
        }
        t.section("Numerics (bit-exact datapath)")
        t.row("sample", numerics)
        t.row("re-checked / mismatches", "\(totals.outputs_rechecked) / \(totals.mismatches)")
        for l in layers { for m in l.numerics?.first_mismatches ?? [] { t.row(l.name, m) } }
        t.section("Engine choices per layer")
        for l in layers { t.row(l.name, (l.architecture == architecture.name ? "" : "on \(l.architecture): ") + l.engine_summary) }
        t.section("Approximations")
        for a in approximations { t.bullet(a) }
        return t.text
    }
}
