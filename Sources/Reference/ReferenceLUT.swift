import ArchitectureSpec
import Formats

/// Reference semantics of the LUT Tensor Core's raw accumulator (docs/lut-tensor-core.md,
/// "Semantics"), written from lut-tensor-core.md §2-3 with MPFR: for each weight bit-plane the
/// stored entry for the plane's sign pattern (complemented when its bit 0 is set) is computed
/// from its definition, sum_k (2 beta_k - 1) a_k with the precompute adds rounded in order,
/// converted to the entry format (with the table scale), negated when bit 0 was set, scaled by
/// 2^b and added into the accumulator with its rounding. Shares no code with `LUTEngine` (only
/// the unit's parameters from the document).
public struct ReferenceLUT {
    public let unit: LUTUnitSpec
    public let activation: ScalarFormat
    public let weightBits: Int

    public init(unit: LUTUnitSpec, activation: ScalarFormat, weightBits: Int) {
        self.unit = unit
        self.activation = activation
        self.weightBits = weightBits
    }

    static let wide = 600

    /// Exact sum of BigFloats (or NaN/Inf by IEEE rules).
    static func exactSum(_ terms: [BigFloat]) -> BigFloat {
        let s = BigFloat(precision: wide)
        s.setZero()
        for t in terms { s.add(s, t, rounding: .nearestEven) }
        return s
    }

    /// The raw accumulator over one weight group for one output: `activations` are the codes of
    /// the group's activations in K order, `planeCodes` the weights as unsigned W-bit codes q
    /// (weight = s (q - z)). Returns the accumulator rendered for comparison (a hex float, or
    /// the integer for int32) and its value.
    public func groupAccumulator(activations: [UInt64], planeCodes: [UInt8]) -> String {
        precondition(activations.count == planeCodes.count)
        let kg = unit.tileK
        let x: [BigFloat] = activations.map { code in
            switch activation {
            case .float(let f): return FormatReference.value(ofCode: code, in: f)
            case .integer(let i): return BigFloat(Int(i.integer(ofCode: code)))
            case .codebook: preconditionFailure("codebook activations are refused by the plan")
            }
        }
        let chunks = (x.count + kg - 1) / kg
        func chunkValues(_ c: Int) -> [BigFloat] {
            (0..<kg).map { c * kg + $0 < x.count ? x[c * kg + $0] : BigFloat(0) }
        }
        func chunkPlaneBits(_ c: Int, _ b: Int) -> [Int] {
            (0..<kg).map { c * kg + $0 < x.count ? Int(planeCodes[c * kg + $0] >> UInt8(b) & 1) : 0 }
        }
        // The precompute value of the full table at beta (before conversion to the entry format).
        func precompute(_ a: [BigFloat], _ beta: [Int]) -> BigFloat {
            let terms: [BigFloat] = zip(a, beta).map { v, bit in
                let t = BigFloat(precision: v.precision)
                if bit == 1 { t.set(v, rounding: .nearestEven) } else { t.negate(v) }
                return t
            }
            if unit.tableFormat.isInteger || unit.precomputeOrder == .correctlyRounded { return Self.exactSum(terms) }
            let target: BinaryFloatTarget = unit.precomputeFormat == .fp32 ? .binary32 : .binary16
            var v = terms[0]
            for t in terms.dropFirst() {
                let s = BigFloat(precision: Self.wide)
                s.add(v, t, rounding: .nearestEven)
                v = s.rounded(to: target, rounding: .nearestEven).value
            }
            return v
        }
        // Every table of the group (all 2^K sign patterns: the stored half and its negation) sets
        // the table scale; then the per-plane entries.
        var maxMagnitude = BigFloat(0)
        if tableScaled {
            for c in 0..<chunks {
                let a = chunkValues(c)
                for pattern in 0..<(1 << kg) {
                    let v = precompute(a, (0..<kg).map { pattern >> $0 & 1 })
                    guard v.isFinite else { continue }
                    let magnitude = BigFloat(precision: v.precision)
                    magnitude.set(v, rounding: .nearestEven)
                    if magnitude.isNegative { magnitude.negate(magnitude) }
                    if BigFloat.compare(magnitude, maxMagnitude) ?? 0 > 0 { maxMagnitude = magnitude }
                }
            }
        }
        let convert = entryConverter(maxMagnitude: maxMagnitude)
        let acc = BigFloat(precision: Self.wide)
        acc.setZero()
        for c in 0..<chunks {
            let a = chunkValues(c)
            for b in 0..<weightBits {
                // The RTL stores the half table with beta_0 = 0 and flips the sign bit when beta_0
                // = 1 (lut-tensor-core.md §2.4): the entry of the complemented pattern, negated.
                var beta = chunkPlaneBits(c, b)
                let flip = beta[0] == 1
                if flip { beta = beta.map { 1 - $0 } }
                var entry = convert(precompute(a, beta))
                if unit.rtlQuirks { entry = quirkScaled(entry, plane: b) }
                if flip { entry.negate(entry) }
                let contribution = BigFloat(precision: Self.wide)
                if unit.rtlQuirks {
                    contribution.set(entry, rounding: .nearestEven)
                } else {
                    contribution.scale(entry, byPowerOfTwo: b)
                }
                let sum = BigFloat(precision: Self.wide)
                sum.add(acc, contribution, rounding: .nearestEven)
                acc.set(roundAccumulator(sum), rounding: .nearestEven)
            }
        }
        if unit.accumulatorFormat == .int32 { return String(acc.int128Value.map { Int64($0) } ?? 0) }
        return acc.hexString
    }

