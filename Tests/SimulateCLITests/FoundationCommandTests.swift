import Foundation
import Testing

/// The built binary: help, describe, validate and exit codes.
@Suite("simulate help, describe and validate")
struct FoundationCommandTests {
    @Test("--help lists the subcommands and exits 0")
    func help() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("SUBCOMMANDS"))
        for sub in ["validate", "describe"] { #expect(r.stdout.contains(sub)) }
    }

    @Test("describe (all kinds and one kind) matches its golden output")
    func describe() throws {
        let all = try CLI.run(["describe"])
        #expect(all.status == 0)
        CLI.expectGolden(all.stdout, "describe.txt")
        let gpu = try CLI.run(["describe", "tensor_core_gpu"])
        #expect(gpu.status == 0)
        CLI.expectGolden(gpu.stdout, "describe-tensor_core_gpu.txt")
        let pe = try CLI.run(["describe", "pe_array"])
        #expect(pe.status == 0)
        CLI.expectGolden(pe.stdout, "describe-pe_array.txt")
    }

    @Test("describe of an unknown kind exits 2 and names the known kinds")
    func describeUnknown() throws {
        let r = try CLI.run(["describe", "tensor_core"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("tensor_core_gpu"))
    }

    @Test("validate: a valid document exits 0")
    func validateValid() throws {
        let r = try CLI.run(["validate", CLI.fixture("valid-minimal.json")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("ok (tensor_core_gpu: Test GPU)"))
    }

    @Test("validate: every error of a malformed document, with JSON path and line, exit 2")
    func validateInvalid() throws {
        let r = try CLI.run(["validate", CLI.fixture("invalid-many-errors.json")])
        #expect(r.status == 2)
        let expected = [
            ":1:1: error: vendor: missing required field \"vendor\"",
            ":2:21: error: schema_version: unsupported schema_version 2",
            ":5:14: error: sources: no sources given",
            ":6:3: error: vendr: unknown key \"vendr\" in architecture document (fix: did you mean \"vendor\"?)",
            ":7:24: error: microarchitecture: expected a string, got the number 7",
            ":9:11: error: chip.clock_mhz: missing required field",
            ":9:24: error: chip.sm_count: expected an integer, got 13.5",
            ":9:30: error: chip.clock: unknown key \"clock\" in chip (fix: did you mean \"clock_mhz\"?)",
        ]
        for line in expected { #expect(r.stderr.contains(line), "missing: \(line)") }
    }

    @Test("validate: JSON syntax errors carry line and column, exit 2")
    func validateSyntax() throws {
        let r = try CLI.run(["validate", CLI.fixture("invalid-syntax.json")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("invalid-syntax.json:3:15: error: (document): invalid JSON: expected a quoted key"))
    }

    @Test("validate: a missing file and a bad option exit 2")
    func validateMissing() throws {
        #expect(try CLI.run(["validate", "/nonexistent.json"]).status == 2)
        #expect(try CLI.run(["validate", "--frobnicate"]).status == 2)
        #expect(try CLI.run(["nosuchcommand"]).status == 2)
    }
}

/// Standard output that cannot take the report (`/dev/full`): every printing subcommand says so
/// and exits 1 instead of exiting 0 with its output lost.
@Suite("Failed writes to standard output")
struct FailedOutputTests {
    @Test("stdout on /dev/full: exit 1 and a message", arguments: [
        ["formats", "list"],
        ["describe", "tensor_core_gpu"],
        ["validate", "Architectures/nvidia-h100-sxm.json"],
        ["run", "Architectures/nvidia-h100-sxm.json", "--gemm", "32x32x64", "--a-format", "e4m3", "--b-format", "e4m3"],
        ["costs", "calibrate"],
        ["mma", "--arch", "Architectures/nvidia-h100-sxm.json", "--types", "fp16,fp16,fp32,fp32", "--vectors", "VECTORS"],
    ])
    func devFull(_ arguments: [String]) throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        let vectors = NSTemporaryDirectory() + "quantsim-devfull-\(getpid())-\(UUID().uuidString).txt"
        try "3c00,3c00\t3c00,4000\t00000000\n".write(toFile: vectors, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: vectors) }
        let arguments = arguments.map { $0 == "VECTORS" ? vectors : $0 }
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        process.currentDirectoryURL = CLI.repositoryRoot
        let full = FileHandle(forWritingAtPath: "/dev/full")!
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus != 0, "\(arguments): exit 0 with the output lost")
        #expect(process.terminationStatus == 1 && message.contains("cannot write to standard output"), "\(arguments): \(message)")
    }
}
