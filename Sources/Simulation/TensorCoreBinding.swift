import ArchitectureSpec
import CostModel
import EngineKit
import TensorCoreEngine

/// The tensor-core GPU in the pipeline: `TensorCoreGPUEngine`, `ReferenceMMA` and the
/// inventory `TensorCoreInventory` builds from the document.
struct TensorCoreBinding: EngineBinding {
    let engine: TensorCoreGPUEngine
    let document: ArchitectureDocument
    let file: String

    init(document: ArchitectureDocument, gpu: TensorCoreGPUSpec, file: String) throws(RunError) {
        do { engine = try TensorCoreGPUEngine(name: document.name, gpu: gpu) } catch { throw RunError("\(file): \(error)") }
        self.document = document
        self.file = file
    }

    func oracle(for plan: TensorCorePlan) -> any EngineOracle { TensorCoreOracle(plan: plan) }

    func inventory(for plan: TensorCorePlan, anchor: String?) throws(RunError) -> PricedDesign {
        let gpu = engine.gpu
        let model = try TensorCoreInventory.model(for: gpu, anchor: anchor)
        let inventory = try TensorCoreInventory.build(name: document.name, file: file, gpu: gpu, model: model, run: plan.instruction)
        let fma = inventory.component("tensor")?.actions.first { $0.action == "fma_issued" }
        return PricedDesign(inventory: inventory, datapathMode: fma?.estimator, datapathEnergyPerMACPJ: fma?.energy_pj,
                            datapathAreaMM2: TensorCoreInventory.tensorAreaPerSMMM2(inventory, gpu), datapathAreaScope: "tensor cores per SM",
                            uncertainty: model.energyUncertainty)
    }

    var powerLimitW: Double? { engine.gpu.chip.boardPowerW }

    func designInventory(anchor: String?) throws(RunError) -> CostInventory {
        try TensorCoreInventory.build(name: document.name, file: file, gpu: engine.gpu,
                                      model: TensorCoreInventory.model(for: engine.gpu, anchor: anchor))
    }
}
