import Dispatch
import EngineKit
import Foundation
import Formats
import Workloads

/// Runs a sweep's points (docs/sweeps.md): validates every point before running any, runs
/// them on `jobs` threads (each point single-threaded), appends each finished point to the log,
/// records failures without stopping, and skips points a resumed log already holds.
public struct SweepRunner {
    public let spec: SweepSpec
    public let points: [SweepPoint]
    /// Documents with their overrides applied, written once per (architecture, overrides).
    let scratch: String
    var documents: [String: String] = [:]

    public init(spec: SweepSpec, shard: (index: Int, count: Int)? = nil) throws(SweepSpec.Error) {
        self.spec = spec
        var all = try spec.expand()
        if let shard { all = all.filter { $0.index % shard.count == shard.index - 1 } }
        points = all
        scratch = NSTemporaryDirectory() + "quantsim-sweep-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// Checks every point; returns one message per bad point (point number, key, path, fix).
    public mutating func validate() -> [String] {
        var problems: [String] = []
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for p in points {
            do { _ = try document(for: p) } catch {
                problems.append("point \(p.index) (key \(p.key)): \(error)")
                continue
            }
            for (what, name) in [("a_format", p.aFormat), ("b_format", p.bFormat), ("kv_format", p.kvFormat ?? p.aFormat)] where FormatCatalog.parse(name) == nil {
                problems.append("point \(p.index) (key \(p.key)): \(what) \"\(name)\" is not a format (see simulate formats list)")
            }
            if let q = p.quantize, QuantizationChoice(parsing: q) == nil {
                problems.append("point \(p.index) (key \(p.key)): quantize \"\(q)\" (fix: none, per-tensor, per-channel or group:G)")
            }
            if let g = p.workload.gemm, GEMMShape(parsing: g) == nil { problems.append("point \(p.index) (key \(p.key)): workload gemm \"\(g)\" is not MxNxK") }
            if let m = p.workload.model, ModelCatalog.named(m) == nil { problems.append("point \(p.index) (key \(p.key)): unknown model \(m)") }
            if let ph = p.workload.phase, ModelPhase(parsing: ph) == nil { problems.append("point \(p.index) (key \(p.key)): phase \"\(ph)\" (fix: prefill:T or decode:ctx=C)") }
            for d in [p.workload.data, p.workload.bData].compactMap({ $0 }) where MatrixDistribution(parsing: d) == nil {
                let path = d.split(separator: ":", maxSplits: 1).first.map(String.init) ?? d
                if !FileManager.default.fileExists(atPath: d.hasSuffix(".npy") ? d : path) {
                    problems.append("point \(p.index) (key \(p.key)): data \(d) is neither a distribution nor an existing file")
                }
            }
        }
        if spec.energyAnchor != nil && spec.energyAnchor!.isEmpty { problems.append("run.energy_anchor is empty") }
        if RunRequest.NumericsMode(rawValue: spec.numerics) == nil { problems.append("run.numerics \"\(spec.numerics)\" (fix: auto, full, sampled or off)") }
        return problems
    }

    /// The path of a point's document (overrides applied and validated).
    mutating func document(for p: SweepPoint) throws(SweepSpec.Error) -> String {
        if p.overrides.isEmpty {
            do { _ = try Simulator.validate(p.architecture) } catch { throw SweepSpec.Error(error.description) }
            return p.architecture
        }
        let id = p.architecture + "|" + p.overrides.keys.sorted().map { "\($0)=\(p.overrides[$0]!)" }.joined(separator: ";")
        if let path = documents[id] { return path }
        let data: [UInt8]
        do { data = try BoundedFile.bytes(path: p.architecture, limit: SweepSpec.maxSpecBytes, what: "architecture document") } catch {
            throw SweepSpec.Error(error.description)
        }
        let text = try DocumentOverride.apply(String(decoding: data, as: UTF8.self), p.overrides, file: p.architecture)
        let label = "\(p.architecture) with " + p.overrides.keys.sorted().map { "\($0) = \(p.overrides[$0]!)" }.joined(separator: ", ")
        do { _ = try Simulator.validate(text: text, file: label) } catch { throw SweepSpec.Error(error.description) }
        let path = scratch + "/doc-\(documents.count).json"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw SweepSpec.Error("\(path): cannot write") }
        documents[id] = path
        return path
    }

