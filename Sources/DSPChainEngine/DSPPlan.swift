import ArchitectureSpec
import EngineKit
import Formats

/// A DSP-chain plan for one GEMM: operand quantisation, the datapath mode and its pass length
/// (the terms of one output a chain pass covers: raw results are reported per pass).
public struct DSPPlan: EnginePlan {
    public let a: OperandPlan
    public let b: OperandPlan
    public let datapath: FPGADatapathSpec
    public let family: FPGADSPFamily
    /// Terms per pass (a raw result each); K for DSPFP32 and Kulisch (one accumulation over K).
    public let group: Int
    /// Minifloat decode tables (Kulisch): per code sign, significand and exponent of its LSB.
    let kulisch: KulischTables?

    public var rawFormat: ScalarFormat {
        switch datapath.mode {
        case .dspfp32, .minifloatKulisch: return .float(StandardFormats.fp32)
        default: return .integer(IntegerFormat(bitWidth: 32, encoding: .twosComplement))
        }
    }

    /// The native accumulator's width (the chain's P register or the tensor block's CPA).
    public var accumulatorBits: Int {
        switch datapath.mode {
        case .int8Tensor: return 32
        case .int8Dot3: return 58
        case .int8Single: return family == .dsp58 ? 58 : 48
        default: return 48
        }
    }

    public var numerics: NumericsDescription {
        let d = datapath
        let summary: String
        switch d.mode {
        case .int8Packed2:
            summary = "two INT8 products per DSP48E2 sharing the weight (WP486): lanes at bits 0 and 18 of the 48-bit P, chains of \(d.chainLength); lanes read "
                + (d.laneCorrection == .signBit ? "with the P[17] sign-bit correction" : "without correction") + "; passes summed in a wrapping INT32 fabric accumulator"
        case .int4Packed4:
            summary = "four 4-bit weights x one 4-bit activation per DSP48E2 (FINN lanes 0, 8, 15, 22), chains of \(d.chainLength); lanes read with "
                + ["sign_bit": "the sign-bit borrow fix", "canary": "FINN's canary carry recovery (exact)", "none": "no correction"][d.laneCorrection.rawValue]!
        case .int8Single: summary = "one INT8 product per DSP into the \(accumulatorBits)-bit accumulator, chains of \(d.chainLength)"
        case .int8Dot3: summary = "DSP58 INT8 vector dot product: 3 products per DSP into the 58-bit accumulator, chains of \(d.chainLength)"
        case .int8Tensor: summary = "Agilex tensor blocks: 10-term INT8 dot products, 32-bit wrapping accumulate along chains of \(d.chainLength)"
        case .dspfp32: summary = "DSPFP32: \(FormatCatalog.name(of: a.element) ?? "fp") products rounded to FP32, added into FP32 along the cascade (RNE)"
        case .minifloatKulisch:
            summary = "minifloat MACs in LUTs: exact products summed in a Kulisch accumulator, rounded once to FP32 (RNE); trees of \(d.kulischTerms)"
        }
        return NumericsDescription(profile: "fpga-\(d.mode.rawValue)", summary: summary, source: "fpga-dsp.md; docs/fpga-dsp.md",
                                   outputFormat: FormatCatalog.name(of: rawFormat) ?? "int32")
    }

    public var brief: String { "\(datapath.mode.rawValue), pass of \(group) terms" }

    public var details: [ReportEntry] {
        [ReportEntry("datapath", .object([
            ReportEntry("mode", .text(datapath.mode.rawValue)), ReportEntry("chain_length", .int(datapath.chainLength)),
            ReportEntry("pass_terms", .int(group)), ReportEntry("lanes", .int(datapath.mode.lanes)),
            ReportEntry("lane_correction", .text(datapath.laneCorrection.rawValue)), ReportEntry("accumulator_bits", .int(accumulatorBits)),
        ]))]
    }
}

/// Minifloat codes as fixed point (Kulisch): value = (-1)^s * significand * 2^(exponent + bias0).
struct KulischTables: Sendable {
    struct Entry: Sendable {
        var negative: Bool
        var significand: Int64
        /// Exponent of the significand's LSB, offset so the smallest is 0.
        var shift: Int
        var special: Bool
    }

    let a: [Entry]
    let b: [Entry]
    /// 2^base is the weight of bit 0 of the fixed-point product.
    let base: Int

    init(a fa: MiniFloatFormat, b fb: MiniFloatFormat) {
        func table(_ f: MiniFloatFormat) -> (entries: [Entry], lowest: Int) {
            let lowest = 1 - f.bias - f.mantissaBits
            let entries = (0..<(1 << f.bitWidth)).map { c -> Entry in
                let code = UInt64(c)
                let v = f.decode(code)
                if !v.isFinite { return Entry(negative: v.isNegative, significand: 0, shift: 0, special: true) }
                let field = Int((code >> UInt64(f.mantissaBits)) & BitMask.low(f.exponentBits))
                let mantissa = Int64(code & BitMask.low(f.mantissaBits))
                let subnormal = field == 0 && f.underflow == .subnormal
                if field == 0 && f.underflow == .flushToZero { return Entry(negative: v.isNegative, significand: 0, shift: 0, special: false) }
                let significand = subnormal ? mantissa : mantissa | (1 << Int64(f.mantissaBits))
                let lsb = (subnormal ? 1 : field) - f.bias - f.mantissaBits
                return Entry(negative: v.isNegative, significand: significand, shift: lsb - lowest, special: false)
            }
            return (entries, lowest)
        }
        let ta = table(fa), tb = table(fb)
        a = ta.entries
        b = tb.entries
        base = ta.lowest + tb.lowest
    }
}

