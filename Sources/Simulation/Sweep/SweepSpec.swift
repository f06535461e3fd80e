import Foundation
import Workloads
import Yams

/// A design-space sweep (docs/sweeps.md): base architecture documents, axes, and how points are
/// drawn from their product. Read from YAML or JSON; every error names the spec file and the key.
public struct SweepSpec: Sendable {
    /// One workload a point runs: a GEMM shape, a built-in model phase, a layer file, with
    /// optional operand data (a distribution or a matrix file).
    public struct Workload: Sendable, Hashable, Codable {
        public var gemm: String?
        public var model: String?
        public var phase: String?
        public var batch: Int?
        public var layers: String?
        public var data: String?
        public var bData: String?
        public var name: String?

        enum CodingKeys: String, CodingKey { case gemm, model, phase, batch, layers, data, bData = "b_data", name }
    }

    public enum Sampling: Sendable {
        case product
        case random(count: Int, seed: UInt64)
    }

    public var name: String
    public var file: String
    public var architectures: [String]
    public var formats: [[String]]
    public var quantize: [String?]
    public var kvFormats: [String?]
    /// Document overrides: JSON path -> values (each a JSON scalar, list or object).
    public var overrides: [(path: String, values: [SweepValue])]
    public var workloads: [Workload]
    public var sampling: Sampling
    /// Explicit points (instead of the product): each a dictionary of axis values.
    public var points: [[String: SweepValue]]?
    public var numerics: String
    public var seed: UInt64
    public var recheck: Int
    public var energyAnchor: String?

    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// Largest sweep spec read (a device or a stray binary is refused, not read to exhaustion).
    public static let maxSpecBytes = 16 << 20

