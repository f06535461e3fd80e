import EngineKit
import ArchitectureSpec
import Formats

extension MMAUnit {
    /// Specials first (tensor-cores.md §3.1 step 1): any NaN, Inf x 0, or +Inf with -Inf gives
    /// NaN; otherwise any Inf gives that Inf. `nil` when everything is finite.
    func specialResult(_ products: [(DecodedOperand, DecodedOperand)], _ c: DecodedOperand) -> UInt64? {
        var nan = c.kind == .nan
        var positive = c.kind == .infinity && !c.negative
        var negative = c.kind == .infinity && c.negative
        for (x, y) in products {
            if x.kind == .nan || y.kind == .nan { nan = true; continue }
            let xInf = x.kind == .infinity, yInf = y.kind == .infinity
            guard xInf || yInf else { continue }
            let xZero = x.kind == .finite && x.significand == 0, yZero = y.kind == .finite && y.significand == 0
            if xZero || yZero { nan = true; continue }
            if x.negative != y.negative { negative = true } else { positive = true }
        }
        let out = output!
        if nan || (positive && negative) { return out.nanCode }
        if positive || negative { return out.infinity(negative: negative) }
        return nil
    }

    /// One fused block: products of the slices plus c, aligned, truncated at F, summed and
    /// rounded to the output. `scaleExponent` adds block-scale exponents to every product.
    func fusedBlock(_ a: ArraySlice<UInt64>, _ b: ArraySlice<UInt64>, c: UInt64, scaleExponent: Int) -> UInt64 {
        let da = a.map { self.a!.decode($0) }, db = b.map { self.b!.decode($0) }
        let dc = addend!.decode(c)
        if let special = specialResult(Array(zip(da, db)), dc) { return special }
        var terms: [AlignedTerm] = []
        terms.reserveCapacity(da.count + 1)
        terms.append(AlignedTerm(negative: dc.negative, significand: dc.significand, exponent: dc.exponent, fractionBits: dc.fractionBits))
        for (x, y) in zip(da, db) {
            terms.append(AlignedTerm(negative: x.negative != y.negative, significand: x.significand * y.significand,
                                   exponent: x.exponent + y.exponent + scaleExponent, fractionBits: x.fractionBits + y.fractionBits))
        }
        return round(terms)
    }

    /// Aligns, sums and rounds a block's terms.
    func round(_ terms: [AlignedTerm]) -> UInt64 {
        let out = output!
        guard let (n, exponent, allNegativeZeros) = block.sum(terms) else {
            return out.code(sum: 0, exponent: 0, allNegativeZeros: terms.allSatisfy { $0.negative })
        }
        return out.code(sum: n, exponent: exponent, allNegativeZeros: allNegativeZeros)
    }

    /// FP8 `mma.sync` on sm_90/sm_100: two n = 16 HMMA steps over the products with k mod 4 in
    /// {0, 1} and then {2, 3} (the first from a zero accumulator, the second taking the first's
    /// rounded result as c), then c added by one IEEE round-to-nearest-even add.
    func fp8Steps(_ a: [UInt64], _ b: [UInt64], c: UInt64) -> UInt64 {
        let wa = a.map { widenA[Int($0)] }, wb = b.map { widenB[Int($0)] }
        var first: [Int] = [], second: [Int] = []
        for k in 0..<wa.count { (k % 4 < 2 ? { first.append(k) } : { second.append(k) })() }
        let step1 = fusedBlock(ArraySlice(first.map { wa[$0] }), ArraySlice(first.map { wb[$0] }), c: 0, scaleExponent: 0)
        let step2 = fusedBlock(ArraySlice(second.map { wa[$0] }), ArraySlice(second.map { wb[$0] }), c: step1, scaleExponent: 0)
        return ieeeAdd(step2, c)
    }

    /// x + y in the output format, rounded once to nearest even (IEEE 754 addition).
    func ieeeAdd(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let out = output!
        let vx = out.value(of: x), vy = out.value(of: y)
        if vx.isNaN || vy.isNaN { return out.nanCode }
        if vx.isInfinite || vy.isInfinite {
            if vx.isInfinite && vy.isInfinite && vx.isNegative != vy.isNegative { return out.nanCode }
            return out.infinity(negative: vx.isInfinite ? vx.isNegative : vy.isNegative)
        }
        if vx.isZero && vy.isZero {
            return vx.isNegative && vy.isNegative ? out.container.encode(.zero(negative: true), rule: .toNearestOrEven, overflow: .infinity).code : 0
        }
        let sum = ExactArithmetic.sum(vx, vy)
        if sum.isZero { return 0 }
        let r = out.container.encode(sum, rule: .toNearestOrEven, overflow: .infinity)
        return r.code
    }
}

/// Exact addition of two finite values, compressing far-apart addends into a sticky bit (the
/// result then still rounds correctly to any format of at most 60 bits).
enum ExactArithmetic {
    static func sum(_ x: ExactValue, _ y: ExactValue) -> ExactValue {
        if x.isZero { return y }
        if y.isZero { return x }
        let (big, small) = ExactValue.compareMagnitudes(x, y) >= 0 ? (x, y) : (y, x)
        // Keep the smaller addend only down to 66 bits below the larger's leading bit.
        let floor = big.binade! - 66
        var s = small
        if s.exponent < floor {
            // small lies entirely below `floor` (or straddles it): replace its low part by a sticky bit.
            let shift = floor - s.exponent
            let kept = shift >= 64 ? 0 : s.significand >> UInt64(shift)
            let sticky: UInt64 = (s.significand & BitMask.low(Swift.min(shift, 64))) != 0 ? 1 : 0
            s = ExactValue(negative: s.isNegative, significand: kept << 1 | sticky, exponent: floor - 1)
        }
        let low = Swift.min(big.exponent, s.exponent)
        func fixed(_ v: ExactValue) -> Int128 {
            let m = Int128(v.significand) << (v.exponent - low)
            return v.isNegative ? -m : m
        }
        let total = fixed(big) + fixed(s)
        let magnitude = total.magnitude
        // Compress to 64 bits with a sticky last bit (round to odd).
        var bits = magnitude, e = low
        while bits >> 64 != 0 {
            bits = (bits >> 1) | (bits & 1)
            e += 1
        }
        return ExactValue(negative: total < 0, significand: UInt64(bits), exponent: e)
    }
}
