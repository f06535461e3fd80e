import EngineKit
import ArchitectureSpec
import Formats

extension MMAUnit {
    /// Decodes a block scale (E8M0, or UE4M3 with its sign bit ignored) as an operand.
    func scaleOperand(_ code: UInt64) -> DecodedOperand {
        guard let f = scaleFormat else { preconditionFailure("no scale format") }
        let decoder = OperandDecoder(format: f, zeroRule: .formatMinimum)
        return decoder.decode(f.isSigned ? code : code & BitMask.low(f.bitWidth))
    }

    /// Blackwell block-scaled MMA (tensor-cores.md §6.1; MMA-Sim
    /// `nv_fused_dot_add_with_block_scale`). With group size 0 (kind::mxf8f6f4) both scale
    /// exponents join every product's exponent and the block is fused at F. With group size 16
    /// (kind::mxf4, mxf4nvf4) each 16-element group sum is exact, multiplied exactly by the two
    /// scales (term exponent = the scales' exponents), then the groups and c are fused at F.
    /// A NaN scale or c gives NaN; the result is rounded toward zero to binary32.
    func blockScaled(_ a: [UInt64], _ b: [UInt64], c: UInt64, scalesA: [UInt64], scalesB: [UInt64], offset: Int) -> UInt64 {
        let out = output!
        let scaleBlock = instruction.scaleBlock
        let firstScale = offset / scaleBlock
        let count = (a.count + scaleBlock - 1) / scaleBlock
        precondition(scalesA.count >= firstScale + count && scalesB.count >= firstScale + count,
                     "block-scaled MMA needs one scale per \(scaleBlock) elements")
        let sa = (0..<count).map { scaleOperand(scalesA[firstScale + $0]) }
        let sb = (0..<count).map { scaleOperand(scalesB[firstScale + $0]) }
        let dc = addend!.decode(c)
        if dc.kind == .nan || sa.contains(where: { $0.kind == .nan }) || sb.contains(where: { $0.kind == .nan }) {
            return out.nanCode
        }
        if profile.scaleGroupSize == 0 {
            precondition(count == 1, "kind::mxf8f6f4 uses one scale per instruction")
            let da = a.map { self.a!.decode($0) }, db = b.map { self.b!.decode($0) }
            if let special = specialResult(Array(zip(da, db)), dc) { return special }
            var terms = [AlignedTerm(negative: dc.negative, significand: dc.significand, exponent: dc.exponent, fractionBits: dc.fractionBits)]
            for (x, y) in zip(da, db) {
                // Scale significands are 1 (powers of two); their exponents add to the product's.
                terms.append(AlignedTerm(negative: x.negative != y.negative, significand: x.significand * y.significand,
                                       exponent: x.exponent + y.exponent + sa[0].exponent + sb[0].exponent,
                                       fractionBits: x.fractionBits + y.fractionBits + sa[0].fractionBits + sb[0].fractionBits))
                terms[terms.count - 1].significand *= sa[0].significand * sb[0].significand
            }
            return round(terms)
        }
        let group = profile.scaleGroupSize
        let da = a.map { self.a!.decode($0) }, db = b.map { self.b!.decode($0) }
        if let special = specialResult(Array(zip(da, db)), dc) { return special }
        var terms = [AlignedTerm(negative: dc.negative, significand: dc.significand, exponent: dc.exponent, fractionBits: dc.fractionBits)]
        for g in stride(from: 0, to: a.count, by: group) {
            // Exact group sum in fixed point with 2 * M fraction bits (E2M1: exponents 0..2).
            var sum: Int64 = 0
            var fraction = 0
            for i in g..<Swift.min(g + group, a.count) {
                let x = da[i], y = db[i]
                fraction = x.fractionBits + y.fractionBits
                let magnitude = Int64(x.significand * y.significand) << Int64(x.exponent + y.exponent + 16)
                sum += x.negative != y.negative ? -magnitude : magnitude
            }
            let s = (g / scaleBlock)
            let scaleSignificand = sa[s].significand * sb[s].significand
            let magnitude = UInt64(sum.magnitude) * scaleSignificand
            terms.append(AlignedTerm(negative: sum < 0, significand: magnitude, exponent: sa[s].exponent + sb[s].exponent,
                                   fractionBits: fraction + 16 + sa[s].fractionBits + sb[s].fractionBits))
        }
        return round(terms)
    }

    /// Integer MMA: exact products and sum into an N-bit accumulator that wraps or saturates at
    /// the end of each instruction (PTX ISA mma: `.satfinite`).
    func integerMMA(_ a: [UInt64], _ b: [UInt64], c: UInt64) -> UInt64 {
        guard case .integer(let fa) = aFormat, case .integer(let fb) = bFormat, case .integer(let fc) = accumulatorFormat else {
            preconditionFailure("integer MMA formats")
        }
        var sum = Int128(fc.integer(ofCode: c))
        for (x, y) in zip(a, b) { sum += Int128(fa.integer(ofCode: x)) * Int128(fb.integer(ofCode: y)) }
        let bits = profile.accumulatorBits
        let low = -(Int128(1) << (bits - 1)), high = (Int128(1) << (bits - 1)) - 1
        let result: Int128
        switch profile.integerOverflow {
        case .saturate: result = Swift.min(Swift.max(sum, low), high)
        case .wrap:
            let m = Int128(1) << bits
            var r = (sum - low) % m
            if r < 0 { r += m }
            result = r + low
        }
        return UInt64(truncatingIfNeeded: Int64(result)) & BitMask.low(bits)
    }
}
