import ArgumentParser
import Foundation
import Simulation
import Workloads

/// `simulate calibrate gpu MEASUREMENTS.tsv`: predicted against measured GEMM throughput, so
/// anyone can check the GPU presets against new data (docs/tensor-core.md, "Fidelity").
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Compare the models with measurements.",
        subcommands: [GPU.self])

    struct GPU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gpu",
            abstract: "Predicted vs measured GEMM throughput for every row of a measurements table, with the median error.",
            discussion: """
                The table is tab-separated with a header: id, preset, dtype, m, n, k, measured_tflops, and optionally source, \
                note, data (an operand distribution; default gaussian, as torch.randn) and out_format (default: the input \
                format for FP16/BF16, BF16 for narrower floats). Each row runs `simulate run ARCHITECTURES/<preset>.json` with \
                numerics off; the summary gives the median |predicted/measured - 1| and the largest ratio either way. \
                Measurements/gpu-gemm-throughput.tsv holds 30 published measurements with their sources.
                """)

        @Argument(help: "Measurements table (tab-separated).")
        var measurements: String

        @Option(help: "Directory of the architecture documents the preset column names.")
        var architectures = "Architectures"

        @Option(help: "table | markdown | json | csv")
        var output = "table"

        func run() throws {
            guard ["table", "markdown", "json", "csv"].contains(output) else { throw CLIError.usage("--output \(output): use table, markdown, json or csv") }
            let text: String
            do { text = try BoundedFile.text(path: measurements, limit: 16 << 20, what: "measurements table") } catch { throw CLIError.usage(error.description) }
            let rows: [GPUCalibration.Measurement]
            do { rows = try GPUCalibration.parse(text, file: measurements) } catch { throw CLIError.usage(error.description) }
            guard !rows.isEmpty else { throw CLIError.usage("\(measurements): no measurements") }
            let (results, summary) = GPUCalibration.compare(rows, architectures: architectures)
            switch output {
            case "json":
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                struct Out: Encodable { let rows: [GPUCalibration.Row]; let summary: GPUCalibration.Summary }
                let data = try encoder.encode(Out(rows: results, summary: summary))
                StandardStreams.output(String(decoding: data, as: UTF8.self))
            case "markdown":
                StandardStreams.output("| id | preset | dtype | M x N x K | measured TFLOP/s | predicted | ratio | clock MHz | board W | bound by | source |")
                StandardStreams.output("|---|---|---|---|---|---|---|---|---|---|---|")
                for r in results {
                    guard let p = r.predicted_tflops, let ratio = r.ratio else {
                        StandardStreams.output("| \(r.id) | \(r.preset) | \(r.dtype) | \(r.shape) | \(g(r.measured_tflops)) | error | | | | | \(r.source) |")
                        continue
                    }
                    StandardStreams.output("| \(r.id) | \(r.preset) | \(r.dtype) | \(r.shape) | " + String(format: "%.1f | %.1f | %.2f", r.measured_tflops, p, ratio)
                                           + (r.fitted.map { " (fit: \($0))" } ?? "") + " | " + String(format: "%.0f", r.clock_mhz ?? 0)
                                           + (r.throttled == true ? " (power-limited)" : "") + " | "
                                           + (r.board_power_w.map { String(format: "%.0f", $0) } ?? "-") + " | \(r.binding_limit ?? "") | \(r.source) |")
                }
            case "csv":
                StandardStreams.output("id,preset,dtype,shape,measured_tflops,predicted_tflops,ratio,clock_mhz,throttled,board_power_w,binding_limit,error")
                for r in results {
                    let cells: [String] = [r.id, r.preset, r.dtype, r.shape, g(r.measured_tflops), r.predicted_tflops.map(g) ?? "",
                                           r.ratio.map(g) ?? "", r.clock_mhz.map(g) ?? "", r.throttled.map { $0 ? "yes" : "no" } ?? "",
                                           r.board_power_w.map(g) ?? "", r.binding_limit ?? "", r.error.map { "\"\($0.replacingOccurrences(of: "\"", with: "'"))\"" } ?? ""]
                    StandardStreams.output(cells.joined(separator: ","))
                }
            default:
                func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
                func right(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
                StandardStreams.output(pad("id", 5) + pad("preset", 23) + pad("dtype", 7) + pad("shape", 20) + right("measured", 10) + right("predicted", 11)
                                       + right("ratio", 7) + right("MHz", 7) + right("throttled", 10) + right("board W", 9) + "  bound by")
                for r in results {
                    if let e = r.error {
                        StandardStreams.output("\(r.id) \(r.preset) \(r.dtype) \(r.shape): error: \(e)")
                        continue
                    }
                    StandardStreams.output(pad(r.id, 5) + pad(r.preset, 23) + pad(r.dtype, 7) + pad(r.shape, 20)
                                           + right(String(format: "%.1f", r.measured_tflops), 10) + right(String(format: "%.1f", r.predicted_tflops ?? 0), 11)
                                           + right(String(format: "%.2f", r.ratio ?? 0), 7) + right(String(format: "%.0f", r.clock_mhz ?? 0), 7)
                                           + right(r.throttled.map { $0 ? "yes" : "no" } ?? "-", 10)
                                           + right(r.board_power_w.map { String(format: "%.0f", $0) } ?? "-", 9) + "  " + (r.binding_limit ?? "")
                                           + (r.fitted.map { "  (fit: \($0))" } ?? ""))
                }
                StandardStreams.output("\(summary.points) points (\(summary.failed) failed): median |predicted/measured - 1| = "
                                       + String(format: "%.1f%%, largest ratio %.2fx, ", summary.median_abs_error * 100, summary.max_ratio)
                                       + "\(summary.within_10_percent) within 10%, \(summary.over_predicted) over-predicted; "
                                       + "without the \(summary.points - summary.predicted_points) rows used to fit: median "
                                       + String(format: "%.1f%%, largest ratio %.2fx", summary.predicted_median_abs_error * 100, summary.predicted_max_ratio))
            }
            if summary.failed > 0 { throw CLIError.runtime("\(summary.failed) measurement(s) could not be run (see the rows above)") }
        }

        func g(_ x: Double) -> String { String(format: "%.6g", x) }
    }
}
