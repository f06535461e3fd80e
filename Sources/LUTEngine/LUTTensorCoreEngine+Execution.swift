import ArchitectureSpec
import Dispatch
import EngineKit
import Formats

extension LUTTensorCoreEngine {
    /// The bit-exact LUT GEMM (docs/lut-tensor-core.md, "Semantics"). For every row, weight group
    /// g and column: acc = 0; for each K-group of the weight group and each plane b = 0..W-1 (LSB
    /// first): (idx, s) from the pre-inverted plane bits, acc = round(acc + (-1)^s E[idx] 2^b) in
    /// the accumulator format (the raw output D_g). The binary32 epilogue then forms, per group,
    /// u = 0.5 * (D_g * s_t) + c_g * S_g (c_g = (2^W-1)/2 - z, S_g the group's activation sum in
    /// binary32, K order), out += s_w * u, and finally out *= s_a (the activation's row scale);
    /// every operation rounded to nearest even.
    public func execute(_ plan: LUTPlan, a: QuantizedOperand, b: QuantizedOperand, threads: Int) -> EngineOutput {
        let m = a.lines, n = b.lines, k = a.k
        let groupSize = plan.weightGroup
        let groups = (k + groupSize - 1) / groupSize
        let kernel = LUTKernel(plan: plan, k: k, groupSize: groupSize, groups: groups)
        let planes = kernel.planeCodes(b)
        var raw = [UInt64](repeating: 0, count: groups * m * n)
        var values = [Double](repeating: 0, count: m * n)
        let workers = ParallelSlices.workers(count: m, threads: threads)
        raw.withUnsafeMutableBufferPointer { rawBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                let out = (raw: UncheckedSendable(rawBuffer), values: UncheckedSendable(valueBuffer))
                ParallelSlices.run(count: m, workers: workers) { _, rows in
                    for i in rows { kernel.row(i, a: a, b: b, planes: planes, rows: m, raw: out.raw.value, values: out.values.value) }
                }
            }
        }
        let format: ScalarFormat
        switch plan.unit.accumulatorFormat {
        case .fp16: format = .float(StandardFormats.fp16)
        case .fp32: format = .float(StandardFormats.fp32)
        case .int32: format = .integer(IntegerFormat(bitWidth: 32, encoding: .twosComplement))
        }
        return EngineOutput(rows: m, columns: n, groups: groups, groupSize: groupSize, raw: raw, rawFormat: format, values: values)
    }
}

/// The LUT datapath for one plan: plane codes, tables and the bit-serial accumulation.
struct LUTKernel {
    let plan: LUTPlan
    let k: Int
    let groupSize: Int
    let groups: Int
    let kg: Int
    let entries: Int
    let bits: Int

    init(plan: LUTPlan, k: Int, groupSize: Int, groups: Int) {
        self.plan = plan
        self.k = k
        self.groupSize = groupSize
        self.groups = groups
        kg = plan.unit.tileK
        entries = plan.tableEntries
        bits = plan.weights.bits
    }

    func range(_ g: Int) -> Range<Int> { (g * groupSize)..<Swift.min(k, (g + 1) * groupSize) }

    /// K-groups ("chunks") of weight group g, and of all groups before it.
    func chunks(_ g: Int) -> Int { (range(g).count + kg - 1) / kg }

    /// Per column, chunk and plane: the pre-inverted table index with the sign in bit 7
    /// (negation elimination, lut-tensor-core.md §2.4: a plane whose bit 0 is set selects
    /// -E[~(bits 1..K-1)]). Padding weights are 0. Layout: column-major, then chunk, then plane.
    func planeCodes(_ b: QuantizedOperand) -> [UInt8] {
        let perColumn = (0..<groups).reduce(0) { $0 + chunks($1) } * bits
        var out = [UInt8](repeating: 0, count: b.lines * perColumn)
        let mask = entries - 1
        for j in 0..<b.lines {
            var p = j * perColumn
            for g in 0..<groups {
                let r = range(g)
                for c in 0..<chunks(g) {
                    let base = r.lowerBound + c * kg
                    var q = [UInt8](repeating: 0, count: kg)
                    for t in 0..<kg where base + t < r.upperBound { q[t] = plan.weights.planeCode(b.codes[j * b.k + base + t]) }
                    for plane in 0..<bits {
                        var index = 0
                        for t in 1..<kg { index |= Int(q[t] >> UInt8(plane) & 1) << (t - 1) }
                        let sign = q[0] >> UInt8(plane) & 1
                        if sign == 1 { index = ~index & mask }
                        out[p] = UInt8(index) | sign << 7
                        p += 1
                    }
                }
            }
        }
        return out
    }

    /// The activation row as binary32 values (float formats) and integers (int8).
    func activations(_ a: QuantizedOperand, row i: Int) -> ([Float], [Int32]) {
        let codes = a.codes(line: i, in: 0..<k)
        switch plan.activation {
        case .integer(let f): return ([], codes.map { Int32(f.integer(ofCode: $0)) })
        case .float(let f) where f == StandardFormats.fp16: return (codes.map { Float(Float16(bitPattern: UInt16($0))) }, [])
        case .float(let f) where f == StandardFormats.bf16: return (codes.map { Float(bitPattern: UInt32($0) << 16) }, [])
        default: return (codes.map { Float(plan.activation.decode($0).approximateDouble) }, [])
        }
    }

