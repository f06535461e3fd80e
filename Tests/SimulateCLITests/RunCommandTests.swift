import Foundation
import Testing

/// `simulate run` as a built binary: a golden report, JSON and CSV shapes, error exits.
@Suite("simulate run (binary)")
struct RunCommandTests {
    let small = ["run", "Architectures/nvidia-h100-sxm.json", "--gemm", "64x48x256", "--a-format", "e4m3", "--b-format", "e4m3",
                 "--data", "llm-outliers", "--seed", "3", "--recheck", "32"]

    @Test("Table report matches its golden file")
    func table() throws {
        let r = try CLI.run(small)
        #expect(r.status == 0, "\(r.stderr)")
        CLI.expectGolden(r.stdout, "run-h100-e4m3-64x48x256.txt")
    }

    @Test("JSON report carries schema_version and zero mismatches; CSV has the stable header")
    func jsonAndCSV() throws {
        let j = try CLI.run(small + ["--output", "json"])
        #expect(j.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        #expect(object["schema_version"] as? Int == 3)
        #expect(object["engine"] as? String == "tensor_core" && object["tensor_core"] is [String: Any])
        #expect((object["verification"] as! [String: Any])["mismatches"] as? Int == 0)
        #expect(j.stderr.isEmpty, "no progress output under --output json")
        let c = try CLI.run(small + ["--output", "csv"])
        let lines = c.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("schema_version,engine,architecture,layer,m,n,k,a_format,b_format,d_format,"))
        CLI.expectGolden(String(lines[0]) + "\n", "run-csv-header.txt")
    }

    @Test("--output-file writes the report atomically")
    func outputFile() throws {
        let path = NSTemporaryDirectory() + "quantsim-run-\(getpid()).json"
        let r = try CLI.run(small + ["--output", "json", "--output-file", path])
        #expect(r.status == 0 && r.stdout.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"schema_version\" : 3"))
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("Bad input exits 2 with a message naming the problem", arguments: [
        (["--gemm", "64x48"], "expected MxNxK"),
        (["--gemm", "64x48x256", "--a-format", "fp99"], "unknown format"),
        (["--gemm", "64x48x256", "--quantize", "group:0"], "--quantize"),
        (["--gemm", "64x48x256", "--data", "cauchy"], "--data cauchy"),
        (["--gemm", "64x48x256", "--data", "llm-outliers:"], "--data llm-outliers:"),
        (["--gemm", "64x48x256", "--data", "gaussian:"], "--data gaussian:"),
        (["--gemm", "64x48x256", "--data", "/missing.npy"], "cannot read"),
        (["--gemm", "64x48x256", "--output", "xml"], "--output xml"),
        (["--gemm", "9223372036854775807x1x1"], "at most 2^40"),
        (["--gemm", "3037000499x3037000499x2"], "product fits 64 bits"),
        (["--gemm", "64x48x256", "--quantize", "group:512"], "longer than K = 256"),
        (["--gemm", "64x48x256", "--exact-memory-gib", "inf"], "--exact-memory-gib"),
    ])
    func errors(_ extra: [String], _ message: String) throws {
        var args = ["run", "Architectures/nvidia-h100-sxm.json", "--a-format", "e4m3", "--b-format", "e4m3"]
        // Later options override earlier ones in argument-parser only for single values: build the list explicitly.
        if extra.contains("--a-format") { args = ["run", "Architectures/nvidia-h100-sxm.json", "--b-format", "e4m3"] }
        let r = try CLI.run(args + extra)
        #expect(r.status == 2, "\(extra): status \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
    }

    @Test("A numerics-only document and a missing instruction exit 2")
    func unsupported() throws {
        let a2 = try CLI.run(["run", "Architectures/nvidia-a2.json", "--gemm", "64x64x64", "--a-format", "fp16", "--b-format", "fp16"])
        #expect(a2.status == 2 && a2.stderr.contains("numerics only"))
        let v100 = try CLI.run(["run", "Architectures/nvidia-v100-sxm2.json", "--gemm", "64x64x64", "--a-format", "e4m3", "--b-format", "e4m3"])
        #expect(v100.status == 2 && v100.stderr.contains("no MMA instruction"))
    }
}

/// Output files of `simulate run` and `simulate costs show`: checked before the run, written
/// all or nothing, links followed, one path per output.
@Suite("simulate output files (binary)")
struct OutputFileTests {
    let small = ["run", "Architectures/nvidia-h100-sxm.json", "--gemm", "16x8x32", "--a-format", "fp16", "--b-format", "fp16"]

