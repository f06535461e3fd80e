/// The documented shape of a JSON object: its name, description and fields.
public struct ObjectSchema: Sendable {
    public let name: String
    public let doc: String
    public let fields: [AnyField]

    public init(name: String, doc: String, fields: [AnyField]) {
        let keys = fields.map(\.key)
        precondition(Set(keys).count == keys.count, "duplicate field in schema \(name)")
        self.name = name
        self.doc = doc
        self.fields = fields
    }
}

/// An object in an architecture document. Decoding is two-phase: the schema's fields check the
/// JSON (unknown keys, missing fields, types, rules), reporting every problem; only a clean
/// object is then built with `init(from:)`, whose reads cannot fail, followed by `validate`
/// for cross-field rules.
public protocol SpecObject: SpecValue {
    static var schema: ObjectSchema { get }
    init(from reader: ObjectReader)
    /// Cross-field checks; report with `reader.fail(...)`.
    func validate(_ reader: ObjectReader)
}

extension SpecObject {
    public func validate(_ reader: ObjectReader) {}

    public static var specTypeName: String { "object (\(schema.name))" }

    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> Self? {
        guard case .object(let members) = node.value else {
            sink.report(path, node.location, "expected an object (\(schema.name)), got \(node.typeName)",
                        fix: "write { ... } with the fields listed by `simulate describe`")
            return nil
        }
        let before = sink.diagnostics.count
        let known = Set(schema.fields.map(\.key))
        for member in members where !known.contains(member.key) {
            let suggestion = EditDistance.suggestion(for: member.key, among: schema.fields.map(\.key))
            sink.report(path.appending(member.key), member.keyLocation,
                        "unknown key \"\(member.key)\" in \(schema.name)",
                        fix: suggestion.map { "did you mean \"\($0)\"?" }
                            ?? "remove it; allowed keys: " + schema.fields.map(\.key).joined(separator: ", "))
        }
        for field in schema.fields {
            field.check(members.first { $0.key == field.key }?.value, path, node.location, sink)
        }
        guard sink.diagnostics.count == before else { return nil }
        let reader = ObjectReader(members: members, path: path, location: node.location, sink: sink, schema: schema)
        let value = Self(from: reader)
        value.validate(reader)
        return sink.diagnostics.count == before ? value : nil
    }
}

/// Read access to a checked object (see `SpecObject`).
public final class ObjectReader {
    let members: [JSONNode.Member]
    public let path: SpecPath
    public let location: SourceLocation
    let sink: DiagnosticSink
    let schema: ObjectSchema

    init(members: [JSONNode.Member], path: SpecPath, location: SourceLocation, sink: DiagnosticSink,
         schema: ObjectSchema) {
        self.members = members
        self.path = path
        self.location = location
        self.sink = sink
        self.schema = schema
    }

    private func node<V>(_ field: Field<V>) -> JSONNode? {
        precondition(schema.fields.contains { $0.key == field.key },
                     "field \(field.key) is read but not listed in schema \(schema.name)")
        return members.first { $0.key == field.key }?.value
    }

    /// A required or defaulted field (already checked, so this cannot fail).
    public subscript<V>(_ field: Field<V>) -> V {
        if let n = node(field) {
            guard let v = V.decode(n, path: path.appending(field.key), sink: sink) else {
                preconditionFailure("field \(field.key) was checked")
            }
            return v
        }
        guard let d = field.defaultValue else { preconditionFailure("required field \(field.key) was checked") }
        return d
    }

    /// An optional field.
    public func optional<V>(_ field: Field<V>) -> V? {
        node(field).flatMap { V.decode($0, path: path.appending(field.key), sink: sink) }
    }

    /// Reports a cross-field problem at `key` (or at the object when `key` is absent).
    public func fail(_ key: String?, _ message: String, fix: String? = nil) {
        let member = key.flatMap { k in members.first { $0.key == k } }
        sink.report(key.map { path.appending($0) } ?? path, member?.value.location ?? location, message, fix: fix)
    }
}
