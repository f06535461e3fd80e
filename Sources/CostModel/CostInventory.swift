/// What an energy is spent on (issue: "per action kind: compute, register/SRAM, DRAM, leakage").
public enum EnergyKind: String, Codable, Sendable, CaseIterable {
    case compute
    case registerFile = "register_file"
    case sram
    case dram
    case leakage
}

/// The energy of one action of a component, with the estimator that produced it.
public struct PricedAction: Codable, Sendable, Hashable {
    /// Action name: engines count `<component>.<action>` (e.g. `smem.read_bytes`).
    public let action: String
    public let energy_pj: Double
    /// What one action is (e.g. "byte", "FMA").
    public let per: String
    public let kind: EnergyKind
    public let estimator: String

    public init(action: String, energyPJ: Double, per: String, kind: EnergyKind, estimator: String) {
        self.action = action
        energy_pj = energyPJ
        self.per = per
        self.kind = kind
        self.estimator = estimator
    }
}

/// One kind of hardware block of a design and how many the design has.
public struct InventoryComponent: Codable, Sendable, Hashable {
    /// Key engines use as the prefix of their action names (`tensor`, `smem`, `l2`, ...).
    public let name: String
    public let description: String
    public let instances: Int
    /// Area of one instance (um^2); nil where the design does not say enough to size it.
    public let area_um2_per_instance: Double?
    /// Leakage of one instance (mW).
    public let leakage_mw_per_instance: Double
    public let actions: [PricedAction]
    public let estimator: String
    public let notes: [String]
    /// FPGA resources of one instance (FPGA designs report these instead of area).
    public let fpga_resources_per_instance: FPGAResources?

    public init(name: String, description: String, instances: Int, areaUM2PerInstance: Double?, leakageMWPerInstance: Double,
                actions: [PricedAction], estimator: String, notes: [String] = [], fpgaResourcesPerInstance: FPGAResources? = nil) {
        fpga_resources_per_instance = fpgaResourcesPerInstance
        self.name = name
        self.description = description
        self.instances = instances
        area_um2_per_instance = areaUM2PerInstance
        leakage_mw_per_instance = leakageMWPerInstance
        self.actions = actions
        self.estimator = estimator
        self.notes = notes
    }

    public var area_mm2: Double? { area_um2_per_instance.map { $0 * Double(instances) / 1e6 } }
}

/// A design's priced components: what `simulate costs show` prints and what a run is priced
/// with. Engines never build this; `Simulation` does, from the architecture document.
public struct CostInventory: Codable, Sendable {
    public let design: String
    public let technology: Technology
    public let scaling: String
    public let components: [InventoryComponent]
    public let notes: [String]
    /// The design's clock (Accelergy's ERT states leakage per cycle); nil when not known.
    public let clock_mhz: Double?

    public init(design: String, technology: Technology, scaling: String, components: [InventoryComponent], notes: [String],
                clockMHz: Double? = nil) {
        clock_mhz = clockMHz
        self.design = design
        self.technology = technology
        self.scaling = scaling
        self.components = components
        self.notes = notes
    }

    /// Total FPGA resources (nil when no component has any).
    public var fpgaResources: FPGAResources? {
        let parts = components.compactMap { c in c.fpga_resources_per_instance.map { Double(c.instances) * $0 } }
        return parts.isEmpty ? nil : parts.reduce(FPGAResources(), +)
    }

    /// Total modelled area (mm^2) of the components that have one.
    public var modelledAreaMM2: Double { components.compactMap(\.area_mm2).reduce(0, +) }

    public func component(_ name: String) -> InventoryComponent? { components.first { $0.name == name } }
}
