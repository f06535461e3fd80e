import ArchitectureSpec
import CostModel
import EngineKit
import TensorCoreEngine
import Workloads

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

    var powerLimitW: Double? { engine.gpu.board?.powerLimitW ?? engine.gpu.chip.boardPowerW }

    var hasPowerModel: Bool { engine.gpu.board != nil }

    func operatingPoint(plan: TensorCorePlan, shape: GEMMShape, timing: EngineTiming, chipEnergyPJ: Double, dramEnergyPJ: Double,
                        activity operandActivity: Double) throws(RunError) -> (timing: EngineTiming, point: GPUOperatingPoint)? {
        guard let board = engine.gpu.board else { return nil }
        let model = GPUPowerModel(board: board, chip: engine.gpu.chip)
        let f0 = model.nominalClockHz
        let chipJ = chipEnergyPJ * 1e-12, dramJ = dramEnergyPJ * 1e-12
        // Padded lanes (a tile's rows or columns beyond M or N) multiply zeros: only the useful
        // share of the issued FMAs carries the operands' bit activity.
        let counts = timing.actions.counts
        let issued = counts["tensor.fma_issued"] ?? 0, useful = counts["tensor.fma_useful"] ?? 0
        let activity = issued > 0 ? operandActivity * Swift.min(1, useful / issued) : operandActivity
        let f = model.sustainedClock(chipJ: chipJ, dramJ: dramJ, activity: activity) {
            GPUPowerModel.seconds(at: $0, breakdown: timing.cycles, nominalClockHz: f0)
        }
        var sustained = timing
        if f < f0 {
            do { sustained = try engine.timing(plan, shape: shape, clockHz: f) } catch { throw RunError("\(file): \(error)") }
        }
        let power = model.boardPower(clockHz: f, chipJ: chipJ, dramJ: dramJ, activity: activity, seconds: sustained.seconds)
        let point = GPUOperatingPoint(clockMHz: f / 1e6, nominalClockMHz: f0 / 1e6, throttled: f < f0, boardPowerW: power,
                                      idleW: model.idleW, dynamicW: power - model.idleW, activity: activity, limitW: model.limitW)
        let note = "power and clock: board power = idle + (DRAM energy + chip dynamic energy x (1 + \(ReportText.g(model.dataPowerFactor)) x operand bit activity) "
            + "x (f/f0)^2) / time, clock lowered until it fits board_power_w (V ~ f); board figures from the document's board.source"
        let brief = sustained.brief + (f < f0 ? ", power-limited to \(Int(f / 1e6)) MHz" : "")
        let details = sustained.details + [ReportEntry("power", .object(point.entries))]
        return (EngineTiming(cycles: sustained.cycles, clockHz: sustained.clockHz, actions: sustained.actions,
                             peakMACsPerSecond: sustained.peakMACsPerSecond, details: details, brief: brief,
                             approximations: sustained.approximations + [note]), point)
    }

    func designInventory(anchor: String?) throws(RunError) -> CostInventory {
        try TensorCoreInventory.build(name: document.name, file: file, gpu: engine.gpu,
                                      model: TensorCoreInventory.model(for: engine.gpu, anchor: anchor))
    }
}
