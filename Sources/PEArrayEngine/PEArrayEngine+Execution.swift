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
        let workers = Swift.max(1, Swift.min(threads, m))
        let kernel = PEKernel(plan: plan, k: k, group: group, groups: groups)
        raw.withUnsafeMutableBufferPointer { r in
            values.withUnsafeMutableBufferPointer { v in
                let out = (UnsafeSendablePE(r), UnsafeSendablePE(v))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    for i in (m * w / workers)..<(m * (w + 1) / workers) {
                        kernel.row(i, a: a, b: b, rows: m, raw: out.0.value, values: out.1.value)
                    }
                }
            }
        }
        return EngineOutput(rows: m, columns: n, groups: groups, groupSize: group, raw: raw, rawFormat: plan.rawFormat, values: values)
    }
}

struct UnsafeSendablePE<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

struct PEKernel {
    let plan: PEPlan
    let k: Int
    let group: Int
    let groups: Int

    func range(_ g: Int) -> Range<Int> { (g * group)..<Swift.min(k, (g + 1) * group) }

    func row(_ i: Int, a: QuantizedOperand, b: QuantizedOperand, rows m: Int, raw: UnsafeMutableBufferPointer<UInt64>,
             values: UnsafeMutableBufferPointer<Double>) {
        let n = b.lines
        let aCodes = Array(a.codes(line: i, in: 0..<k))
        let sa = Float(a.scales[i * a.groups])
        for j in 0..<n {
            let bCodes = Array(b.codes(line: j, in: 0..<k))
            var out: Float = 0
            for g in 0..<groups {
                let r = range(g)
                let (code, value) = accumulate(Array(aCodes[r]), Array(bCodes[r]), b: b, column: j, group: g)
                raw[(g * m + i) * n + j] = code
                switch plan.datapath {
                case .bitmod:
                    out = out + value
                default:
                    out = groups == 1 ? value : out + value * Float(b.scales[j * b.groups + g])
                }
            }
            switch plan.datapath {
            case .bitmod: out = out * Float(b.lineScales[j])
            default: if groups == 1 { out = out * Float(b.scales[j * b.groups]) }
            }
            values[i * n + j] = Double(out * sa)
        }
    }

    /// The raw datapath result of one output over one group: its code and binary32 value.
    func accumulate(_ x: [UInt64], _ w: [UInt64], b: QuantizedOperand, column j: Int, group g: Int) -> (UInt64, Float) {
        switch plan.datapath {
        case .bitmod(let tables):
            let member = b.members.isEmpty ? 0 : Int(b.members[j * b.groups + g])
            let pe = BitMoDPE(table: tables[member], dequantizationBits: plan.pe.dequantizationBits)
            let scale = Int64(b.groupScaleCodes[j * b.groups + g])
            let h = x.map { UInt16(truncatingIfNeeded: $0) }, c = w.map { UInt16(truncatingIfNeeded: $0) }
            let v = h.withUnsafeBufferPointer { hb in c.withUnsafeBufferPointer { cb in pe.group(activations: hb, weights: cb, groupScale: scale) } }
            let f = Float(v)  // exact: a 23-bit mantissa
            return (UInt64(f.bitPattern), f)
        case .fp16MAC:
            if plan.pe.accumulatorFormat == .fp32 {
                var acc: Float = 0
                for t in 0..<x.count { acc += Float(Float16(bitPattern: UInt16(x[t]))) * Float(Float16(bitPattern: UInt16(w[t]))) }
                return (UInt64(acc.bitPattern), acc)
            }
            var acc = 0.0
            for t in 0..<x.count {
                let p = BinaryRounding.binary16Value(BinaryRounding.binary16(Double(Float16(bitPattern: UInt16(x[t]))) * Double(Float16(bitPattern: UInt16(w[t])))))
                acc = BinaryRounding.binary16Value(BinaryRounding.binary16(acc + p))
            }
            return (UInt64(BinaryRounding.binary16(acc)), Float(acc))
        case .fp16Int(let table):
            var acc = 0.0
            for t in 0..<x.count {
                let p = BinaryRounding.binary16Value(BinaryRounding.binary16(Double(Float16(bitPattern: UInt16(x[t]))) * Double(table[Int(w[t])])))
                acc = BinaryRounding.binary16Value(BinaryRounding.binary16(acc + p))
            }
            return (UInt64(BinaryRounding.binary16(acc)), Float(acc))
        case .intMAC(let fa, let fb):
            var acc: Int32 = 0
            for t in 0..<x.count { acc &+= Int32(fa.integer(ofCode: x[t])) &* Int32(fb.integer(ofCode: w[t])) }
            return (UInt64(UInt32(bitPattern: acc)), Float(acc))
        case .lmul(let fa, let fb):
            let l = LMul(a: fa, b: fb)
            if plan.pe.accumulatorFormat == .fp32 {
                var acc: Float = 0
                for t in 0..<x.count { acc = Self.addFP32(acc, l.product(x[t], w[t])) }
                return (UInt64(acc.bitPattern), acc)
            }
            var acc = 0.0
            for t in 0..<x.count { acc = BinaryRounding.binary16Value(BinaryRounding.binary16(Self.exactSum(acc, l.product(x[t], w[t])))) }
            return (UInt64(BinaryRounding.binary16(acc)), Float(acc))
        }
    }

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

    static func addFP32(_ acc: Float, _ p: Double) -> Float { Float(sumRoundedToOdd(Double(acc), p)) }

    static func exactSum(_ a: Double, _ b: Double) -> Double { sumRoundedToOdd(a, b) }
}
