/// A value in an engine's own report section: JSON-shaped, so the report stays one schema
/// while each engine lists what matters for it (DESIGN.md "Reports are versioned").
public indirect enum ReportValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case number(Double)
    case text(String)
    case flag(Bool)
    case list([ReportValue])
    case object([ReportEntry])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .flag(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .text(s); return }
        if let l = try? c.decode([ReportValue].self) { self = .list(l); return }
        let o = try c.decode([String: ReportValue].self)
        self = .object(o.sorted { $0.key < $1.key }.map { ReportEntry($0.key, $0.value) })
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        case .flag(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .object(let entries): try c.encode([String: ReportValue](entries.map { ($0.key, $0.value) }) { a, _ in a })
        }
    }

    /// Plain text (numbers as Swift prints them; reports format numbers themselves).
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .number(let d): return d.isFinite ? "\(d)" : (d.isNaN ? "nan" : (d > 0 ? "inf" : "-inf"))
        case .text(let s): return s
        case .flag(let b): return b ? "true" : "false"
        case .list(let l): return l.map(\.description).joined(separator: ", ")
        case .object(let entries): return entries.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }
}

/// One keyed entry of a report section; `label` is the table's wording for the key.
public struct ReportEntry: Sendable, Hashable, Codable {
    public let key: String
    public let value: ReportValue
    /// Table label (nil: the key). Not serialised: JSON and CSV use the key.
    public let label: String?

    public init(_ key: String, _ value: ReportValue, label: String? = nil) {
        self.key = key
        self.value = value
        self.label = label
    }

    enum CodingKeys: String, CodingKey { case key, value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        value = try c.decode(ReportValue.self, forKey: .value)
        label = nil
    }
}

/// An engine's own section of the run report (`tensor_core`, `lut_tensor_core`, ...): the
/// entries in the engine's order. The key names are public API, documented per engine.
public struct ReportSection: Sendable, Hashable {
    /// JSON key of the section (the engine family).
    public let name: String
    /// Table heading.
    public let title: String
    public let entries: [ReportEntry]

    public init(name: String, title: String, entries: [ReportEntry]) {
        self.name = name
        self.title = title
        self.entries = entries
    }

    public subscript(_ key: String) -> ReportValue? { entries.first { $0.key == key }?.value }
}
