import ArchitectureSpec
import EngineKit
import Formats

/// How the PE computes, per type, with what it needs precomputed.
public enum PEDatapath: Sendable {
    /// BitMoD: one term table per weight member format (one for integers).
    case bitmod(tables: [BitMoDTermTable])
    case fp16MAC
    /// FP16 x integer: the integer value of every weight code, per member format (one for a
    /// scalar format; ANT-style mixtures choose a member per group).
    case fp16Int(values: [[Int32]])
    case intMAC(a: IntegerFormat, b: IntegerFormat)
    case lmul(LMul)
}

/// A PE array's plan for one GEMM: operand quantisation, the PE's datapath, the weight groups
/// whose scales the epilogue (or BitMoD's dequantisation) applies.
public struct PEPlan: EnginePlan {
    public let a: OperandPlan
    public let b: OperandPlan
    public let pe: PESpec
    public let datapath: PEDatapath
    /// Weight group along K (K for per-channel weights).
    public let group: Int
    /// Cycles per dot product of `dot_product_size` pairs: BitMoD's terms per weight, else 1.
    public let cyclesPerStep: Int
    public let weightFormat: String

    public var rawFormat: ScalarFormat {
        switch datapath {
        case .bitmod: return .float(StandardFormats.fp32)
        case .intMAC: return .integer(IntegerFormat(bitWidth: 32, encoding: .twosComplement))
        case .fp16Int: return .float(StandardFormats.fp16)
        case .fp16MAC, .lmul: return .float(pe.accumulatorFormat == .fp16 ? StandardFormats.fp16 : StandardFormats.fp32)
        }
    }

    public var numerics: NumericsDescription {
        let summary: String
        switch datapath {
        case .bitmod:
            summary = "BitMoD bit-serial PE: \(cyclesPerStep) term(s) per weight, 4-way exponent match with the accumulator, 14-bit truncating alignment, 17-bit adder tree, "
                + "group accumulator (15-bit mantissa, floor normalisation), \(pe.dequantizationBits)-bit INT8 group-scale dequantisation, FP32 group accumulation"
        case .fp16MAC: summary = "FP16 multiply (RNE) then add into \(pe.accumulatorFormat.rawValue) (RNE)" + (pe.accumulatorFormat == .fp32 ? ", the product exact" : "")
        case .fp16Int: summary = "FP16 x integer weight, product rounded to FP16 (RNE), FP16 accumulation (RNE)"
        case .intMAC: summary = "exact integer products, wrapping INT32 accumulator"
        case .lmul(let l):
            let (fa, fb) = (l.a, l.b)
            summary = "L-Mul: sign XOR, one integer addition of the exponent-and-mantissa fields (e\(fa.exponentBits)m\(fa.mantissaBits) x e\(fb.exponentBits)m\(fb.mantissaBits)) plus 2^-l(m), then \(pe.accumulatorFormat.rawValue) accumulation (RNE)"
        }
        return NumericsDescription(profile: "pe-\(pe.type.rawValue)-\(pe.accumulatorFormat.rawValue)", summary: summary,
                                   source: pe.type == .bitmod ? "bitmod.md §3-4 (BitMoD HPCA 2025; RTL yc2367/BitMoD hardware/pe, with the corrections in docs/pe-array.md)"
                                       : (pe.type == .lmul ? "Luo and Sun, arXiv:2410.00907 (L-Mul)" : "docs/pe-array.md"),
                                   outputFormat: FormatCatalog.name(of: rawFormat) ?? "fp32")
    }

    public var brief: String { "\(pe.type.rawValue) PE, \(weightFormat) weights, \(cyclesPerStep) cycle(s) per \(pe.dotProductSize) MAC(s)" }

    public var details: [ReportEntry] {
        [ReportEntry("pe", .object([
            ReportEntry("type", .text(pe.type.rawValue)), ReportEntry("dot_product_size", .int(pe.dotProductSize)),
            ReportEntry("cycles_per_step", .int(cyclesPerStep)), ReportEntry("weight_group", .int(group)),
            ReportEntry("accumulator_format", .text(pe.accumulatorFormat.rawValue)),
        ]))]
    }
}

