import ArchitectureSpec
import EngineKit
import Formats

/// The tables of one activation row over one weight group (lut-tensor-core.md §2.3-2.6, §6):
/// for every K-group ("chunk") of `tileK` activations a_0..a_{K-1} (the group's last chunk
/// zero-padded), the 2^(K-1) stored entries E[e] = -a_0 + sum_{k>=1} t_k a_k with t_k = +1 when
/// bit k-1 of e is set, else -1 (the entries with weight bit 0 clear; the others are -E[~e]).
///
/// Float tables: `sequential` adds left to right in the precompute format, each rounded to
/// nearest even, then one rounding to the entry format; `correctly_rounded` rounds the exact
/// sum once. FP8 entries are the precompute values times 2^-k, k the least integer with every
/// |v| of the row's group <= max_finite * 2^k (a power-of-two table scale, so the scaling is
/// exact), rounded to nearest even and saturated. Integer tables hold exact sums of int8
/// activations; INT8 entries are q = clamp(RNE(RNE32(v / s_t)), -127, 127) with the binary32
/// table scale s_t = RNE32(max |v| / 127) (T-MAC's lut_ctor, with the scale per row and group).
struct LUTTables {
    /// Entry values, chunk-major: `values[chunk * entries + e]` (exact in binary32 for float
    /// entries; the integer entries as Float too when exact), and the integer entries.
    var values: [Float] = []
    var integers: [Int32] = []
    /// Code of each float entry in the table format (binary16 bits for fp16 tables; used by the
    /// RTL quirks).
    var codes: [UInt16] = []
    /// The table scale of this row and group (1 without one).
    var scale: Float = 1

    static func build(_ plan: LUTPlan, activations: [Float], integerActivations: [Int32], range: Range<Int>) -> LUTTables {
        let u = plan.unit
        let kg = u.tileK, entries = plan.tableEntries
        let chunks = (range.count + kg - 1) / kg
        var t = LUTTables()
        if u.tableFormat.isInteger {
            var sums = [Int32](repeating: 0, count: chunks * entries)
            for c in 0..<chunks {
                let base = range.lowerBound + c * kg
                for e in 0..<entries {
                    var v: Int32 = 0
                    for k in 0..<kg where base + k < range.upperBound {
                        let x = integerActivations[base + k]
                        v += (k == 0 || e >> (k - 1) & 1 == 0) ? -x : x
                    }
                    sums[c * entries + e] = v
                }
            }
            if u.tableFormat == .int8 {
                let m = sums.reduce(Int32(0)) { Swift.max($0, Swift.abs($1)) }
                t.scale = m == 0 ? 1 : Float(m) / 127
                t.integers = sums.map { Int32(Swift.min(Swift.max((Float($0) / t.scale).rounded(.toNearestOrEven), -127), 127)) }
            } else {
                t.integers = sums
            }
            t.values = t.integers.map { Float($0) }
            return t
        }
        // Float tables: the precompute values (exact values as ExactValue when rounded once).
        var precise = [ExactValue](repeating: ExactValue(0.0), count: chunks * entries)
        for c in 0..<chunks {
            let base = range.lowerBound + c * kg
            let x = (0..<kg).map { base + $0 < range.upperBound ? activations[base + $0] : 0 }
            for e in 0..<entries {
                precise[c * entries + e] = entry(x, e, plan)
            }
        }
        let format: MiniFloatFormat
        switch u.tableFormat {
        case .fp16: format = StandardFormats.fp16
        case .e4m3: format = StandardFormats.e4m3
        case .e5m2: format = StandardFormats.e5m2
        case .int8, .int16: preconditionFailure("integer tables handled above")
        }
        var shift = 0
        if plan.tableScaled {
            shift = tableScaleExponent(precise, max: ScalarFormat.float(format).maxMagnitude)
            t.scale = Float(sign: .plus, exponent: shift, significand: 1)
        }
        t.codes.reserveCapacity(precise.count)
        t.values.reserveCapacity(precise.count)
        for v in precise {
            let r = format.encode(v.scaled(byPowerOfTwo: -shift), rule: .toNearestOrEven, overflow: plan.tableScaled ? .saturate : .infinity)
            t.codes.append(UInt16(r.code))
            t.values.append(Float(format.decode(r.code).approximateDouble))
        }
        return t
    }

    /// One stored entry's precompute value for activations x (K of them).
    static func entry(_ x: [Float], _ e: Int, _ plan: LUTPlan) -> ExactValue {
        let u = plan.unit
        func term(_ k: Int) -> Float { (k == 0 || e >> (k - 1) & 1 == 0) ? -x[k] : x[k] }
        switch (u.precomputeOrder, u.precomputeFormat) {
        case (.sequential, .fp32):
            var v = term(0)
            for k in 1..<x.count { v += term(k) }
            return ExactValue(v)
        case (.sequential, .fp16):
            var v = Double(term(0))
            for k in 1..<x.count { v = BinaryRounding.binary16Value(BinaryRounding.binary16(v + Double(term(k)))) }
            return ExactValue(v)
        case (.correctlyRounded, _):
            // Non-finite terms: the IEEE sum (NaN, or the infinity they agree on).
            let special = (0..<x.count).map(term).filter { !$0.isFinite }
            if !special.isEmpty {
                let nan = special.contains { $0.isNaN } || (special.contains { $0 > 0 } && special.contains { $0 < 0 })
                return nan ? .nan : ExactValue(Double(special[0]))
            }
            // The exact sum in a fixed-point register spanning binary32's whole range.
            var acc = WideAccumulator(width: 320)
            for k in 0..<x.count where term(k) != 0 && term(k).isFinite {
                let f = term(k)
                let significand = UInt64(f.significandBitPattern) | (f.isNormal ? 1 << 23 : 0)
                let exponent = f.isNormal ? Int(f.exponentBitPattern) - 150 : -149
                acc.add(negative: f.sign == .minus, significand: significand, shift: exponent + 149)
            }
            guard let r = acc.roundedToOdd(bits: 62) else { return ExactValue(0.0) }
            return ExactValue(negative: r.negative, significand: r.significand, exponent: r.exponent - 149)
        }
    }

    /// The least k with every finite |v| <= max * 2^k (0 when all are zero).
    static func tableScaleExponent(_ values: [ExactValue], max: ExactValue) -> Int {
        var k = Int.min
        for v in values where v.isFinite && !v.isZero {
            guard let binade = v.binade, let top = max.binade else { continue }
            var candidate = binade - top
            if ExactValue.compareMagnitudes(v, max.scaled(byPowerOfTwo: candidate)) > 0 { candidate += 1 }
            while candidate > Int.min + 1, ExactValue.compareMagnitudes(v, max.scaled(byPowerOfTwo: candidate - 1)) <= 0 { candidate -= 1 }
            k = Swift.max(k, candidate)
        }
        return k == Int.min ? 0 : k
    }
}
