/// A versioned architecture document: the common envelope (schema version, name, kind,
/// description, sources) plus the fields of its kind, all at the top level of one JSON object.
public struct ArchitectureDocument: Sendable {
    /// The schema version this build reads and writes.
    public static let currentSchemaVersion = 1

    public let schemaVersion: Int
    public let name: String
    public let kind: ArchitectureKind
    public let summary: String
    public let sources: [String]
    public let body: Body

    public enum Body: Sendable {
        case tensorCoreGPU(TensorCoreGPUSpec)
        case lutTensorCore(LUTTensorCoreSpec)
        case peArray(PEArraySpec)
        case fpgaDSP(FPGADSPSpec)
    }

    static let schemaVersionField = Field<Int>.required(
        "schema_version", "Document schema version; this build reads version \(currentSchemaVersion).",
        rule: SpecRule("== \(currentSchemaVersion)") { v in
            v == currentSchemaVersion ? nil
                : ("unsupported schema_version \(v)", "set \"schema_version\": \(currentSchemaVersion) and check `simulate describe` for the fields of this version")
        })
    static let nameField = Field<String>.required("name", "Human-readable name of the design, e.g. \"NVIDIA H100 SXM5\".")
    static let kindField = Field<ArchitectureKind>.required("kind", "Hardware family; selects the remaining fields.")
    static let descriptionField = Field<String>.defaulted("description", "", "Free text shown in reports.")
    static let sourcesField = Field<[String]>.required(
        "sources", "Where the numbers in this file come from (datasheet, whitepaper, paper + table).",
        rule: SpecRule("non-empty") { v in v.isEmpty ? ("no sources given", "name at least one datasheet or paper") : nil })

    /// The envelope fields common to every kind.
    public static var envelopeFields: [AnyField] {
        [schemaVersionField.erased, nameField.erased, kindField.erased, descriptionField.erased, sourcesField.erased]
    }

    /// The full schema of a document of `kind`.
    public static func schema(for kind: ArchitectureKind) -> ObjectSchema {
        ObjectSchema(name: "architecture document (\(kind.rawValue))", doc: kind.summary,
                     fields: envelopeFields + kind.bodySchema.fields)
    }
}

/// Decodes a document of a known kind: envelope and body share one object and one reader.
struct DocumentDecoder<Body: SpecObject>: SpecObject {
    let envelope: (Int, String, ArchitectureKind, String, [String])
    let body: Body

    static var schema: ObjectSchema {
        ObjectSchema(name: "architecture document", doc: Body.schema.doc,
                     fields: ArchitectureDocument.envelopeFields + Body.schema.fields)
    }

    init(from reader: ObjectReader) {
        envelope = (reader[ArchitectureDocument.schemaVersionField], reader[ArchitectureDocument.nameField],
                    reader[ArchitectureDocument.kindField], reader[ArchitectureDocument.descriptionField],
                    reader[ArchitectureDocument.sourcesField])
        body = Body(from: reader)
    }

    func validate(_ reader: ObjectReader) { body.validate(reader) }
}
