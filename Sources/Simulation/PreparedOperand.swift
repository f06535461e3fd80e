import Formats
import Workloads

/// One GEMM operand prepared for the tensor cores, line by line (rows of A, columns of B, each
/// of length K): the unquantised FP64 values, the element codes in the MMA's input container,
/// block-scale codes, the scales applied outside the MMA, and the exact dequantised values.
struct PreparedOperand {
    let lines: Int
    let k: Int
    var originals: [Double] = []
    var codes: [UInt64] = []
    /// Block-scale codes (block-scaled formats): lines x ceil(K / block).
    var blockScaleCodes: [UInt64] = []
    /// Scale per line and group, applied in the epilogue (1 without scaling): lines x groups.
    var scales: [Float] = []
    var groups: Int = 1
    /// NVFP4 per-tensor scale (binary32), applied in the epilogue.
    var tensorScale: Float = 1
    /// Exact value of every element after quantisation, all scales included.
    var dequantized: [ExactValue] = []
    var clipped = 0

    /// How an operand is quantised.
    struct Plan {
        let format: NumberFormat
        let element: ScalarFormat
        let scheme: QuantizationScheme?
        /// TF32 elements travel in FP32 containers (code << 13).
        let tf32Container: Bool
        let groupSize: Int?
        let perTensor: Bool
    }

    static func plan(formatName: String, quantization: RunRequest.Quantization?) throws(RunError) -> Plan {
        guard let format = FormatCatalog.parse(formatName) else {
            throw RunError("unknown format \"\(formatName)\"; see `simulate formats list`")
        }
        switch format {
        case .mixture:
            throw RunError("\(formatName) is a BitMoD mixture for bit-serial PEs, not a tensor-core input format")
        case .blockScaled:
            if let q = quantization, q != .none {
                throw RunError("\(formatName) carries its own block scales; drop --quantize \(q) (or pass --quantize none)")
            }
            return Plan(format: format, element: format.elementFormat!, scheme: .default(for: format), tf32Container: false,
                        groupSize: nil, perTensor: false)
        case .scalar(let element):
            let wide = element.bitWidth >= 16 || element == .float(StandardFormats.tf32)
            let q = quantization ?? (wide ? .none : .perTensor)
            let tf32 = element == .float(StandardFormats.tf32)
            switch q {
            case .none:
                return Plan(format: format, element: element, scheme: nil, tf32Container: tf32, groupSize: nil, perTensor: false)
            case .perTensor:
                return Plan(format: format, element: element, scheme: QuantizationScheme(format: format, granularity: .perTensor),
                            tf32Container: tf32, groupSize: nil, perTensor: true)
            case .perChannel:
                return Plan(format: format, element: element, scheme: QuantizationScheme(format: format, granularity: .perRow),
                            tf32Container: tf32, groupSize: nil, perTensor: false)
            case .group(let g):
                return Plan(format: format, element: element,
                            scheme: QuantizationScheme(format: format, granularity: .perGroup(size: g, alongRows: true)),
                            tf32Container: tf32, groupSize: g, perTensor: false)
            }
        }
    }

    /// Quantises `lines` lines produced by `line(index)`; `tensorAmax` is the whole tensor's
    /// (per-tensor and NVFP4 scales).
    static func prepare(plan: Plan, lines: Int, k: Int, tensorAmax: Double, seed: UInt64,
                        line: (Int) -> [Double]) -> PreparedOperand {
        var p = PreparedOperand(lines: lines, k: k)
        p.originals.reserveCapacity(lines * k)
        p.codes.reserveCapacity(lines * k)
        p.dequantized.reserveCapacity(lines * k)
        var generator = SeededGenerator(seed: seed)
        if let g = plan.groupSize { p.groups = (k + g - 1) / g }
        for index in 0..<lines {
            let values = line(index)
            p.originals += values
            guard let scheme = plan.scheme else {
                // Direct rounding (FP16, BF16, TF32, FP32 inputs): nearest even, IEEE overflow.
                for v in values {
                    let r = plan.element.encode(ExactValue(v), rule: .toNearestOrEven, overflow: .infinity)
                    p.codes.append(plan.tf32Container ? r.code << 13 : r.code)
                    p.dequantized.append(plan.element.decode(r.code))
                    if r.flags.contains(.overflow) { p.clipped += 1 }
                }
                p.scales.append(1)
                continue
            }
            let q = Quantizer.quantize(values, rows: 1, columns: k, scheme: scheme,
                                       tensorAmax: needsTensorAmax(plan) ? tensorAmax : nil, generator: &generator)
            p.clipped += q.clippedCount
            for c in 0..<k {
                p.codes.append(plan.tf32Container ? UInt64(q.codes[c]) << 13 : UInt64(q.codes[c]))
                p.dequantized.append(q.dequantized(row: 0, column: c))
            }
            switch plan.format {
            case .blockScaled:
                p.blockScaleCodes += q.scaleCodes
                p.tensorScale = q.tensorScale
                p.scales.append(1)
            default:
                p.scales += q.scales.map { Float($0) }
            }
        }
        return p
    }

    /// Whether quantising needs the whole operand's amax (per-tensor scales, NVFP4's tensor scale).
    static func needsTensorAmax(_ plan: Plan) -> Bool { plan.perTensor || isNVFP4(plan) }

    static func isNVFP4(_ plan: Plan) -> Bool {
        if case .blockScaled(let b) = plan.format { return b.rule == .nvfp4 }
        return false
    }

    /// The codes of lines restricted to K range `range` (group slices), row-major.
    func codes(in range: Range<Int>) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(lines * range.count)
        for l in 0..<lines { out += codes[(l * k + range.lowerBound)..<(l * k + range.upperBound)] }
        return out
    }
}
