/// How a matrix is quantised: the format, which elements share a scale, how the scale is chosen
/// and stored, symmetric or with a zero point, and the element rounding.
public struct QuantizationScheme: Sendable, Hashable {
    /// Which elements share one scale. Matrices are row-major `rows x columns`; "along a row"
    /// means consecutive elements of one row (the reduction axis of the A operand).
    public enum Granularity: Sendable, Hashable, CustomStringConvertible {
        case perTensor
        /// One scale per row (per output channel of a weight stored row-major).
        case perRow
        /// One scale per column.
        case perColumn
        /// Groups of `size` consecutive elements along rows (`alongRows`) or down columns.
        case perGroup(size: Int, alongRows: Bool)

        public var description: String {
            switch self {
            case .perTensor: return "per-tensor"
            case .perRow: return "per-row"
            case .perColumn: return "per-column"
            case .perGroup(let size, let alongRows): return "group:\(size)" + (alongRows ? "" : ":columns")
            }
        }
    }

    /// How a scale is chosen for each group of elements.
    public enum ScaleSelection: Sendable, Hashable {
        /// s = amax / max|element| (asymmetric: (max - min) / (levels - 1)).
        case absmax
        /// Search `candidates` clipping ratios r in (0, 1] (r = 1, 1 - 1/candidates, ...) for the
        /// scale r * absmax-scale with the least squared error (ties: the larger r).
        case mseSearch(candidates: Int)
        /// s = mean |x| over the group's finite values (BitNet b1.58's absmean, arXiv:2402.17764:
        /// ternary weights RoundClip(W / mean|W|, -1, 1)).
        case absmean
    }

    public var format: NumberFormat
    public var granularity: Granularity
    public var scaleSelection: ScaleSelection
    /// Format the scale is stored in (`nil`: binary64, i.e. unrounded). Block-scaled formats and
    /// BitMoD mixtures carry their own scale formats and ignore this.
    public var scaleFormat: MiniFloatFormat?
    /// With a zero point (integer element formats only): x ~ s * (q - z).
    public var asymmetric: Bool
    public var rounding: RoundingRule
    /// Two-level scales (VS-Quant; BitMoD §III-B): with groups along rows, each group scale is
    /// stored as an unsigned integer of this many bits times a per-row binary16 scale
    /// s_row = fp16(max_g s_g / (2^bits - 1)), q_g = clamp(RNE(s_g / s_row), 0, 2^bits - 1).
    public var groupScaleBits: Int?

    public init(format: NumberFormat, granularity: Granularity = .perTensor, scaleSelection: ScaleSelection = .absmax,
                scaleFormat: MiniFloatFormat? = StandardFormats.fp32, asymmetric: Bool = false,
                rounding: RoundingRule = .toNearestOrEven, groupScaleBits: Int? = nil) {
        self.format = format
        self.granularity = granularity
        self.scaleSelection = scaleSelection
        self.scaleFormat = scaleFormat
        self.asymmetric = asymmetric
        self.rounding = rounding
        self.groupScaleBits = groupScaleBits
    }

    /// The scheme a format implies by default: block-scaled formats use their block along rows,
    /// BitMoD mixtures their group (128) with INT8 group scales, scalar formats `granularity`.
    public static func `default`(for format: NumberFormat, granularity: Granularity = .perTensor) -> QuantizationScheme {
        switch format {
        case .scalar: return QuantizationScheme(format: format, granularity: granularity)
        case .blockScaled(let b):
            return QuantizationScheme(format: format, granularity: .perGroup(size: b.blockSize, alongRows: true), scaleFormat: nil)
        case .mixture(let m):
            return QuantizationScheme(format: format, granularity: .perGroup(size: m.groupSize, alongRows: true),
                                      scaleFormat: nil, groupScaleBits: 8)
        }
    }
}

/// A quantised matrix: codes, one scale (and zero point) per group, and enough structure to
/// dequantise exactly.
public struct QuantizedMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    public let scheme: QuantizationScheme
    /// Element codes, row-major.
    public let codes: [UInt32]
    /// Group index of each element is `groupIndex(row:column:)`; one entry per group.
    public let scales: [Double]
    public let zeroPoints: [Int32]
    /// Per-group codebook member (BitMoD) or 0.
    public let members: [UInt8]
    /// Block-scale codes (block-scaled formats), one per group.
    public let scaleCodes: [UInt64]
    /// NVFP4 per-tensor scale (binary32), 1 otherwise.
    public let tensorScale: Float
    /// Elements that saturated (clipped) during quantisation.
    public let clippedCount: Int
    public let groupSize: Int
    public let alongRows: Bool
    public let perTensor: Bool
    /// Two-level schemes (`groupScaleBits`): the integer group scales (one per group) and the
    /// binary16 line scales (one per row); empty otherwise. scales[g] = groupScaleCodes[g] *
    /// lineScales[row of g], except all-zero groups, whose scale is 1.
    public var groupScaleCodes: [Int32] = []
    public var lineScales: [Double] = []

    /// The group an element belongs to.
    @inlinable
    public func groupIndex(row: Int, column: Int) -> Int {
        if perTensor { return 0 }
        if alongRows {
            let groupsPerRow = (columns + groupSize - 1) / groupSize
            return row * groupsPerRow + column / groupSize
        }
        let groupsPerColumn = (rows + groupSize - 1) / groupSize
        return column * groupsPerColumn + row / groupSize
    }

    /// The element format that decodes a group's codes.
    public func elementFormat(group: Int) -> ScalarFormat {
        switch scheme.format {
        case .scalar(let s): return s
        case .blockScaled(let b): return b.element
        case .mixture(let m): return .codebook(m.members[Int(members[group])])
        }
    }

    /// The exact dequantised value of one element: element * scale (minus the zero point).
    public func dequantized(row: Int, column: Int) -> ExactValue {
        let g = groupIndex(row: row, column: column)
        let code = UInt64(codes[row * columns + column])
        let format = elementFormat(group: g)
        var element = format.decode(code)
        if scheme.asymmetric, case .integer(let i) = format {
            let q = i.integer(ofCode: code) - Int64(zeroPoints[g])
            element = ExactValue(negative: q < 0, significand: q.magnitude, exponent: i.scaleExponent)
        }
        if element.isNaN { return .nan }
        let scale = ExactValue(scales[g])
        return element.multipliedExactly(by: scale) ?? .nan
    }

    /// All dequantised values as Doubles (exact whenever element and scale significands together
    /// fit 53 bits, which every standard format with a binary32 or narrower scale does).
    public func dequantizedDoubles() -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns { out[r * columns + c] = dequantized(row: r, column: c).approximateDouble }
        }
        return out
    }
}
