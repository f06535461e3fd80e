import EngineKit

/// The plain-text layout of every report table: titled sections of `key  value` rows with the
/// values aligned at column 32.
struct TableWriter {
    private(set) var lines: [String] = []

    mutating func title(_ text: String) { lines.append(text) }

    mutating func section(_ title: String) {
        lines.append("")
        lines.append(title)
    }

    mutating func row(_ key: String, _ value: String, indent: Int = 2) {
        let pad = String(repeating: " ", count: indent)
        lines.append(pad + key + String(repeating: " ", count: Swift.max(1, 32 - indent - key.count)) + value)
    }

    mutating func bullet(_ text: String) { lines.append("  - " + text) }

    /// An engine section's entries, nested objects indented under their key.
    mutating func entries(_ entries: [ReportEntry], indent: Int = 2) {
        for e in entries {
            if case .object(let inner) = e.value {
                row(e.label ?? e.key, "", indent: indent)
                lines[lines.count - 1] = String(lines[lines.count - 1].reversed().drop { $0 == " " }.reversed())
                self.entries(inner, indent: indent + 2)
            } else {
                row(e.label ?? e.key, Self.text(e.value), indent: indent)
            }
        }
    }

    static func text(_ v: ReportValue) -> String {
        switch v {
        case .number(let d): return ReportText.g(d, 6)
        case .list(let l): return l.map(text).joined(separator: ", ")
        default: return v.description
        }
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
