import Formats
import TensorCoreEngine

/// Runs the prepared operands through the MMA unit and applies the epilogue: scales outside
/// the MMA are applied in binary32 (round to nearest even), as a CUDA-core epilogue would:
/// out = (D * sA) * sB per tensor or channel; with groups along K each group's D_g (from a zero
/// accumulator) is promoted as acc = acc + D_g * (sA * sB) (DeepSeek-V3-style promotion, every
/// operation rounded to binary32); NVFP4 multiplies by both tensor scales.
struct GEMMExecution {
    let unit: MMAUnit
    let a: PreparedOperand
    let b: PreparedOperand
    let planA: PreparedOperand.Plan
    let planB: PreparedOperand.Plan
    let threads: Int

    struct Result {
        let rows: Int
        let columns: Int
        let groups: Int
        let groupSize: Int
        /// Raw MMA outputs: groups x rows x columns codes.
        let raw: [UInt64]
        /// Final outputs after the epilogue.
        let output: [Float]
    }

    var groupSize: Int { planA.groupSize ?? a.k }

    func run() -> Result {
        let m = a.lines, n = b.lines, k = a.k
        let g = groupSize
        let groups = (k + g - 1) / g
        let zeros = [UInt64](repeating: 0, count: m * n)
        var raw: [UInt64] = []
        var output = [Float](repeating: 0, count: m * n)
        for group in 0..<groups {
            let range = (group * g)..<Swift.min(k, (group + 1) * g)
            let d = groups == 1
                ? unit.gemm(a: a.codes, bt: b.codes, c: zeros, m: m, n: n, k: k, scalesA: a.blockScaleCodes,
                            scalesB: b.blockScaleCodes, threads: threads)
                : unit.gemm(a: a.codes(in: range), bt: b.codes(in: range), c: zeros, m: m, n: n, k: range.count, threads: threads)
            raw += d
            for i in 0..<m {
                for j in 0..<n {
                    let value = rawValue(d[i * n + j])
                    if groups == 1 {
                        let sa = a.scales[i * a.groups], sb = b.scales[j * b.groups]
                        output[i * n + j] = (value * sa * a.tensorScale) * (sb * b.tensorScale)
                        if sa == 1 && sb == 1 && a.tensorScale == 1 && b.tensorScale == 1 { output[i * n + j] = value }
                    } else {
                        let s = a.scales[i * a.groups + group] * b.scales[j * b.groups + group]
                        output[i * n + j] += value * s
                    }
                }
            }
        }
        return Result(rows: m, columns: n, groups: groups, groupSize: g, raw: raw, output: output)
    }

    /// A raw MMA output as binary32 (FP16 and FP32 exactly; INT32 rounded to nearest even).
    func rawValue(_ code: UInt64) -> Float {
        switch unit.accumulatorFormat {
        case .integer(let i): return Float(i.integer(ofCode: code))
        case .float(let f) where f == StandardFormats.fp32: return Float(bitPattern: UInt32(truncatingIfNeeded: code))
        default: return Float(unit.accumulatorFormat.decode(code).approximateDouble)
        }
    }
}
