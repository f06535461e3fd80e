import ArchitectureSpec
import EngineKit
import Formats
import PEArrayEngine
import Workloads

/// `simulate mma` on a `pe_array` document: one PE's raw result per line over one weight group,
/// from activation and weight codes (BitMoD: and the group's unsigned INT8 scale).
struct PEVectors {
    let arch: String
    let spec: PEArraySpec
    let types: String
    let vectors: String
    let check: Bool
    let show: Int

    func run() throws {
        let (names, activation, weight) = try CodeVectors.typePair(types, unit: "a PE array", example: "fp16,int8 or fp16,bitmod-fp4-ea+",
                                                            hint: "; a BitMoD mixture's groups use one member each, so name the member")
        let engine = PEArrayEngine(name: arch, spec: spec)
        let bitmod = spec.pe.type == .bitmod
        var planned: [Int: PEPlan] = [:]
        try CodeVectors(
            vectors: vectors, check: check, show: show, extraColumns: bitmod ? [("group scale", 8)] : [],
            activationBits: activation.bitWidth, weightBits: weight.bitWidth,
            digits: spec.pe.type == .fp16Int || (spec.pe.accumulatorFormat == .fp16 && spec.pe.type != .bitmod) ? 4 : 8,
            label: { "(PE, \(planned.values.first!.numerics.profile))" },
            compute: { a, w, extra, place in
                guard !a.isEmpty else { throw CLIError.usage("\(place): no codes") }
                if bitmod && a.count > spec.pe.groupSize {
                    throw CLIError.usage("\(place): \(a.count) codes exceed one weight group (pe.group_size \(spec.pe.groupSize))")
                }
                let plan: PEPlan
                if let p = planned[a.count] { plan = p } else {
                    do {
                        plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: a.count), aFormat: names[0], bFormat: names[1],
                                                           quantization: spec.pe.type == .bitmod || spec.pe.type == .fp16MAC ? nil : .perChannel))
                    } catch { throw CLIError.usage("\(arch): \(error)") }
                    planned[a.count] = plan
                }
                return (engine.rawGroup(plan, activations: a, weights: w, member: 0, groupScale: Int(extra.first ?? 1)), plan.rawFormat)
            }).run()
    }
}
