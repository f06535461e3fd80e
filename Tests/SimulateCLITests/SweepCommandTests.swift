import Foundation
import Testing

/// `simulate sweep` as a built binary: expansion, validation before running, resume after
/// SIGKILL and after a torn line, shards and merge, Pareto marks, and a real Dask cluster.
@Suite("simulate sweep (binary)", .serialized)
struct SweepCommandTests {
    static func directory() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("quantsim-sweep-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// 2 designs x 3 format pairs x 2 shapes = 12 points; 6 fail (the H100 has no FP16 x INT6 path, the BitMoD PE takes no FP16 or E4M3 weights).
    static func spec(_ dir: URL, shapes: [String] = ["96x128x256", "128x96x192"]) throws -> String {
        let root = CLI.repositoryRoot.path
        let text = """
            name: test
            architectures: [\(root)/Architectures/nvidia-h100-sxm.json, \(root)/Architectures/bitmod-28nm.json]
            axes:
              formats: [[fp16, fp16], [e4m3, e4m3], [fp16, int6]]
              workloads: [\(shapes.map { "{gemm: \($0)}" }.joined(separator: ", "))]
            run: {recheck: 16, numerics: full}
            """
        let path = dir.appendingPathComponent("spec.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Records of a log as key -> (status, metrics line), order-free.
    static func records(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let metrics = try JSONSerialization.data(withJSONObject: object["metrics"]!, options: [.sortedKeys])
            out[object["key"] as! String] = (object["status"] as! String) + " " + String(decoding: metrics, as: UTF8.self)
        }
        return out
    }

    @Test("A full run logs every point once; failures are recorded, not fatal; list and pareto agree with the log")
    func fullRun() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try Self.spec(dir), log = dir.appendingPathComponent("a.jsonl").path
        let r = try CLI.run(["sweep", "run", spec, "--log", log])
        #expect(r.status == 0 && r.stdout.contains("12/12 points") && r.stdout.contains("6 failed"), "\(r.stdout)\(r.stderr)")
        let recs = try Self.records(log)
        #expect(recs.count == 12 && recs.values.filter { $0.hasPrefix("error") }.count == 6)
        let list = try CLI.run(["sweep", "list", spec])
        #expect(list.stdout.split(separator: "\n").count == 12)
        let pareto = try CLI.run(["sweep", "pareto", log, "--objective", "min:energy_per_mac_pj", "--objective", "max:sqnr_db"])
        let rows = pareto.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 12 && rows.filter { $0.contains(",invalid,") }.count == 6 && rows.contains { $0.contains(",front,") })
        // A second run on the same log refuses (no silent overwrite); --resume has nothing to do.
        let refused = try CLI.run(["sweep", "run", spec, "--log", log])
        #expect(refused.status == 2)
        let again = try CLI.run(["sweep", "run", spec, "--log", log, "--resume"])
        let after = try Self.records(log)
        #expect(again.status == 0 && after == recs)
    }