    func row(_ i: Int, a: QuantizedOperand, b: QuantizedOperand, planes: [UInt8], rows m: Int,
             raw: UnsafeMutableBufferPointer<UInt64>, values: UnsafeMutableBufferPointer<Double>) {
        let n = b.lines
        let (x, xi) = activations(a, row: i)
        let integerTables = plan.unit.tableFormat.isInteger
        let perColumn = planes.count / Swift.max(1, n)
        var out = [Float](repeating: 0, count: n)
        var chunkOffset = 0
        for g in 0..<groups {
            let r = range(g)
            let tables = LUTTables.build(plan, activations: x, integerActivations: xi, range: r)
            // The group's activation sum, binary32 in K order (exact for int8 activations).
            let sum: Float = integerTables ? Float(xi[r].reduce(Int64(0)) { $0 + Int64($1) }) : x[r].reduce(Float(0)) { $0 + $1 }
            let scaled = scaledEntries(tables)
            let chunkCount = chunks(g)
            for j in 0..<n {
                let codes = planes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[(j * perColumn + chunkOffset * bits)..<(j * perColumn + (chunkOffset + chunkCount) * bits)]) }
                let d = accumulate(codes, scaled, tables, chunkCount)
                raw[(g * m + i) * n + j] = d.code
                // Epilogue (binary32, nearest even at every step).
                let zero = b.zeroPoints.isEmpty ? 0 : b.zeroPoints[j * b.groups + g]
                let c = plan.weights.correction(zeroPoint: zero)
                let h = Float(0.5) * (d.value * tables.scale)
                let u = h + c * sum
                let sw = Float(b.scales[j * b.groups + g]) * plan.weights.scaleFactor
                out[j] = out[j] + sw * u
            }
            chunkOffset += chunkCount
        }
        let sa = Float(a.scales[i])
        for j in 0..<n { values[i * n + j] = Double(out[j] * sa) }
    }

    /// Every entry times 2^b for b = 0..W-1: `[(chunk * W + b) * entries + e]`, as binary64 (exact),
    /// or, under the RTL quirks, the FP16 entry with b added to its 5-bit exponent field
    /// (wrapping) and a zero exponent field read as zero.
    func scaledEntries(_ t: LUTTables) -> [Double] {
        let chunkCount = t.values.count / entries
        var out = [Double](repeating: 0, count: chunkCount * bits * entries)
        for c in 0..<chunkCount {
            for p in 0..<bits {
                for e in 0..<entries {
                    let v: Double
                    if plan.unit.rtlQuirks {
                        let h = t.codes[c * entries + e]
                        let field = (Int(h >> 10) & 31 + p) & 31
                        let shifted = h & 0x83FF | UInt16(field) << 10
                        v = field == 0 ? (h & 0x8000 != 0 ? -0.0 : 0.0) : BinaryRounding.binary16Value(shifted)
                    } else {
                        v = Double(t.values[c * entries + e]) * Double(1 << p)
                    }
                    out[(c * bits + p) * entries + e] = v
                }
            }
        }
        return out
    }

    /// The raw accumulator of one output over one weight group: its code and its binary32 value.
    func accumulate(_ codes: UnsafeBufferPointer<UInt8>, _ scaled: [Double], _ t: LUTTables, _ chunkCount: Int) -> (code: UInt64, value: Float) {
        switch plan.unit.accumulatorFormat {
        case .int32:
            var acc: Int32 = 0
            for c in 0..<chunkCount {
                for p in 0..<bits {
                    let code = codes[c * bits + p]
                    let e = t.integers[c * entries + Int(code & 0x7F)] &<< Int32(p)
                    acc &+= code & 0x80 != 0 ? 0 &- e : e
                }
            }
            return (UInt64(UInt32(bitPattern: acc)), Float(acc))
        case .fp32:
            var acc: Float = 0
            for c in 0..<chunkCount {
                for p in 0..<bits {
                    let code = codes[c * bits + p]
                    let e = Float(scaled[(c * bits + p) * entries + Int(code & 0x7F)])
                    acc += code & 0x80 != 0 ? -e : e
                }
            }
            return (UInt64(acc.bitPattern), acc)
        case .fp16:
            var acc = 0.0
            let quirks = plan.unit.rtlQuirks
            for c in 0..<chunkCount {
                for p in 0..<bits {
                    let code = codes[c * bits + p]
                    let e = scaled[(c * bits + p) * entries + Int(code & 0x7F)]
                    // acc and E 2^b have 11-bit significands within 2^-24..2^22: the binary64 sum is exact.
                    var h = BinaryRounding.binary16(acc + (code & 0x80 != 0 ? -e : e))
                    if quirks, h & 0x7C00 == 0 { h &= 0x8000 }  // non-IEEE adder: results below 2^-14 flush to zero
                    acc = BinaryRounding.binary16Value(h)
                }
            }
            let h = BinaryRounding.binary16(acc)
            return (UInt64(h), Float(acc))
        }
    }
}
