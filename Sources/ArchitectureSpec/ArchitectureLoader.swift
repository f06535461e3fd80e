#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads and validates architecture documents, reporting every problem with its JSON path,
/// line and fix.
public enum ArchitectureLoader {
    /// Decodes a document from text; `file` is used in messages only.
    public static func decode(_ text: String, file: String) throws(SpecValidationError) -> ArchitectureDocument {
        let root: JSONNode
        do {
            root = try JSONParser.parse(text)
        } catch {
            throw SpecValidationError(file: file, diagnostics: [
                SpecDiagnostic(path: "", location: error.location, message: "invalid JSON: \(error.message)",
                               fix: "check the JSON syntax near this line"),
            ])
        }
        let sink = DiagnosticSink()
        guard case .object(let members) = root.value else {
            throw SpecValidationError(file: file, diagnostics: [
                SpecDiagnostic(path: "", location: root.location, message: "expected a JSON object at the top level",
                               fix: "start the document with { \"schema_version\": 1, \"kind\": ... }"),
            ])
        }
        // The kind selects the schema; without a valid kind only the envelope can be checked.
        let kindNode = members.first { $0.key == "kind" }?.value
        let kind = kindNode.flatMap { ArchitectureKind.decode($0, path: SpecPath().appending("kind"), sink: sink) }
        guard let kind else {
            if kindNode == nil {
                sink.report(SpecPath().appending("kind"), root.location, "missing required field \"kind\"",
                            fix: "add \"kind\": one of " + ArchitectureKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            }
            throw SpecValidationError(file: file, diagnostics: sink.diagnostics)
        }
        func decode<Body: SpecObject>(_ type: Body.Type, _ wrap: (Body) -> ArchitectureDocument.Body) throws(SpecValidationError) -> ArchitectureDocument {
            guard let d = DocumentDecoder<Body>.decode(root, path: SpecPath(), sink: sink) else {
                throw SpecValidationError(file: file, diagnostics: sink.diagnostics)
            }
            return ArchitectureDocument(schemaVersion: d.envelope.0, name: d.envelope.1, kind: d.envelope.2,
                                        summary: d.envelope.3, sources: d.envelope.4, body: wrap(d.body))
        }
        switch kind {
        case .tensorCoreGPU: return try decode(TensorCoreGPUSpec.self) { .tensorCoreGPU($0) }
        case .lutTensorCore: return try decode(LUTTensorCoreSpec.self) { .lutTensorCore($0) }
        case .peArray: return try decode(PEArraySpec.self) { .peArray($0) }
        case .fpgaDSP: return try decode(FPGADSPSpec.self) { .fpgaDSP($0) }
        }
    }

    /// Reads and decodes a file.
    public static func load(path: String) throws(SpecValidationError) -> ArchitectureDocument {
        guard let text = readFile(path) else {
            throw SpecValidationError(file: path, diagnostics: [
                SpecDiagnostic(path: "", location: nil, message: "cannot read the file",
                               fix: "check the path; architecture documents live in Architectures/"),
            ])
        }
        return try decode(text, file: path)
    }

    static func readFile(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count { break }
        }
        if ferror(f) != 0 { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
