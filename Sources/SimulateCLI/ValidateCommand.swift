import ArchitectureSpec
import ArgumentParser
import Simulation

/// `simulate validate FILE...`: strict decoding and validation, every error with its JSON path.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check architecture documents; report every problem with its JSON path, line and fix.",
        discussion: "Checks the schema and that the engine can run every format the document lists (the same checks `run` and `mma` make). Exits 0 when every file is valid, 2 otherwise.")

    @Argument(help: "Architecture JSON files.")
    var files: [String]

    func run() throws {
        var failures = 0
        for file in files {
            do {
                let document = try Simulator.validate(file)
                StandardStreams.output("\(file): ok (\(document.kind.rawValue): \(document.name))")
                for note in Simulator.validationNotes(document) { StandardStreams.output("  " + note) }
            } catch {
                StandardStreams.error(error.description)
                failures += 1
            }
        }
        if failures > 0 { throw CLIError.invalidDocuments(count: failures) }
    }
}
