import ArchitectureSpec
import CMPFR
import Formats

/// Reference semantics of tensor-core MMA, written from tensor-cores.md §3.1 with MPFR: values
/// from bit fields, exact products, the largest alignment exponent, truncation of every term to
/// the 2^(E - F) quantum, exact `mpfr_sum`, output rounding with exponent range and subnormals,
/// chaining. It shares no code with `TensorCoreEngine` (only the profile's parameters).
public struct ReferenceMMA {
    public let profile: MMANumericsSpec
    public let inputA: MiniFloatFormat
    public let inputB: MiniFloatFormat
    public let output: MiniFloatFormat
    public let instructionK: Int
    public let scaleBlock: Int
    public let scaleFormat: MiniFloatFormat?
    /// The scale code whose MPFR value is 1, for the padding of short lines (0 without scales).
    let unitScaleCode: UInt64
    /// Operand values by code, computed once (a reference instance is used by one thread).
    let cache = OperandCache()

    /// Per (format, alignment layout): operand by code, in an array for codes below 2^16 and a
    /// dictionary above (TF32 containers).
    final class OperandCache {
        struct Layout: Hashable {
            let format: MiniFloatFormat
            let alignment: MiniFloatFormat?
        }
        var small: [Layout: [Operand?]] = [:]
        var large: [Layout: [UInt64: Operand]] = [:]
    }

    public init(profile: MMANumericsSpec, inputA: MiniFloatFormat, inputB: MiniFloatFormat, output: MiniFloatFormat,
                instructionK: Int, scaleBlock: Int = 0, scaleFormat: MiniFloatFormat? = nil) {
        self.profile = profile
        self.inputA = inputA
        self.inputB = inputB
        self.output = output
        self.instructionK = instructionK
        self.scaleBlock = scaleBlock
        self.scaleFormat = scaleFormat
        let one = BigFloat(1)
        unitScaleCode = scaleFormat.flatMap { sf in
            (UInt64(0)..<(UInt64(1) << UInt64(sf.bitWidth))).first { BigFloat.compare(FormatReference.value(ofCode: $0, in: sf), one) == 0 }
        } ?? 0
    }

    /// An operand value with the exponent alignment uses: max(floor(log2|x|), emin), or the
    /// zero-operand rule's exponent for zeros.
    struct Operand {
        let value: BigFloat
        let exponent: Int
    }

    func operand(_ code: UInt64, _ f: MiniFloatFormat, alignAs alignment: MiniFloatFormat? = nil) -> Operand {
        // Values are immutable once made: cache them by layout and code.
        let layout = OperandCache.Layout(format: f, alignment: alignment)
        if code < 1 << 16 {
            if let hit = cache.small[layout]?[Int(code)] { return hit }
            let made = makeOperand(code, f, alignAs: alignment)
            cache.small[layout, default: [Operand?](repeating: nil, count: 1 << 16)][Int(code)] = made
            return made
        }
        if let hit = cache.large[layout]?[code] { return hit }
        let made = makeOperand(code, f, alignAs: alignment)
        cache.large[layout, default: [:]][code] = made
        return made
    }

    func makeOperand(_ code: UInt64, _ f: MiniFloatFormat, alignAs alignment: MiniFloatFormat? = nil) -> Operand {
        let v: BigFloat
        if f == StandardFormats.tf32 {
            // FP32 container: truncated to TF32 (PTX), or rounded to nearest, ties away, when
            // the profile turns truncation off.
            let x = FormatReference.value(ofCode: code & 0xFFFF_FFFF, in: StandardFormats.fp32)
            let tf32 = BinaryFloatTarget(precision: 11, minNormalExponent: -126, maxExponent: 127, subnormals: true)
            v = x.isFinite ? x.rounded(to: tf32, rule: profile.tf32InputTruncation ? .towardZero : .toNearestOrAwayFromZero).value : x
        } else {
            v = FormatReference.value(ofCode: code, in: f)
        }
        let layout = alignment ?? f
        let emin = layout.underflow == .noZero ? -layout.bias : 1 - layout.bias
        if v.isZero {
            switch profile.zeroOperandExponent {
            case .fixedMinus126: return Operand(value: v, exponent: -126)
            case .formatMinimum, .excluded: return Operand(value: v, exponent: emin)
            }
        }
        guard let e = v.mpfrExponent else { return Operand(value: v, exponent: 0) }
        return Operand(value: v, exponent: Swift.max(e - 1, emin))
    }

