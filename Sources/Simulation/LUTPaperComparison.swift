import ArchitectureSpec
import CostModel
import LUTEngine

/// QuantSim's first-principles figures for the LUT Tensor Core paper's headline comparisons
/// (Mo et al., ISCA 2025, arXiv:2408.06003 v2/v3), computed from the unit structures and the
/// calibrated cell model at the paper's synthesis conditions (28 nm, 0.9 V, 1 GHz), set next to
/// the paper's published values. Nothing here is fitted to the paper.
public enum LUTPaperComparison {
    public typealias Row = PaperComparisonRow

    static func unit(_ m: Int, _ n: Int, _ k: Int, _ table: LUTTableFormat, _ accumulator: LUTAccumulatorFormat) -> LUTUnitSpec {
        LUTUnitSpec(tileM: m, tileN: n, tileK: k, tableFormat: table, accumulatorFormat: accumulator, maxWeightBits: 4)
    }

    /// Area (um^2) and power at 1 GHz (mW) of one LUT unit running W-bit weights: every cycle
    /// M x N lookups and accumulations, the weight plane (K x N bits), and the tables reloaded
    /// once per LMMA (M x 2^(K-1) entries per W cycles); plus leakage.
    static func lut(_ u: LUTUnitSpec, bits: Int, _ lib: CellLibrary) -> (area: Double, power: Double) {
        let c = LUTInventory.cells(u)
        let outputs = Double(u.tileM * u.tileN)
        let bit = lib.energy(LogicBlock.register(bits: 1))
        let tableBits = Double(u.tileM * (1 << (u.tileK - 1)) * LUTTensorCoreEngine.entryBits(u.tableFormat)) / Double(bits)
        let perCycle = outputs * (lib.energy(c.lookup) + lib.energy(c.accumulate)) + (tableBits + Double(u.tileK * u.tileN)) * bit
        return (lib.area(c.unit), perCycle * 1e9 * 1e-9 + lib.leakage(c.unit))
    }

    /// Area and power at 1 GHz of a MAC tensor core of `macs` MACs per cycle built from
    /// dot-product units of 16 products (as the A100's, tensor-cores.md §8).
    static func mac(_ operand: DotProductUnit.Operand, accumulator: DotProductUnit.Operand, kept: Int, macs: Int,
                    _ lib: CellLibrary) -> (area: Double, power: Double) {
        let dp = DotProductUnit(products: 16, a: operand, b: operand, keptFractionBits: kept, accumulator: accumulator)
        let units = Double(macs / 16)
        return (units * lib.area(dp.cells), units * (lib.energy(dp.cells) + lib.leakage(dp.cells)))
    }

