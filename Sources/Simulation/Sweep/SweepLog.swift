import Foundation
import Workloads

/// One finished point in a results log (one JSON line).
public struct SweepRecord: Codable, Sendable {
    public var key: String
    public var index: Int
    public var point: SweepPoint
    public var status: String
    public var error: String?
    public var metrics: [String: Double]
}

/// The append-only results log: one JSON line per finished point, flushed to disk before the
/// next point is reported, so a sweep killed at any moment (SIGKILL included) loses at most the
/// line being written; `open(resume:)` drops such a torn last line and returns the finished keys.
public final class SweepLog: @unchecked Sendable {
    public let path: String
    let handle: FileHandle
    let lock = NSLock()

    public init(path: String, resume: Bool) throws(SweepSpec.Error) {
        self.path = path
        let fm = FileManager.default
        if !resume || !fm.fileExists(atPath: path) {
            if fm.fileExists(atPath: path) && !resume {
                throw SweepSpec.Error("\(path) exists (fix: --resume to continue it, or another --log)")
            }
            guard fm.createFile(atPath: path, contents: nil) else { throw SweepSpec.Error("\(path): cannot create the results log") }
        }
        guard let h = FileHandle(forUpdatingAtPath: path) else { throw SweepSpec.Error("\(path): cannot open the results log") }
        handle = h
    }

    deinit { try? handle.close() }

    /// Largest results log read (about a million points): split bigger sweeps into shards.
    public static let maxLogBytes = 1 << 30

    /// Reads a log: the complete records, and the byte length of its complete lines (a last
    /// line without its newline, or not valid JSON, is torn).
    public static func read(_ path: String) throws(SweepSpec.Error) -> (records: [SweepRecord], validLength: Int) {
        // A log is a regular file: a device or FIFO would be read up to the bound first.
        if let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType, type != .typeRegular {
            throw SweepSpec.Error("\(path): the results log is not a regular file (fix: name the .jsonl file a sweep wrote)")
        }
        let bytes: [UInt8]
        do { bytes = try BoundedFile.bytes(path: path, limit: maxLogBytes, what: "results log") } catch { throw SweepSpec.Error(error.description) }
        var records: [SweepRecord] = []
        var start = 0, valid = 0
        let decoder = JSONDecoder()
        for (i, b) in bytes.enumerated() where b == 10 {
            let line = Data(bytes[start..<i])
            if !line.isEmpty {
                guard let r = try? decoder.decode(SweepRecord.self, from: line) else { break }
                records.append(r)
            }
            start = i + 1
            valid = start
        }
        return (records, valid)
    }

    /// The finished records of a log being resumed; a torn tail is cut off.
    public func resume() throws(SweepSpec.Error) -> [SweepRecord] {
        let (records, valid) = try Self.read(path)
        do {
            try handle.truncate(atOffset: UInt64(valid))
            try handle.seekToEnd()
        } catch { throw SweepSpec.Error("\(path): cannot truncate the torn last line: \(error)") }
        return records
    }

    public func append(_ record: SweepRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(record)
        line.append(10)
        lock.lock()
        defer { lock.unlock() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }

    /// Joins logs: one record per key (records of the same key must agree), in point order.
    public static func merge(_ paths: [String]) throws(SweepSpec.Error) -> [SweepRecord] {
        var byKey: [String: SweepRecord] = [:]
        for p in paths {
            for r in try read(p).records {
                if let existing = byKey[r.key], existing.metrics != r.metrics || existing.status != r.status {
                    throw SweepSpec.Error("\(p): point \(r.index) (key \(r.key)) disagrees with another log's record of it")
                }
                byKey[r.key] = r
            }
        }
        return byKey.values.sorted { ($0.index, $0.key) < ($1.index, $1.key) }
    }
}
