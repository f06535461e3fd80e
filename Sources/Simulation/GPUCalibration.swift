import Foundation
import Workloads

/// Predicted against measured GEMM throughput (`simulate calibrate gpu`, docs/tensor-core.md
/// "Fidelity"): every row of a measurements table through `simulate run` with numerics off,
/// Gaussian operands (what the published benchmarks feed: torch.randn) unless the row names
/// its data, and the output written in the row's `out_format` (default: the input format for
/// 16-bit inputs, BF16 for 8- and 4-bit inputs, as cuBLASLt kernels do).
public enum GPUCalibration {
    /// One measurement: the columns of Measurements/gpu-gemm-throughput.tsv.
    public struct Measurement: Sendable {
        public let id: String
        public let preset: String
        public let dtype: String
        public let shape: GEMMShape
        public let measuredTFLOPS: Double
        public let source: String
        public let note: String
        public let data: String?
        public let outFormat: String?
        /// The board parameter this row was used to fit (`fitted` column), if any.
        public let fitted: String?
    }

    /// One row of the comparison.
    public struct Row: Sendable, Encodable {
        public let id: String
        public let preset: String
        public let dtype: String
        public let shape: String
        public let measured_tflops: Double
        public let predicted_tflops: Double?
        public let ratio: Double?
        public let clock_mhz: Double?
        public let throttled: Bool?
        public let board_power_w: Double?
        public let binding_limit: String?
        public let source: String
        public let fitted: String?
        public let error: String?
    }

    /// The summary over the rows that ran, and over those not used to fit a parameter.
    public struct Summary: Sendable, Encodable {
        public let points: Int
        public let failed: Int
        public let median_abs_error: Double
        public let max_ratio: Double
        public let within_10_percent: Int
        public let over_predicted: Int
        public let predicted_points: Int
        public let predicted_median_abs_error: Double
        public let predicted_max_ratio: Double
    }

