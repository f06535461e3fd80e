import Foundation
import Testing

/// Runs the built `simulate` binary (argument-parser's `AssertExecuteCommand` approach) and
/// compares outputs with golden files. Goldens are re-recorded only with
/// `QUANTSIM_RECORD_GOLDENS=1`, and a recording run always fails, so a changed golden is always
/// a reviewed change (DESIGN.md, "Testing").
enum CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `simulate` executable next to the test bundle (`swift test` builds every product).
    static var executable: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("simulate")
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// A child that exits before reading its stdin (a usage error) closes the pipe; writing to it
    /// must fail quietly instead of raising SIGPIPE in the whole test process.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil) throws -> Result {
        _ = ignoreSIGPIPE
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so large outputs cannot deadlock.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A Python interpreter with numpy: `QUANTSIM_PYTHON`, else the test venv `make test` makes
    /// (`.venv-test`); nil when neither exists.
    static var python: String? {
        let candidates = [ProcessInfo.processInfo.environment["QUANTSIM_PYTHON"], repositoryRoot.path + "/.venv-test/bin/python"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs another program (not `simulate`) with `arguments`.
    static func runProgram(_ path: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Compares `actual` with the golden file `name` in Fixtures/golden.
    /// Goldens hold `MPFR <version>` where reports name the library version, so a machine with
    /// another MPFR release (same semantics: correct rounding is version-independent) compares equal.
    static func normalized(_ text: String) -> String {
        text.replacing(/MPFR \d+(\.\d+)+(-[A-Za-z0-9]+)?/, with: "MPFR <version>")
    }

    static func expectGolden(_ rawActual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = normalized(rawActual)
        let url = fixtures.appendingPathComponent("golden").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["QUANTSIM_RECORD_GOLDENS"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded golden \(name); rerun without QUANTSIM_RECORD_GOLDENS", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(name); record it with QUANTSIM_RECORD_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            Issue.record("""
                golden \(name) differs at line \(first + 1):
                  expected: \(first < e.count ? String(e[first]) : "<end>")
                  actual:   \(first < a.count ? String(a[first]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }
}
