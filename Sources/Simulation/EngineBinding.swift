import Workloads
import ArchitectureSpec
import CostModel
import EngineKit

/// One engine family wired into the pipeline: the engine built from its document, the oracle
/// that re-checks it (from `Reference`) and the cost inventory that prices its actions (from
/// `CostModel`). Engines see neither; Simulation pairs them here, one binding per kind.
protocol EngineBinding {
    associatedtype Engine: GEMMEngine

    var engine: Engine { get }
    var document: ArchitectureDocument { get }
    var file: String { get }

    /// The engine's reference semantics for a plan.
    func oracle(for plan: Engine.Plan) -> any EngineOracle

    /// The priced component inventory of the design running `plan`, and what a report says
    /// of the datapath's own cost (the mode priced per MAC, its area and scope).
    func inventory(for plan: Engine.Plan, anchor: String?) throws(RunError) -> PricedDesign

    /// The design's priced inventory without a run (`simulate costs show`).
    func designInventory(anchor: String?) throws(RunError) -> CostInventory

    /// The design's power limit (W), when the document gives one: a report notes when the
    /// modelled power exceeds it.
    var powerLimitW: Double? { get }

    /// The document that runs this design's attention GEMMs in workloads (a path), if it names one.
    var attentionArchitecture: String? { get }

    /// Whether the design has a power and clock model (a GPU document's `board` section).
    var hasPowerModel: Bool { get }

    /// The clock the design sustains on this run and its board power, with the timing at that
    /// clock (`GPUPowerModel`): nil without a power model.
    func operatingPoint(plan: Engine.Plan, shape: GEMMShape, timing: EngineTiming, chipEnergyPJ: Double, dramEnergyPJ: Double,
                        activity: Double) throws(RunError) -> (timing: EngineTiming, point: GPUOperatingPoint)?
}

extension EngineBinding {
    var attentionArchitecture: String? { nil }
    var hasPowerModel: Bool { false }
    func operatingPoint(plan: Engine.Plan, shape: GEMMShape, timing: EngineTiming, chipEnergyPJ: Double, dramEnergyPJ: Double,
                        activity: Double) throws(RunError) -> (timing: EngineTiming, point: GPUOperatingPoint)? { nil }
}

/// A design's cost inventory and the summary of its MAC datapath.
struct PricedDesign {
    let inventory: CostInventory
    /// The action that prices one datapath MAC, and what it costs.
    let datapathMode: String?
    let datapathEnergyPerMACPJ: Double?
    /// Area of the MAC datapath and what it covers ("per SM", "per unit").
    let datapathAreaMM2: Double?
    let datapathAreaScope: String?
    let uncertainty: String?
}
