import ArchitectureSpec
import CostModel
import EngineKit
import PEArrayEngine

/// The PE array in the pipeline: `PEArrayEngine`, `ReferencePE`/`ReferenceBitMoD` through
/// `PEArrayOracle`, and the inventory `PEArrayInventory` builds from the document.
struct PEArrayBinding: EngineBinding {
    let engine: PEArrayEngine
    let document: ArchitectureDocument
    let file: String

    init(document: ArchitectureDocument, spec: PEArraySpec, file: String) {
        engine = PEArrayEngine(name: document.name, spec: spec)
        self.document = document
        self.file = file
    }

    func oracle(for plan: PEPlan) -> any EngineOracle { PEArrayOracle(plan: plan) }

    func inventory(for plan: PEPlan, anchor: String?) throws(RunError) -> PricedDesign {
        try PEArrayInventory.build(document: document, spec: engine.spec, plan: plan, file: file, anchor: anchor)
    }

    var powerLimitW: Double? { nil }

    func designInventory(anchor: String?) throws(RunError) -> CostInventory {
        try PEArrayInventory.build(document: document, spec: engine.spec, plan: nil, file: file, anchor: anchor).inventory
    }
}