    public func cleanUp() { try? FileManager.default.removeItem(atPath: scratch) }

    /// Runs the points not in `done`, `jobs` at a time; `finished` is called (serialised) after
    /// each point's record is in the log.
    public func run(log: SweepLog, done: Set<String>, jobs: Int, finished: @escaping @Sendable (SweepRecord) -> Void) {
        let todo = points.filter { !done.contains($0.key) }
        let next = Counter()
        let workers = Swift.max(1, Swift.min(jobs, todo.count))
        let docs = documents
        let spec = self.spec
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.take()
                guard i < todo.count else { return }
                let p = todo[i]
                let record = Self.runPoint(p, document: docs.isEmpty || p.overrides.isEmpty ? p.architecture : Self.lookup(docs, p), spec: spec)
                do { try log.append(record) } catch { FileHandle.standardError.write(Data("simulate: cannot append to \(log.path): \(error)\n".utf8)) }
                finished(record)
            }
        }
    }

    static func lookup(_ docs: [String: String], _ p: SweepPoint) -> String {
        docs[p.architecture + "|" + p.overrides.keys.sorted().map { "\($0)=\(p.overrides[$0]!)" }.joined(separator: ";")] ?? p.architecture
    }

    final class Counter: @unchecked Sendable {
        var value = 0
        let lock = NSLock()
        func take() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
    }

    /// One point through `Simulator.run`: its metrics (nothing wall-clock, so a rerun gives the
    /// same line), or its error.
    static func runPoint(_ p: SweepPoint, document: String, spec: SweepSpec) -> SweepRecord {
        var record = SweepRecord(key: p.key, index: p.index, point: p, status: "ok", error: nil, metrics: [:])
        do {
            func source(_ text: String?, fallback: RunRequest.DataSource) throws -> RunRequest.DataSource {
                guard let text else { return fallback }
                if let d = MatrixDistribution(parsing: text) { return .synthetic(d) }
                return .file(try MatrixFile.load(text))
            }
            let dataA = try source(p.workload.data, fallback: .synthetic(.gaussian))
            let dataB = try source(p.workload.bData, fallback: { if case .file = dataA { return .synthetic(.gaussian) }; return dataA }())
            var base = RunRequest(architecturePath: document, shape: GEMMShape(m: 1, n: 1, k: 1), aFormat: p.aFormat, bFormat: p.bFormat, dFormat: nil,
                                  instruction: nil, quantization: p.quantize.flatMap(QuantizationChoice.init(parsing:)), dataA: dataA, dataB: dataB,
                                  seed: spec.seed, numerics: RunRequest.NumericsMode(rawValue: spec.numerics) ?? .auto, recheckCount: spec.recheck,
                                  threads: 1, energyAnchor: spec.energyAnchor)
            if let g = p.workload.gemm, let shape = GEMMShape(parsing: g) {
                base.shape = shape
                let r = try Simulator.run(base).report
                record.metrics = SweepMetrics.single(r)
            } else {
                let workload: Workload
                var phaseText: String?
                if let m = p.workload.model, let d = ModelCatalog.named(m), let ph = p.workload.phase.flatMap(ModelPhase.init(parsing:)) {
                    workload = try d.workload(phase: ph, batch: p.workload.batch ?? 1)
                    phaseText = ph.description
                } else if let path = p.workload.layers {
                    workload = path.lowercased().hasSuffix(".json") ? try WorkloadFile.load(path: path) : try TopologyFile.load(path: path)
                } else { throw SweepSpec.Error("the workload names no GEMM, model or layer file") }
                let request = WorkloadRequest(base: base, workload: workload, kvFormat: p.kvFormat, numericsLayers: nil, layerGrid: 16, layerRecheck: spec.recheck,
                                              phase: phaseText, batch: p.workload.model != nil ? (p.workload.batch ?? 1) : nil)
                record.metrics = SweepMetrics.workload(try Simulator.run(request).report)
            }
        } catch {
            record.status = "error"
            record.error = "\(error)"
        }
        return record
    }
}
