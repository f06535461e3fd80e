import Yams

/// Accelergy-style energy and area reference tables (ERT/ART, Accelergy v0.4 layout:
/// cost-models.md §6.2) for a priced inventory, so results can be cross-checked with
/// Timeloop/Accelergy. Energies in pJ per action, areas in um^2 per instance.
public enum AccelergyExport {
    struct ERTFile: Encodable {
        struct Action: Encodable {
            let name: String
            let energy: Double
            let estimator: String
            enum CodingKeys: String, CodingKey { case name, arguments, energy, estimator }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(name, forKey: .name)
                try c.encodeNil(forKey: .arguments)
                try c.encode(energy, forKey: .energy)
                try c.encode(estimator, forKey: .estimator)
            }
        }

        struct Table: Encodable {
            let name: String
            let actions: [Action]
        }

        struct Body: Encodable {
            let version: String
            let tables: [Table]
        }

        let ERT: Body
    }

    struct ARTFile: Encodable {
        struct Table: Encodable {
            let name: String
            let area: Double
            let estimator: String
        }

        struct Body: Encodable {
            let version: String
            let tables: [Table]
        }

        let ART: Body
    }

    static func tableName(_ inventory: CostInventory, _ c: InventoryComponent) -> String {
        let design = inventory.design.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return "\(String(design)).\(c.name)[1..\(c.instances)]"
    }

    static func header(_ inventory: CostInventory, _ what: String) -> String {
        "# \(what) exported by QuantSim for \(inventory.design) at \(inventory.technology)\n# scaling: \(inventory.scaling)\n"
    }

    /// Accelergy's `leak` action is energy per cycle: leakage power over one clock period
    /// (mW x 1000 / MHz = pJ); without a clock, per nanosecond (and the estimator says so).
    static func leak(_ c: InventoryComponent, clock: Double?) -> ERTFile.Action {
        if let clock, clock > 0 {
            return .init(name: "leak", energy: c.leakage_mw_per_instance * 1000 / clock,
                         estimator: "QuantSim leakage (pJ per cycle at \(clock.formatted(significantDigits: 5)) MHz)")
        }
        return .init(name: "leak", energy: c.leakage_mw_per_instance, estimator: "QuantSim leakage (pJ per ns: no clock given)")
    }

    /// The energy reference table.
    public static func ert(_ inventory: CostInventory) throws -> String {
        let file = ERTFile(ERT: .init(version: "0.4", tables: inventory.components.map { c in
            .init(name: tableName(inventory, c), actions: c.actions.map {
                .init(name: $0.action, energy: $0.energy_pj, estimator: "QuantSim \($0.estimator) (per \($0.per))")
            } + [leak(c, clock: inventory.clock_mhz)])
        }))
        return header(inventory, "Energy reference table (pJ per action)") + (try YAMLEncoder().encode(file))
    }

    /// The area reference table (components without an area are listed with area 0 and say so).
    public static func art(_ inventory: CostInventory) throws -> String {
        let file = ARTFile(ART: .init(version: "0.4", tables: inventory.components.map { c in
            .init(name: tableName(inventory, c), area: c.area_um2_per_instance ?? 0,
                  estimator: c.area_um2_per_instance == nil ? "QuantSim: not sized (off-chip or not described)" : "QuantSim \(c.estimator)")
        }))
        return header(inventory, "Area reference table (um^2 per instance)") + (try YAMLEncoder().encode(file))
    }
}
