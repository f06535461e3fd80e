/// A type that can be read from a JSON node with diagnostics (strict: no silent coercions).
public protocol SpecValue: Sendable {
    /// How `describe` names the type (`integer`, `number`, `string`, `array of ...`).
    static var specTypeName: String { get }
    /// Decodes `node`, reporting every problem to `sink`; `nil` when anything was wrong.
    static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> Self?
}

extension Int: SpecValue {
    public static var specTypeName: String { "integer" }
    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> Int? {
        guard case .number(let text) = node.value else {
            sink.report(path, node.location, "expected an integer, got \(node.typeName)", fix: "write a whole number such as 16")
            return nil
        }
        guard let v = Int(text) else {
            let whole = text.drop { $0 == "-" }.allSatisfy(\.isNumber)
            sink.report(path, node.location, whole ? "\(text.prefix(40))\(text.count > 40 ? "..." : "") is beyond the 64-bit integer range"
                                                   : "expected an integer, got \(text.prefix(40))",
                        fix: whole ? "use a value within the field's range (`simulate describe` lists it)"
                                   : "write a whole number without a fraction or exponent")
            return nil
        }
        return v
    }
}

extension Double: SpecValue {
    public static var specTypeName: String { "number" }
    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> Double? {
        guard case .number(let text) = node.value, let v = Double(text) else {
            sink.report(path, node.location, "expected a number, got \(node.typeName)", fix: "write a JSON number such as 1.5")
            return nil
        }
        guard v.isFinite else {
            sink.report(path, node.location, "\(text) is beyond the binary64 range", fix: "write a number below 1.8e308 in magnitude")
            return nil
        }
        return v
    }
}

extension String: SpecValue {
    public static var specTypeName: String { "string" }
    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> String? {
        guard case .string(let s) = node.value else {
            sink.report(path, node.location, "expected a string, got \(node.typeName)", fix: "quote the value")
            return nil
        }
        return s
    }
}

extension Bool: SpecValue {
    public static var specTypeName: String { "boolean" }
    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> Bool? {
        guard case .bool(let b) = node.value else {
            sink.report(path, node.location, "expected true or false, got \(node.typeName)")
            return nil
        }
        return b
    }
}

extension Array: SpecValue where Element: SpecValue {
    public static var specTypeName: String { "array of \(Element.specTypeName)" }
    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> [Element]? {
        guard case .array(let elements) = node.value else {
            sink.report(path, node.location, "expected an array, got \(node.typeName)", fix: "wrap the value in [ ]")
            return nil
        }
        var result: [Element] = []
        var failed = false
        for (i, element) in elements.enumerated() {
            if let v = Element.decode(element, path: path.appending(index: i), sink: sink) {
                result.append(v)
            } else {
                failed = true
            }
        }
        return failed ? nil : result
    }
}

/// A closed set of names, decoded from a JSON string with a "did you mean" suggestion.
public protocol SpecEnum: SpecValue, CaseIterable, RawRepresentable where RawValue == String {}

extension SpecEnum {
    public static var specTypeName: String {
        "one of " + allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    }

    public static func decode(_ node: JSONNode, path: SpecPath, sink: DiagnosticSink) -> Self? {
        guard case .string(let s) = node.value else {
            sink.report(path, node.location, "expected a string, got \(node.typeName)", fix: "use \(specTypeName)")
            return nil
        }
        if let v = Self(rawValue: s) { return v }
        let names = allCases.map(\.rawValue)
        let hint = EditDistance.suggestion(for: s, among: names).map { "did you mean \"\($0)\"?" }
            ?? "use \(specTypeName)"
        sink.report(path, node.location, "unknown value \"\(s)\"", fix: hint)
        return nil
    }
}
