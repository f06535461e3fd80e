import ArchitectureSpec
import ArgumentParser

/// `simulate describe [KIND]`: the schema of architecture documents, generated from the field
/// descriptions the decoder itself uses.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print the fields of architecture documents (all kinds, or one KIND in full).")

    @Argument(help: "A document kind (\(ArchitectureKind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var kind: String?

    func run() throws {
        guard let kind else {
            var lines = ["Architecture documents (schema_version \(ArchitectureDocument.currentSchemaVersion)).",
                         "Common fields of every document:"]
            lines.append(SchemaDescription.render(ObjectSchema(
                name: "envelope", doc: "present in every document", fields: ArchitectureDocument.envelopeFields)))
            lines.append("")
            lines.append("Kinds (run `simulate describe KIND` for all fields of one):")
            for k in ArchitectureKind.allCases { lines.append("  \(k.rawValue): \(k.summary)") }
            StandardStreams.output(lines.joined(separator: "\n"))
            return
        }
        guard let k = ArchitectureKind(rawValue: kind) else {
            let names = ArchitectureKind.allCases.map(\.rawValue)
            throw CLIError.usage("unknown kind \"\(kind)\"; known kinds: \(names.joined(separator: ", "))")
        }
        StandardStreams.output(SchemaDescription.render(ArchitectureDocument.schema(for: k)))
    }
}