    /// The value of D = C + sum a[i] b[i] (NaN, ±Inf or finite), instruction by instruction.
    /// Runs in a flag-preserving scope (exact sums, floors and truncations raise MPFR's inexact
    /// flag; callers' flags stay as they were).
    public func dot(_ a: [UInt64], _ b: [UInt64], c: UInt64, scalesA: [UInt64] = [], scalesB: [UInt64] = []) -> BigFloat {
        MPFRExponentRange.preservingFlags { dotRaisingFlags(a, b, c: c, scalesA: scalesA, scalesB: scalesB) }
    }

    private func dotRaisingFlags(_ a: [UInt64], _ b: [UInt64], c: UInt64, scalesA: [UInt64], scalesB: [UInt64]) -> BigFloat {
        var d = FormatReference.value(ofCode: c, in: output)
        var scalesA = scalesA, scalesB = scalesB
        if scaleFormat != nil, scaleBlock > 0 {
            // The zero padding of a line shorter than whole instructions gets scales of 1 (its
            // products are zero whatever the scale).
            let padded = ((a.count + instructionK - 1) / instructionK * instructionK + scaleBlock - 1) / scaleBlock
            scalesA += Array(repeating: unitScaleCode, count: Swift.max(0, padded - scalesA.count))
            scalesB += Array(repeating: unitScaleCode, count: Swift.max(0, padded - scalesB.count))
        }
        var start = 0
        repeat {
            var sa = Array(a[start..<Swift.min(start + instructionK, a.count)])
            var sb = Array(b[start..<Swift.min(start + instructionK, b.count)])
            while sa.count < instructionK { sa.append(0); sb.append(0) }
            d = instruction(sa, sb, c: d, scalesA: scalesA, scalesB: scalesB, offset: start)
            start += instructionK
        } while start < a.count
        return d
    }

    func instruction(_ a: [UInt64], _ b: [UInt64], c: BigFloat, scalesA: [UInt64], scalesB: [UInt64], offset: Int) -> BigFloat {
        switch profile.algorithm {
        case .blockFMA:
            var d = c
            for s in stride(from: 0, to: a.count, by: profile.blockWidth) {
                let range = s..<Swift.min(s + profile.blockWidth, a.count)
                let pairs = range.map { (operand(a[$0], inputA), operand(b[$0], inputB)) }
                d = fused(pairs.map { ($0.0, $0.1, 0) }, c: d)
            }
            return d
        case .fp8ViaF16Steps:
            let fp16 = StandardFormats.fp16
            let pairs = (0..<a.count).map { (operand(a[$0], inputA, alignAs: fp16), operand(b[$0], inputB, alignAs: fp16)) }
            let zero = BigFloat(precision: 2)
            zero.setZero()
            let step1 = fused(pairs.indices.filter { $0 % 4 < 2 }.map { (pairs[$0].0, pairs[$0].1, 0) }, c: zero)
            let step2 = fused(pairs.indices.filter { $0 % 4 >= 2 }.map { (pairs[$0].0, pairs[$0].1, 0) }, c: step1)
            return ieeeAdd(step2, c)
        case .blockScaled:
            return blockScaled(a, b, c: c, scalesA: scalesA, scalesB: scalesB, offset: offset)
        case .integer:
            preconditionFailure("integer MMA reference: use ExactInteger")
        case .amdCDNA3:
            return amdCDNA3(a, b, c: c)
        }
    }

    /// Specials (§3.1 step 1) over products and c; `nil` when all finite.
    func special(_ pairs: [(Operand, Operand)], c: BigFloat, scales: [BigFloat] = []) -> BigFloat? {
        var nan = c.isNaN || scales.contains { $0.isNaN }
        var positive = c.isInfinite && !c.isNegative, negative = c.isInfinite && c.isNegative
        for (x, y) in pairs {
            if x.value.isNaN || y.value.isNaN { nan = true; continue }
            if x.value.isInfinite || y.value.isInfinite {
                if x.value.isZero || y.value.isZero { nan = true; continue }
                if x.value.isNegative != y.value.isNegative { negative = true } else { positive = true }
            }
        }
        let r = BigFloat(precision: 2)
        if nan || (positive && negative) { r.setNaN(); return r }
        if positive || negative { r.setInfinity(negative: negative); return r }
        return nil
    }

