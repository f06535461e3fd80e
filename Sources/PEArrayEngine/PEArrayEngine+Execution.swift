import Dispatch
import EngineKit
import Formats

extension PEArrayEngine {
    /// Every output through its PE's datapath (docs/pe-array.md, "Semantics"); the epilogue in
    /// binary32 (nearest even at every step) applies what the PE does not: per group
    /// acc += raw_g * s_w,g (BitMoD: the group scale is in the datapath, the channel scale s_c
    /// multiplies at the end), then out *= s_a (and s_w for per-channel scales).
    public func execute(_ plan: PEPlan, a: QuantizedOperand, b: QuantizedOperand, threads: Int) -> EngineOutput {
        let m = a.lines, n = b.lines, k = a.k
        let group = plan.group
        let groups = (k + group - 1) / group
        var raw = [UInt64](repeating: 0, count: groups * m * n)
        var values = [Double](repeating: 0, count: m * n)
        let workers = ParallelSlices.workers(count: m, threads: threads)
        let kernel = PEKernel(plan: plan, k: k, group: group, groups: groups)
        raw.withUnsafeMutableBufferPointer { r in
            values.withUnsafeMutableBufferPointer { v in
                let out = (UncheckedSendable(r), UncheckedSendable(v))
                ParallelSlices.run(count: m, workers: workers) { _, rows in
                    for i in rows { kernel.row(i, a: a, b: b, rows: m, raw: out.0.value, values: out.1.value) }
                }
            }
        }
        return EngineOutput(rows: m, columns: n, groups: groups, groupSize: group, raw: raw, rawFormat: plan.rawFormat, values: values)
    }
}

extension PEArrayEngine {
    /// One PE's raw result over one weight group, from codes (`simulate mma`, tests): the
    /// activation and weight codes (same length, at most the plan's group), BitMoD's member
    /// index into the plan's term tables and its unsigned INT8 group scale.
    public func rawGroup(_ plan: PEPlan, activations: [UInt64], weights: [UInt64], member: Int = 0, groupScale: Int = 1) -> UInt64 {
        precondition(activations.count == weights.count)
        let kernel = PEKernel(plan: plan, k: activations.count, group: activations.count, groups: 1)
        return activations.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in kernel.accumulate(x, w, member: member, groupScale: Int64(groupScale)).0 }
        }
    }
}

struct PEKernel {
    let plan: PEPlan
    let k: Int
    let group: Int
    let groups: Int
    /// BitMoD: one PE per member format of the weights.
    let bitmod: [BitMoDPE]

    init(plan: PEPlan, k: Int, group: Int, groups: Int) {
        self.plan = plan
        self.k = k
        self.group = group
        self.groups = groups
        if case .bitmod(let tables) = plan.datapath {
            bitmod = tables.map { BitMoDPE(table: $0, dequantizationBits: plan.pe.dequantizationBits) }
        } else {
            bitmod = []
        }
    }

    func range(_ g: Int) -> Range<Int> { (g * group)..<Swift.min(k, (g + 1) * group) }

    func row(_ i: Int, a: QuantizedOperand, b: QuantizedOperand, rows m: Int, raw: UnsafeMutableBufferPointer<UInt64>,
             values: UnsafeMutableBufferPointer<Double>) {
        let n = b.lines
        let sa = Float(a.scales[i * a.groups])
        let isBitMoD = !bitmod.isEmpty
        a.codes.withUnsafeBufferPointer { ac in
            b.codes.withUnsafeBufferPointer { bc in
                for j in 0..<n {
                    var out: Float = 0
                    for g in 0..<groups {
                        let r = range(g)
                        let x = UnsafeBufferPointer(rebasing: ac[(i * k + r.lowerBound)..<(i * k + r.upperBound)])
                        let w = UnsafeBufferPointer(rebasing: bc[(j * k + r.lowerBound)..<(j * k + r.upperBound)])
                        let index = j * b.groups + g
                        let member = b.members.isEmpty ? 0 : Int(b.members[index])
                        let (code, value) = accumulate(x, w, member: member, groupScale: isBitMoD ? Int64(b.groupScaleCodes[index]) : 1)
                        raw[(g * m + i) * n + j] = code
                        if isBitMoD {
                            out = out + value
                        } else {
                            out = groups == 1 ? value : out + value * Float(b.scales[j * b.groups + g])
                        }
                    }
                    if isBitMoD { out = out * Float(b.lineScales[j]) } else if groups == 1 { out = out * Float(b.scales[j * b.groups]) }
                    values[i * n + j] = Double(out * sa)
                }
            }
        }
    }

