import ArchitectureSpec
import EngineKit
import Formats
import LUTEngine
import Workloads

/// `simulate mma` on a `lut_tensor_core` document: one raw LUT accumulator per line, from the
/// activation codes and weight codes of one weight group.
struct LUTVectors {
    let arch: String
    let spec: LUTTensorCoreSpec
    let types: String
    let vectors: String
    let check: Bool
    let show: Int

    func run() throws {
        let (names, activation, weight) = try CodeVectors.typePair(types, unit: "a LUT unit", example: "fp16,uint2")
        let engine = LUTTensorCoreEngine(name: arch, spec: spec)
        var planned: [Int: LUTPlan] = [:]
        try CodeVectors(
            vectors: vectors, check: check, show: show, extraColumns: [], activationBits: activation.bitWidth, weightBits: weight.bitWidth,
            digits: spec.unit.accumulatorFormat == .fp16 ? 4 : 8,
            label: { "(LUT unit, \(planned.values.first!.numerics.profile))" },
            compute: { a, w, _, _ in
                let plan: LUTPlan
                if let p = planned[a.count] { plan = p } else {
                    do {
                        plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: a.count), aFormat: names[0], bFormat: names[1],
                                                           quantization: .perChannel))
                    } catch { throw CLIError.usage("\(arch): \(error)") }
                    planned[a.count] = plan
                }
                let out = engine.execute(plan, a: QuantizedOperand(lines: 1, k: a.count, codes: a, element: activation),
                                         b: QuantizedOperand(lines: 1, k: w.count, codes: w, element: weight), threads: 1)
                return (out.raw[0], out.rawFormat)
            }).run()
    }
}
