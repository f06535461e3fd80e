/// OliVe's outlier-victim pair encoding (Guo et al., "OliVe: Accelerating Large Language Models
/// via Hardware-friendly Outlier-Victim Pair Quantization", ISCA 2023, arXiv:2304.07493;
/// bitmod.md §7). Weights are taken in adjacent pairs along K; a pair holds two normal values
/// (INT4 sign-magnitude, |q| <= 7) or one outlier and a pruned victim (0), the freed code marking
/// the pair. Outliers are abfloat E2M1 with bias: 2^i (1 + j/2), i = 5..8 without 32, which in
/// INT4 units (the code grid / 4) is {12, 16, 24, 32, 48, 64, 96}.
///
/// QuantSim keeps each element's *value* code (5 bits: the 29 values) and prices the stored
/// 4-bit pair codes (`storageBits` 4); the pair rule is applied when quantising. Choices the
/// OliVe paper leaves open are fixed here and documented (docs/formats.md): an element is an
/// outlier when |q| > 9.5 (the midpoint between the largest normal 7 and the smallest outlier
/// 12, so clipping to 7 would be the worse choice); in a pair of two outliers the larger
/// magnitude stays; the scale s is the one with the least squared error among 32 log-spaced
/// candidates from amax / 96 (no clipping) to amax / 7 (no outliers), the pair rule applied
/// inside the search.
public enum OliVe {
    public static let normals = Array(0...7)
    public static let outliers = [12, 16, 24, 32, 48, 64, 96]
    static let outlierThreshold = 9.5

    /// The 5-bit value codebook: +0..+7, the 7 positive outliers, then their negatives.
    public static let olive4: CodebookFormat = {
        let magnitudes = normals + outliers
        var values: [ExactValue?] = magnitudes.map { ExactValue(Double($0)) }
        values += magnitudes.dropFirst().map { ExactValue(Double(-$0)) }
        var c = CodebookFormat(name: "olive4", bitWidth: 5, values: values, tie: .lowerValue)
        c.storageBits = 4
        c.outlierVictimPairs = true
        return c
    }()

    /// Codes of `q` (values already divided by the scale) under the pair rule, and the squared
    /// error at scale `s` against `x`.
    static func encodePairs(_ x: [Double], scale s: Double, codebook c: CodebookFormat) -> (codes: [UInt64], error: Double) {
        var codes = [UInt64](repeating: 0, count: x.count)
        var error = 0.0
        func nearest(_ q: Double, outlier: Bool) -> UInt64 {
            let set = outlier ? outliers : normals
            let magnitude = Swift.abs(q)
            var best = set[0]
            for v in set where Swift.abs(Double(v) - magnitude) < Swift.abs(Double(best) - magnitude) { best = v }
            let value = q < 0 ? -Double(best) : Double(best)
            return c.encode(ExactValue(value), rule: .toNearestOrEven).code
        }
        var i = 0
        while i < x.count {
            let j = i + 1 < x.count ? i + 1 : -1
            let qi = x[i] / s, qj = j >= 0 ? x[j] / s : 0
            let oi = Swift.abs(qi) > outlierThreshold, oj = j >= 0 && Swift.abs(qj) > outlierThreshold
            if oi || oj {
                // One outlier per pair: the larger magnitude stays, its neighbour is the victim.
                let keepI = oi && (!oj || Swift.abs(qi) >= Swift.abs(qj))
                if keepI { codes[i] = nearest(qi, outlier: true) } else { codes[j] = nearest(qj, outlier: true) }
            } else {
                codes[i] = nearest(qi, outlier: false)
                if j >= 0 { codes[j] = nearest(qj, outlier: false) }
            }
            for k in [i, j] where k >= 0 {
                let d = c.decode(codes[k]).approximateDouble * s - x[k]
                error += d * d
            }
            i += 2
        }
        return (codes, error)
    }

    /// The scale and codes of one group (elements in K order).
    public static func quantize(_ x: [Double], codebook c: CodebookFormat = olive4) -> (scale: Double, codes: [UInt64]) {
        let amax = x.reduce(0.0) { $1.isFinite ? Swift.max($0, Swift.abs($1)) : $0 }
        guard amax > 0 else { return (1, [UInt64](repeating: 0, count: x.count)) }
        let low = amax / 96, high = amax / 7
        var best: (error: Double, scale: Double, codes: [UInt64])?
        for k in 0..<32 {
            let s = low * pow2(Double(k) / 31 * log2(high / low))
            let r = encodePairs(x, scale: s, codebook: c)
            if best == nil || r.error < best!.error { best = (r.error, s, r.codes) }
        }
        return (best!.scale, best!.codes)
    }

    static func pow2(_ x: Double) -> Double { exp2(x) }
}

import Foundation