    /// One fused block: terms (a, b, extra exponent) plus c.
    func fused(_ pairs: [(Operand, Operand, Int)], c: BigFloat) -> BigFloat {
        if let s = special(pairs.map { ($0.0, $0.1) }, c: c) { return s }
        let cOperand = alignmentOperand(c)
        var terms: [(BigFloat, Int)] = [(cOperand.value.copy(), cOperand.exponent)]
        for (x, y, extra) in pairs {
            terms.append((BigFloat.exactProduct(x.value, y.value), x.exponent + y.exponent + extra))
        }
        return sumAndRound(terms)
    }

    /// c decoded with the output format's minimum exponent (or the zero rule).
    func alignmentOperand(_ c: BigFloat) -> Operand {
        let emin = output.minNormalExponent
        if c.isZero {
            return Operand(value: c, exponent: profile.zeroOperandExponent == .fixedMinus126 ? -126 : emin)
        }
        return Operand(value: c, exponent: Swift.max(c.mpfrExponent! - 1, emin))
    }

    /// Align to the largest exponent, truncate each term to 2^(E - F), sum exactly, round.
    func sumAndRound(_ terms: [(BigFloat, Int)], outputRule: MPFRRounding? = nil) -> BigFloat {
        let included = profile.zeroOperandExponent == .excluded ? terms.filter { !$0.0.isZero } : terms
        let allNegativeZeros = terms.allSatisfy { $0.0.isZero && $0.0.isNegative }
        guard var e = included.map(\.1).max() else { return zero(negative: allNegativeZeros) }
        if let floor = profile.minAlignmentExponent { e = Swift.max(e, floor) }
        // Truncate each term in place (terms are this block's own products and copies).
        for term in included { term.0.setTruncated(term.0, toMultipleOfPowerOfTwo: e - profile.keptFractionBits) }
        let (sum, t) = BigFloat.sum(of: included.map(\.0), precision: 256, rounding: .nearestEven)
        precondition(t == .exact, "block sums are exact at 256 bits")
        if sum.isZero { return zero(negative: allNegativeZeros) }
        return roundOutput(sum, rule: outputRule)
    }

    func zero(negative: Bool) -> BigFloat {
        let z = BigFloat(precision: 2)
        z.setZero(negative: negative && profile.exactZeroSign == .ieee)
        return z
    }

    /// Output rounding: binary32 (24 bits, or 14 for e8m13) toward zero, or binary16 to nearest
    /// even, per the profile; overflow to ±Inf or ±max.
    func roundOutput(_ v: BigFloat, rule: MPFRRounding? = nil) -> BigFloat {
        let isFP32 = output == StandardFormats.fp32
        let precision = isFP32 ? profile.fp32OutputSignificandBits : 11
        let target = BinaryFloatTarget(precision: precision, minNormalExponent: isFP32 ? -126 : -14,
                                       maxExponent: isFP32 ? 127 : 15, subnormals: true)
        let mode = rule ?? ((isFP32 ? profile.fp32OutputRounding : profile.fp16OutputRounding) == .towardZero
                            ? MPFRRounding.towardZero : .nearestEven)
        let r = v.rounded(to: target, rounding: mode)
        if r.overflow || r.value.isInfinite {
            let o = BigFloat(precision: 64)
            if profile.outputOverflow == .infinity {
                o.setInfinity(negative: v.isNegative)
            } else {
                o.set(FormatReference.largestFinite(output), rounding: .nearestEven)
                if v.isNegative { o.negate(o) }
            }
            return o
        }
        return r.value
    }

    /// IEEE addition rounded to nearest even in the output format.
    func ieeeAdd(_ x: BigFloat, _ y: BigFloat) -> BigFloat {
        let r = BigFloat(precision: 2)
        if x.isNaN || y.isNaN { r.setNaN(); return r }
        if x.isInfinite && y.isInfinite && x.isNegative != y.isNegative { r.setNaN(); return r }
        if x.isInfinite { return x }
        if y.isInfinite { return y }
        let s = BigFloat(precision: 600)
        precondition(s.add(x, y, rounding: .nearestEven) == .exact)
        if s.isZero {
            r.setZero(negative: x.isNegative && y.isNegative)
            return r
        }
        let target = output == StandardFormats.fp32 ? BinaryFloatTarget.binary32 : .binary16
        let rounded = s.rounded(to: target, rounding: .nearestEven)
        if rounded.overflow { r.setInfinity(negative: s.isNegative); return r }
        return rounded.value
    }
}
