import ArchitectureSpec
import ArgumentParser

/// `simulate validate FILE...`: strict decoding and validation, every error with its JSON path.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check architecture documents; report every problem with its JSON path, line and fix.",
        discussion: "Exits 0 when every file is valid, 2 otherwise.")

    @Argument(help: "Architecture JSON files.")
    var files: [String]

    func run() throws {
        var failures = 0
        for file in files {
            do {
                let document = try ArchitectureLoader.load(path: file)
                StandardStreams.output("\(file): ok (\(document.kind.rawValue): \(document.name))")
            } catch {
                StandardStreams.error(error.description)
                failures += 1
            }
        }
        if failures > 0 { throw CLIError.invalidDocuments(count: failures) }
    }
}
