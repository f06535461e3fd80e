import CostModel
import Testing
import Yams

@Suite("Pricing a run and the Accelergy export")
struct PricingAndExportTests {
    static let inventory = CostInventory(
        design: "Test design", technology: Technology(nodeNM: 7, vddV: 0.8), scaling: "none",
        components: [
            InventoryComponent(name: "mac", description: "MAC", instances: 4, areaUM2PerInstance: 250, leakageMWPerInstance: 0.5,
                               actions: [PricedAction(action: "fma", energyPJ: 0.25, per: "FMA", kind: .compute, estimator: "test")],
                               estimator: "test"),
            InventoryComponent(name: "buf", description: "buffer", instances: 1, areaUM2PerInstance: 1000, leakageMWPerInstance: 1,
                               actions: [PricedAction(action: "read_bytes", energyPJ: 2, per: "byte", kind: .sram, estimator: "test")],
                               estimator: "test"),
            InventoryComponent(name: "dram", description: "DRAM", instances: 1, areaUM2PerInstance: nil, leakageMWPerInstance: 0,
                               actions: [PricedAction(action: "read_bytes", energyPJ: 30, per: "byte", kind: .dram, estimator: "test")],
                               estimator: "test"),
        ], notes: [])

    @Test("Energy per action kind, leakage x time, power and derived figures match hand arithmetic")
    func pricing() {
        let c = RunCost.price(Self.inventory, actions: ["mac.fma": 1000, "buf.read_bytes": 100, "dram.read_bytes": 10, "mac.issued": 5, "x": 1],
                              seconds: 1e-6, usefulMACs: 800)
        // compute 250 pJ, SRAM 200 pJ, DRAM 300 pJ, leakage (4 x 0.5 + 1) mW x 1 us = 3e-9 J = 3000 pJ.
        #expect(c.energy_pj_by_kind["compute"] == 250)
        #expect(c.energy_pj_by_kind["sram"] == 200)
        #expect(c.energy_pj_by_kind["dram"] == 300)
        #expect(abs(c.leakage_pj - 3000) < 1e-9)
        #expect(abs(c.energy_pj - 3750) < 1e-9)
        #expect(abs(c.area_mm2 - 0.002) < 1e-15)
        #expect(abs(c.average_power_w - 3.75e-3) < 1e-15)
        #expect(abs(c.energy_per_mac_pj - 3750.0 / 800) < 1e-12)
        #expect(abs(c.tops_per_w - 1600 / 3.75e-9 / 1e12) < 1e-9)
        #expect(abs(c.tops_per_mm2 - 1600 / 1e-6 / 1e12 / 0.002) < 1e-9)
        #expect(c.unpriced_actions == ["mac.issued", "x"])
    }

    @Test("ERT and ART load as YAML with Accelergy's layout")
    func accelergyYAML() throws {
        let ert = try #require(try Yams.load(yaml: try AccelergyExport.ert(Self.inventory)) as? [String: Any])
        let body = try #require(ert["ERT"] as? [String: Any])
        #expect(body["version"] as? String == "0.4")
        let tables = try #require(body["tables"] as? [[String: Any]])
        #expect(tables.count == 3)
        #expect(tables[0]["name"] as? String == "Test_design.mac[1..4]")
        let actions = try #require(tables[0]["actions"] as? [[String: Any]])
        #expect(actions.first?["name"] as? String == "fma")
        #expect(actions.first?["energy"] as? Double == 0.25)
        #expect(actions.first?.keys.contains("arguments") == true)
        let art = try #require(try Yams.load(yaml: try AccelergyExport.art(Self.inventory)) as? [String: Any])
        let artTables = try #require((art["ART"] as? [String: Any])?["tables"] as? [[String: Any]])
        #expect(artTables.map { $0["area"] as? Double } == [250, 1000, 0])
    }

