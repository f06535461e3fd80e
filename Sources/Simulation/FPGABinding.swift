import ArchitectureSpec
import CostModel
import DSPChainEngine
import EngineKit
import Workloads

/// FPGA DSP chains in the pipeline: `DSPChainEngine`, `ReferenceDSP` through `FPGAOracle`, and
/// the resource-and-energy inventory `FPGAInventory` builds.
struct FPGABinding: EngineBinding {
    let engine: DSPChainEngine
    let document: ArchitectureDocument
    let file: String

    init(document: ArchitectureDocument, spec: FPGADSPSpec, file: String) {
        engine = DSPChainEngine(name: document.name, spec: spec)
        self.document = document
        self.file = file
    }

    func oracle(for plan: DSPPlan) -> any EngineOracle { FPGAOracle(plan: plan) }

    func inventory(for plan: DSPPlan, anchor: String?) throws(RunError) -> PricedDesign {
        try FPGAInventory.build(document: document, engine: engine, plan: plan, file: file, anchor: anchor)
    }

    var powerLimitW: Double? { nil }

    func designInventory(anchor: String?) throws(RunError) -> CostInventory {
        let plan: DSPPlan
        do { plan = try engine.plan(FPGAExecutability.nativeRequest(engine.spec)) } catch { throw RunError("\(file): \(error)") }
        return try inventory(for: plan, anchor: anchor).inventory
    }
}

/// The GEMM every `fpga_dsp` mode runs natively (validation and `costs show`).
enum FPGAExecutability {
    static func nativeRequest(_ spec: FPGADSPSpec) -> GEMMRequest {
        let (a, b): (String, String)
        switch spec.datapath.mode {
        case .int8Packed2, .int8Single, .int8Dot3, .int8Tensor: (a, b) = ("int8", "int8")
        case .int4Packed4: (a, b) = ("uint4", "int4")
        case .dspfp32: (a, b) = ("fp16", "fp16")
        case .minifloatKulisch: (a, b) = ("e4m3", "e4m3")
        }
        return GEMMRequest(shape: GEMMShape(m: 64, n: 64, k: 256), aFormat: a, bFormat: b, quantization: nil)
    }
}
