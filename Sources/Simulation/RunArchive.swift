import EngineKit
import Formats
import Workloads

/// `--save DIR`: what a run simulated, as .npy files and an `index.json` that says what each
/// file holds, so a run can be inspected in numpy and re-checked by an independent tool.
public enum RunArchive {
    struct OperandEntry: Codable {
        let format: String
        let element_format: String
        let quantization: String
        /// Rows of A, or columns of B (B transposed): one line per simulated row or column.
        let layout: String
        let lines: Int
        let k: Int
        /// Element codes as the datapath receives them (uint64), lines x K.
        let codes: String
        /// Codes are stored shifted left by this many bits (TF32 in FP32 containers: 13).
        let container_shift: Int
        /// Exact dequantised values (every scale applied), lines x K, float64.
        let values: String
        /// Whether every dequantised value is exactly representable in float64 (else rounded to nearest).
        let values_exact: Bool
        /// The unquantised inputs, lines x K, float64.
        let originals: String
        /// Scales applied outside the datapath, lines x groups, float64 (1 when unscaled).
        let scales: String
        let groups: Int
        let zero_points: String?
        /// Block-scale codes (MX/NVFP4), lines x blocks, uint64.
        let block_scale_codes: String?
        let tensor_scale: Double
    }

    struct OutputEntry: Codable {
        /// Raw datapath outputs, groups x rows x columns, uint64 codes in `raw_format`.
        let raw: String
        let raw_format: String
        let groups: Int
        let group_size: Int
        /// Final values after the engine's epilogue, rows x columns, float64.
        let values: String
    }

    struct Index: Codable {
        let schema_version: Int
        let what: String
        let m: Int
        let n: Int
        let k: Int
        /// Indices of the simulated rows of A and columns of B (int64).
        let rows: String
        let columns: String
        let a: OperandEntry
        let b: OperandEntry
        let output: OutputEntry
        let report: String
        let events: [String: Int]
    }

    /// The files of one run, as (relative path, bytes); `reportJSON` is the run's JSON report.
    public static func files(_ x: RunArtifacts, shape: GEMMShape, aFormat: String, bFormat: String, reportJSON: String,
                             prefix: String = "") -> [(path: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        func operand(_ name: String, _ q: QuantizedOperand, _ plan: OperandPlan, format: String, layout: String) -> OperandEntry {
            let values = q.dequantized.map(\.approximateDouble)
            let exact = zip(q.dequantized, values).allSatisfy { ExactValue($0.1) == $0.0 || ($0.0.isNaN && $0.1.isNaN) }
            files.append((prefix + "\(name)_codes.npy", NPYWriter.uint64(shape: [q.lines, q.k], q.codes)))
            files.append((prefix + "\(name)_values.npy", NPYWriter.float64(shape: [q.lines, q.k], values)))
            files.append((prefix + "\(name)_originals.npy", NPYWriter.float64(shape: [q.lines, q.k], q.originals)))
            let groups = q.lines > 0 ? q.scales.count / q.lines : 0
            files.append((prefix + "\(name)_scales.npy", NPYWriter.float64(shape: [q.lines, groups], q.scales)))
            var zeroPoints: String?
            if !q.zeroPoints.isEmpty {
                zeroPoints = prefix + "\(name)_zero_points.npy"
                files.append((zeroPoints!, NPYWriter.int64(shape: [q.lines, q.zeroPoints.count / q.lines], q.zeroPoints.map(Int.init))))
            }
            var blockScales: String?
            if !q.blockScaleCodes.isEmpty {
                blockScales = prefix + "\(name)_block_scale_codes.npy"
                files.append((blockScales!, NPYWriter.uint64(shape: [q.lines, q.blockScaleCodes.count / q.lines], q.blockScaleCodes)))
            }
            return OperandEntry(format: format, element_format: FormatCatalog.name(of: plan.element) ?? "\(plan.element)",
                                quantization: plan.description, layout: layout, lines: q.lines, k: q.k,
                                codes: prefix + "\(name)_codes.npy", container_shift: plan.containerShift,
                                values: prefix + "\(name)_values.npy", values_exact: exact, originals: prefix + "\(name)_originals.npy",
                                scales: prefix + "\(name)_scales.npy", groups: groups, zero_points: zeroPoints,
                                block_scale_codes: blockScales, tensor_scale: Double(q.tensorScale))
        }
        let a = operand("a", x.a, x.aPlan, format: aFormat, layout: "rows of A (one line per simulated row)")
        let b = operand("b", x.b, x.bPlan, format: bFormat, layout: "columns of B, i.e. B transposed (one line per simulated column)")
        let o = x.output
        files.append((prefix + "rows.npy", NPYWriter.int64(shape: [x.rows.count], x.rows)))
        files.append((prefix + "columns.npy", NPYWriter.int64(shape: [x.columns.count], x.columns)))
        files.append((prefix + "d_raw.npy", NPYWriter.uint64(shape: [o.groups, o.rows, o.columns], o.raw)))
        files.append((prefix + "d_values.npy", NPYWriter.float64(shape: [o.rows, o.columns], o.values)))
        files.append((prefix + "report.json", Array(reportJSON.utf8)))
        let index = Index(
            schema_version: 1,
            what: "operands and outputs of the bit-exact part of a QuantSim run (docs/report-schema.md, \"--save\")",
            m: shape.m, n: shape.n, k: shape.k, rows: prefix + "rows.npy", columns: prefix + "columns.npy", a: a, b: b,
            output: OutputEntry(raw: prefix + "d_raw.npy", raw_format: FormatCatalog.name(of: o.rawFormat) ?? "\(o.rawFormat)",
                                groups: o.groups, group_size: o.groupSize, values: prefix + "d_values.npy"),
            report: prefix + "report.json", events: o.events)
        files.append((prefix + "index.json", Array(ReportText.json(index).utf8)))
        return files
    }
}