    var tableScaled: Bool { [.e4m3, .e5m2, .int8].contains(unit.tableFormat) }

    /// Conversion of a precompute value into the stored entry's value.
    func entryConverter(maxMagnitude: BigFloat) -> (BigFloat) -> BigFloat {
        switch unit.tableFormat {
        case .int16: return { $0 }
        case .int8:
            // s_t = RNE32(M / 127); q = clamp(RNE(RNE32(v / s_t)), -127, 127).
            let scale = BigFloat(precision: Self.wide)
            if maxMagnitude.isZero { scale.set(1) } else { scale.divide(maxMagnitude, BigFloat(127), rounding: .nearestEven) }
            let s = scale.rounded(to: .binary32, rounding: .nearestEven).value
            return { v in
                let q = BigFloat(precision: Self.wide)
                q.divide(v, s, rounding: .nearestEven)
                let (n, _) = FormatReference.roundToInteger(q.rounded(to: .binary32, rounding: .nearestEven).value, rule: .toNearestOrEven)
                let clamped = Swift.min(Swift.max(Int(n.int128Value ?? 0), -127), 127)
                return BigFloat(clamped)
            }
        case .fp16:
            return { $0.rounded(to: .binary16, rounding: .nearestEven).value }
        case .e4m3, .e5m2:
            let f = unit.tableFormat == .e4m3 ? StandardFormats.e4m3 : StandardFormats.e5m2
            let largest = FormatReference.largestFinite(f)
            // k: the least integer with M <= largest * 2^k.
            var k = 0
            if !maxMagnitude.isZero {
                k = (maxMagnitude.mpfrExponent ?? 0) - (largest.mpfrExponent ?? 0) - 1
                func fits(_ k: Int) -> Bool {
                    let bound = BigFloat(precision: Self.wide)
                    bound.scale(largest, byPowerOfTwo: k)
                    return (BigFloat.compare(maxMagnitude, bound) ?? 1) <= 0
                }
                while !fits(k) { k += 1 }
                while fits(k - 1) { k -= 1 }
            }
            let reference = FormatReference.MiniFloat(f)
            let oddTarget = BinaryFloatTarget(precision: 62, minNormalExponent: -100_000, maxExponent: 100_000, subnormals: true)
            return { v in
                guard v.isFinite else {
                    let special = v.isNaN ? ExactValue.nan : ExactValue.infinity(negative: v.isNegative)
                    return reference.round(special, rule: .toNearestOrEven, overflow: .saturate).value
                }
                let scaled = BigFloat(precision: Self.wide)
                scaled.scale(v, byPowerOfTwo: -k)
                let odd = scaled.isZero ? ExactValue.zero(negative: scaled.isNegative)
                    : scaled.rounded(to: oddTarget, rule: .toOdd).value.exactValue!
                return reference.round(odd, rule: .toNearestOrEven, overflow: .saturate).value
            }
        }
    }

    /// The accumulator's rounding of an exact sum.
    func roundAccumulator(_ s: BigFloat) -> BigFloat {
        switch unit.accumulatorFormat {
        case .fp32: return s.rounded(to: .binary32, rounding: .nearestEven).value
        case .fp16:
            let r = s.rounded(to: .binary16, rounding: .nearestEven).value
            if unit.rtlQuirks, r.isFinite, !r.isZero, (r.mpfrExponent ?? 0) - 1 < -14 {
                let z = BigFloat(precision: 11)
                z.setZero(negative: r.isNegative)
                return z
            }
            return r
        case .int32:
            guard let v = s.int128Value else { return s }
            let wrapped = Int128(Int32(truncatingIfNeeded: v))
            return BigFloat(Int(wrapped))
        }
    }

    /// The RTL's scaling (lut-tensor-core.md §3.3 quirks 1-2): the signed FP16 entry's 5-bit
    /// exponent field plus b, wrapping; a zero field reads as zero (no denormals).
    func quirkScaled(_ entry: BigFloat, plane b: Int) -> BigFloat {
        let code = Self.binary16Code(entry)
        let field = (Int(code >> 10) & 31 + b) & 31
        let negative = code & 0x8000 != 0
        if field == 0 {
            let z = BigFloat(precision: 11)
            z.setZero(negative: negative)
            return z
        }
        return FormatReference.value(ofCode: UInt64(code & 0x83FF) | UInt64(field) << 10, in: StandardFormats.fp16)
    }

    /// The binary16 bit pattern of a value already on binary16's grid, from its MPFR fields.
    static func binary16Code(_ v: BigFloat) -> UInt16 {
        let sign: UInt16 = v.isNegative ? 0x8000 : 0
        if v.isNaN { return 0x7E00 }
        if v.isInfinite { return sign | 0x7C00 }
        if v.isZero { return sign }
        // v = 0.1xxx * 2^e (MPFR): binade e - 1.
        let e = v.mpfrExponent! - 1
        let magnitude = BigFloat(precision: 64)
        magnitude.set(v, rounding: .nearestEven)
        if magnitude.isNegative { magnitude.negate(magnitude) }
        if e < -14 {
            let units = BigFloat(precision: 64)
            units.scale(magnitude, byPowerOfTwo: 24)
            return sign | UInt16(units.int128Value!)
        }
        let significand = BigFloat(precision: 64)
        significand.scale(magnitude, byPowerOfTwo: 10 - e)
        return sign | UInt16(e + 15) << 10 | UInt16(significand.int128Value! - 1024)
    }
}
