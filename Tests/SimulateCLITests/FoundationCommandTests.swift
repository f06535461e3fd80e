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