    public static func rows(anchor: String? = nil) throws -> [Row] {
        let t = Technology(nodeNM: 28, vddV: 0.9)
        let model = try CostModel.forTarget(nodeNM: 28, requested: anchor)
        let lib = try model.library(at: t)
        var rows: [Row] = []
        func add(_ what: String, _ q: Double, _ p: Double?, _ unit: String, _ inputs: String, _ source: String) {
            rows.append(Row(comparison: what, quantsim: q, paper: p, unit: unit, inputs: inputs, paper_source: source))
        }
        let fp16 = DotProductUnit.Operand.float(exponentBits: 5, mantissaBits: 10)
        let fp32 = DotProductUnit.Operand.float(exponentBits: 8, mantissaBits: 23)
        // Dot-product unit level, W_INT1 x A_FP16, K = 4 (paper Fig. 12): 4 MACs per cycle each.
        let lutDP = lut(unit(1, 1, 4, .fp16, .fp16), bits: 1, lib)
        let macDP = DotProductUnit(products: 4, a: fp16, b: fp16, keptFractionBits: 13, accumulator: fp16)
        let flops = 8e9 / 1e12
        add("LUT DP4 compute density, W1 A_FP16", flops / (lutDP.area * 1e-6), 61.55, "TFLOPs/mm^2",
            "M1 N1 K4: 8 fp16 table entries, 8:1 mux, exponent add, fp16 adder and register; 4 MACs/cycle at 1 GHz", "Fig. 12")
        add("MAC DP4 compute density, W_FP16 A_FP16", flops / (lib.area(macDP.cells) * 1e-6), 3.39, "TFLOPs/mm^2",
            "4 fp16 products, F = 13 alignment, fp16 accumulate; 4 MACs/cycle at 1 GHz", "Fig. 12")
        add("LUT / MAC DP4 compute density", lib.area(macDP.cells) / lutDP.area, 61.55 / 3.39, "x", "the two rows above", "Fig. 12 (ratio)")
        // Tensor-core level at M x N x K = 512 (paper §4.2.2): the LUT unit M2N64K4 against a MAC
        // tensor core of 512 MACs/cycle, weights dequantised to the activation format.
        let configurations: [(String, LUTTableFormat, LUTAccumulatorFormat, DotProductUnit.Operand, DotProductUnit.Operand, Int)] = [
            ("A_FP16", .fp16, .fp16, fp16, fp32, 24), ("A_FP8", .e4m3, .fp16, .float(exponentBits: 4, mantissaBits: 3), fp32, 24),
            ("A_INT8", .int8, .int32, .integer(bits: 8), .integer(bits: 32), 0),
        ]
        for (name, table, accumulator, operand, macAccumulator, kept) in configurations {
            let m = mac(operand, accumulator: macAccumulator, kept: kept, macs: 512, lib)
            for bits in [1, 2, 4] {
                let l = lut(unit(2, 64, 4, table, accumulator), bits: bits, lib)
                add("MAC / LUT tensor-core area, W\(bits) \(name)", m.area / l.area, bits == 1 ? 5 : nil, "x",
                    "LUT M2N64K4 \(table.rawValue) tables, \(accumulator.rawValue) accumulators (\(Int(l.area)) um^2) vs 32 x 16-product MAC units (\(Int(m.area)) um^2)",
                    bits == 1 ? "§4.2.2: 4x-6x for 1-bit weights (midpoint 5)" : "Fig. 14 (no values printed)")
                add("MAC / LUT tensor-core power at 1 GHz, W\(bits) \(name)", m.power / l.power, bits == 1 ? 5 : nil, "x",
                    "LUT \(ReportText.g(l.power, 3)) mW vs MAC \(ReportText.g(m.power, 3)) mW (MAC at 512 MACs/cycle; LUT at \(512 / bits))",
                    bits == 1 ? "§4.2.2: 4x-6x for 1-bit weights (midpoint 5)" : "Fig. 14 (no values printed)")
            }
        }
        // Absolute LUT tensor core, W_INT2 x A_INT8, MNK = 512 (paper Table 2, final row).
        let w2a8 = lut(unit(2, 64, 4, .int8, .int32), bits: 2, lib)
        add("LUT tensor core area, W2 A_INT8", w2a8.area, 11_991.29, "um^2", "M2N64K4, int8 tables, int32 accumulators", "Table 2 (labelled mm^2, values in um^2)")
        add("LUT tensor core power, W2 A_INT8", w2a8.power, 16.22, "mW", "the same unit at 1 GHz", "Table 2")
        let w1a8 = lut(unit(2, 64, 4, .int8, .int32), bits: 1, lib)
        add("LUT tensor core energy efficiency, W1 A_INT8", 2 * 512 * 1e9 / (w1a8.power * 1e-3) / 1e12, 63.78, "TOPS/W",
            "512 MACs/cycle at 1 GHz over the unit's power", "Table 3")
        // A100-LUT-4X: 16 units per SM (the A100-LUT-4X document), area per SM at 28 nm and peak.
        let a100 = lut(unit(2, 64, 4, .int16, .int32), bits: 2, lib)
        add("A100-LUT-4X tensor area per SM (28 nm)", 16 * a100.area * 1e-6, 0.187, "mm^2",
            "16 units of M2N64K4, int16 tables, int32 accumulators", "Table 1 (normalised to 28 nm)")
        add("A100-LUT-4X peak, W2 A_INT8", 108 * 16 * 256 * 2 * 1.41e9 / 1e12, 1248, "TOPS", "108 SMs x 16 units x 512/2 MACs per cycle x 1.41 GHz", "Table 1")
        return rows
    }
}