    func scratch(_ name: String) throws -> String {
        let directory = NSTemporaryDirectory() + "quantsim-out-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("A missing directory for any output fails before the run and writes nothing")
    func missingDirectory() throws {
        let dir = try scratch("missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(small + ["--output-file", dir + "/r.json", "--ert", dir + "/nodir/e.yaml"])
        #expect(r.status == 2 && r.stderr.contains("does not exist"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        let costs = try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--ert", dir + "/e.yaml", "--art", dir + "/nodir/a.yaml"])
        #expect(costs.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("Two outputs on one path, and a directory as an output, are usage errors")
    func conflicts() throws {
        let dir = try scratch("conflicts")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let same = try CLI.run(small + ["--output-file", dir + "/r.json", "--ert", dir + "/./r.json"])
        #expect(same.status == 2 && same.stderr.contains("give each output its own path"), "\(same.stderr)")
        let directory = try CLI.run(small + ["--output-file", dir])
        #expect(directory.status == 2 && directory.stderr.contains("is a directory"))
    }

    @Test("Link chains and dangling links resolve to the final file; two names of one file conflict")
    func linkChains() throws {
        let dir = try scratch("chains")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/l1", withDestinationPath: "l2")
        try FileManager.default.createSymbolicLink(atPath: dir + "/l2", withDestinationPath: "final.yaml")
        let chain = try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--ert", dir + "/l1"])
        #expect(chain.status == 0, "\(chain.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/l2") == "final.yaml")
        #expect(FileManager.default.fileExists(atPath: dir + "/final.yaml"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/lnk", withDestinationPath: "target.yaml")
        let both = try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--ert", dir + "/lnk", "--art", dir + "/target.yaml"])
        #expect(both.status == 2 && both.stderr.contains("give each output its own path"), "\(both.stderr)")
    }

    /// `--ert /dev/stdout` while stdout is redirected to a file must append through the open
    /// descriptor, not replace the file the shell is writing (the report would be lost).
    @Test("/dev/stdout as an output writes through the descriptor")
    func standardOutput() throws {
        let r = try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--ert", "/dev/stdout"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Cost inventory:") && r.stdout.contains("version:"), "\(r.stdout.prefix(200))")
        // stdout redirected to a regular file by a shell: both the ERT and the table end up there.
        let dir = try scratch("stdout")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\"$0\" costs show Architectures/nvidia-h100-sxm.json --ert /dev/stdout > \"$1\"",
                           CLI.executable.path, dir + "/all.txt"]
        shell.currentDirectoryURL = CLI.repositoryRoot
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        let text = try String(contentsOfFile: dir + "/all.txt", encoding: .utf8)
        #expect(text.contains("Cost inventory:") && text.contains("version:"), "\(text.prefix(200))")
    }

    @Test("A symbolic link as the output path: its target is written, the link kept")
    func symlink() throws {
        let dir = try scratch("link")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: "target.txt")
        let r = try CLI.run(small + ["--output-file", dir + "/link.txt", "--ert", dir + "/e.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.txt") == "target.txt")
        #expect(try String(contentsOfFile: dir + "/target.txt", encoding: .utf8).contains("Timing (cycle model)"))
        #expect(FileManager.default.fileExists(atPath: dir + "/e.yaml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
    }
}

extension RunCommandTests {
    /// The same command and seed give byte-identical reports across runs and thread counts: the
    /// GEMM kernels write disjoint outputs, and the accuracy terms are summed in output order.
    @Test("Reports are byte-identical across runs and --threads 1 / 2", arguments: [
        ["run", "Architectures/nvidia-h100-sxm.json", "--gemm", "96x80x256", "--a-format", "e4m3", "--b-format", "e4m3"],
        ["run", "Architectures/nvidia-b200.json", "--gemm", "64x96x128", "--a-format", "mxfp4", "--b-format", "mxfp4"],
        ["run", "Architectures/lut-tensor-core-28nm.json", "--gemm", "32x64x128", "--a-format", "fp16", "--b-format", "uint4"],
        ["run", "Architectures/bitmod-28nm.json", "--gemm", "32x64x256", "--a-format", "fp16", "--b-format", "bitmod3",
         "--data", "llm-outliers"],
    ])
    func deterministic(_ arguments: [String]) throws {
        var reports: [String] = []
        for threads in ["1", "2", "2"] {
            let r = try CLI.run(arguments + ["--output", "json", "--threads", threads])
            #expect(r.status == 0, "\(r.stderr)")
            reports.append(r.stdout)
        }
        #expect(reports[0] == reports[1] && reports[1] == reports[2])
    }
}

extension RunCommandTests {
    /// An output path naming one of the run's inputs is refused before any work, and the input
    /// is left as it was (it used to be replaced by the report, exit 0).
    @Test("An output path equal to an input path is refused, the input untouched", arguments: ["--output-file", "--ert", "--art"])
    func outputIsInput(_ option: String) throws {
        let directory = NSTemporaryDirectory() + "quantsim-inout-\(getpid())-\(option.dropFirst(2))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let architecture = directory + "/h100.json"
        try FileManager.default.copyItem(atPath: CLI.repositoryRoot.path + "/Architectures/nvidia-h100-sxm.json", toPath: architecture)
        let before = try Data(contentsOf: URL(fileURLWithPath: architecture))
        // The same file reached through another spelling of its path.
        let r = try CLI.run(["run", architecture, "--gemm", "32x32x64", "--a-format", "e4m3", "--b-format", "e4m3",
                             option, directory + "/./h100.json"])
        #expect(r.status == 2 && r.stderr.contains("would replace it"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: architecture)) == before)
    }
}
