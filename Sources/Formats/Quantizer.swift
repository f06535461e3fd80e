/// Maps FP64/FP32 matrices to quantised tensors (codes + scales + zero points) under a
/// `QuantizationScheme`, and back.
///
/// Exactness: every element is converted from the *exact* quotient x / s. The quotient is
/// formed in binary64 rounded to odd (one FMA gives the remainder's sign), which rounds
/// correctly to any element format of at most 51 significand bits (Boldo & Melquiond 2008).
public enum Quantizer {
    /// x / s rounded to odd at binary64 precision (exact when the quotient is representable).
    @inlinable
    public static func quotientRoundedToOdd(_ x: Double, _ s: Double) -> Double {
        let q = x / s
        guard q.isFinite, q != 0 else { return q }
        let r = x.addingProduct(-q, s)  // x - q * s, exact for normal quotients (fma)
        if r == 0 || q.bitPattern & 1 == 1 { return q }
        // The exact quotient lies beyond q in the direction of r / s: step one ulp toward it.
        return (r > 0) == (s > 0) ? q.nextUp : q.nextDown
    }

    /// Quantises a row-major matrix. `tensorAmax`, when given, is the whole tensor's largest
    /// finite magnitude: a per-tensor scale and the NVFP4 tensor scale then come from it instead
    /// of from `values`, so a large tensor can be quantised a row at a time.
    public static func quantize(_ values: [Double], rows: Int, columns: Int, scheme: QuantizationScheme,
                                tensorAmax: Double? = nil, generator: inout SeededGenerator) -> QuantizedMatrix {
        precondition(values.count == rows * columns && rows > 0 && columns > 0)
        let (groupSize, alongRows, perTensor) = layout(scheme.granularity, rows: rows, columns: columns)
        let groupsPerLine = (alongRows ? columns : rows + 0).quotientRoundingUp(groupSize)
        let lineCount = alongRows ? rows : columns
        let groupCount = perTensor ? 1 : lineCount * groupsPerLine
        // Element indices of each group.
        func members(of g: Int) -> [Int] {
            if perTensor { return Array(0..<values.count) }
            let line = g / groupsPerLine, start = (g % groupsPerLine) * groupSize
            let length = alongRows ? columns : rows
            return (start..<Swift.min(start + groupSize, length)).map { alongRows ? line * columns + $0 : $0 * columns + line }
        }
        var codes = [UInt32](repeating: 0, count: values.count)
        var scales = [Double](repeating: 1, count: groupCount)
        var zeroPoints = [Int32](repeating: 0, count: groupCount)
        var memberIndex = [UInt8](repeating: 0, count: groupCount)
        var scaleCodes = [UInt64](repeating: 0, count: groupCount)
        var clipped = 0
        var tensorScale: Float = 1
        var twoLevel: (groupScales: [Int32], lineScales: [Double]) = ([], [])

        switch scheme.format {
        case .blockScaled(let b):
            if b.rule == .nvfp4 {
                let amax = tensorAmax.map { Float($0) } ?? values.reduce(Float(0)) { $1.isFinite ? Swift.max($0, Float(Swift.abs($1))) : $0 }
                tensorScale = BlockScaledFormat.nvfp4TensorScale(amax: amax)
            }
            for g in 0..<groupCount {
                let idx = members(of: g)
                precondition(idx.count <= b.blockSize, "group larger than the format's block")
                let block = b.quantize(idx.map { values[$0] }, tensorScale: tensorScale)
                for (k, i) in idx.enumerated() { codes[i] = UInt32(block.elementCodes[k]) }
                scaleCodes[g] = block.scaleCode
                let s = b.scale.decode(block.scaleCode)
                scales[g] = s.isNaN ? .nan : s.approximateDouble * (b.rule == .nvfp4 ? Double(tensorScale) : 1)
                clipped += block.clipped
            }
        case .mixture(let family):
            var deltas = [Double](repeating: 1, count: groupCount)
            for g in 0..<groupCount {
                let chosen = family.select(group: members(of: g).map { values[$0] })
                memberIndex[g] = UInt8(chosen.member)
                deltas[g] = chosen.scale
            }
            (scales, twoLevel) = effectiveScales(deltas, scheme: scheme, lineCount: lineCount, groupsPerLine: groupsPerLine)
            for g in 0..<groupCount {
                let book = ScalarFormat.codebook(family.members[Int(memberIndex[g])])
                for i in members(of: g) {
                    let r = encode(values[i], scale: scales[g], format: book, scheme: scheme, generator: &generator)
                    codes[i] = UInt32(r.code)
                    if r.flags.contains(.overflow) { clipped += 1 }
                }
            }
        case .scalar(.codebook(let c)) where c.outlierVictimPairs:
            // OliVe: scale and codes per group with the pair rule (OliVe.quantize).
            var deltas = [Double](repeating: 1, count: groupCount)
            var groupCodes: [[UInt64]] = []
            for g in 0..<groupCount {
                let (scale, codes) = OliVe.quantize(members(of: g).map { values[$0] }, codebook: c)
                deltas[g] = scale
                groupCodes.append(codes)
            }
            (scales, twoLevel) = effectiveScales(deltas, scheme: scheme, lineCount: lineCount, groupsPerLine: groupsPerLine)
            for g in 0..<groupCount {
                // The stored scale may differ from the chosen one (scale formats): re-encode at it.
                let idx = members(of: g)
                let chosen = scales[g] == deltas[g] ? groupCodes[g] : OliVe.encodePairs(idx.map { values[$0] }, scale: scales[g], codebook: c).codes
                for (k, i) in idx.enumerated() { codes[i] = UInt32(chosen[k]) }
            }
        case .scalar(let element):
            var deltas = [Double](repeating: 1, count: groupCount)
            for g in 0..<groupCount {
                let idx = members(of: g)
                if perTensor, let amax = tensorAmax, !scheme.asymmetric, case .absmax = scheme.scaleSelection {
                    deltas[g] = amax / element.maxMagnitude.approximateDouble
                    continue
                }
                let (delta, zero) = chooseScale(idx.map { values[$0] }, element: element, scheme: scheme, generator: &generator)
                deltas[g] = delta
                zeroPoints[g] = zero
            }
            (scales, twoLevel) = effectiveScales(deltas, scheme: scheme, lineCount: lineCount, groupsPerLine: groupsPerLine)
            for g in 0..<groupCount {
                for i in members(of: g) {
                    let r = encode(values[i], scale: scales[g], zeroPoint: zeroPoints[g], format: element, scheme: scheme,
                                   generator: &generator)
                    codes[i] = UInt32(r.code)
                    if r.flags.contains(.overflow) { clipped += 1 }
                }
            }
        }
        return QuantizedMatrix(rows: rows, columns: columns, scheme: scheme, codes: codes, scales: scales,
                               zeroPoints: zeroPoints, members: memberIndex, scaleCodes: scaleCodes,
                               tensorScale: tensorScale, clippedCount: clipped, groupSize: groupSize,
                               alongRows: alongRows, perTensor: perTensor, groupScaleCodes: twoLevel.groupScales,
                               lineScales: twoLevel.lineScales)
    }

