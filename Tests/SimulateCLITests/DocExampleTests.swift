import Foundation
import Testing

/// The console examples in README.md and docs/*.md, run against the built binary: every
/// ```console block's `$ simulate ...` commands (lines ending in `\` continue) must print what
/// the block shows (stdout, or stderr when the command fails); a line `...` stands for any run of
/// lines. Other blocks (```text, ```sh, ```python) are illustrations and are not run.
@Suite("Documentation examples (binary)")
struct DocExampleTests {
    struct Example: Sendable, CustomStringConvertible {
        let file: String
        let line: Int
        let command: String
        let expected: [String]
        var description: String { "\(file):\(line)" }
    }

    static let documents: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: CLI.repositoryRoot.path + "/docs")) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    static let examples: [Example] = {
        var out: [Example] = []
        for file in documents {
            guard let text = try? String(contentsOfFile: CLI.repositoryRoot.path + "/" + file, encoding: .utf8) else { continue }
            let lines = text.components(separatedBy: "\n")
            var i = 0
            while i < lines.count {
                guard lines[i] == "```console" else { i += 1; continue }
                i += 1
                var current: (line: Int, command: String, expected: [String])?
                while i < lines.count, lines[i] != "```" {
                    let l = lines[i]
                    if l.hasPrefix("$ ") {
                        if let c = current { out.append(Example(file: file, line: c.line, command: c.command, expected: c.expected)) }
                        var command = String(l.dropFirst(2))
                        let start = i + 1
                        while command.hasSuffix("\\"), i + 1 < lines.count {
                            i += 1
                            command = String(command.dropLast()) + " " + lines[i].trimmingCharacters(in: .whitespaces)
                        }
                        current = (start, command, [])
                    } else {
                        current?.expected.append(l)
                    }
                    i += 1
                }
                if let c = current { out.append(Example(file: file, line: c.line, command: c.command, expected: c.expected)) }
                i += 1
            }
        }
        return out
    }()

    /// Whether `actual` matches `expected`, where a `...` line matches any run of lines.
    static func matches(_ expected: ArraySlice<String>, _ actual: ArraySlice<String>) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first == "..." {
            let rest = expected.dropFirst()
            var a = actual
            while true {
                if matches(rest, a) { return true }
                guard !a.isEmpty else { return false }
                a = a.dropFirst()
            }
        }
        guard let head = actual.first, head == first else { return false }
        return matches(expected.dropFirst(), actual.dropFirst())
    }

    @Test("The documents hold console examples") func present() {
        #expect(Self.examples.count >= 8, "\(Self.examples.count) examples")
        #expect(Self.examples.contains { $0.file == "README.md" })
    }

    @Test("Every console example prints what the document shows", arguments: examples)
    func example(_ e: Example) throws {
        #expect(e.command.hasPrefix("simulate ") || e.command.contains("| simulate "), "\(e): examples run simulate")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", e.command]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = CLI.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        shell.environment = environment
        shell.currentDirectoryURL = CLI.repositoryRoot
        let out = Pipe(), err = Pipe()
        shell.standardOutput = out
        shell.standardError = err
        try shell.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        shell.waitUntilExit()
        let text = CLI.normalized(String(decoding: shell.terminationStatus == 0 ? stdout : errBox.data, as: UTF8.self))
        var actual = text.components(separatedBy: "\n")
        if actual.last == "" { actual.removeLast() }
        let expected = e.expected.map { CLI.normalized($0) }
        if !Self.matches(expected[...], actual[...]) {
            let firstDifference = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 && $0.element.0 != "..." }
            Issue.record("""
                \(e): `\(e.command)` (exit \(shell.terminationStatus)) does not print what the document shows
                  first difference near line \(firstDifference.map { $0.offset + 1 } ?? 0):
                    document: \(firstDifference?.element.0 ?? "<end>")
                    actual:   \(firstDifference?.element.1 ?? "<end>")
                """)
        }
    }
}
