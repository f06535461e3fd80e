import Foundation

/// A SCALE-Sim v2/v3 configuration file (INI; real-data.md §3.1): the `[architecture_presets]`
/// section's array, SRAM sizes, dataflow and bandwidth. The `[general]` run name names the
/// design; `[sparsity]` must be off; the other sections (layout, Ramulator, run presets) do not
/// change compute cycles and are accepted as they are.
public struct ScaleSimConfig: Sendable, Equatable {
    public var runName: String
    public var arrayHeight: Int
    public var arrayWidth: Int
    public var ifmapSRAMKiB: Int
    public var filterSRAMKiB: Int
    public var ofmapSRAMKiB: Int
    public var dataflow: String
    /// Words per cycle between DRAM and the SRAMs (SCALE-Sim's `Bandwidth`).
    public var bandwidthWordsPerCycle: Double

    public static let maxBytes = 1 << 20

    public static func load(path: String) throws(Workload.Error) -> ScaleSimConfig {
        try parse(try BoundedFile.text(path: path, limit: maxBytes, what: "SCALE-Sim config"), file: path)
    }

    public static func parse(_ text: String, file: String) throws(Workload.Error) -> ScaleSimConfig {
        var section = ""
        var values: [String: (value: String, line: Int)] = [:]
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw Workload.Error("\(file):\(number + 1): a section header must end with ']'") }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces).lowercased()
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else {
                throw Workload.Error("\(file):\(number + 1): expected \"Key : value\" (or \"Key = value\"), got \"\(line)\"")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            values["\(section).\(key)"] = (value, number + 1)
        }
        func required(_ key: String) throws(Workload.Error) -> (String, Int) {
            guard let v = values["architecture_presets.\(key.lowercased())"] else {
                throw Workload.Error("\(file): [architecture_presets] \(key) is missing (SCALE-Sim requires it)")
            }
            return v
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(Workload.Error) -> Int {
            let (text, line) = try required(key)
            guard let v = Int(text), range.contains(v) else {
                throw Workload.Error("\(file):\(line): [architecture_presets] \(key) = \"\(text)\" must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        }
        let (dataflow, dataflowLine) = try required("Dataflow")
        guard ["os", "ws", "is"].contains(dataflow.lowercased()) else {
            throw Workload.Error("\(file):\(dataflowLine): [architecture_presets] Dataflow = \"\(dataflow)\": use os, ws or is")
        }
        let (bandwidth, bandwidthLine) = try required("Bandwidth")
        guard let words = Double(bandwidth), words > 0, words.isFinite else {
            throw Workload.Error("\(file):\(bandwidthLine): [architecture_presets] Bandwidth = \"\(bandwidth)\" must be a positive number (words per cycle)")
        }
        if let sparse = values["sparsity.sparsitysupport"], sparse.value.lowercased() == "true" {
            throw Workload.Error("\(file):\(sparse.line): [sparsity] SparsitySupport = true is not modelled; QuantSim runs dense GEMMs (set it to false)")
        }
        let name = values["general.run_name"]?.value ?? (file as NSString).deletingPathExtension.components(separatedBy: "/").last ?? "scalesim"
        return ScaleSimConfig(runName: name.isEmpty ? "scalesim" : name,
                              arrayHeight: try integer("ArrayHeight", 1...4096), arrayWidth: try integer("ArrayWidth", 1...4096),
                              ifmapSRAMKiB: try integer("IfmapSramSzkB", 1...(1 << 24)), filterSRAMKiB: try integer("FilterSramSzkB", 1...(1 << 24)),
                              ofmapSRAMKiB: try integer("OfmapSramSzkB", 1...(1 << 24)), dataflow: dataflow.lowercased(), bandwidthWordsPerCycle: words)
    }

    /// The equivalent `pe_array` document (INT8 MAC PEs with an INT32 accumulator, one-byte
    /// words) at `clockMHz`: the ifmap SRAM is the activation buffer, the filter SRAM the
    /// weight buffer, DRAM bandwidth = Bandwidth words x clock.
    public func document(clockMHz: Double = 1000) -> String {
        let escaped = runName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"schema_version": 1, "name": "\(escaped) (SCALE-Sim config)", "kind": "pe_array",
             "description": "Built from a SCALE-Sim configuration: \(arrayHeight) x \(arrayWidth) INT8 MAC array, \(dataflow) dataflow.",
             "sources": ["SCALE-Sim configuration file (architecture_presets)", "Assumed: INT8 operands, one byte per SCALE-Sim word, \(clockMHz) MHz"],
             "pe": {"type": "int_mac", "accumulator_format": "int32"},
             "array": {"pe_rows": \(arrayHeight), "pe_columns": \(arrayWidth), "dataflow": "\(dataflow)", "row_operand": "m", "clock_mhz": \(clockMHz)},
             "memory": {"weight_buffer_kib": \(filterSRAMKiB), "activation_buffer_kib": \(ifmapSRAMKiB), "banks": 1,
                        "dram_technology": "ddr4", "dram_bandwidth_gb_s": \(bandwidthWordsPerCycle * clockMHz / 1000)}}
            """
    }
}
