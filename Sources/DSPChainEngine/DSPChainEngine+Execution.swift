import Dispatch
import EngineKit
import Formats

extension DSPChainEngine {
    /// Every output through its chain (docs/fpga-dsp.md, "Semantics"): raw results per pass
    /// (integer modes: the lane or native accumulator value of `group` terms; DSPFP32 and
    /// Kulisch: the FP32 result over K); integer passes are summed in a wrapping INT32 fabric
    /// accumulator; the epilogue multiplies by the scales in binary32. Packed lanes whose value
    /// differs from the exact sum are counted as `lane_overflows`.
    public func execute(_ plan: DSPPlan, a: QuantizedOperand, b: QuantizedOperand, threads: Int) -> EngineOutput {
        let m = a.lines, n = b.lines, k = a.k
        let groups = (k + plan.group - 1) / plan.group
        var raw = [UInt64](repeating: 0, count: groups * m * n)
        var values = [Double](repeating: 0, count: m * n)
        let kernel = DSPKernel(plan: plan, a: a, b: b, groups: groups)
        // Work items: row pairs (INT8 two-lane), rows (otherwise).
        let pairs = plan.datapath.mode == .int8Packed2
        let items = pairs ? (m + 1) / 2 : m
        let workers = ParallelSlices.workers(count: items, threads: threads)
        var overflows = [Int](repeating: 0, count: workers)
        raw.withUnsafeMutableBufferPointer { r in
            values.withUnsafeMutableBufferPointer { v in
                overflows.withUnsafeMutableBufferPointer { o in
                    let out = UncheckedSendable((r, v, o))
                    ParallelSlices.run(count: items, workers: workers) { w, slice in
                        var count = 0
                        for item in slice {
                            if pairs { count += kernel.rowPair(item, raw: out.value.0, values: out.value.1) } else {
                                count += kernel.row(item, raw: out.value.0, values: out.value.1)
                            }
                        }
                        out.value.2[w] = count
                    }
                }
            }
        }
        let lanes = overflows.reduce(0, +)
        var events: [String: Int] = [:]
        if plan.datapath.mode == .int8Packed2 || plan.datapath.mode == .int4Packed4 { events["lane_overflows"] = lanes }
        return EngineOutput(rows: m, columns: n, groups: groups, groupSize: plan.group, raw: raw, rawFormat: plan.rawFormat, values: values,
                            events: events)
    }

    /// One chain pass from codes (`simulate mma`, tests): the raw lane results of one pass, lane
    /// by lane, and whether each equals its exact sum. `activations` holds one line of codes per
    /// lane that varies the activation (INT8 two-lane: 2), `weights` one per lane that varies the
    /// weight (INT4 four-lane: 4); the other operand is shared.
    public func chainPass(_ plan: DSPPlan, activations: [[UInt64]], weights: [[UInt64]]) -> [(raw: UInt64, exact: Bool)] {
        let k = activations[0].count
        let a = QuantizedOperand(lines: activations.count, k: k, codes: activations.flatMap { $0 }, element: plan.a.element)
        let b = QuantizedOperand(lines: weights.count, k: k, codes: weights.flatMap { $0 }, element: plan.b.element)
        let single = DSPPlan(a: plan.a, b: plan.b, datapath: plan.datapath, family: plan.family, group: k, kulisch: plan.kulisch)
        let kernel = DSPKernel(plan: single, a: a, b: b, groups: 1)
        let m = a.lines, n = b.lines
        var raw = [UInt64](repeating: 0, count: m * n)
        var values = [Double](repeating: 0, count: m * n)
        var flags = [Bool](repeating: true, count: m * n)
        raw.withUnsafeMutableBufferPointer { r in
            values.withUnsafeMutableBufferPointer { v in
                if plan.datapath.mode == .int8Packed2 { _ = kernel.rowPair(0, raw: r, values: v) } else {
                    for i in 0..<m { _ = kernel.row(i, raw: r, values: v) }
                }
            }
        }
        for i in 0..<m {
            for j in 0..<n where kernel.isInteger {
                flags[i * n + j] = Int32(truncatingIfNeeded: raw[i * n + j]) == Int32(truncatingIfNeeded: kernel.exactDot(i, j, 0..<k))
            }
        }
        // Lanes: the varying operand's lines in order.
        switch plan.datapath.mode {
        case .int8Packed2: return (0..<m).map { (raw[$0 * n], flags[$0 * n]) }
        case .int4Packed4: return (0..<n).map { (raw[$0], flags[$0]) }
        default: return [(raw[0], flags[0])]
        }
    }
}

/// The per-output work of a DSP-chain execution.
struct DSPKernel {
    let plan: DSPPlan
    let k: Int
    let groups: Int
    let m: Int
    let n: Int
    /// Integer values of the codes (integer modes), lines x K.
    let av: [Int64]
    let bv: [Int64]
    let a: QuantizedOperand
    let b: QuantizedOperand
    let isInteger: Bool

