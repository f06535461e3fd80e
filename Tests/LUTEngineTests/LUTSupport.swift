import ArchitectureSpec
import EngineKit
import Formats
import LUTEngine
import Reference
import Workloads

/// Builds LUT engines for test configurations and runs datapath and reference side by side.
enum LUTSupport {
    struct Configuration: Sendable, CustomStringConvertible {
        let table: LUTTableFormat
        let accumulator: LUTAccumulatorFormat
        let precompute: LUTPrecomputeFormat
        let order: LUTPrecomputeOrder
        let quirks: Bool
        let activation: String

        init(_ table: LUTTableFormat, _ accumulator: LUTAccumulatorFormat, _ activation: String, precompute: LUTPrecomputeFormat = .fp32,
             order: LUTPrecomputeOrder = .sequential, quirks: Bool = false) {
            (self.table, self.accumulator, self.activation, self.precompute, self.order, self.quirks) =
                (table, accumulator, activation, precompute, order, quirks)
        }

        var description: String {
            "\(activation) -> \(table.rawValue) tables (\(table.isInteger ? "integer" : "\(order.rawValue) \(precompute.rawValue)")) -> \(accumulator.rawValue)\(quirks ? " +quirks" : "")"
        }

        func unit(k: Int, maxBits: Int = 8) -> LUTUnitSpec {
            LUTUnitSpec(tileM: 2, tileN: 64, tileK: k, tableFormat: table, accumulatorFormat: accumulator, precomputeFormat: precompute,
                        precomputeOrder: order, maxWeightBits: maxBits, rtlQuirks: quirks)
        }
    }

    /// Every table format, accumulator, precompute and the RTL quirks.
    static let configurations: [Configuration] = [
        Configuration(.fp16, .fp16, "fp16"),
        Configuration(.fp16, .fp16, "fp16", quirks: true),
        Configuration(.fp16, .fp32, "bf16"),
        Configuration(.fp16, .fp16, "e4m3", precompute: .fp16),
        Configuration(.fp16, .fp32, "fp16", order: .correctlyRounded),
        Configuration(.e4m3, .fp32, "fp16"),
        Configuration(.e5m2, .fp16, "e5m2"),
        Configuration(.e4m3, .fp16, "bf16", order: .correctlyRounded),
        Configuration(.int8, .int32, "int8"),
        Configuration(.int16, .int32, "int8"),
    ]

    static func engine(_ unit: LUTUnitSpec) -> LUTTensorCoreEngine {
        let decoder = """
            {"schema_version": 1, "name": "test", "kind": "lut_tensor_core", "sources": ["test"],
             "unit": {"tile_m": \(unit.tileM), "tile_n": \(unit.tileN), "tile_k": \(unit.tileK), "table_format": "\(unit.tableFormat.rawValue)",
                      "accumulator_format": "\(unit.accumulatorFormat.rawValue)", "precompute_format": "\(unit.precomputeFormat.rawValue)",
                      "precompute_order": "\(unit.precomputeOrder.rawValue)", "max_weight_bits": \(unit.maxWeightBits), "rtl_quirks": \(unit.rtlQuirks)},
             "array": {"units": 1, "clock_mhz": 1000, "process_node_nm": 28},
             "precompute": {"adds_per_cycle": 32},
             "memory": {"sram_kib": 512, "sram_bandwidth_bytes_per_cycle": 256, "dram_technology": "ddr4", "dram_bandwidth_gb_s": 25.6}}
            """
        guard case .lutTensorCore(let spec) = try! ArchitectureLoader.decode(decoder, file: "test").body else { fatalError() }
        return LUTTensorCoreEngine(name: "test", spec: spec)
    }

    /// Rows of A (activation values, rounded directly into the activation format) against
    /// columns of B given as unsigned weight codes q (uintW), one weight group of K: the raw
    /// accumulators of the datapath and of the MPFR reference, rendered alike.
    static func compare(_ c: Configuration, tileK: Int, bits: Int, activations: [[Double]], weights: [[Int]]) throws
        -> (checked: Int, mismatches: [String], datapath: [String]) {
        let unit = c.unit(k: tileK, maxBits: Swift.max(bits, 1))
        let engine = engine(unit)
        let k = activations[0].count
        let plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: activations.count, n: weights.count, k: k), aFormat: c.activation,
                                               bFormat: "uint\(bits)", quantization: .perChannel))
        let aFormat = FormatCatalog.parse(c.activation)!
        let direct = OperandPlan(format: aFormat, element: aFormat.elementFormat!, scheme: nil, groupSize: nil, needsTensorAmax: false,
                                 description: "direct")
        let a = QuantizedOperand.prepare(plan: direct, lines: activations.count, k: k, tensorAmax: 0, seed: 1) { activations[$0] }
        let wFormat = FormatCatalog.parse("uint\(bits)")!
        let codes = OperandPlan(format: wFormat, element: wFormat.elementFormat!, scheme: nil, groupSize: nil, needsTensorAmax: false,
                                description: "codes")
        let b = QuantizedOperand.prepare(plan: codes, lines: weights.count, k: k, tensorAmax: 0, seed: 1) { weights[$0].map(Double.init) }
        let out = engine.execute(plan, a: a, b: b, threads: 2)
        let reference = ReferenceLUT(unit: unit, activation: plan.activation, weightBits: bits)
        var mismatches: [String] = [], rendered: [String] = []
        for i in 0..<activations.count {
            for j in 0..<weights.count {
                let raw = out.raw[i * weights.count + j]
                let subject: String
                if case .integer = out.rawFormat { subject = String(Int32(bitPattern: UInt32(truncatingIfNeeded: raw))) } else {
                    subject = out.rawFormat.decode(raw).description
                }
                rendered.append(subject)
                let expected = reference.groupAccumulator(activations: Array(a.codes(line: i, in: 0..<k)), planeCodes: weights[j].map { UInt8($0) })
                if expected != subject, mismatches.count < 5 {
                    mismatches.append("\(c) K=\(tileK) W=\(bits): a \(activations[i]) q \(weights[j]): datapath \(subject) reference \(expected)")
                }
            }
        }
        return (activations.count * weights.count, mismatches, rendered)
    }

    /// Every weight pattern of `count` weights of `bits` bits (the last index fastest).
    static func allPatterns(count: Int, bits: Int) -> [[Int]] {
        let total = 1 << (bits * count)
        return (0..<total).map { p -> [Int] in (0..<count).map { t -> Int in (p >> (bits * (count - 1 - t))) & ((1 << bits) - 1) } }
    }
}