    @Test("Dot-product units grow with products and kept bits; integer units need no alignment")
    func dotProductUnits() throws {
        let lib = try CostModel.standard().calibration.library
        func unit(_ n: Int, _ f: Int) -> DotProductUnit {
            DotProductUnit(products: n, a: .float(exponentBits: 5, mantissaBits: 10), b: .float(exponentBits: 5, mantissaBits: 10),
                           keptFractionBits: f, accumulator: .float(exponentBits: 8, mantissaBits: 23))
        }
        #expect(lib.energy(unit(16, 25).cells) > lib.energy(unit(8, 25).cells))
        #expect(lib.energy(unit(16, 25).cells) > lib.energy(unit(16, 13).cells))
        // Per product, a wider unit amortises normalisation and rounding.
        #expect(lib.energy(unit(16, 25).cells) / 16 < lib.energy(unit(4, 25).cells) / 4)
        let int8 = DotProductUnit(products: 16, a: .integer(bits: 8), b: .integer(bits: 8), keptFractionBits: 0, accumulator: .integer(bits: 32))
        #expect(int8.cells.muxes == 0 && int8.cells.floatBitProducts == 0)
    }
}

@Suite("FPGA resources and DSP energy conventions")
struct FPGATests {
    @Test("Resources add up over instances; ASIC inventories report none")
    func resources() {
        let dsp = InventoryComponent(name: "pe", description: "DSP48E2 PE", instances: 64, areaUM2PerInstance: nil, leakageMWPerInstance: 0,
                                     actions: [PricedAction(action: "active_cycle", energyPJ: 2, per: "cycle", kind: .compute, estimator: "test")],
                                     estimator: "test", fpgaResourcesPerInstance: FPGAResources(dsp: 1, lut: 30, ff: 60))
        let buffer = InventoryComponent(name: "buf", description: "weights", instances: 2, areaUM2PerInstance: nil, leakageMWPerInstance: 0,
                                        actions: [], estimator: "test", fpgaResourcesPerInstance: FPGAResources(bram: 4))
        let inv = CostInventory(design: "fpga", technology: Technology(nodeNM: 16, vddV: 0.85), scaling: "none", components: [dsp, buffer], notes: [])
        let c = RunCost.price(inv, actions: ["pe.active_cycle": 1000], seconds: 1e-6, usefulMACs: 1000)
        #expect(c.fpga_resources == FPGAResources(dsp: 64, lut: 1920, ff: 3840, bram: 8))
        #expect(c.energy_pj_by_kind["compute"] == 2000)
        #expect(PricingAndExportTests.inventory.fpgaResources == nil)
    }

    @Test("UG440 toggle conventions: 38% random data, 0.86 for 18x18, 0.8 for 12x12, clock-enable duty")
    func dspEnergy() throws {
        #expect(try FPGADSPEnergy.energyPerCycle(modeEnergyPJ: 10, referenceToggleRate: 0.38) == 10)
        #expect(abs(try FPGADSPEnergy.energyPerCycle(modeEnergyPJ: 10, referenceToggleRate: 0.38, configuration: .mult18x18) - 8.6) < 1e-12)
        #expect(abs(try FPGADSPEnergy.energyPerCycle(modeEnergyPJ: 10, referenceToggleRate: 0.38, clockEnableDuty: 0.5, configuration: .mult12x12) - 4) < 1e-12)
        #expect(abs(try FPGADSPEnergy.energyPerCycle(modeEnergyPJ: 10, referenceToggleRate: 0.5, toggleRate: 0.25) - 5) < 1e-12)
        #expect(throws: CostModelError.self) { try FPGADSPEnergy.energyPerCycle(modeEnergyPJ: 10, referenceToggleRate: 0) }
        #expect(throws: CostModelError.self) { try FPGADSPEnergy.energyPerCycle(modeEnergyPJ: 10, referenceToggleRate: 0.4, clockEnableDuty: 2) }
    }
}