    public static func load(path: String) throws(Error) -> SweepSpec {
        let bytes: [UInt8]
        do { bytes = try BoundedFile.bytes(path: path, limit: maxSpecBytes, what: "sweep spec") } catch { throw Error(error.description) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Error("\(path): the sweep spec is not UTF-8 text") }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(Error) -> SweepSpec {
        let object: Any?
        do { object = try Yams.load(yaml: text) } catch { throw Error("\(file): not valid YAML or JSON: \(error)") }
        guard let root = object as? [String: Any] else { throw Error("\(file): the spec must be a mapping (name, architectures, axes, ...)") }
        let known: Set<String> = ["name", "architectures", "axes", "sample", "points", "run"]
        for key in root.keys where !known.contains(key) {
            throw Error("\(file): unknown key \"\(key)\" (fix: use \(known.sorted().joined(separator: ", ")))")
        }
        func strings(_ v: Any?, _ path: String) throws(Error) -> [String] {
            guard let list = v as? [Any], !list.isEmpty else { throw Error("\(file): \(path) must be a non-empty list") }
            var out: [String] = []
            for (i, item) in list.enumerated() {
                guard let s = item as? String else { throw Error("\(file): \(path)[\(i)] must be a string") }
                out.append(s)
            }
            return out
        }
        guard let name = root["name"] as? String, !name.isEmpty else { throw Error("\(file): name is missing (fix: add name: a-short-id)") }
        let directory = (file as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || directory.isEmpty ? p : directory + "/" + p }
        var spec = SweepSpec(name: name, file: file, architectures: try strings(root["architectures"], "architectures").map(resolve),
                             formats: [], quantize: [nil], kvFormats: [nil], overrides: [], workloads: [], sampling: .product, points: nil,
                             numerics: "auto", seed: 1, recheck: 32, energyAnchor: nil)
        guard let axes = root["axes"] as? [String: Any] else { throw Error("\(file): axes is missing (fix: axes: {formats: [[fp16, fp16]], workloads: [{gemm: 128x128x128}]})") }
        let knownAxes: Set<String> = ["formats", "quantize", "kv_format", "set", "workloads"]
        for key in axes.keys where !knownAxes.contains(key) {
            throw Error("\(file): axes.\(key) is not an axis (fix: use \(knownAxes.sorted().joined(separator: ", ")))")
        }
        guard let formats = axes["formats"] as? [Any], !formats.isEmpty else { throw Error("\(file): axes.formats must list [A, B] format pairs") }
        for (i, f) in formats.enumerated() {
            if let pair = f as? [Any], pair.count == 2, let a = pair[0] as? String, let b = pair[1] as? String { spec.formats.append([a, b]) } else if let s = f as? String {
                spec.formats.append([s, s])
            } else { throw Error("\(file): axes.formats[\(i)] must be a format or an [A, B] pair") }
        }
        if let q = axes["quantize"] { spec.quantize = try strings(q, "axes.quantize").map { $0 == "default" ? nil : $0 } }
        if let kv = axes["kv_format"] { spec.kvFormats = try strings(kv, "axes.kv_format").map { $0 == "default" ? nil : $0 } }
        if let set = axes["set"] {
            guard let map = set as? [String: Any] else { throw Error("\(file): axes.set must map JSON paths to lists of values") }
            for path in map.keys.sorted() {
                guard let values = map[path] as? [Any], !values.isEmpty else { throw Error("\(file): axes.set.\(path) must be a non-empty list") }
                spec.overrides.append((path, try values.enumerated().map { (i, v) throws(Error) in
                    guard let value = SweepValue(v) else { throw Error("\(file): axes.set.\(path)[\(i)]: unsupported value") }
                    return value
                }))
            }
        }
        guard let workloads = axes["workloads"] as? [Any], !workloads.isEmpty else {
            throw Error("\(file): axes.workloads must list workloads ({gemm: MxNxK}, {model: NAME, phase: P}, {layers: FILE})")
        }
        for (i, w) in workloads.enumerated() {
            guard let map = w as? [String: Any] else { throw Error("\(file): axes.workloads[\(i)] must be a mapping") }
            let allowed: Set<String> = ["gemm", "model", "phase", "batch", "layers", "data", "b_data", "name"]
            for key in map.keys where !allowed.contains(key) { throw Error("\(file): axes.workloads[\(i)].\(key) is not a workload key (fix: \(allowed.sorted().joined(separator: ", ")))") }
            var wl = Workload(gemm: map["gemm"] as? String, model: map["model"] as? String, phase: map["phase"] as? String, batch: map["batch"] as? Int,
                              layers: (map["layers"] as? String).map(resolve), data: map["data"] as? String, bData: map["b_data"] as? String,
                              name: map["name"] as? String)
            for (key, value) in [("data", wl.data), ("b_data", wl.bData)] where value != nil && (value!.hasSuffix(".npy") || value!.contains(".safetensors")) {
                if key == "data" { wl.data = resolve(value!) } else { wl.bData = resolve(value!) }
            }
            let kinds = [wl.gemm != nil, wl.model != nil, wl.layers != nil].filter { $0 }.count
            guard kinds == 1 else { throw Error("\(file): axes.workloads[\(i)] needs exactly one of gemm, model (with phase), layers") }
            if wl.model != nil && wl.phase == nil { throw Error("\(file): axes.workloads[\(i)]: model needs phase (prefill:T or decode:ctx=C)") }
            spec.workloads.append(wl)
        }
        if let sample = root["sample"] {
            if let s = sample as? String, s == "product" { spec.sampling = .product } else if let map = sample as? [String: Any], let random = map["random"] as? [String: Any],
                let count = random["count"] as? Int, count > 0 {
                spec.sampling = .random(count: count, seed: UInt64(random["seed"] as? Int ?? 1))
            } else { throw Error("\(file): sample must be product or {random: {count: N, seed: S}}") }
        }
        if let points = root["points"] {
            guard let list = points as? [Any], !list.isEmpty else { throw Error("\(file): points must be a non-empty list of mappings") }
            var out: [[String: SweepValue]] = []
            for (i, p) in list.enumerated() {
                guard let map = p as? [String: Any], let value = SweepValue(map), case .object(let o) = value else {
                    throw Error("\(file): points[\(i)] must be a mapping of axis values")
                }
                let allowed: Set<String> = ["architecture", "formats", "quantize", "kv_format", "set", "workload"]
                for key in o.keys where !allowed.contains(key) { throw Error("\(file): points[\(i)].\(key) is not an axis (fix: \(allowed.sorted().joined(separator: ", ")))") }
                out.append(o)
            }
            spec.points = out
        }
        if let run = root["run"] {
            guard let map = run as? [String: Any] else { throw Error("\(file): run must be a mapping") }
            let allowed: Set<String> = ["numerics", "seed", "recheck", "energy_anchor"]
            for key in map.keys where !allowed.contains(key) { throw Error("\(file): run.\(key) is not a run setting (fix: \(allowed.sorted().joined(separator: ", ")))") }
            switch map["numerics"] {
            case nil: break
            case let n as String: spec.numerics = n
            // YAML 1.1 (Yams) reads a bare `off` as the boolean false.
            case let b as Bool where !b: spec.numerics = "off"
            case let other?: throw Error("\(file): run.numerics is \(other) (fix: auto, full, sampled or off)")
            }
            switch map["seed"] {
            case nil: break
            case let s as Int where s >= 0: spec.seed = UInt64(s)
            case let other?: throw Error("\(file): run.seed is \(other) (fix: a non-negative integer)")
            }
            switch map["recheck"] {
            case nil: break
            case let r as Int where r >= 0: spec.recheck = r
            case let other?: throw Error("\(file): run.recheck is \(other) (fix: a non-negative integer)")
            }
            switch map["energy_anchor"] {
            case nil: break
            case let a as String: spec.energyAnchor = a
            case let other?: throw Error("\(file): run.energy_anchor is \(other) (fix: a string)")
            }
        }
        return spec
    }
}

/// A JSON value in a sweep (document overrides, point records).
public enum SweepValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int), number(Double), string(String), bool(Bool), list([SweepValue]), object([String: SweepValue])

    init?(_ any: Any) {
        switch any {
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .int(i)
        case let d as Double: self = .number(d)
        case let s as String: self = .string(s)
        case let l as [Any]:
            var out: [SweepValue] = []
            for x in l { guard let v = SweepValue(x) else { return nil }; out.append(v) }
            self = .list(out)
        case let m as [String: Any]:
            var out: [String: SweepValue] = [:]
            for (k, x) in m { guard let v = SweepValue(x) else { return nil }; out[k] = v }
            self = .object(out)
        default: return nil
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let i = try? c.decode(Int.self) { self = .int(i) } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) { self = .string(s) } else if let l = try? c.decode([SweepValue].self) { self = .list(l) } else {
            self = .object(try c.decode([String: SweepValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .list(let l): try c.encode(l)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value as a Foundation object for JSONSerialization.
    var foundation: Any {
        switch self {
        case .int(let i): return i
        case .number(let d): return d
        case .string(let s): return s
        case .bool(let b): return b
        case .list(let l): return l.map(\.foundation)
        case .object(let o): return o.mapValues(\.foundation)
        }
    }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return s
        case .bool(let b): return String(b)
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}
