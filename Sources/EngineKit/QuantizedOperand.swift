import Formats

/// One GEMM operand quantised for an engine, line by line (rows of A, columns of B, each of
/// length K): the unquantised FP64 values, the element codes, block-scale codes, the scales
/// the engine applies outside its datapath, and the exact dequantised values.
public struct QuantizedOperand: Sendable {
    public let lines: Int
    public let k: Int
    public private(set) var originals: [Double] = []
    /// Element codes (shifted by the plan's `containerShift`), lines x K.
    public private(set) var codes: [UInt64] = []
    /// Block-scale codes (block-scaled formats): lines x ceil(K / block).
    public private(set) var blockScaleCodes: [UInt64] = []
    /// Scale per line and group (1 without scaling): lines x groups. Binary64 values as the
    /// quantiser chose them (binary32-representable with the default scale format).
    public private(set) var scales: [Double] = []
    /// Zero point per line and group (asymmetric integer schemes), lines x groups; empty otherwise.
    public private(set) var zeroPoints: [Int32] = []
    public private(set) var groups: Int = 1
    /// NVFP4 per-tensor scale (binary32).
    public private(set) var tensorScale: Float = 1
    /// Exact value of every element after quantisation, all scales included.
    public private(set) var dequantized: [ExactValue] = []
    /// Elements that clipped or overflowed while quantising.
    public private(set) var clipped = 0
    /// Two-level schemes (BitMoD): the integer group scales (lines x groups) and the binary16
    /// line scales (one per line), whose product is `scales`; empty otherwise.
    public private(set) var groupScaleCodes: [Int32] = []
    public private(set) var lineScales: [Double] = []
    /// Mixtures (BitMoD): the member format of each group (lines x groups); empty otherwise.
    public private(set) var members: [UInt8] = []

    init(lines: Int, k: Int) {
        self.lines = lines
        self.k = k
    }

    /// An operand given directly as element codes (`lines` x `k`, line-major), unscaled: for
    /// vector-level checks (`simulate mma`) where the codes come from a file.
    public init(lines: Int, k: Int, codes: [UInt64], element: ScalarFormat) {
        precondition(codes.count == lines * k)
        self.lines = lines
        self.k = k
        self.codes = codes
        scales = Array(repeating: 1, count: lines)
        dequantized = codes.map { element.decode($0) }
        originals = dequantized.map(\.approximateDouble)
    }

    /// An operand given as element codes under two-level group scales (BitMoD; `simulate mma`
    /// and tests): `groupScaleCodes` and `members` per line and group (`members` indexes
    /// `memberFormats`, empty for a single format), `lineScales` per line.
    public init(lines: Int, k: Int, codes: [UInt64], groupSize: Int, groupScaleCodes: [Int32], lineScales: [Double], members: [UInt8],
                memberFormats: [ScalarFormat]) {
        let groups = (k + groupSize - 1) / groupSize
        precondition(codes.count == lines * k && groupScaleCodes.count == lines * groups && lineScales.count == lines)
        precondition(members.isEmpty ? memberFormats.count == 1 : members.count == lines * groups)
        self.lines = lines
        self.k = k
        self.codes = codes
        self.groups = groups
        self.groupScaleCodes = groupScaleCodes
        self.lineScales = lineScales
        self.members = members
        scales = (0..<(lines * groups)).map { Double(groupScaleCodes[$0]) * lineScales[$0 / groups] }
        dequantized = (0..<(lines * k)).map { e in
            let line = e / k, g = (e % k) / groupSize
            let format = memberFormats[members.isEmpty ? 0 : Int(members[line * groups + g])]
            return ExactValue(format.decode(codes[e]).approximateDouble * scales[line * groups + g])
        }
        originals = dequantized.map(\.approximateDouble)
    }

    /// Quantises `lines` lines produced by `line(index)` with `plan`; `tensorAmax` is the
    /// whole tensor's (used when the plan needs it).
    public static func prepare(plan: OperandPlan, lines: Int, k: Int, tensorAmax: Double, seed: UInt64,
                               line: (Int) -> [Double]) -> QuantizedOperand {
        var p = QuantizedOperand(lines: lines, k: k)
        p.originals.reserveCapacity(lines * k)
        p.codes.reserveCapacity(lines * k)
        p.dequantized.reserveCapacity(lines * k)
        var generator = SeededGenerator(seed: seed)
        if let g = plan.groupSize { p.groups = (k + g - 1) / g }
        let shift = UInt64(plan.containerShift)
        for index in 0..<lines {
            let values = line(index)
            p.originals += values
            guard let scheme = plan.scheme else {
                // Direct rounding (FP16, BF16, TF32, FP32 inputs): nearest even, IEEE overflow.
                for v in values {
                    let r = plan.element.encode(ExactValue(v), rule: .toNearestOrEven, overflow: .infinity)
                    p.codes.append(r.code << shift)
                    p.dequantized.append(plan.element.decode(r.code))
                    if r.flags.contains(.overflow) { p.clipped += 1 }
                }
                p.scales.append(1)
                continue
            }
            let q = Quantizer.quantize(values, rows: 1, columns: k, scheme: scheme,
                                       tensorAmax: plan.needsTensorAmax ? tensorAmax : nil, generator: &generator)
            p.clipped += q.clippedCount
            // Dequantised values memoised per code within a group (scale, zero point and member
            // format are the group's) for codes of at most 8 bits.
            // An entry is valid when its stamp is the current group (no clearing per group).
            var memo = [ExactValue](repeating: .nan, count: plan.element.bitWidth <= 8 ? 256 : 0)
            var stamp = [Int](repeating: -1, count: memo.count)
            for c in 0..<k {
                let code = q.codes[c]
                p.codes.append(UInt64(code) << shift)
                guard !memo.isEmpty, code < 256 else { p.dequantized.append(q.dequantized(row: 0, column: c)); continue }
                let g = q.groupIndex(row: 0, column: c)
                if stamp[Int(code)] != g {
                    memo[Int(code)] = q.dequantized(row: 0, column: c)
                    stamp[Int(code)] = g
                }
                p.dequantized.append(memo[Int(code)])
            }
            switch plan.format {
            case .blockScaled:
                p.blockScaleCodes += q.scaleCodes
                p.tensorScale = q.tensorScale
                p.scales.append(1)
            default:
                p.scales += q.scales
                if scheme.asymmetric { p.zeroPoints += q.zeroPoints }
                p.groupScaleCodes += q.groupScaleCodes
                p.lineScales += q.lineScales
                if case .mixture = plan.format { p.members += q.members }
            }
        }
        return p
    }

    /// The same operand measured against other unquantised values (a baseline that quantises an
    /// already quantised operand keeps the original inputs as its accuracy reference).
    public func withOriginals(_ values: [Double]) -> QuantizedOperand {
        precondition(values.count == lines * k)
        var copy = self
        copy.originals = values
        return copy
    }

    /// The codes of every line restricted to the K range `range` (group slices), line-major.
    public func codes(in range: Range<Int>) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(lines * range.count)
        for l in 0..<lines { out += codes[(l * k + range.lowerBound)..<(l * k + range.upperBound)] }
        return out
    }

    /// The codes of line `line` over the K range `range`.
    public func codes(line: Int, in range: Range<Int>) -> ArraySlice<UInt64> {
        codes[(line * k + range.lowerBound)..<(line * k + range.upperBound)]
    }
}
