import ArgumentParser
import CostModel
import Foundation
import Simulation

/// `simulate costs`: the cost model on its own (calibration, a design's priced inventory, the
/// Accelergy export).
struct CostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract: "Energy and area model: calibration table, priced inventories, Accelergy ERT/ART export.",
        subcommands: [CostsCalibrateCommand.self, CostsShowCommand.self, CostsCompareCommand.self, CostsLUTPaperCommand.self, CostsBitMoDPaperCommand.self]
    )
}

struct CostsCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Print the calibration of the cell library: fitted costs, per-source factors, and every point (estimate vs published).",
        discussion: "Points marked 'calibration' are fitted and held to the stated tolerance by the tests; 'held_out' points are shown, not fitted (their note says why)."
    )

    @Option(help: "table | markdown | json") var format = "table"
    @Option(name: .customLong("energy-anchor"), help: CostReports.energyAnchorHelp) var energyAnchor: String?

    func run() throws {
        guard ["table", "markdown", "json"].contains(format) else { throw CLIError.usage("--format \(format): use table, markdown or json") }
        let model: CostModel
        do { model = try CostModel.standard(anchor: energyAnchor) } catch { throw CLIError.usage("--energy-anchor: \(error)") }
        StandardStreams.output(CostReports.calibration(model, format: format))
    }
}

struct CostsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a design's priced inventory: per-component area and leakage, per-action energy, per-mode tensor-core energy.",
        discussion: "Nothing is run: this is what `simulate run` prices its action counts with."
    )

    @Argument(help: "Architecture document (Architectures/*.json).") var architecture: String
    @Option(help: "table | json") var format = "table"
    @Option(name: .customLong("ert"), help: "Also write the Accelergy energy reference table (YAML) here.") var ert: String?
    @Option(name: .customLong("art"), help: "Also write the Accelergy area reference table (YAML) here.") var art: String?
    @Option(name: .customLong("energy-anchor"), help: CostReports.energyAnchorHelp) var energyAnchor: String?

    func run() throws {
        guard ["table", "json"].contains(format) else { throw CLIError.usage("--format \(format): use table or json") }
        try FileText.checkWritable([("--ert", ert), ("--art", art)], inputs: [("architecture", architecture)])
        let inventory: CostInventory
        do { inventory = try Simulator.inventory(architecture, anchor: energyAnchor) } catch { throw CLIError.usage(error.description) }
        try FileText.writeAll(try CostReports.accelergyOutputs(inventory, ert: ert, art: art))
        StandardStreams.output(format == "json" ? CostReports.json(inventory) : CostReports.table(inventory))
    }
}