    init(plan: DSPPlan, a: QuantizedOperand, b: QuantizedOperand, groups: Int) {
        self.plan = plan
        self.a = a
        self.b = b
        k = a.k
        m = a.lines
        n = b.lines
        self.groups = groups
        if case .integer(let fa) = plan.a.element, case .integer(let fb) = plan.b.element {
            isInteger = true
            av = a.codes.map { fa.integer(ofCode: $0) }
            bv = b.codes.map { fb.integer(ofCode: $0) }
        } else {
            isInteger = false
            av = []
            bv = []
        }
    }

    func range(_ g: Int) -> Range<Int> { (g * plan.group)..<Swift.min(k, (g + 1) * plan.group) }

    /// The exact integer dot product of row i and column j over `r`.
    func exactDot(_ i: Int, _ j: Int, _ r: Range<Int>) -> Int64 {
        var s: Int64 = 0
        for t in r { s &+= av[i * k + t] &* bv[j * k + t] }
        return s
    }

    /// Signed wrap of x to `bits` bits.
    @inline(__always)
    static func wrap(_ x: Int64, _ bits: Int) -> Int64 { bits >= 64 ? x : (x &<< Int64(64 - bits)) &>> Int64(64 - bits) }

    func finish(_ i: Int, _ j: Int, acc: Int32, values: UnsafeMutableBufferPointer<Double>) {
        values[i * n + j] = Double(Float(acc) * Float(b.scales[j * b.groups]) * Float(a.scales[i * a.groups]))
    }

