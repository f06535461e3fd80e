/// A check on a decoded field value: a summary for `describe` and a test that returns the
/// problem (message and fix) or `nil`.
public struct SpecRule<Value>: Sendable {
    public let summary: String
    public let problem: @Sendable (Value) -> (message: String, fix: String)?

    public init(_ summary: String, _ problem: @escaping @Sendable (Value) -> (message: String, fix: String)?) {
        self.summary = summary
        self.problem = problem
    }
}

extension SpecRule where Value: Comparable & Sendable {
    public static func atLeast(_ low: Value) -> SpecRule {
        SpecRule(">= \(low)") { v in v < low ? ("must be at least \(low), got \(v)", "use a value >= \(low)") : nil }
    }
    public static func inRange(_ range: ClosedRange<Value>) -> SpecRule {
        SpecRule("\(range.lowerBound)...\(range.upperBound)") { v in
            range.contains(v) ? nil : ("must lie in \(range.lowerBound)...\(range.upperBound), got \(v)",
                                       "use a value between \(range.lowerBound) and \(range.upperBound)")
        }
    }
}

extension SpecRule where Value == Double {
    public static let positive = SpecRule("> 0") { v in v > 0 ? nil : ("must be positive, got \(v)", "use a value > 0") }
}

extension SpecRule where Value == Int {
    public static let positive = SpecRule("> 0") { v in v > 0 ? nil : ("must be positive, got \(v)", "use a value > 0") }
}

/// One documented field of an object in an architecture document. The same value drives the
/// decoder (type, presence, rule) and `describe` (name, type, unit, default, description), so
/// the two cannot drift.
public struct Field<Value: SpecValue>: Sendable {
    public let key: String
    public let unit: SpecUnit?
    public let doc: String
    public let defaultValue: Value?
    public let isRequired: Bool
    public let rule: SpecRule<Value>?

    /// A field that must be present.
    public static func required(_ key: String, unit: SpecUnit? = nil, _ doc: String,
                                rule: SpecRule<Value>? = nil) -> Field {
        Field(key: key, unit: unit, doc: doc, defaultValue: nil, isRequired: true, rule: rule)
    }

    /// A field that takes `defaultValue` when absent.
    public static func defaulted(_ key: String, unit: SpecUnit? = nil, _ defaultValue: Value, _ doc: String,
                                 rule: SpecRule<Value>? = nil) -> Field {
        Field(key: key, unit: unit, doc: doc, defaultValue: defaultValue, isRequired: false, rule: rule)
    }

    /// A field that may be absent (read with `ObjectReader.optional`).
    public static func optional(_ key: String, unit: SpecUnit? = nil, _ doc: String,
                                rule: SpecRule<Value>? = nil) -> Field {
        Field(key: key, unit: unit, doc: doc, defaultValue: nil, isRequired: false, rule: rule)
    }

    private init(key: String, unit: SpecUnit?, doc: String, defaultValue: Value?, isRequired: Bool,
                 rule: SpecRule<Value>?) {
        if let unit {
            precondition(key.hasSuffix("_" + unit.rawValue), "field \(key) must end in _\(unit.rawValue)")
        }
        self.key = key
        self.unit = unit
        self.doc = doc
        self.defaultValue = defaultValue
        self.isRequired = isRequired
        self.rule = rule
    }

    /// Decodes and checks the field's node (or its absence), reporting problems.
    func check(_ node: JSONNode?, objectPath: SpecPath, objectLocation: SourceLocation, sink: DiagnosticSink) {
        let path = objectPath.appending(key)
        guard let node else {
            if isRequired {
                sink.report(path, objectLocation, "missing required field \"\(key)\" (\(Value.specTypeName))",
                            fix: "add \"\(key)\": ... to this object")
            }
            return
        }
        guard let value = Value.decode(node, path: path, sink: sink) else { return }
        if let rule, let problem = rule.problem(value) {
            sink.report(path, node.location, problem.message, fix: problem.fix)
        }
    }

    /// The type-erased description used by schemas and `describe`.
    public var erased: AnyField {
        let f = self
        return AnyField(
            key: key, typeName: Value.specTypeName, unit: unit, doc: doc,
            requirement: isRequired ? "required" : (defaultValue.map { "default \(Self.render($0))" } ?? "optional"),
            ruleSummary: rule?.summary,
            nestedSchema: (Value.self as? any SpecObject.Type)?.schema
                ?? ((Value.self as? any SpecArrayOfObjects.Type)?.elementSchema),
            check: { node, path, location, sink in f.check(node, objectPath: path, objectLocation: location, sink: sink) })
    }

    private static func render(_ v: Value) -> String {
        if let s = v as? String { return "\"\(s)\"" }
        if let e = v as? any RawRepresentable { return "\"\(e.rawValue)\"" }
        return "\(v)"
    }
}

/// A type-erased field: what schemas list and `describe` prints.
public struct AnyField: Sendable {
    public let key: String
    public let typeName: String
    public let unit: SpecUnit?
    public let doc: String
    /// "required", "optional" or "default X".
    public let requirement: String
    public let ruleSummary: String?
    public let nestedSchema: ObjectSchema?
    let check: @Sendable (JSONNode?, SpecPath, SourceLocation, DiagnosticSink) -> Void
}

/// Lets `describe` descend into arrays of objects.
public protocol SpecArrayOfObjects { static var elementSchema: ObjectSchema { get } }
extension Array: SpecArrayOfObjects where Element: SpecObject {
    public static var elementSchema: ObjectSchema { Element.schema }
}