struct CostsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Set the presets' energy and area against published estimates (never fitted to them).",
        discussion: "Each row names how the model's number was obtained; ratio = model / published."
    )

    @Option(help: "Directory holding the architecture documents the estimates refer to.") var architectures = "Architectures"
    @Option(help: "table | markdown | json") var format = "table"
    @Option(name: .customLong("energy-anchor"), help: CostReports.energyAnchorHelp) var energyAnchor: String?

    func run() throws {
        guard ["table", "markdown", "json"].contains(format) else { throw CLIError.usage("--format \(format): use table, markdown or json") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: architectures, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.usage("--architectures \(architectures): no such directory (run from the repository root, or pass "
                                 + "--architectures PATH/TO/Architectures)")
        }
        guard ((try? FileManager.default.contentsOfDirectory(atPath: architectures)) ?? []).contains(where: { $0.hasSuffix(".json") }) else {
            throw CLIError.usage("--architectures \(architectures): no architecture documents (*.json) there")
        }
        let rows: [CostComparison.Row]
        do { rows = try CostComparison.rows(directory: architectures, anchor: energyAnchor) } catch { throw CLIError.usage(error.description) }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: architectures)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        let presets: [CostComparison.PresetRow]
        do { presets = try CostComparison.presets(directory: architectures, files: files, anchor: energyAnchor) } catch { throw CLIError.usage(error.description) }
        struct Both: Encodable {
            let comparisons: [CostComparison.Row]
            let presets: [CostComparison.PresetRow]
        }
        // Documents that do not load are reported in their rows and fail the command (exit 1).
        let unloadable = rows.filter { $0.how.contains("does not load") }.count
            + presets.filter { $0.note?.contains("does not load") ?? false }.count
        if format == "json" {
            StandardStreams.output(CostReports.json(Both(comparisons: rows, presets: presets)))
            if unloadable > 0 { throw CLIError.runtime("\(unloadable) comparison rows could not load their documents") }
            return
        }
        let g = CostReports.g
        var lines: [String] = []
        if format == "markdown" {
            lines.append("| estimate | chip | published | model | ratio | how the model's number is obtained | source |")
            lines.append("|---|---|---:|---:|---:|---|---|")
        }
        for r in rows {
            let model = r.model.map { g($0, 3) + " " + r.unit } ?? "-"
            let ratio = r.ratio.map { g($0, 2) } ?? "-"
            if format == "markdown" {
                lines.append("| \(r.id) | \(r.chip) | \(g(r.published, 3)) \(r.unit) | \(model) | \(ratio) | \(r.how) | \(r.source) |")
            } else {
                lines.append("\(r.id) (\(r.chip)): published \(g(r.published, 3)) \(r.unit), model \(model), ratio \(ratio)\n    \(r.how)\n    source: \(r.source)")
            }
        }
        lines.append("")
        lines.append(format == "markdown" ? "| preset | technology | FP16 pJ/MAC | FP8 pJ/MAC | INT8 pJ/MAC | tensor area per SM |" : "Per preset (tensor-core datapath energy per dense MAC, FP32/INT32 accumulation; tensor-core area per SM):")
        if format == "markdown" { lines.append("|---|---|---:|---:|---:|---:|") }
        for p in presets {
            func e(_ x: Double?) -> String { x.map { g($0, 3) } ?? "-" }
            let area = p.note.map { "- (\($0))" } ?? p.tensor_area_per_sm_mm2.map { g($0, 3) + " mm^2" } ?? "- (no sm section)"
            lines.append(format == "markdown"
                ? "| \(p.file) | \(p.technology) | \(e(p.fp16_pj_per_mac)) | \(e(p.fp8_pj_per_mac)) | \(e(p.int8_pj_per_mac)) | \(area) |"
                : "  \(p.file): \(p.technology); FP16 \(e(p.fp16_pj_per_mac)), FP8 \(e(p.fp8_pj_per_mac)), INT8 \(e(p.int8_pj_per_mac)) pJ/MAC; \(area)")
        }
        StandardStreams.output(lines.joined(separator: "\n") + "\n")
        if unloadable > 0 { throw CLIError.runtime("\(unloadable) comparison rows could not load their documents (see the rows marked \"not compared\")") }
    }
}

/// Renderings of the cost model's outputs.
enum CostReports {
    /// The help of every command's `--energy-anchor` option.
    static let energyAnchorHelp = ArgumentHelp(
        "Source anchoring absolute energies: auto (default: the table nearest in node, horowitz-45nm above ~18 nm, "
        + "jouppi-7nm below), horowitz-45nm, jouppi-7nm, bitmod-28nm, aladdin-40nm.")
    static func g(_ x: Double, _ digits: Int = 4) -> String { ReportText.g(x, digits) }
    static func json<T: Encodable>(_ value: T) -> String { ReportText.json(value) }

    /// The Accelergy ERT/ART files asked for, rendered (nothing is written here).
    static func accelergyOutputs(_ inventory: CostInventory, ert: String?, art: String?) throws -> [(path: String, text: String)] {
        do {
            var out: [(path: String, text: String)] = []
            if let ert { out.append((ert, try AccelergyExport.ert(inventory))) }
            if let art { out.append((art, try AccelergyExport.art(inventory))) }
            return out
        } catch { throw CLIError.runtime("Accelergy export: \(error)") }
    }