    /// Rows 2p and 2p + 1 against every column (INT8 two-lane): returns the lane overflows.
    func rowPair(_ p: Int, raw: UnsafeMutableBufferPointer<UInt64>, values: UnsafeMutableBufferPointer<Double>) -> Int {
        let r0 = 2 * p, r1 = 2 * p + 1
        var overflows = 0
        let zeros = [Int64](repeating: 0, count: k)
        av.withUnsafeBufferPointer { A in
            bv.withUnsafeBufferPointer { B in
                zeros.withUnsafeBufferPointer { Z in
                    for j in 0..<n {
                        var acc0: Int32 = 0, acc1: Int32 = 0
                        for g in 0..<groups {
                            let rg = range(g)
                            let lo = UnsafeBufferPointer(rebasing: A[(r0 * k + rg.lowerBound)..<(r0 * k + rg.upperBound)])
                            let hi = r1 < m ? UnsafeBufferPointer(rebasing: A[(r1 * k + rg.lowerBound)..<(r1 * k + rg.upperBound)])
                                : UnsafeBufferPointer(rebasing: Z[rg])
                            let w = UnsafeBufferPointer(rebasing: B[(j * k + rg.lowerBound)..<(j * k + rg.upperBound)])
                            let (l0, l1) = DSPLanes.int8Pair(b: lo, c: hi, a: w, correction: plan.datapath.laneCorrection)
                            raw[(g * m + r0) * n + j] = UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: l0)))
                            acc0 &+= Int32(truncatingIfNeeded: l0)
                            if l0 != exactDot(r0, j, rg) { overflows += 1 }
                            if r1 < m {
                                raw[(g * m + r1) * n + j] = UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: l1)))
                                acc1 &+= Int32(truncatingIfNeeded: l1)
                                if l1 != exactDot(r1, j, rg) { overflows += 1 }
                            }
                        }
                        finish(r0, j, acc: acc0, values: values)
                        if r1 < m { finish(r1, j, acc: acc1, values: values) }
                    }
                }
            }
        }
        return overflows
    }

    /// Row i against every column (all modes but INT8 two-lane): returns the lane overflows.
    func row(_ i: Int, raw: UnsafeMutableBufferPointer<UInt64>, values: UnsafeMutableBufferPointer<Double>) -> Int {
        switch plan.datapath.mode {
        case .int4Packed4: return quadRow(i, raw: raw, values: values)
        case .dspfp32, .minifloatKulisch:
            for j in 0..<n {
                let f = plan.datapath.mode == .dspfp32 ? fp32Chain(i, j) : kulisch(i, j)
                raw[i * n + j] = UInt64(f.bitPattern)
                values[i * n + j] = Double(f * Float(b.scales[j * b.groups]) * Float(a.scales[i * a.groups]))
            }
            return 0
        default:
            let bits = plan.accumulatorBits
            for j in 0..<n {
                var acc: Int32 = 0
                for g in 0..<groups {
                    let s = Self.wrap(exactDot(i, j, range(g)), bits)
                    raw[(g * m + i) * n + j] = UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: s)))
                    acc &+= Int32(truncatingIfNeeded: s)
                }
                finish(i, j, acc: acc, values: values)
            }
            return 0
        }
    }

    /// Four columns share each activation (INT4 four-lane).
    func quadRow(_ i: Int, raw: UnsafeMutableBufferPointer<UInt64>, values: UnsafeMutableBufferPointer<Double>) -> Int {
        var overflows = 0
        let zeros = [Int64](repeating: 0, count: k)
        av.withUnsafeBufferPointer { A in
            bv.withUnsafeBufferPointer { B in
                zeros.withUnsafeBufferPointer { Z in
                    var j0 = 0
                    while j0 < n {
                        var accs: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
                        for g in 0..<groups {
                            let rg = range(g)
                            func column(_ j: Int) -> UnsafeBufferPointer<Int64> {
                                j < n ? UnsafeBufferPointer(rebasing: B[(j * k + rg.lowerBound)..<(j * k + rg.upperBound)]) : UnsafeBufferPointer(rebasing: Z[rg])
                            }
                            let x = UnsafeBufferPointer(rebasing: A[(i * k + rg.lowerBound)..<(i * k + rg.upperBound)])
                            var lanes: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
                            DSPLanes.int4Quad(w: (column(j0), column(j0 + 1), column(j0 + 2), column(j0 + 3)), a: x,
                                              correction: plan.datapath.laneCorrection, into: &lanes)
                            let vals = [lanes.0, lanes.1, lanes.2, lanes.3]
                            for l in 0..<4 where j0 + l < n {
                                let j = j0 + l
                                raw[(g * m + i) * n + j] = UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: vals[l])))
                                if vals[l] != exactDot(i, j, rg) { overflows += 1 }
                            }
                            accs.0 &+= Int32(truncatingIfNeeded: lanes.0)
                            accs.1 &+= Int32(truncatingIfNeeded: lanes.1)
                            accs.2 &+= Int32(truncatingIfNeeded: lanes.2)
                            accs.3 &+= Int32(truncatingIfNeeded: lanes.3)
                        }
                        let all = [accs.0, accs.1, accs.2, accs.3]
                        for l in 0..<4 where j0 + l < n { finish(i, j0 + l, acc: all[l], values: values) }
                        j0 += 4
                    }
                }
            }
        }
        return overflows
    }

    /// DSPFP32 along the cascade: acc = fp32(acc + fp32(a b)), in K order from +0.
    func fp32Chain(_ i: Int, _ j: Int) -> Float {
        var acc: Float = 0
        let half = plan.a.element.bitWidth == 16
        for t in 0..<k {
            let x = a.codes[i * k + t], y = b.codes[j * k + t]
            let p: Float = half ? Float(Float16(bitPattern: UInt16(truncatingIfNeeded: x))) * Float(Float16(bitPattern: UInt16(truncatingIfNeeded: y)))
                : Float(bitPattern: UInt32(truncatingIfNeeded: x)) * Float(bitPattern: UInt32(truncatingIfNeeded: y))
            acc = acc + p
        }
        return acc
    }

    /// Exact minifloat dot product (Kulisch), rounded once to binary32 (nearest even).
    func kulisch(_ i: Int, _ j: Int) -> Float {
        let t = plan.kulisch!
        var sum: Int128 = 0
        var nan = false, posInf = false, negInf = false
        for s in 0..<k {
            let x = t.a[Int(a.codes[i * k + s])], y = t.b[Int(b.codes[j * k + s])]
            if x.special || y.special {
                let xa = plan.a.element.decode(a.codes[i * k + s]), yb = plan.b.element.decode(b.codes[j * k + s])
                if xa.isNaN || yb.isNaN || (xa.isInfinite && yb.isZero) || (yb.isInfinite && xa.isZero) { nan = true; continue }
                if x.negative != y.negative { negInf = true } else { posInf = true }
                continue
            }
            let p = Int128(x.significand * y.significand) << (x.shift + y.shift)
            sum += x.negative != y.negative ? -p : p
        }
        if nan || (posInf && negInf) { return .nan }
        if posInf { return .infinity }
        if negInf { return -.infinity }
        return Self.binary32(sum, exponent: t.base)
    }

    /// value * 2^exponent rounded to binary32: rounded to odd at 53 bits (exact in a Double),
    /// then once to nearest even (Boldo and Melquiond 2008).
    static func binary32(_ value: Int128, exponent: Int) -> Float {
        if value == 0 { return 0 }
        var magnitude = value.magnitude
        var e = exponent
        let length = 128 - magnitude.leadingZeroBitCount
        if length > 53 {
            let drop = length - 53
            let sticky = magnitude & ((UInt128(1) << drop) - 1) != 0
            magnitude >>= drop
            if sticky { magnitude |= 1 }
            e += drop
        }
        let d = Double(sign: value < 0 ? .minus : .plus, exponent: e, significand: Double(UInt64(magnitude)))
        return Float(d)
    }
}
