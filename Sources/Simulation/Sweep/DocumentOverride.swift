import Foundation

/// Sets fields of an architecture document by JSON path (`unit.tile_m`,
/// `mma_instructions[0].input_formats`, `array.pe_rows`) before validation.
enum DocumentOverride {
    enum Step { case key(String), index(Int) }

    static func steps(_ path: String) -> [Step]? {
        var out: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var p = Substring(part)
            guard let open = p.firstIndex(of: "[") else {
                guard !p.isEmpty else { return nil }
                out.append(.key(String(p)))
                continue
            }
            let key = p[..<open]
            if !key.isEmpty { out.append(.key(String(key))) }
            p = p[open...]
            while p.hasPrefix("[") {
                guard let close = p.firstIndex(of: "]"), let i = Int(p[p.index(after: p.startIndex)..<close]), i >= 0 else { return nil }
                out.append(.index(i))
                p = p[p.index(after: close)...]
            }
            guard p.isEmpty else { return nil }
        }
        return out.isEmpty ? nil : out
    }

    /// The document text with `values` set; errors name the path.
    static func apply(_ text: String, _ values: [String: SweepValue], file: String) throws(SweepSpec.Error) -> String {
        guard !values.isEmpty else { return text }
        guard var root = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw SweepSpec.Error("\(file): not a JSON document")
        }
        for path in values.keys.sorted() {
            guard let steps = steps(path) else { throw SweepSpec.Error("\(file): set \(path): not a JSON path (fix: keys separated by '.', indexes as [i])") }
            func set(_ node: Any, _ rest: ArraySlice<Step>) throws(SweepSpec.Error) -> Any {
                guard let step = rest.first else { return values[path]!.foundation }
                switch step {
                case .key(let k):
                    guard var map = node as? [String: Any] else { throw SweepSpec.Error("\(file): set \(path): \(k) is not inside an object") }
                    if rest.count > 1 && map[k] == nil { throw SweepSpec.Error("\(file): set \(path): \(k) does not exist in the document") }
                    map[k] = try set(map[k] ?? NSNull(), rest.dropFirst())
                    return map
                case .index(let i):
                    guard var list = node as? [Any], i < list.count else { throw SweepSpec.Error("\(file): set \(path): index [\(i)] is out of range") }
                    list[i] = try set(list[i], rest.dropFirst())
                    return list
                }
            }
            root = try set(root, steps[...]) as! [String: Any]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted]) else {
            throw SweepSpec.Error("\(file): the overridden document cannot be written")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