    static func layout(_ g: QuantizationScheme.Granularity, rows: Int, columns: Int) -> (Int, Bool, Bool) {
        switch g {
        case .perTensor: return (rows * columns, true, true)
        case .perRow: return (columns, true, false)
        case .perColumn: return (rows, false, false)
        case .perGroup(let size, let alongRows):
            precondition(size > 0)
            return (size, alongRows, false)
        }
    }

    /// Stored scales: rounded to `scaleFormat`, or two-level (integer group scale times a binary16
    /// row scale, both returned as well). A zero scale (all-zero group) becomes 1 (with integer
    /// group scale 1 and row scale 1 under two levels).
    static func effectiveScales(_ deltas: [Double], scheme: QuantizationScheme, lineCount: Int, groupsPerLine: Int)
        -> ([Double], (groupScales: [Int32], lineScales: [Double])) {
        if let bits = scheme.groupScaleBits, case .perGroup(_, true) = scheme.granularity {
            let levels = Double((1 << bits) - 1)
            var out = deltas
            var groupScales = [Int32](repeating: 0, count: deltas.count), lineScales = [Double](repeating: 1, count: lineCount)
            for line in 0..<lineCount {
                let range = line * groupsPerLine..<(line + 1) * groupsPerLine
                let top = deltas[range].max() ?? 1
                let rowScale = StandardFormats.fp16.encode(ExactValue(top / levels), rule: .toNearestOrEven, overflow: .saturate)
                let s = StandardFormats.fp16.decode(rowScale.code).approximateDouble
                lineScales[line] = s > 0 ? s : 1
                for g in range {
                    let q = s > 0 ? Swift.min(Swift.max((deltas[g] / s).rounded(.toNearestOrEven), 0), levels) : 0
                    out[g] = q * s > 0 ? q * s : 1
                    groupScales[g] = Int32(q)
                }
            }
            return (out, (groupScales, lineScales))
        }
        return (deltas.map { d in
            guard d > 0, d.isFinite else { return 1 }
            guard let f = scheme.scaleFormat else { return d }
            let r = f.encode(ExactValue(d), rule: .toNearestOrEven, overflow: .saturate)
            let v = f.decode(r.code).approximateDouble
            return v > 0 ? v : d
        }, ([], []))
    }