extension PEArrayEngine {
    public func plan(_ r: GEMMRequest) throws(EngineRefusal) -> PEPlan {
        let pe = spec.pe
        guard let aFormat = FormatCatalog.parse(r.aFormat), case .scalar(let activation) = aFormat else {
            throw EngineRefusal("\(r.aFormat): a PE array takes scalar activation formats")
        }
        guard let bFormat = FormatCatalog.parse(r.bFormat) else { throw EngineRefusal("unknown format \(r.bFormat)") }
        if let d = r.dFormat, d != pe.accumulatorFormat.rawValue {
            throw EngineRefusal("--d-format \(d): this design accumulates in \(pe.accumulatorFormat.rawValue) (pe.accumulator_format)")
        }
        let k = r.shape.k
        let fp16 = ScalarFormat.float(StandardFormats.fp16)
        func direct(_ f: NumberFormat) -> OperandPlan {
            OperandPlan(format: f, element: f.elementFormat!, scheme: nil, groupSize: nil, needsTensorAmax: false, description: "none (direct rounding)")
        }
        func scaled(_ f: NumberFormat, _ q: QuantizationChoice?, default fallback: QuantizationChoice) throws(EngineRefusal) -> OperandPlan {
            let choice = q ?? fallback
            let granularity: QuantizationScheme.Granularity
            var groupSize: Int?
            switch choice {
            case .perTensor: granularity = .perTensor
            case .perChannel: granularity = .perRow
            case .group(let g): granularity = g >= k ? .perRow : .perGroup(size: g, alongRows: true); groupSize = g >= k ? nil : g
            case .none: return direct(f)
            }
            var rule = "absmax, binary32 scales, nearest-even"
            if case .scalar(.codebook(let c)) = f, c.outlierVictimPairs { rule = "OliVe outlier-victim pairs, least-squares scale of 32 candidates, binary32 scales" }
            return OperandPlan(format: f, element: f.elementFormat!, scheme: QuantizationScheme(format: f, granularity: granularity),
                               groupSize: groupSize, needsTensorAmax: choice == .perTensor, description: "\(choice) \(rule)")
        }
        switch pe.type {
        case .bitmod:
            guard activation == fp16 else { throw EngineRefusal("\(r.aFormat) activations: the BitMoD PE takes FP16 activations") }
            let g = Swift.min(pe.groupSize, k)
            let tables: [BitMoDTermTable]
            switch bFormat {
            case .mixture(let m):
                var t: [BitMoDTermTable] = []
                for member in m.members {
                    guard let table = BitMoDTermTable(codebook: member) else {
                        throw EngineRefusal("\(member.name): a value has no two-term form (at most 2^a +- 2^b with bit positions within the term exponent's range)")
                    }
                    t.append(table)
                }
                tables = t
            case .scalar(.codebook(let c)):
                guard let table = BitMoDTermTable(codebook: c) else { throw EngineRefusal("\(r.bFormat): a value has no two-term form") }
                tables = [table]
            case .scalar(.integer(let i)) where i.encoding == .twosComplement && i.scaleExponent == 0 && (2...8).contains(i.bitWidth):
                tables = [BitMoDTermTable(integer: i)]
            default:
                throw EngineRefusal("\(r.bFormat) weights: the BitMoD PE takes bitmod3/bitmod4 mixtures, their members (bitmod-fp4-er+, ...), other two-term codebooks, or int2..int8 (Booth)")
            }
            if let q = r.quantization, q != .group(g) {
                throw EngineRefusal("--quantize \(q): BitMoD weights take their group:\(pe.groupSize) two-level scales (INT8 per group under an FP16 per channel); omit --quantize")
            }
            let granularity: QuantizationScheme.Granularity = .perGroup(size: g, alongRows: true)
            let scheme = QuantizationScheme(format: bFormat, granularity: granularity, scaleFormat: nil, groupScaleBits: 8)
            let b = OperandPlan(format: bFormat, element: bFormat.elementFormat ?? .codebook((bFormat.mixtureMembers ?? [])[0]), scheme: scheme,
                                groupSize: g, needsTensorAmax: false,
                                description: "group:\(g) absmax, INT8 group scales under an FP16 channel scale" + (bFormat.mixtureMembers != nil ? ", MSE member choice per group" : ""))
            return PEPlan(a: direct(aFormat), b: b, pe: pe, datapath: .bitmod(tables: tables), group: g, cyclesPerStep: tables[0].cycles,
                          weightFormat: r.bFormat)
        case .fp16MAC:
            guard activation == fp16, bFormat == .scalar(fp16) else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): the FP16 MAC PE takes fp16 x fp16")
            }
            return PEPlan(a: direct(aFormat), b: direct(bFormat), pe: pe, datapath: .fp16MAC, group: k, cyclesPerStep: 1, weightFormat: r.bFormat)
        case .fp16Int:
            guard activation == fp16 else { throw EngineRefusal("\(r.aFormat) activations: the FP16 x integer PE takes FP16 activations") }
            func integerValues(_ c: CodebookFormat) throws(EngineRefusal) -> [Int32] {
                var v: [Int32] = []
                for code in 0..<(1 << c.bitWidth) {
                    guard let x = c.integerValue(ofCode: UInt64(code)), Swift.abs(x) <= 2048 else {
                        throw EngineRefusal("\(r.bFormat): the FP16 x integer PE takes integer-valued weights (|w| <= 2048)")
                    }
                    v.append(Int32(x))
                }
                return v
            }
            let values: [[Int32]]
            switch bFormat {
            case .scalar(.integer(let i)) where i.scaleExponent == 0 && i.bitWidth <= 8:
                values = [(0..<(1 << i.bitWidth)).map { Int32(i.integer(ofCode: UInt64($0))) }]
            case .scalar(.codebook(let c)):
                values = [try integerValues(c)]
            case .mixture(let m):
                var v: [[Int32]] = []
                for member in m.members { v.append(try integerValues(member)) }
                values = v
            default:
                throw EngineRefusal("\(r.bFormat) weights: the FP16 x integer PE takes int2..int8, uint1..uint8, integer-valued codebooks (flint4, bitmod members) or their mixtures (ant4, ant3, bitmod4, bitmod3)")
            }
            if case .mixture(let m) = bFormat {
                let g = Swift.min(m.groupSize, k)
                if let q = r.quantization, q != .group(g) {
                    throw EngineRefusal("--quantize \(q): \(r.bFormat) takes its group:\(m.groupSize) two-level scales; omit --quantize")
                }
                let scheme = QuantizationScheme(format: bFormat, granularity: .perGroup(size: g, alongRows: true), scaleFormat: nil, groupScaleBits: 8)
                let b = OperandPlan(format: bFormat, element: .codebook(m.members[0]), scheme: scheme, groupSize: g, needsTensorAmax: false,
                                    description: "group:\(g) absmax, INT8 group scales under an FP16 channel scale, MSE member choice per group")
                return PEPlan(a: direct(aFormat), b: b, pe: pe, datapath: .fp16Int(values: values), group: g, cyclesPerStep: 1, weightFormat: r.bFormat)
            }
            let b = try scaled(bFormat, r.quantization, default: .perChannel)
            guard b.scheme != nil else { throw EngineRefusal("--quantize none: integer weights need a scale (per-channel or group:G)") }
            return PEPlan(a: direct(aFormat), b: b, pe: pe, datapath: .fp16Int(values: values), group: b.groupSize ?? k, cyclesPerStep: 1,
                          weightFormat: r.bFormat)
        case .intMAC:
            guard case .integer(let ia) = activation, ia.scaleExponent == 0, ia.bitWidth <= 8,
                  case .scalar(.integer(let ib)) = bFormat, ib.scaleExponent == 0, ib.bitWidth <= 8 else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): the INT MAC PE takes integers of at most 8 bits")
            }
            let a = try scaled(aFormat, r.quantization, default: .perTensor), b = try scaled(bFormat, r.quantization, default: .perTensor)
            if a.groupSize != nil || b.groupSize != nil { throw EngineRefusal("--quantize group:G: the INT MAC array takes per-tensor or per-channel scales") }
            return PEPlan(a: a, b: b, pe: pe, datapath: .intMAC(a: ia, b: ib), group: k, cyclesPerStep: 1, weightFormat: r.bFormat)
        case .lmul:
            guard case .float(let fa) = activation, case .scalar(.float(let fb)) = bFormat, fa.isSigned, fb.isSigned,
                  fa.bitWidth <= 16, fb.bitWidth <= 16 else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): the L-Mul PE takes signed floating-point formats of at most 16 bits")
            }
            func plan(_ f: NumberFormat, _ m: MiniFloatFormat) throws(EngineRefusal) -> OperandPlan {
                m.bitWidth == 16 && r.quantization == nil ? direct(f) : try scaled(f, r.quantization, default: .perChannel)
            }
            let a = try plan(aFormat, fa), b = try plan(bFormat, fb)
            if a.groupSize != nil || b.groupSize != nil { throw EngineRefusal("--quantize group:G: L-Mul takes per-tensor or per-channel scales") }
            return PEPlan(a: a, b: b, pe: pe, datapath: .lmul(LMul(a: fa, b: fb)), group: k, cyclesPerStep: 1, weightFormat: r.bFormat)
        }
    }
}

extension NumberFormat {
    /// The members of a mixture.
    var mixtureMembers: [CodebookFormat]? { if case .mixture(let m) = self { return m.members }; return nil }
}