    static func table(_ inv: CostInventory) -> String {
        var lines = ["Cost inventory: \(inv.design)", "  technology  \(inv.technology)", "  scaling     \(inv.scaling)", ""]
        for c in inv.components {
            let area = c.area_um2_per_instance.map { "\(g($0 / 1e6, 4)) mm^2 each, \(g(c.area_mm2 ?? 0, 4)) mm^2 total" } ?? "area not modelled"
            lines.append("\(c.name): \(c.description), \(c.instances) instance\(c.instances == 1 ? "" : "s"); \(area); leakage \(g(c.leakage_mw_per_instance, 3)) mW each")
            for a in c.actions where !(a.energy_pj == 0 && a.estimator.hasPrefix("counter")) {
                lines.append("    \(a.action)" + String(repeating: " ", count: max(1, 40 - a.action.count)) + "\(g(a.energy_pj, 4)) pJ per \(a.per)  [\(a.estimator)]")
            }
            for n in c.notes { lines.append("    note: \(n)") }
        }
        lines.append("")
        lines.append("modelled area \(g(inv.modelledAreaMM2, 4)) mm^2 (not the die: no SM front-end, FP32/INT ALUs, I/O)")
        for n in inv.notes { lines.append("  - \(n)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func calibration(_ model: CostModel, format: String) -> String {
        let c = model.calibration
        struct JSONForm: Encodable {
            let reference_technology: Technology
            let cell_kinds: [String]
            let energy_pj_per_cell: [Double]
            let area_um2_per_cell: [Double]
            let leakage_mw_per_um2: Double
            let energy_library_factors: [String: Double]
            let area_library_factors: [String: Double]
            let energy_tolerance: Double
            let area_tolerance: Double
            let rms_log_error_energy: Double
            let rms_log_error_area: Double
            let points: [Calibration.Row]
            let sram_fit_error_factor: [String: Double]
            let sram_validation: [Calibration.Row]
            let published_relations: PublishedRelations
        }
        if format == "json" {
            return json(JSONForm(reference_technology: c.library.technology, cell_kinds: CellKind.allCases.map(\.rawValue),
                                 energy_pj_per_cell: c.library.energyPJ, area_um2_per_cell: c.library.areaUM2,
                                 leakage_mw_per_um2: c.library.leakageMWPerUM2, energy_library_factors: c.energyLibraryFactors,
                                 area_library_factors: c.areaLibraryFactors, energy_tolerance: Calibration.energyTolerance,
                                 area_tolerance: Calibration.areaTolerance, rms_log_error_energy: c.rmsLogErrorEnergy,
                                 rms_log_error_area: c.rmsLogErrorArea, points: c.rows, sram_fit_error_factor: model.sram.fitErrorFactor,
                                 sram_validation: model.sram.validation, published_relations: PublishedRelations(c.library)))
        }
        let md = format == "markdown"
        var lines: [String] = []
        var pending: [[String]] = []
        func tableRow(_ cells: [String]) { pending.append(cells) }
        func flush() {
            guard !pending.isEmpty else { return }
            if md {
                lines += pending.map { "| " + $0.joined(separator: " | ") + " |" }
            } else {
                let widths = (0..<pending[0].count).map { i in pending.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
                lines += pending.map { row in
                    row.enumerated().map { i, cell in cell + String(repeating: " ", count: max(0, widths[i] - cell.count)) }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
                }
            }
            pending = []
        }
        lines.append(md ? "Cell library at \(c.library.technology) (fitted):" : "Cell library at \(c.library.technology) (fitted)")
        if md { lines.append("") }
        tableRow(["cell", "energy (pJ)", "area (um^2)"])
        if md { tableRow(["---", "---:", "---:"]) }
        for (i, k) in CellKind.allCases.enumerated() { tableRow([k.rawValue, g(c.library.energyPJ[i], 3), g(c.library.areaUM2[i], 3)]) }
        flush()
        lines.append("")
        lines.append("Library factors (estimate multiplier per source; energy anchor \(c.anchor) = 1, area anchor \(Calibration.anchorTable) = 1): energy "
            + c.energyLibraryFactors.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value, 3))" }.joined(separator: ", ")
            + "; area " + c.areaLibraryFactors.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value, 3))" }.joined(separator: ", "))
        lines.append("Tolerance: energy within \(g(Calibration.energyTolerance, 2))x, area within \(g(Calibration.areaTolerance, 2))x of every calibration point; RMS log error energy \(g(c.rmsLogErrorEnergy, 2)), area \(g(c.rmsLogErrorArea, 2)).")
        lines.append("")
        tableRow(["point", "component", "node", "published", "estimate", "ratio", "use"])
        if md { tableRow(["---", "---", "---:", "---:", "---:", "---:", "---"]) }
        for r in c.rows {
            tableRow([r.id, r.component, g(r.node_nm, 3) + " nm", g(r.published, 4) + " " + r.unit, g(r.estimate, 4) + " " + r.unit,
                      g(r.ratio, 3) + (r.withinTolerance ? "" : " (OUT)"), r.use])
        }
        flush()
        lines.append("")
        let r = PublishedRelations(c.library)
        lines.append("Published relations (not fitted): FP16 MAC / INT8 MAC \(g(r.fp16MACOverINT8MAC, 3))x (Horowitz \(g(PublishedRelations.horowitzMACRatio, 2))x); "
            + "FP16 / INT8 multiplier \(g(r.fp16MultOverINT8Mult, 3))x (Horowitz \(g(PublishedRelations.horowitzMultRatio, 2))x); "
            + "FP8 MAC / INT8 MAC \(g(r.fp8FP16OverINT8INT16, 3))x (FP16 vs INT16 accumulators), \(g(r.fp8FP16OverINT8INT32, 3))x (FP16 vs INT32), "
            + "\(g(r.fp8FP32OverINT8INT32, 3))x (FP32 vs INT32) (Qualcomm: 1.5-2.8x).")
        lines.append("")
        lines.append("SRAM model: log-quadratic fit to CACTI 7.0 at 45 nm (worst point within "
            + model.sram.fitErrorFactor.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value, 3))x" }.joined(separator: ", ")
            + "); scaled to other nodes by Stillmaker-Baas:")
        let cacti = model.sram.validation.filter { $0.table == "sram-cacti7" && $0.node_nm != 45 }
        for q in ["read_energy", "write_energy", "area", "leakage"] {
            let r = cacti.filter { $0.quantity == q }.map(\.ratio)
            if let lo = r.min(), let hi = r.max() { lines.append("  vs CACTI's own 28/22 nm \(q): ratio \(g(lo, 3))-\(g(hi, 3))") }
        }
        for r in model.sram.validation where r.table != "sram-cacti7" {
            lines.append("  vs \(r.id) (\(r.component), \(g(r.node_nm, 3)) nm): published \(g(r.published, 3)) \(r.unit), model \(g(r.estimate, 3)) (ratio \(g(r.ratio, 3)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

struct CostsLUTPaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lut-paper",
        abstract: "The LUT Tensor Core paper's headline comparisons, computed from the unit structures at 28 nm, 0.9 V, 1 GHz (never fitted).",
        discussion: "ratio = QuantSim / paper. Sources: Mo et al., ISCA 2025 (arXiv:2408.06003 v2/v3); docs/lut-tensor-core.md explains each row."
    )

    @Option(help: "table | markdown | json") var format = "table"
    @Option(name: .customLong("energy-anchor"), help: CostReports.energyAnchorHelp) var energyAnchor: String?

    func run() throws {
        guard ["table", "markdown", "json"].contains(format) else { throw CLIError.usage("--format \(format): use table, markdown or json") }
        if let a = energyAnchor, !CostModel.anchors.contains(a) {
            throw CLIError.usage("--energy-anchor \(a): use one of \(CostModel.anchors.joined(separator: ", "))")
        }
        let rows: [LUTPaperComparison.Row]
        do { rows = try LUTPaperComparison.rows(anchor: energyAnchor) } catch { throw CLIError.runtime("\(error)") }
        PaperRows.render(rows, format: format)
    }
}

