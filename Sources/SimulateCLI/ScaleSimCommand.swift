import ArgumentParser
import Simulation

/// `simulate scalesim`: a SCALE-Sim config and topology through the PE array's cycle model.
struct ScaleSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scalesim",
        abstract: "Run a SCALE-Sim config and topology CSV: compute cycles, utilisation and mapping efficiency per layer, as SCALE-Sim v3 reports them.",
        discussion: """
            The config's [architecture_presets] (ArrayHeight, ArrayWidth, Dataflow os|ws|is, SRAM sizes, Bandwidth) \
            become an INT8 pe_array document (--emit-architecture writes it); each topology row (GEMM: Layer,M,N,K, or a \
            convolution row, lowered as SCALE-Sim lowers it) is one GEMM. Compute cycles, overall utilisation and mapping \
            efficiency equal SCALE-Sim v3's (checked against 55 recorded SCALE-Sim runs, make crosscheck reruns them); the \
            last column is QuantSim's own estimate with DRAM at the config's bandwidth (one byte per word, 1 GHz).
            """)

    @Option(help: "SCALE-Sim configuration file (INI).") var config: String
    @Option(help: "SCALE-Sim topology CSV (GEMM or convolution rows).") var topology: String
    @Option(help: "table | csv") var output: String = "table"
    @Option(help: "Write the equivalent pe_array document here.") var emitArchitecture: String?

    func run() throws {
        guard output == "table" || output == "csv" else { throw CLIError.usage("--output \(output): use table or csv") }
        let result: ScaleSimCompatibility.Result
        do { result = try ScaleSimCompatibility.run(configPath: config, topologyPath: topology) } catch { throw CLIError.usage(error.description) }
        if let path = emitArchitecture { try FileText.writeAll([(path, result.document + "\n")]) }
        func number(_ x: Double) -> String { x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int(x)) : String(x) }
        var rows = [["LayerID", "M", "N", "K", "Compute Cycles", "Overall Util %", "Mapping Efficiency %", "Cycles with DRAM (QuantSim)"]]
        for l in result.layers {
            rows.append([l.name, String(l.shape.m), String(l.shape.n), String(l.shape.k), number(l.computeCycles), String(l.overallUtilPct),
                         String(l.mappingEfficiencyPct), number(l.cyclesWithDRAM)])
        }
        if output == "csv" {
            StandardStreams.output(rows.map { $0.joined(separator: ",") }.joined(separator: "\n"))
        } else {
            let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
            StandardStreams.output(([result.documentName] + rows.map { r in r.indices.map { $0 == r.count - 1 ? r[$0] : r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") })
                .joined(separator: "\n"))
        }
    }
}
