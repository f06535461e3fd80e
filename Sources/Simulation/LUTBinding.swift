import ArchitectureSpec
import CostModel
import EngineKit
import LUTEngine
import Workloads

/// The LUT Tensor Core in the pipeline: `LUTTensorCoreEngine`, `ReferenceLUT` and the inventory
/// `LUTInventory` builds from the document.
struct LUTBinding: EngineBinding {
    let engine: LUTTensorCoreEngine
    let document: ArchitectureDocument
    let file: String

    init(document: ArchitectureDocument, spec: LUTTensorCoreSpec, file: String) {
        engine = LUTTensorCoreEngine(name: document.name, spec: spec)
        self.document = document
        self.file = file
    }

    func oracle(for plan: LUTPlan) -> any EngineOracle { LUTOracle(plan: plan) }

    func inventory(for plan: LUTPlan, anchor: String?) throws(RunError) -> PricedDesign {
        try LUTInventory.build(document: document, spec: engine.spec, plan: plan, file: file, anchor: anchor)
    }

    var powerLimitW: Double? { engine.spec.array.powerLimitW }

    /// Priced for the widest weights the unit serves (the inventory does not depend on W).
    func designInventory(anchor: String?) throws(RunError) -> CostInventory {
        let u = engine.spec.unit
        let request = GEMMRequest(shape: GEMMShape(m: u.tileM, n: u.tileN, k: u.tileK), aFormat: u.tableFormat.isInteger ? "int8" : "fp16",
                                  bFormat: "uint\(u.maxWeightBits)", quantization: .perChannel)
        let plan: LUTPlan
        do { plan = try engine.plan(request) } catch { throw RunError("\(file): \(error)") }
        return try inventory(for: plan, anchor: anchor).inventory
    }

    /// `attention_architecture`, resolved against this document's directory.
    var attentionArchitecture: String? {
        guard let relative = engine.spec.attentionArchitecture else { return nil }
        if relative.hasPrefix("/") { return relative }
        let directory = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : "."
        return directory + "/" + relative
    }
}