    /// Parses a tab-separated table with a header naming at least id, preset, dtype, m, n, k,
    /// measured_tflops (source, note, data, out_format optional). Errors name the line.
    public static func parse(_ text: String, file: String) throws(RunError) -> [Measurement] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw RunError("\(file): empty; expected a tab-separated header (id, preset, dtype, m, n, k, measured_tflops, ...)")
        }
        var column: [String: Int] = [:]
        for (i, name) in header.enumerated() { column[name.trimmingCharacters(in: .whitespaces)] = i }
        for required in ["id", "preset", "dtype", "m", "n", "k", "measured_tflops"] where column[required] == nil {
            throw RunError("\(file):1: the header has no \"\(required)\" column (fix: id, preset, dtype, m, n, k, measured_tflops, source, note)")
        }
        var out: [Measurement] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty && !line.hasPrefix("#") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func cell(_ name: String) -> String? { column[name].flatMap { $0 < cells.count ? cells[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 } }
            let where_ = "\(file):\(index + 1)"
            guard let id = cell("id"), let preset = cell("preset"), let dtype = cell("dtype") else {
                throw RunError("\(where_): id, preset and dtype must not be empty")
            }
            guard let m = cell("m").flatMap(Int.init), let n = cell("n").flatMap(Int.init), let k = cell("k").flatMap(Int.init),
                  m > 0, n > 0, k > 0 else {
                throw RunError("\(where_): m, n and k must be positive integers")
            }
            guard let tflops = cell("measured_tflops").flatMap(Double.init), tflops.isFinite, tflops > 0 else {
                throw RunError("\(where_): measured_tflops must be a positive number")
            }
            out.append(Measurement(id: id, preset: preset, dtype: dtype, shape: GEMMShape(m: m, n: n, k: k), measuredTFLOPS: tflops,
                                   source: cell("source") ?? "", note: cell("note") ?? "", data: cell("data"), outFormat: cell("out_format"),
                                   fitted: cell("fitted")))
        }
        return out
    }

    /// The output format a benchmark of these inputs writes: 16-bit inputs their own format,
    /// narrower inputs BF16, integers INT32 (the accumulator).
    public static func defaultOutFormat(_ dtype: String) -> String? {
        switch dtype {
        case "fp16", "bf16": return dtype
        case "int8", "uint8", "int4", "uint4": return nil
        default: return "bf16"
        }
    }

    /// The power model's figures in a report's engine section (absent without a board section).
    static func powerEntries(_ report: SimulationReport) -> (throttled: Bool?, boardPowerW: Double?) {
        guard case .object(let entries)? = report.details.entries.first(where: { $0.key == "power" })?.value else { return (nil, nil) }
        var throttled: Bool?, power: Double?
        for e in entries {
            if e.key == "throttled", case .flag(let b) = e.value { throttled = b }
            if e.key == "board_power_w", case .number(let w) = e.value { power = w }
        }
        return (throttled, power)
    }

    /// Runs every measurement on `architectures/<preset>.json`.
    public static func compare(_ measurements: [Measurement], architectures: String) -> (rows: [Row], summary: Summary) {
        var rows: [Row] = []
        for m in measurements {
            let path = architectures + "/" + m.preset + ".json"
            let shapeText = "\(m.shape.m)x\(m.shape.n)x\(m.shape.k)"
            do {
                let data: RunRequest.DataSource
                if let d = m.data {
                    guard let parsed = MatrixDistribution(parsing: d) else { throw RunError("data \"\(d)\" is not a distribution") }
                    data = .synthetic(parsed)
                } else {
                    data = .synthetic(.gaussian)
                }
                var request = RunRequest(architecturePath: path, shape: m.shape, aFormat: m.dtype, bFormat: m.dtype, dFormat: nil,
                                         instruction: nil, quantization: nil, dataA: data, dataB: data, seed: 1, numerics: .off,
                                         recheckCount: 0, threads: 1, energyAnchor: nil)
                request.outFormat = m.outFormat ?? defaultOutFormat(m.dtype)
                let report = try Simulator.run(request).report
                let seconds = report.timing.time_s
                let predicted = 2 * Double(m.shape.m) * Double(m.shape.n) * Double(m.shape.k) / seconds / 1e12
                let power = powerEntries(report)
                rows.append(Row(id: m.id, preset: m.preset, dtype: m.dtype, shape: shapeText, measured_tflops: m.measuredTFLOPS,
                                predicted_tflops: predicted, ratio: predicted / m.measuredTFLOPS, clock_mhz: report.timing.clock_mhz,
                                throttled: power.throttled, board_power_w: power.boardPowerW, binding_limit: report.timing.binding_limit,
                                source: m.source, fitted: m.fitted, error: nil))
            } catch {
                rows.append(Row(id: m.id, preset: m.preset, dtype: m.dtype, shape: shapeText, measured_tflops: m.measuredTFLOPS,
                                predicted_tflops: nil, ratio: nil, clock_mhz: nil, throttled: nil, board_power_w: nil, binding_limit: nil,
                                source: m.source, fitted: m.fitted, error: "\(error)"))
            }
        }
        func median(_ ratios: [Double]) -> Double {
            let errors = ratios.map { Swift.abs($0 - 1) }.sorted()
            guard !errors.isEmpty else { return .nan }
            return errors.count % 2 == 1 ? errors[errors.count / 2] : (errors[errors.count / 2 - 1] + errors[errors.count / 2]) / 2
        }
        func worst(_ ratios: [Double]) -> Double { ratios.map { Swift.max($0, 1 / $0) }.max() ?? .nan }
        let ratios = rows.compactMap(\.ratio)
        let predicted = rows.filter { $0.fitted == nil }.compactMap(\.ratio)
        let summary = Summary(points: ratios.count, failed: rows.count - ratios.count, median_abs_error: median(ratios),
                              max_ratio: worst(ratios), within_10_percent: ratios.filter { Swift.abs($0 - 1) <= 0.1 }.count,
                              over_predicted: ratios.filter { $0 > 1 }.count, predicted_points: predicted.count,
                              predicted_median_abs_error: median(predicted), predicted_max_ratio: worst(predicted))
        return (rows, summary)
    }
}
