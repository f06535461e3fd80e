import ArchitectureSpec

/// Workloads as JSON: either an array of layers or `{"name": ..., "layers": [...]}`, each layer
/// `{"name": "q_proj", "m": 256, "n": 4096, "k": 4096, "repeat": 32, "a_role": "activation",
/// "b_role": "weight"}` (`repeat` defaults to 1, roles to activation x weight). Unknown keys are
/// errors, reported with the JSON path and line.
public enum WorkloadFile {
    public static let maxBytes = 64 << 20

    public static func load(path: String) throws(Workload.Error) -> Workload {
        let text = try BoundedFile.text(path: path, limit: maxBytes, what: "workload file")
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(Workload.Error) -> Workload {
        let root: JSONNode
        do { root = try JSONParser.parse(text) } catch { throw Workload.Error("\(file):\(error.location): invalid JSON: \(error.message)") }
        var name = file.split(separator: "/").last.map(String.init) ?? file
        let layerNodes: [JSONNode]
        let layersPath: String
        switch root.value {
        case .array(let items):
            layerNodes = items
            layersPath = ""
        case .object(let members):
            for m in members where !["name", "layers"].contains(m.key) {
                throw Workload.Error("\(file):\(m.keyLocation): \(m.key): unknown key (a workload object has \"name\" and \"layers\")")
            }
            if let n = members.first(where: { $0.key == "name" }) {
                guard case .string(let s) = n.value.value, !s.isEmpty else {
                    throw Workload.Error("\(file):\(n.value.location): name: expected a non-empty string")
                }
                name = s
            }
            guard let l = members.first(where: { $0.key == "layers" }), case .array(let items) = l.value.value else {
                throw Workload.Error("\(file):\(root.location): expected \"layers\": an array of {\"name\", \"m\", \"n\", \"k\"} objects")
            }
            layerNodes = items
            layersPath = "layers"
        default:
            throw Workload.Error("\(file):\(root.location): expected an array of layers or an object with \"layers\"")
        }
        guard !layerNodes.isEmpty else { throw Workload.Error("\(file): \(layersPath.isEmpty ? "the array" : "layers") is empty") }
        var layers: [WorkloadLayer] = []
        for (i, node) in layerNodes.enumerated() {
            layers.append(try layer(node, path: "\(layersPath)[\(i)]", file: file))
        }
        return Workload(name: name, source: "workload file \(file)", layers: layers)
    }

    static let layerKeys = ["name", "m", "n", "k", "repeat", "a_role", "b_role"]

    static func layer(_ node: JSONNode, path: String, file: String) throws(Workload.Error) -> WorkloadLayer {
        guard case .object(let members) = node.value else {
            throw Workload.Error("\(file):\(node.location): \(path): expected an object {\"name\", \"m\", \"n\", \"k\"}, got \(node.typeName)")
        }
        var fields: [String: JSONNode] = [:]
        for m in members {
            guard layerKeys.contains(m.key) else {
                throw Workload.Error("\(file):\(m.keyLocation): \(path).\(m.key): unknown key (use \(layerKeys.joined(separator: ", ")))")
            }
            fields[m.key] = m.value
        }
        func integer(_ key: String, default value: Int?) throws(Workload.Error) -> Int {
            guard let n = fields[key] else {
                if let value { return value }
                throw Workload.Error("\(file):\(node.location): \(path): missing \"\(key)\"")
            }
            guard case .number(let text) = n.value, let v = Int(text), v >= 1 else {
                throw Workload.Error("\(file):\(n.location): \(path).\(key): expected a positive integer, got \(n.typeName)")
            }
            return v
        }
        func role(_ key: String, default value: OperandRole) throws(Workload.Error) -> OperandRole {
            guard let n = fields[key] else { return value }
            guard case .string(let s) = n.value, let r = OperandRole(rawValue: s) else {
                throw Workload.Error("\(file):\(n.location): \(path).\(key): expected one of \(OperandRole.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            return r
        }
        guard let nameNode = fields["name"], case .string(let name) = nameNode.value, !name.isEmpty else {
            throw Workload.Error("\(file):\(node.location): \(path).name: expected a non-empty string")
        }
        let m = try integer("m", default: nil), n = try integer("n", default: nil), k = try integer("k", default: nil)
        guard let shape = GEMMShape(parsing: "\(m)x\(n)x\(k)") else {
            throw Workload.Error("\(file):\(node.location): \(path): M, N, K must each be at most 2^40 and their product fit 64 bits")
        }
        let repeatCount = try integer("repeat", default: 1)
        guard repeatCount <= 1 << 40 else { throw Workload.Error("\(file):\(node.location): \(path).repeat: at most 2^40") }
        return WorkloadLayer(name: name, shape: shape, repeatCount: repeatCount, roleA: try role("a_role", default: .activation),
                             roleB: try role("b_role", default: .weight))
    }
}
