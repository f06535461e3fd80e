import ArgumentParser
import Foundation
import Simulation

/// `simulate sweep`: design-space sweeps (docs/sweeps.md).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run, list, merge and rank design-space sweeps.",
        subcommands: [SweepRunCommand.self, SweepListCommand.self, SweepMergeCommand.self, SweepParetoCommand.self],
        defaultSubcommand: SweepRunCommand.self)
}

func parseShard(_ text: String?) throws -> (index: Int, count: Int)? {
    guard let text else { return nil }
    let parts = text.split(separator: "/").map { Int($0) }
    guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, k >= 1, k <= n else {
        throw CLIError.usage("--shard \(text): use K/N with 1 <= K <= N, e.g. 2/4")
    }
    return (k, n)
}

struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Expand a sweep spec, validate every point, run them on all cores and append one JSON line per point to the log.",
        discussion: """
            The log is keyed by a hash of each point: --resume continues a killed sweep (a torn last line is redone) \
            without losing or repeating a point; failed points are recorded with their error. --shard K/N runs the \
            points whose index is K-1 modulo N; `simulate sweep merge` joins the logs.
            """)

    @Argument(help: "Sweep spec (YAML or JSON).") var spec: String
    @Option(help: "Results log (JSON lines).") var log: String
    @Flag(help: "Continue an existing log.") var resume = false
    @Option(help: "Run the K-th of N deterministic shards, e.g. 1/4.") var shard: String?
    @Option(help: "Points run at once (default: the CPU count).") var jobs: Int?

    func run() throws {
        let shard = try parseShard(self.shard)
        let parsed: SweepSpec
        do { parsed = try SweepSpec.load(path: spec) } catch { throw CLIError.usage(error.description) }
        var runner: SweepRunner
        do { runner = try SweepRunner(spec: parsed, shard: shard) } catch { throw CLIError.usage(error.description) }
        defer { runner.cleanUp() }
        let problems = runner.validate()
        guard problems.isEmpty else {
            throw CLIError.usage((["\(spec): \(problems.count) point(s) are invalid; nothing ran"] + problems.prefix(20)).joined(separator: "\n"))
        }
        let results: SweepLog
        var done = Set<String>()
        do {
            results = try SweepLog(path: log, resume: resume)
            if resume { done = Set(try results.resume().map(\.key)) }
        } catch { throw CLIError.usage(error.description) }
        let total = runner.points.count, remaining = runner.points.filter { !done.contains($0.key) }.count
        let progress = Progress(total: total, already: total - remaining, show: StandardStreams.errorIsTerminal)
        runner.run(log: results, done: done, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount) { record in progress.tick(record) }
        progress.finish()
        let (records, _) = try SweepLog.read(log)
        let keys = Set(runner.points.map(\.key))
        let mine = records.filter { keys.contains($0.key) }
        let failed = mine.filter { $0.status != "ok" }.count
        StandardStreams.output("\(parsed.name): \(mine.count)/\(total) points in \(log)" + (failed > 0 ? ", \(failed) failed (status error, see the log)" : ""))
    }

    /// Points done, rate and ETA on a terminal; silent otherwise.
    final class Progress: @unchecked Sendable {
        let total: Int
        var done: Int
        let started = Date()
        let already: Int
        let show: Bool
        let lock = NSLock()

        init(total: Int, already: Int, show: Bool) { (self.total, done, self.already, self.show) = (total, already, already, show) }

        func tick(_ r: SweepRecord) {
            lock.lock()
            defer { lock.unlock() }
            done += 1
            guard show else { return }
            let elapsed = Date().timeIntervalSince(started)
            let rate = Double(done - already) / Swift.max(elapsed, 1e-9)
            let eta = rate > 0 ? Double(total - done) / rate : 0
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r[%@] %d/%d points, %.2f/s, ETA %.0f s ", bar, done, total, rate, eta).utf8))
        }

        func finish() { if show { FileHandle.standardError.write(Data("\n".utf8)) } }
    }
}

