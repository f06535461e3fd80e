import CostModel
import Foundation
import Testing

@Suite("Cost tables: every number has its provenance")
struct TableProvenanceTests {
    static let requiredKeys = ["id", "component", "quantity", "value", "unit", "node_nm", "vdd_v", "clock_mhz", "structure", "use", "source"]
    static let units: [String: Set<String>] = [
        "energy": ["pJ"], "area": ["um2", "mm2"], "leakage": ["mW"], "read_energy": ["pJ"], "write_energy": ["pJ"],
        "energy_per_bit": ["pJ/bit"], "energy_per_mac": ["pJ"], "area_per_sm": ["mm2"], "energy_per_bit_mm": ["pJ/bit/mm"],
    ]

    @Test("Every entry of every table names value, unit, node, supply voltage, clock and a source", arguments: CostTables.tableNames)
    func entriesComplete(table: String) throws {
        let json = try JSONSerialization.jsonObject(with: try CostTables.resourceData(table)) as? [String: Any]
        let entries = try #require(json?["entries"] as? [[String: Any]])
        #expect(!entries.isEmpty)
        var ids = Set<String>()
        for e in entries {
            let id = e["id"] as? String ?? "?"
            for key in Self.requiredKeys { #expect(e.keys.contains(key), "\(table) \(id): missing \"\(key)\" (write null when the source does not say)") }
            let source = (e["source"] as? String ?? "").trimmingCharacters(in: .whitespaces)
            #expect(source.count >= 10, "\(table) \(id): no source")
            let value = try #require(e["value"] as? Double, "\(table) \(id): value is not a number")
            #expect(value.isFinite && value > 0, "\(table) \(id): value \(value)")
            let quantity = e["quantity"] as? String ?? ""
            #expect(Self.units[quantity]?.contains(e["unit"] as? String ?? "") == true, "\(table) \(id): unit does not match \(quantity)")
            #expect(ids.insert(id).inserted, "\(table): duplicate id \(id)")
            // Where a node, voltage or clock is missing, the note says why.
            if ["node_nm", "vdd_v", "clock_mhz"].contains(where: { e[$0] is NSNull }) {
                #expect((e["note"] as? String)?.isEmpty == false, "\(table) \(id): a null node, voltage or clock and no note")
            }
        }
    }

    @Test("The scaling tables name their sources and are well formed")
    func scalingTable() throws {
        let tables = try CostTables.standard()
        #expect(tables.scaling.stillmaker_baas.source.contains("Stillmaker"))
        #expect(tables.scaling.below_7nm.source.contains("TSMC"))
        #expect(!tables.scaling.reference_technology.source.isEmpty && !tables.scaling.default_vdd.source.isEmpty)
        _ = try TechnologyScaling(tables.scaling)
    }

    @Test("Unknown DRAM technologies are refused")
    func dramUnknown() throws {
        #expect(throws: CostModelError.self) { try DRAMModel(tables: try CostTables.standard()).price("sram") }
    }
}