    /// The scale (and zero point) of one group.
    static func chooseScale(_ group: [Double], element: ScalarFormat, scheme: QuantizationScheme,
                            generator: inout SeededGenerator) -> (Double, Int32) {
        let finite = group.filter { $0.isFinite }
        let base: Double
        var zero: Int32 = 0
        if scheme.asymmetric, case .integer(let i) = element {
            let low = Swift.min(finite.min() ?? 0, 0), high = Swift.max(finite.max() ?? 0, 0)
            let levels = Double(i.maximum - i.minimum)
            base = (high - low) / levels
            if base > 0 {
                zero = Int32(clamping: Int64(Double(i.minimum) - (low / base).rounded(.toNearestOrEven)))
                zero = Int32(Swift.min(Swift.max(Int64(zero), i.minimum), i.maximum))
            }
        } else if case .absmean = scheme.scaleSelection {
            base = finite.isEmpty ? 0 : finite.reduce(0.0) { $0 + Swift.abs($1) } / Double(finite.count)
        } else {
            let amax = finite.reduce(0.0) { Swift.max($0, Swift.abs($1)) }
            base = amax / element.maxMagnitude.approximateDouble
        }
        guard base > 0 else { return (1, zero) }
        guard case .mseSearch(let candidates) = scheme.scaleSelection, candidates > 1 else { return (base, zero) }
        var best = (error: Double.infinity, scale: base)
        for k in 0..<candidates {
            let s = base * Double(candidates - k) / Double(candidates)
            var error = 0.0
            for x in group {
                let r = encode(x, scale: s, zeroPoint: zero, format: element, scheme: scheme, generator: &generator)
                var v = element.decode(r.code).approximateDouble
                if scheme.asymmetric, case .integer(let i) = element { v = Double(i.integer(ofCode: r.code) - Int64(zero)) }
                let d = v * s - x
                error += d * d
            }
            if error < best.error { best = (error, s) }
        }
        return (best.scale, zero)
    }

    /// One element: q = round(x / s) (+ zero point, clamped) in `format`.
    static func encode(_ x: Double, scale: Double, zeroPoint: Int32 = 0, format: ScalarFormat, scheme: QuantizationScheme,
                       generator: inout SeededGenerator) -> EncodeResult {
        let quotient = ExactValue(quotientRoundedToOdd(x, scale))
        if scheme.asymmetric, case .integer(let i) = format {
            let wide = IntegerFormat(bitWidth: 32, encoding: .twosComplement)
            let r = wide.encode(quotient, rule: scheme.rounding, overflow: .saturate) { generator.next() }
            let shifted = Int64(wide.integer(ofCode: r.code)) + Int64(zeroPoint)
            let clamped = Swift.min(Swift.max(shifted, i.minimum), i.maximum)
            var flags = r.flags
            if clamped != shifted { flags.formUnion([.overflow, .inexact]) }
            return EncodeResult(code: i.code(ofInteger: clamped), ternary: r.ternary, flags: flags)
        }
        return format.encode(quotient, rule: scheme.rounding, overflow: .saturate) { generator.next() }
    }
}

extension Int {
    @inlinable func quotientRoundingUp(_ d: Int) -> Int { (self + d - 1) / d }
}
