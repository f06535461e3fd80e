import ArchitectureSpec
import CMPFR
import Formats

extension ReferenceMMA {
    /// Block-scaled MMA (tensor-cores.md §6.1): group size 0 adds both scale exponents to every
    /// product; group size 16 sums each group exactly and multiplies it by both scale values,
    /// with the scales' exponents as the group term's alignment exponent. Result toward zero.
    func blockScaled(_ a: [UInt64], _ b: [UInt64], c: BigFloat, scalesA: [UInt64], scalesB: [UInt64], offset: Int) -> BigFloat {
        guard let sf = scaleFormat else { preconditionFailure("no scale format") }
        let first = offset / scaleBlock
        let count = (a.count + scaleBlock - 1) / scaleBlock
        func scale(_ code: UInt64) -> Operand {
            // UE4M3: the sign bit is ignored (absolute value).
            let masked = sf.isSigned ? code : code & ((1 << UInt64(sf.bitWidth)) - 1)
            let v = FormatReference.value(ofCode: masked, in: sf)
            let emin = sf.underflow == .noZero ? -sf.bias : 1 - sf.bias
            return Operand(value: v, exponent: v.isZero ? emin : v.isNaN ? 0 : Swift.max(v.mpfrExponent! - 1, emin))
        }
        let sa = (0..<count).map { scale(scalesA[first + $0]) }, sb = (0..<count).map { scale(scalesB[first + $0]) }
        let pairs = (0..<a.count).map { (operand(a[$0], inputA), operand(b[$0], inputB)) }
        if let s = special(pairs, c: c, scales: sa.map(\.value) + sb.map(\.value)) { return s }
        let rule = MPFRRounding.towardZero
        if profile.scaleGroupSize == 0 {
            let scaleProduct = BigFloat.exactProduct(sa[0].value, sb[0].value)
            let cOperand = alignmentOperand(c)
            var terms: [(BigFloat, Int)] = [(cOperand.value.copy(), cOperand.exponent)]
            for (x, y) in pairs {
                terms.append((BigFloat.exactProduct(BigFloat.exactProduct(x.value, y.value), scaleProduct),
                              x.exponent + y.exponent + sa[0].exponent + sb[0].exponent))
            }
            return sumAndRound(terms, outputRule: rule)
        }
        let group = profile.scaleGroupSize
        let cOperand = alignmentOperand(c)
        var terms: [(BigFloat, Int)] = [(cOperand.value.copy(), cOperand.exponent)]
        for g in stride(from: 0, to: a.count, by: group) {
            let products = (g..<Swift.min(g + group, a.count)).map { BigFloat.exactProduct(pairs[$0].0.value, pairs[$0].1.value) }
            let (groupSum, t) = BigFloat.sum(of: products, precision: 128, rounding: .nearestEven)
            precondition(t == .exact)
            let s = g / scaleBlock
            let term = BigFloat.exactProduct(BigFloat.exactProduct(groupSum, sa[s].value), sb[s].value)
            terms.append((term, sa[s].exponent + sb[s].exponent))
        }
        return sumAndRound(terms, outputRule: rule)
    }

    /// AMD CDNA3 FP16/BF16 (tensor-cores.md §3.4; MMA-Sim `amd_fused_dot_rd_add`): products
    /// >= 2^128 overflow to ±Inf; products fused at F relative to the largest product; that sum
    /// floored to 2^(E - 31) and c floored to 2^(E - 24) with E = max(E_sum, E_c); one
    /// round-to-nearest-even of the total.
    func amdCDNA3(_ a: [UInt64], _ b: [UInt64], c: BigFloat) -> BigFloat {
        var d = c
        for s in stride(from: 0, to: a.count, by: profile.blockWidth) {
            let range = s..<Swift.min(s + profile.blockWidth, a.count)
            let pairs = range.map { (operand(a[$0], inputA), operand(b[$0], inputB)) }
            if let sp = special(pairs, c: d) { d = sp; continue }
            var positive = false, negative = false
            var products: [(BigFloat, Int)] = []
            let limit = BigFloat.powerOfTwo(128)
            for (x, y) in pairs {
                let p = BigFloat.exactProduct(x.value, y.value)
                if !p.isZero && mpfr_cmpabs(p.pointer, limit.pointer) >= 0 {
                    if p.isNegative { negative = true } else { positive = true }
                    continue
                }
                products.append((p, x.exponent + y.exponent))
            }
            let r = BigFloat(precision: 2)
            if positive && negative { r.setNaN(); d = r; continue }
            if positive || negative { r.setInfinity(negative: negative); d = r; continue }
            let eSum = products.map(\.1).max()!
            let truncated = products.map { t -> BigFloat in
                let v = BigFloat(precision: Swift.max(t.0.precision, 2))
                v.setTruncated(t.0, toMultipleOfPowerOfTwo: eSum - profile.keptFractionBits)
                return v
            }
            let (sum, _) = BigFloat.sum(of: truncated, precision: 256, rounding: .nearestEven)
            let cOperand = alignmentOperand(d)
            let e = Swift.max(eSum, cOperand.exponent)
            func floorTo(_ v: BigFloat, _ q: Int) -> BigFloat {
                let scaled = BigFloat(precision: 300)
                scaled.scale(v, byPowerOfTwo: -q)
                mpfr_floor(scaled.pointer, scaled.pointer)
                scaled.scale(scaled, byPowerOfTwo: q)
                return scaled
            }
            let total = BigFloat(precision: 600)
            total.add(floorTo(sum, e - 31), floorTo(cOperand.value, e - 24), rounding: .nearestEven)
            if total.isZero { d = zero(negative: false); continue }
            d = roundOutput(total, rule: .nearestEven)
        }
        return d
    }
}
