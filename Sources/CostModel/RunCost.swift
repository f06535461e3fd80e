/// Energy, area and power of one run: an inventory priced with an engine's action counts and
/// the run's duration (DESIGN.md: engines count, the cost model prices).
public struct RunCost: Codable, Sendable {
    public struct ActionEnergy: Codable, Sendable, Hashable {
        public let component: String
        public let action: String
        public let kind: String
        public let count: Double
        public let energy_pj_per_action: Double
        public let energy_pj: Double
    }

    public struct ComponentArea: Codable, Sendable, Hashable {
        public let component: String
        public let instances: Int
        public let area_mm2: Double?
    }

    public let technology: String
    public let scaling: String
    public let energy_pj: Double
    public let energy_pj_by_kind: [String: Double]
    public let energy_by_action: [ActionEnergy]
    public let leakage_pj: Double
    public let area_mm2: Double
    public let area_by_component: [ComponentArea]
    /// FPGA designs: total resources (nil for ASIC designs).
    public let fpga_resources: FPGAResources?
    public let time_s: Double
    public let average_power_w: Double
    public let energy_per_mac_pj: Double
    public let tops_per_w: Double
    public let tops_per_mm2: Double
    /// Counted actions no component prices (named so nothing is silently dropped).
    public let unpriced_actions: [String]
    public let notes: [String]

    /// Prices `actions` (`component.action` -> count) over `seconds` with `usefulMACs` doing the work.
    public static func price(_ inventory: CostInventory, actions: [String: Double], seconds: Double, usefulMACs: Double) -> RunCost {
        var byAction: [ActionEnergy] = []
        var byKind = [String: Double](uniqueKeysWithValues: EnergyKind.allCases.map { ($0.rawValue, 0) })
        var unpriced: [String] = []
        for (name, count) in actions.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let component = inventory.component(parts[0]),
                  let priced = component.actions.first(where: { $0.action == parts[1] }) else {
                unpriced.append(name)
                continue
            }
            let energy = count * priced.energy_pj
            byAction.append(ActionEnergy(component: parts[0], action: parts[1], kind: priced.kind.rawValue, count: count,
                                         energy_pj_per_action: priced.energy_pj, energy_pj: energy))
            byKind[priced.kind.rawValue, default: 0] += energy
        }
        let leakageW = inventory.components.reduce(0) { $0 + Double($1.instances) * $1.leakage_mw_per_instance } / 1e3
        let leakage = leakageW * seconds * 1e12
        byKind[EnergyKind.leakage.rawValue, default: 0] += leakage
        // Summed in a fixed order (not the dictionary's, which varies per process) so the
        // total is the same to the last bit on every run.
        let total = EnergyKind.allCases.reduce(0) { $0 + byKind[$1.rawValue, default: 0] }
        let area = inventory.modelledAreaMM2
        let ops = 2 * usefulMACs
        return RunCost(
            technology: inventory.technology.description, scaling: inventory.scaling, energy_pj: total, energy_pj_by_kind: byKind,
            energy_by_action: byAction, leakage_pj: leakage, area_mm2: area,
            area_by_component: inventory.components.map { ComponentArea(component: $0.name, instances: $0.instances, area_mm2: $0.area_mm2) },
            fpga_resources: inventory.fpgaResources,
            time_s: seconds, average_power_w: seconds > 0 ? total * 1e-12 / seconds : 0,
            energy_per_mac_pj: usefulMACs > 0 ? total / usefulMACs : 0,
            tops_per_w: total > 0 ? ops / (total * 1e-12) / 1e12 : 0,
            tops_per_mm2: (seconds > 0 && area > 0) ? ops / seconds / 1e12 / area : 0,
            unpriced_actions: unpriced, notes: inventory.notes)
    }
}
