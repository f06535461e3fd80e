import EngineKit
import Formats

extension TensorCoreGPUEngine {
    /// Runs the prepared operands through the MMA unit and applies the epilogue: scales outside
    /// the MMA are applied in binary32 (round to nearest even), as a CUDA-core epilogue would:
    /// out = (D * sA) * sB per tensor or channel; with groups along K each group's D_g (from a
    /// zero accumulator) is promoted as acc = acc + D_g * (sA * sB) (DeepSeek-V3-style
    /// promotion, every operation rounded to binary32); NVFP4 multiplies by both tensor scales.
    public func execute(_ plan: TensorCorePlan, a: QuantizedOperand, b: QuantizedOperand, threads: Int) -> EngineOutput {
        let unit = plan.unit
        let m = a.lines, n = b.lines, k = a.k
        let g = plan.a.groupSize ?? k
        let groups = (k + g - 1) / g
        let zeros = [UInt64](repeating: 0, count: m * n)
        var raw: [UInt64] = []
        raw.reserveCapacity(groups * m * n)
        var output = [Float](repeating: 0, count: m * n)
        let sA = a.scales.map { Float($0) }, sB = b.scales.map { Float($0) }
        for group in 0..<groups {
            let range = (group * g)..<Swift.min(k, (group + 1) * g)
            let d = groups == 1
                ? unit.gemm(a: a.codes, bt: b.codes, c: zeros, m: m, n: n, k: k, scalesA: a.blockScaleCodes,
                            scalesB: b.blockScaleCodes, threads: threads)
                : unit.gemm(a: a.codes(in: range), bt: b.codes(in: range), c: zeros, m: m, n: n, k: range.count, threads: threads)
            raw += d
            for i in 0..<m {
                for j in 0..<n {
                    let value = Self.rawValue(d[i * n + j], unit.accumulatorFormat)
                    if groups == 1 {
                        let sa = sA[i * a.groups], sb = sB[j * b.groups]
                        if sa == 1 && sb == 1 && a.tensorScale == 1 && b.tensorScale == 1 {
                            output[i * n + j] = value
                        } else {
                            output[i * n + j] = (value * sa * a.tensorScale) * (sb * b.tensorScale)
                        }
                    } else {
                        let s = sA[i * a.groups + group] * sB[j * b.groups + group]
                        output[i * n + j] += value * s
                    }
                }
            }
        }
        var values = output.map(Double.init)
        if let out = plan.outFormat?.format {
            // D written in FP16/BF16: the binary32 result rounded to nearest even (overflow to
            // infinity); infinities and NaN pass through.
            for i in values.indices where values[i].isFinite {
                values[i] = out.decode(out.encode(ExactValue(values[i]), rule: .toNearestOrEven, overflow: .infinity).code).approximateDouble
            }
        }
        return EngineOutput(rows: m, columns: n, groups: groups, groupSize: g, raw: raw, rawFormat: unit.accumulatorFormat,
                            values: values)
    }

    /// A raw MMA output as binary32 (FP16 and FP32 exactly; INT32 rounded to nearest even).
    static func rawValue(_ code: UInt64, _ format: ScalarFormat) -> Float {
        switch format {
        case .integer(let i): return Float(i.integer(ofCode: code))
        case .float(let f) where f == StandardFormats.fp32: return Float(bitPattern: UInt32(truncatingIfNeeded: code))
        default: return Float(format.decode(code).approximateDouble)
        }
    }
}