extension DSPChainEngine {
    public func plan(_ r: GEMMRequest) throws(EngineRefusal) -> DSPPlan {
        let d = spec.datapath
        guard let aFormat = FormatCatalog.parse(r.aFormat), case .scalar(let ea) = aFormat,
              let bFormat = FormatCatalog.parse(r.bFormat), case .scalar(let eb) = bFormat else {
            throw EngineRefusal("\(r.aFormat) x \(r.bFormat): FPGA DSP chains take scalar formats (int8, int4, fp16, e4m3, ...)")
        }
        if let df = r.dFormat, df != (d.mode == .dspfp32 || d.mode == .minifloatKulisch ? "fp32" : "int32") {
            throw EngineRefusal("--d-format \(df): the \(d.mode.rawValue) datapath accumulates in \(d.mode == .dspfp32 || d.mode == .minifloatKulisch ? "fp32" : "int32")")
        }
        let k = r.shape.k
        func direct(_ f: NumberFormat) -> OperandPlan {
            OperandPlan(format: f, element: f.elementFormat!, scheme: nil, groupSize: nil, needsTensorAmax: false, description: "none (direct rounding)")
        }
        func scaled(_ f: NumberFormat, _ fallback: QuantizationChoice) throws(EngineRefusal) -> OperandPlan {
            let choice = r.quantization ?? fallback
            let granularity: QuantizationScheme.Granularity
            switch choice {
            case .perTensor: granularity = .perTensor
            case .perChannel: granularity = .perRow
            case .group(let g) where g >= k: granularity = .perRow
            case .group: throw EngineRefusal("--quantize group:G: DSP chains apply scales after the accumulation (per-tensor or per-channel)")
            case .none: return direct(f)
            }
            return OperandPlan(format: f, element: f.elementFormat!, scheme: QuantizationScheme(format: f, granularity: granularity), groupSize: nil,
                               needsTensorAmax: choice == .perTensor, description: "\(choice) absmax, binary32 scales, nearest-even")
        }
        func integer(_ e: ScalarFormat, bits: ClosedRange<Int>, signedOnly: Bool) -> IntegerFormat? {
            guard case .integer(let i) = e, i.scaleExponent == 0, bits.contains(i.bitWidth) else { return nil }
            guard i.encoding == .twosComplement || i.encoding == .symmetric || (!signedOnly && i.encoding == .unsigned) else { return nil }
            return i
        }
        let pass = Swift.min(d.passLength, k)
        switch d.mode {
        case .int8Packed2, .int8Single, .int8Dot3, .int8Tensor:
            guard integer(ea, bits: 2...8, signedOnly: d.mode == .int8Tensor) != nil, integer(eb, bits: 2...8, signedOnly: true) != nil else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): the \(d.mode.rawValue) datapath takes int2..int8\(d.mode == .int8Tensor ? "" : " or uint2..uint8") activations and int2..int8 weights")
            }
            return DSPPlan(a: try scaled(aFormat, .perTensor), b: try scaled(bFormat, .perChannel), datapath: d, family: spec.device.family,
                           group: pass, kulisch: nil)
        case .int4Packed4:
            guard integer(ea, bits: 2...4, signedOnly: false) != nil, integer(eb, bits: 2...4, signedOnly: true) != nil else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): int4_packed4 takes int4/uint4 (or narrower) activations and int4 (or narrower) weights")
            }
            return DSPPlan(a: try scaled(aFormat, .perTensor), b: try scaled(bFormat, .perChannel), datapath: d, family: spec.device.family,
                           group: pass, kulisch: nil)
        case .dspfp32:
            let fp16 = ScalarFormat.float(StandardFormats.fp16), fp32 = ScalarFormat.float(StandardFormats.fp32)
            guard (ea == fp16 || ea == fp32), ea == eb else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): DSPFP32 multiplies fp16 x fp16 or fp32 x fp32")
            }
            return DSPPlan(a: direct(aFormat), b: direct(bFormat), datapath: d, family: spec.device.family, group: k, kulisch: nil)
        case .minifloatKulisch:
            guard case .float(let fa) = ea, case .float(let fb) = eb, fa.isSigned, fb.isSigned, fa.exponentBits <= 5, fb.exponentBits <= 5,
                  fa.mantissaBits <= 7, fb.mantissaBits <= 7, fa.underflow != .noZero, fb.underflow != .noZero else {
                throw EngineRefusal("\(r.aFormat) x \(r.bFormat): Kulisch MACs take signed minifloats with at most 5 exponent and 7 mantissa bits (e4m3, e5m2, e3m2, e2m1, ...)")
            }
            return DSPPlan(a: try scaled(aFormat, .perTensor), b: try scaled(bFormat, .perChannel), datapath: d, family: spec.device.family,
                           group: k, kulisch: KulischTables(a: fa, b: fb))
        }
    }
}
