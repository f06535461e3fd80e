import ArchitectureSpec
import EngineKit
import Formats

/// The LUT unit's plan for one GEMM: activations (A) and low-bit weights (B), the weight groups
/// along K whose scales and zero points the epilogue applies, and the unit's numerics.
public struct LUTPlan: EnginePlan {
    public let a: OperandPlan
    public let b: OperandPlan
    public let unit: LUTUnitSpec
    public let activation: ScalarFormat
    public let weights: LUTWeights
    /// Weight-quantisation group along K (K itself for per-channel weights).
    public let weightGroup: Int

    /// 2^(K-1) stored entries per table.
    public var tableEntries: Int { 1 << (unit.tileK - 1) }

    /// Whether tables carry a scale per row and weight group (FP8 and INT8 entries).
    public var tableScaled: Bool { [.e4m3, .e5m2, .int8].contains(unit.tableFormat) }

    public var numerics: NumericsDescription {
        let u = unit
        let precompute = u.tableFormat.isInteger ? "exact integer sums"
            : (u.precomputeOrder == .sequential ? "sequential \(u.precomputeFormat.rawValue) adds, RNE" : "exact sums, one rounding")
        let summary = "tables of 2^\(u.tileK - 1) \(u.tableFormat.rawValue) entries per row and K-group of \(u.tileK) (\(precompute)"
            + (tableScaled ? ", table scale per row and weight group" : "") + "), \(weights.bits) weight plane\(weights.bits == 1 ? "" : "s") LSB first into "
            + "\(u.accumulatorFormat.rawValue)" + (u.accumulatorFormat == .int32 ? " (wrapping)" : " (RNE)")
            + (u.rtlQuirks ? ", RTL quirks (exponent-add scaling, flush to zero)" : "")
        return NumericsDescription(profile: "lut-\(u.tableFormat.rawValue)-\(u.accumulatorFormat.rawValue)-k\(u.tileK)", summary: summary,
                                   source: "lut-tensor-core.md §3.4 (recommended semantics of the released RTL, microsoft/T-MAC LUTTensorCore_ISCA25)",
                                   outputFormat: u.accumulatorFormat.rawValue)
    }

    public var brief: String {
        "LMMA M\(unit.tileM)N\(unit.tileN)K\(unit.tileK), W\(weights.bits) \(weights.kind.rawValue), \(unit.tableFormat.rawValue) tables"
    }

    public var details: [ReportEntry] {
        [ReportEntry("lmma", .object([
            ReportEntry("tile_m", .int(unit.tileM)), ReportEntry("tile_n", .int(unit.tileN)), ReportEntry("tile_k", .int(unit.tileK)),
            ReportEntry("weight_bits", .int(weights.bits)), ReportEntry("weight_kind", .text(weights.kind.rawValue)),
            ReportEntry("weight_group", .int(weightGroup)), ReportEntry("table_format", .text(unit.tableFormat.rawValue)),
            ReportEntry("table_entries", .int(tableEntries)), ReportEntry("table_scaled", .flag(tableScaled)),
            ReportEntry("accumulator_format", .text(unit.accumulatorFormat.rawValue)),
            ReportEntry("precompute", .text(unit.tableFormat.isInteger ? "integer" : "\(unit.precomputeOrder.rawValue) \(unit.precomputeFormat.rawValue)")),
            ReportEntry("rtl_quirks", .flag(unit.rtlQuirks)),
        ]))]
    }
}

