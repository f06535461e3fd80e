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
            // Without a kind, top-level keys that no kind knows are still reported, so that a
            // typo is not hidden behind the kind error.
            let anyKind = Set(ArchitectureDocument.envelopeFields.map(\.key) + TensorCoreGPUSpec.schema.fields.map(\.key)
                              + LUTTensorCoreSpec.schema.fields.map(\.key) + PEArraySpec.schema.fields.map(\.key)
                              + FPGADSPSpec.schema.fields.map(\.key))
            for member in members where !anyKind.contains(member.key) {
                let suggestion = EditDistance.suggestion(for: member.key, among: Array(anyKind).sorted())
                sink.report(SpecPath().appending(member.key), member.keyLocation, "unknown key \"\(member.key)\" in any kind of document",
                            fix: suggestion.map { "did you mean \"\($0)\"?" } ?? "remove it; `simulate describe` lists every kind's keys")
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
        let text: String
        switch readFile(path) {
        case .success(let t): text = t
        case .failure(let problem):
            throw SpecValidationError(file: path, diagnostics: [
                SpecDiagnostic(path: "", location: problem.location, message: problem.message, fix: problem.fix),
            ])
        }
        return try decode(text, file: path)
    }

    /// Documents larger than this are refused before they are read (a device or a mistaken path
    /// must not be read to exhaustion).
    public static let maximumBytes = 16 << 20

    struct ReadProblem: Error {
        let message: String
        let fix: String
        var location: SourceLocation? = nil
    }

    /// The file's text: a regular file of at most `maximumBytes`, valid UTF-8 (the first invalid
    /// byte is located by line and column).
    static func readFile(_ path: String) -> Result<String, ReadProblem> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(ReadProblem(message: "cannot read the file", fix: "check the path; architecture documents live in Architectures/"))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(ReadProblem(message: "not a regular file (a device, directory or pipe)",
                                        fix: "name a JSON document; architecture documents live in Architectures/"))
        }
        guard Int(info.st_size) <= maximumBytes else {
            return .failure(ReadProblem(message: "the file has \(info.st_size) bytes, more than the \(maximumBytes >> 20) MiB a document may have",
                                        fix: "check the path; architecture documents are a few KiB"))
        }
        guard let f = fopen(path, "rb") else {
            return .failure(ReadProblem(message: "cannot read the file", fix: "check the path and its permissions"))
        }
        defer { fclose(f) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while data.count <= maximumBytes {
            let n = fread(&buffer, 1, buffer.count, f)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count { break }
        }
        if ferror(f) != 0 { return .failure(ReadProblem(message: "cannot read the file", fix: "check the path and its permissions")) }
        guard data.count <= maximumBytes else {
            return .failure(ReadProblem(message: "the file grew past \(maximumBytes >> 20) MiB while being read", fix: "name a regular JSON document"))
        }
        if let text = String(validating: data, as: UTF8.self) { return .success(text) }
        // The first byte that is not UTF-8: sequence by sequence from the start.
        var valid = 0
        while valid < data.count {
            let b = data[valid]
            let length = b < 0x80 ? 1 : (0xC2...0xDF).contains(b) ? 2 : (0xE0...0xEF).contains(b) ? 3 : (0xF0...0xF4).contains(b) ? 4 : 0
            guard length > 0, valid + length <= data.count, String(validating: data[valid..<(valid + length)], as: UTF8.self) != nil else { break }
            valid += length
        }
        let before = data[0..<valid]
        let line = before.filter { $0 == 0x0A }.count + 1
        let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
        let column = String(decoding: data[lineStart..<valid], as: UTF8.self).unicodeScalars.count + 1
        let byte = valid < data.count ? String(data[valid], radix: 16, uppercase: true) : "?"
        return .failure(ReadProblem(message: "byte 0x\(byte) is not UTF-8", fix: "save the document as UTF-8",
                                    location: SourceLocation(line: line, column: column)))
    }
}
