/// Renders schemas as text for `simulate describe`, from the same `AnyField` values the decoder
/// checks against.
public enum SchemaDescription {
    public static func render(_ schema: ObjectSchema) -> String {
        var lines: [String] = []
        var seen: Set<String> = []
        render(schema, indent: "", into: &lines, seen: &seen)
        return lines.joined(separator: "\n")
    }

    private static func render(_ schema: ObjectSchema, indent: String, into lines: inout [String], seen: inout Set<String>) {
        lines.append("\(indent)\(schema.name): \(schema.doc)")
        var nested: [ObjectSchema] = []
        for f in schema.fields {
            var detail = f.typeName
            if let u = f.unit { detail += ", unit \(u.symbol)" }
            detail += ", \(f.requirement)"
            if let r = f.ruleSummary { detail += ", \(r)" }
            lines.append("\(indent)  \(f.key)  [\(detail)]")
            lines.append("\(indent)      \(f.doc)")
            if let n = f.nestedSchema, seen.insert(n.name).inserted { nested.append(n) }
        }
        for n in nested {
            lines.append("")
            render(n, indent: indent, into: &lines, seen: &seen)
        }
    }
}