    @Test("Killed with SIGKILL mid-sweep, --resume finishes with the same records as an uninterrupted run; a torn last line is redone")
    func resumeAfterKill() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try Self.spec(dir, shapes: ["256x256x512", "256x192x512", "192x256x384"])
        let reference = dir.appendingPathComponent("ref.jsonl").path, killed = dir.appendingPathComponent("killed.jsonl").path
        #expect(try CLI.run(["sweep", "run", spec, "--log", reference, "--jobs", "1"]).status == 0)
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["sweep", "run", spec, "--log", killed, "--jobs", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for a few finished points, then kill without warning.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let lines = (try? String(contentsOfFile: killed, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 3 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = try Self.records(killed).count
        #expect(partial >= 3 && partial < 18, "\(partial) points before the kill")
        // Tear the last line as a crash mid-write would.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: killed))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"key\":\"torn".utf8))
        try handle.close()
        let resumed = try CLI.run(["sweep", "run", spec, "--log", killed, "--resume", "--jobs", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let resumedRecords = try Self.records(killed), referenceRecords = try Self.records(reference)
        #expect(resumedRecords == referenceRecords)
        let lines = try String(contentsOfFile: killed, encoding: .utf8).split(separator: "\n").count
        #expect(lines == 18)
    }

    @Test("Shards 1/3..3/3 merged equal the unsharded run")
    func shards() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try Self.spec(dir), whole = dir.appendingPathComponent("whole.jsonl").path
        #expect(try CLI.run(["sweep", "run", spec, "--log", whole]).status == 0)
        var parts: [String] = []
        for k in 1...3 {
            let part = dir.appendingPathComponent("part\(k).jsonl").path
            #expect(try CLI.run(["sweep", "run", spec, "--log", part, "--shard", "\(k)/3"]).status == 0)
            parts.append(part)
        }
        let merged = dir.appendingPathComponent("merged.jsonl").path
        let m = try CLI.run(["sweep", "merge"] + parts + ["--log", merged])
        #expect(m.status == 0 && m.stdout.hasPrefix("12 points from 3 log(s)"))
        let mergedRecords = try Self.records(merged), wholeRecords = try Self.records(whole)
        #expect(mergedRecords == wholeRecords)
    }

    @Test("Invalid points are all reported before anything runs (point, key, path, fix)")
    func validation() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = CLI.repositoryRoot.path
        let text = """
            name: bad
            architectures: [\(root)/Architectures/lut-tensor-core-28nm.json]
            axes:
              formats: [[fp16, uint4], [fp17, uint4]]
              set: {unit.tile_k: [4, 0]}
              workloads: [{gemm: 64x64x64}]
            """
        let spec = dir.appendingPathComponent("bad.yaml").path
        try text.write(toFile: spec, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("log.jsonl").path
        let r = try CLI.run(["sweep", "run", spec, "--log", log])
        #expect(r.status == 2 && r.stderr.contains("point(s) are invalid; nothing ran"))
        #expect(r.stderr.contains("a_format \"fp17\" is not a format") && r.stderr.contains("unit.tile_k"))
        #expect(!FileManager.default.fileExists(atPath: log))
    }

    @Test("Run settings: a bare YAML `off` means numerics off (no bit-exact metrics logged); wrongly typed settings are errors, not ignored")
    func runSettings() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = CLI.repositoryRoot.path
        func spec(_ run: String) throws -> String {
            let path = dir.appendingPathComponent("s.yaml").path
            try """
                name: settings
                architectures: [\(root)/Architectures/nvidia-h100-sxm.json]
                axes: {formats: [e4m3], workloads: [{gemm: 64x64x64}]}
                run: \(run)
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let log = dir.appendingPathComponent("log.jsonl").path
        let off = try CLI.run(["sweep", "run", try spec("{numerics: off}"), "--log", log])
        #expect(off.status == 0, "\(off.stderr)")
        let line = try String(contentsOfFile: log, encoding: .utf8)
        #expect(line.contains("\"time_s\"") && !line.contains("sqnr_db") && !line.contains("outputs_rechecked"), "\(line)")
        for (run, message) in [("{seed: -1}", "run.seed"), ("{recheck: many}", "run.recheck"), ("{numerics: [full]}", "run.numerics"), ("{numerics: true}", "run.numerics")] {
            let r = try CLI.run(["sweep", "run", try spec(run), "--log", dir.appendingPathComponent("x.jsonl").path])
            #expect(r.status == 2 && r.stderr.contains(message), "\(run): \(r.stderr)")
        }
    }

    @Test("Devices and oversized inputs are refused with exit 2, not read to exhaustion: specs, logs, measurement tables")
    func devices() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("log.jsonl").path
        for (args, message) in [(["sweep", "run", "/dev/zero", "--log", log], "larger than 16 MiB"),
                                (["sweep", "pareto", "/dev/zero", "--objective", "min:time_s"], "not a regular file"),
                                (["sweep", "merge", "/dev/zero", "--log", log], "not a regular file"),
                                (["calibrate", "gpu", "/dev/zero"], "larger than 16 MiB")] {
            let r = try CLI.run(args)
            #expect(r.status == 2 && r.stderr.contains(message), "\(args): \(r.status) \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: log))
    }

    @Test("A real Dask cluster on loopback (two worker processes) runs the sharded sweep; the merged log equals the unsharded run")
    func dask() throws {
        let python = try #require(ProcessInfo.processInfo.environment["QUANTSIM_SWEEPS_PYTHON"] ?? {
            let p = CLI.repositoryRoot.path + "/.venv-sweeps/bin/python"
            return FileManager.default.isExecutableFile(atPath: p) ? p : nil
        }(), "the sweep venv is missing: run make test (it builds .venv-sweeps with Dask)")
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try Self.spec(dir), whole = dir.appendingPathComponent("whole.jsonl").path, merged = dir.appendingPathComponent("dask.jsonl").path
        #expect(try CLI.run(["sweep", "run", spec, "--log", whole]).status == 0)
        let r = try CLI.runProgram(python, [CLI.repositoryRoot.path + "/Sweeps/dask_sweep.py", spec, "--log", merged, "--local-workers", "2",
                                            "--simulate", CLI.executable.path])
        #expect(r.status == 0 && r.stdout.contains("on 2 Dask worker(s)"), "\(r.stdout)\(r.stderr)")
        let daskRecords = try Self.records(merged), wholeRecords = try Self.records(whole)
        #expect(daskRecords == wholeRecords)
    }
}