/// Renders paper-comparison rows as a table, markdown or JSON.
enum PaperRows {
    static func render(_ rows: [PaperComparisonRow], format: String) {
        if format == "json" { StandardStreams.output(ReportText.json(rows)); return }
        func g(_ x: Double?) -> String { x.map { ReportText.g($0, 4) } ?? "-" }
        let header = ["comparison", "QuantSim", "paper", "unit", "ratio", "paper source"]
        let cells = rows.map { [$0.comparison, g($0.quantsim), g($0.paper), $0.unit, g($0.ratio), $0.paper_source] }
        if format == "markdown" {
            var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
            lines += cells.map { "| " + $0.joined(separator: " | ") + " |" }
            StandardStreams.output(lines.joined(separator: "\n"))
            return
        }
        let widths = (0..<header.count).map { c in ([header] + cells).map { $0[c].count }.max()! }
        var lines = ([header] + cells).map { row in row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
        lines.append("")
        lines += rows.map { "\($0.comparison): \($0.inputs)" }
        StandardStreams.output(lines.joined(separator: "\n"))
    }
}

struct CostsBitMoDPaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitmod-paper",
        abstract: "The BitMoD paper's Llama-2-7B comparison (FP16 baseline, ANT, OliVe, BitMoD lossless and lossy), computed by QuantSim's PE-array engine (never fitted).",
        discussion: "ratio = QuantSim / paper. Cost settings as BitMoD's simulator: --energy-anchor bitmod-28nm, place-and-route factor 1.5, DRAM 18.75 pJ/bit, leakage excluded. docs/pe-array.md explains every difference."
    )

    @Option(help: "table | markdown | json | summary (one markdown line per design)") var format = "table"
    @Option(help: "Folder with the shipped architecture documents.") var architectures = "Architectures"

    func run() throws {
        guard ["table", "markdown", "json", "summary"].contains(format) else { throw CLIError.usage("--format \(format): use table, markdown, json or summary") }
        let rows: [PaperComparisonRow]
        do { rows = try BitMoDPaperComparison.rows(architectures: architectures) } catch { throw CLIError.runtime("\(error)") }
        if format == "summary" {
            StandardStreams.output(BitMoDPaperComparison.summary(rows).map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n"))
            return
        }
        PaperRows.render(rows, format: format)
    }
}
