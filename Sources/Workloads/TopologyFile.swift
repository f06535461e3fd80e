import Foundation

/// SCALE-Sim topology files (real-data.md §3.1, cost-models.md §7): a CSV with one header row,
/// then one row per layer, every row ending in a comma.
/// - GEMM topologies: `Layer name, M, N, K,` (A is the M x K ifmap, B the K x N filter), with an
///   optional fifth field giving N:M sparsity; only dense `1:1` is accepted.
/// - Convolution topologies: `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter
///   Width, Channels, Num Filter, Strides,`, lowered to GEMMs as SCALE-Sim does (no padding):
///   M = OH x OW with OH = (IH - FH) / S + 1, K = FH x FW x C, N = filters.
public enum TopologyFile {
    /// Files larger than this are refused (a topology of 10^5 layers is about 4 MB).
    public static let maxBytes = 64 << 20

    public static func load(path: String) throws(Workload.Error) -> Workload {
        let text = try BoundedFile.text(path: path, limit: maxBytes, what: "topology file")
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(Workload.Error) -> Workload {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var layers: [WorkloadLayer] = []
        var headerSeen = false
        for (number, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let where_ = "\(file):\(number + 1)"
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.last == "" { fields.removeLast() } else {
                throw Workload.Error("\(where_): row does not end with a comma; SCALE-Sim drops the last field of every row, so write \"\(line),\"")
            }
            if !headerSeen {
                headerSeen = true
                guard Int(fields.count > 1 ? fields[1] : "") == nil else {
                    throw Workload.Error("\(where_): the first row must be the header (e.g. \"Layer,M,N,K,\"); SCALE-Sim skips it")
                }
                continue
            }
            guard !fields[0].isEmpty else { throw Workload.Error("\(where_): empty layer name") }
            let numbers = fields.dropFirst().map { Int($0) }
            switch fields.count {
            case 4, 5:
                if fields.count == 5, fields[4] != "1:1" {
                    throw Workload.Error("\(where_): sparsity \"\(fields[4])\" is not modelled; QuantSim runs dense GEMMs (use 1:1 or drop the field)")
                }
                guard let m = numbers[0], let n = numbers[1], let k = numbers[2] else {
                    throw Workload.Error("\(where_): M, N and K must be integers")
                }
                layers.append(WorkloadLayer(name: fields[0], shape: try shape(m, n, k, at: where_)))
            case 8:
                let values = numbers.compactMap { $0 }
                guard values.count == 7, values.allSatisfy({ $0 > 0 }) else {
                    throw Workload.Error("\(where_): convolution fields (IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides) must be positive integers")
                }
                let (ih, iw, fh, fw, c, filters, s) = (values[0], values[1], values[2], values[3], values[4], values[5], values[6])
                guard fh <= ih, fw <= iw else { throw Workload.Error("\(where_): the filter is larger than the input feature map") }
                let oh = (ih - fh) / s + 1, ow = (iw - fw) / s + 1
                let (m, o1) = oh.multipliedReportingOverflow(by: ow)
                let (k1, o2) = fh.multipliedReportingOverflow(by: fw)
                let (k, o3) = k1.multipliedReportingOverflow(by: c)
                guard !o1, !o2, !o3 else { throw Workload.Error("\(where_): the lowered GEMM is too large") }
                layers.append(WorkloadLayer(name: fields[0], shape: try shape(m, filters, k, at: where_)))
            default:
                throw Workload.Error("\(where_): expected 4 fields (Layer, M, N, K) or 8 (a convolution layer), got \(fields.count)")
            }
        }
        guard !layers.isEmpty else { throw Workload.Error("\(file): no layers (a header row, then one \"name,M,N,K,\" row per GEMM)") }
        return Workload(name: (file as NSString).lastPathComponent, source: "SCALE-Sim topology \(file)", layers: layers,
                        notes: ["SCALE-Sim topology: A is the M x K ifmap, B the K x N filter; each row runs once"])
    }

    static func shape(_ m: Int, _ n: Int, _ k: Int, at place: String) throws(Workload.Error) -> GEMMShape {
        guard let s = GEMMShape(parsing: "\(m)x\(n)x\(k)") else {
            throw Workload.Error("\(place): M, N, K = \(m), \(n), \(k): each must lie in 1...2^40 and M x N x K must fit 64 bits")
        }
        return s
    }
}
