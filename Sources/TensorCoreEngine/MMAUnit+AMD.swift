import EngineKit
import ArchitectureSpec
import Formats

extension MMAUnit {
    /// AMD CDNA3 (MI300) FP16/BF16 MFMA (tensor-cores.md §3.4; MMA-Sim `amd_fused_dot_rd_add`):
    /// a product of magnitude >= 2^128 is ±Inf; the products are fused at F relative to the
    /// largest product (truncation), that sum is floored (round toward -Inf) to 31 fraction bits
    /// and c to 24 fraction bits relative to E = max(E_sum, E_c) (c added late, after the
    /// products), and the total is rounded to nearest even. The sign asymmetry of the floors is
    /// the documented CDNA3 behaviour (+x and -x round differently).
    func amdCDNA3(_ a: [UInt64], _ b: [UInt64], c: UInt64) -> UInt64 {
        let out = output!
        var d = c
        let n = profile.blockWidth
        for s in stride(from: 0, to: a.count, by: n) {
            let da = a[s..<Swift.min(s + n, a.count)].map { self.a!.decode($0) }
            let db = b[s..<Swift.min(s + n, a.count)].map { self.b!.decode($0) }
            let dc = addend!.decode(d)
            if let special = specialResult(Array(zip(da, db)), dc) { d = special; continue }
            // Product overflow.
            var positive = false, negative = false
            var products: [AlignedTerm] = []
            for (x, y) in zip(da, db) {
                let t = AlignedTerm(negative: x.negative != y.negative, significand: x.significand * y.significand,
                                  exponent: x.exponent + y.exponent, fractionBits: x.fractionBits + y.fractionBits)
                let binade = t.significand == 0 ? Int.min : t.exponent - t.fractionBits + 63 - t.significand.leadingZeroBitCount
                if binade >= 128 { if t.negative { negative = true } else { positive = true }; continue }
                products.append(t)
            }
            if positive && negative { d = out.nanCode; continue }
            if positive || negative { d = out.infinity(negative: negative); continue }
            guard let (sum, sumExponentLow, _) = block.sum(products) else { d = c; continue }
            let eSum = sumExponentLow + profile.keptFractionBits  // the largest product exponent
            let e = Swift.max(eSum, dc.exponent)
            // floor(sum * 2^(F + eSum - E)) with 31 fraction bits relative to E.
            let sumFloored = Self.floorShift(Int128(sum), by: 31 - profile.keptFractionBits - (e - eSum))
            let cMagnitude = Int128(dc.significand)
            let cSigned = dc.negative ? -cMagnitude : cMagnitude
            let cFloored = Self.floorShift(cSigned, by: 24 - dc.fractionBits - (e - dc.exponent))
            // Both now in units of 2^(E - 31) and 2^(E - 24): bring c to 2^(E - 31).
            let total = sumFloored + (cFloored << 7)
            if total == 0 { d = 0; continue }
            let value = ExactValue(negative: total < 0, significand: UInt64(total.magnitude), exponent: e - 31)
            d = out.container.encode(value, rule: .toNearestOrEven, overflow: .infinity).code
        }
        return d
    }

    /// floor(v * 2^shift) for shift of either sign.
    static func floorShift(_ v: Int128, by shift: Int) -> Int128 {
        if shift >= 0 { return v << shift }
        if -shift >= 127 { return v < 0 ? -1 : 0 }
        return v >> -shift  // arithmetic shift floors
    }
}