    /// The raw datapath result of one output over one group: its code and binary32 value.
    /// `member`: the weights' member format (mixtures); `groupScale`: BitMoD's INT8 group scale (ignored elsewhere).
    func accumulate(_ x: UnsafeBufferPointer<UInt64>, _ w: UnsafeBufferPointer<UInt64>, member: Int, groupScale: Int64) -> (UInt64, Float) {
        switch plan.datapath {
        case .bitmod:
            let f = Float(bitmod[member].group(activations: x, weights: w, groupScale: groupScale))  // exact: at most 24 bits
            return (UInt64(f.bitPattern), f)
        case .fp16MAC:
            if plan.pe.accumulatorFormat == .fp32 {
                var acc: Float = 0
                for t in 0..<x.count { acc += Float(Float16(bitPattern: UInt16(truncatingIfNeeded: x[t]))) * Float(Float16(bitPattern: UInt16(truncatingIfNeeded: w[t]))) }
                return (UInt64(acc.bitPattern), acc)
            }
            var acc = 0.0
            for t in 0..<x.count {
                let p = Self.half(Double(Float16(bitPattern: UInt16(truncatingIfNeeded: x[t]))) * Double(Float16(bitPattern: UInt16(truncatingIfNeeded: w[t]))))
                acc = Self.half(acc + p)
            }
            return (UInt64(BinaryRounding.binary16(acc)), Float(acc))
        case .fp16Int(let table):
            var acc = 0.0
            table[member].withUnsafeBufferPointer { values in
                for t in 0..<x.count {
                    acc = Self.half(acc + Self.half(Double(Float16(bitPattern: UInt16(truncatingIfNeeded: x[t]))) * Double(values[Int(w[t])])))
                }
            }
            return (UInt64(BinaryRounding.binary16(acc)), Float(acc))
        case .intMAC(let fa, let fb):
            var acc: Int32 = 0
            for t in 0..<x.count { acc &+= Int32(truncatingIfNeeded: fa.integer(ofCode: x[t]) &* fb.integer(ofCode: w[t])) }
            return (UInt64(UInt32(bitPattern: acc)), Float(acc))
        case .lmul(let l):
            if plan.pe.accumulatorFormat == .fp32 {
                var acc: Float = 0
                for t in 0..<x.count { acc = Float(Self.sumRoundedToOdd(Double(acc), l.product(x[t], w[t]))) }
                return (UInt64(acc.bitPattern), acc)
            }
            var acc = 0.0
            for t in 0..<x.count { acc = Self.half(Self.sumRoundedToOdd(acc, l.product(x[t], w[t]))) }
            return (UInt64(BinaryRounding.binary16(acc)), Float(acc))
        }
    }

    /// x rounded to binary16 (nearest even, overflow to infinity), as a binary64 value.
    static func half(_ x: Double) -> Double { BinaryRounding.binary16Value(BinaryRounding.binary16(x)) }

    /// x + y rounded to odd at binary64 (exact when representable): rounding this once more to
    /// any format of at most 51 bits rounds the exact sum correctly (Boldo and Melquiond 2008).
    static func sumRoundedToOdd(_ x: Double, _ y: Double) -> Double {
        let s = x + y
        guard s.isFinite, x.isFinite, y.isFinite else { return s }
        // TwoSum (Knuth): s + e == x + y exactly.
        let yy = s - x
        let e = (x - (s - yy)) + (y - yy)
        if e == 0 || s.bitPattern & 1 == 1 { return s }
        return e > 0 ? s.nextUp : s.nextDown
    }

}