extension LUTTensorCoreEngine {
    /// Activations fp16/bf16 (rounded directly) or e4m3/e5m2/int8 (per-row absmax scale); weights
    /// uint1..uint8 (asymmetric, zero point per group), int2..int8 (symmetric), ternary or binary
    /// (absmean), in groups along K: `--quantize group:G` (default 128, or K when shorter),
    /// `per-channel` (one group), never unquantised.
    public func plan(_ r: GEMMRequest) throws(EngineRefusal) -> LUTPlan {
        let u = spec.unit
        guard r.roleB == .weight else {
            throw EngineRefusal("the LUT unit multiplies low-bit weights (B) by activations; B here is a \(r.roleB.rawValue) operand, "
                                + "which has no low-bit weight form (run attention GEMMs on a MAC design)")
        }
        guard let aFormat = FormatCatalog.parse(r.aFormat), case .scalar(let activation) = aFormat else {
            throw EngineRefusal("\(r.aFormat): the LUT unit's activations are fp16, bf16, e4m3, e5m2 or int8")
        }
        let floatActivations = [StandardFormats.fp16, StandardFormats.bf16, StandardFormats.e4m3, StandardFormats.e5m2]
        let isInt8 = activation == .integer(IntegerFormat(bitWidth: 8, encoding: .twosComplement))
        if u.tableFormat.isInteger {
            guard isInt8 else {
                throw EngineRefusal("\(r.aFormat) activations: \(u.tableFormat.rawValue) tables hold integer sums of int8 activations; use --a-format int8 or a design with float tables")
            }
        } else {
            guard case .float(let f) = activation, floatActivations.contains(f) else {
                throw EngineRefusal("\(r.aFormat) activations: \(u.tableFormat.rawValue) tables take fp16, bf16, e4m3 or e5m2 activations")
            }
            if u.precomputeFormat == .fp16, f == StandardFormats.bf16 {
                throw EngineRefusal("bf16 activations need fp32 precompute (their range exceeds fp16's); this design precomputes in fp16")
            }
        }
        guard let wFormat = FormatCatalog.parse(r.bFormat), let weights = LUTWeights(format: wFormat) else {
            throw EngineRefusal("\(r.bFormat) weights: the LUT unit takes uint1..uint8, int2..int8, ternary or binary weights")
        }
        guard weights.bits <= u.maxWeightBits else {
            throw EngineRefusal("\(r.bFormat) has \(weights.bits) bit-planes; this unit serves at most \(u.maxWeightBits) (max_weight_bits)")
        }
        if let d = r.dFormat, d != u.accumulatorFormat.rawValue {
            throw EngineRefusal("--d-format \(d): this design accumulates in \(u.accumulatorFormat.rawValue) (accumulator_format)")
        }
        let k = r.shape.k
        let group: Int
        switch r.quantization {
        case nil: group = Swift.min(128, k)
        case .group(let g)?: group = Swift.min(g, k)
        case .perChannel?: group = k
        case .perTensor?, QuantizationChoice.none?:
            throw EngineRefusal("--quantize \(r.quantization!): LUT weights take per-channel or group:G scales (default group:128)")
        }
        let granularity: QuantizationScheme.Granularity = group == k ? .perRow : .perGroup(size: group, alongRows: true)
        let selection: QuantizationScheme.ScaleSelection = weights.kind == .ternary || weights.kind == .binary ? .absmean : .absmax
        let scheme = QuantizationScheme(format: wFormat, granularity: granularity, scaleSelection: selection,
                                        asymmetric: weights.kind == .unsigned)
        let groupText = group == k ? "per-channel" : "group:\(group)"
        let b = OperandPlan(format: wFormat, element: wFormat.elementFormat!, scheme: scheme, groupSize: group == k ? nil : group,
                            needsTensorAmax: false,
                            description: "\(groupText) \(weights.kind == .unsigned ? "asymmetric (scale, zero point)" : selection == .absmean ? "absmean" : "absmax"), binary32 scales, nearest-even")
        let a: OperandPlan
        if case .float(let f) = activation, f.bitWidth == 16 {
            a = OperandPlan(format: aFormat, element: activation, scheme: nil, groupSize: nil, needsTensorAmax: false,
                            description: "none (direct rounding)")
        } else {
            a = OperandPlan(format: aFormat, element: activation, scheme: QuantizationScheme(format: aFormat, granularity: .perRow),
                            groupSize: nil, needsTensorAmax: false, description: "per-token absmax, binary32 scales, nearest-even")
        }
        return LUTPlan(a: a, b: b, unit: u, activation: activation, weights: weights, weightGroup: group)
    }
}