struct SweepListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print every point of a sweep (one JSON line each: index, key, point).")

    @Argument(help: "Sweep spec (YAML or JSON).") var spec: String
    @Option(help: "Only shard K/N.") var shard: String?

    func run() throws {
        let parsed: SweepSpec, runner: SweepRunner
        do {
            parsed = try SweepSpec.load(path: spec)
            runner = try SweepRunner(spec: parsed, shard: try parseShard(shard))
        } catch let e as SweepSpec.Error { throw CLIError.usage(e.description) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let lines = runner.points.map { p in "{\"index\":\(p.index),\"key\":\"\(p.key)\",\"point\":" + String(decoding: (try? encoder.encode(p)) ?? Data(), as: UTF8.self) + "}" }
        if !lines.isEmpty { StandardStreams.output(lines.joined(separator: "\n")) }
    }
}

struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Join results logs (shards) into one, one line per point in point order.")

    @Argument(help: "Results logs.") var logs: [String]
    @Option(help: "Merged log to write.") var log: String

    func run() throws {
        let records: [SweepRecord]
        do { records = try SweepLog.merge(logs) } catch { throw CLIError.usage(error.description) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = records.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) }.joined(separator: "\n") + (records.isEmpty ? "" : "\n")
        try FileText.writeAll([(log, text)])
        StandardStreams.output("\(records.count) points from \(logs.count) log(s) in \(log)")
    }
}

struct SweepParetoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "Mark each point of a results log as on the Pareto front, dominated or invalid, for the given objectives.",
        discussion: "Objectives: min:METRIC or max:METRIC (metrics as in the log, e.g. min:energy_per_mac_pj max:sqnr_db). Points with a missing or NaN objective, and failed points, are invalid; ties stay on the front together.")

    @Argument(help: "Results log.") var log: String
    @Option(name: .customLong("objective"), help: "min:METRIC or max:METRIC (repeat).") var objectives: [String]
    @Option(help: "csv | json") var output = "csv"

    func run() throws {
        let parsed = try objectives.map { text -> ParetoFront.Objective in
            guard let o = ParetoFront.Objective(parsing: text) else { throw CLIError.usage("--objective \(text): use min:METRIC or max:METRIC") }
            return o
        }
        guard parsed.count >= 1 else { throw CLIError.usage("give at least one --objective") }
        guard ["csv", "json"].contains(output) else { throw CLIError.usage("--output \(output): use csv or json") }
        let records: [SweepRecord]
        do { records = try SweepLog.read(log).records } catch { throw CLIError.usage(error.description) }
        let status = ParetoFront.classify(records, objectives: parsed)
        let metrics = Array(Set(records.flatMap { $0.metrics.keys })).sorted()
        if output == "json" {
            let rows = zip(records, status).map { r, s -> [String: Any] in
                ["index": r.index, "key": r.key, "status": s.rawValue, "architecture": r.point.architecture, "a_format": r.point.aFormat,
                 "b_format": r.point.bFormat, "quantize": r.point.quantize ?? "default", "workload": r.point.workload.name ?? (r.point.workload.gemm ?? r.point.workload.model ?? ""),
                 "set": r.point.overrides.mapValues(\.description), "metrics": r.metrics.mapValues { $0.isFinite ? $0 as Any : NSNull() }, "error": r.error ?? ""]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            StandardStreams.output(String(decoding: data, as: UTF8.self))
            return
        }
        func cell(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var lines = [(["index", "key", "pareto", "architecture", "a_format", "b_format", "quantize", "workload", "set"] + metrics).joined(separator: ",")]
        for (r, s) in zip(records, status) {
            let set = r.point.overrides.keys.sorted().map { "\($0)=\(r.point.overrides[$0]!)" }.joined(separator: ";")
            let fields = [String(r.index), r.key, s.rawValue, r.point.architecture, r.point.aFormat, r.point.bFormat, r.point.quantize ?? "default",
                          r.point.workload.name ?? (r.point.workload.gemm ?? r.point.workload.model ?? r.point.workload.layers ?? ""), set]
                + metrics.map { m in r.metrics[m].map { String($0) } ?? "" }
            lines.append(fields.map(cell).joined(separator: ","))
        }
        StandardStreams.output(lines.joined(separator: "\n"))
    }
}
