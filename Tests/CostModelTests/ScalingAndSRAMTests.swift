import CostModel
import Testing

@Suite("Technology scaling and the SRAM model")
struct ScalingAndSRAMTests {
    let model: CostModel
    init() throws { model = try CostModel.standard() }

    @Test("Area and energy fall monotonically with the node, at fixed voltage, for every block kind")
    func monotonic() throws {
        // Physical nodes only: marketing names that alias another node (12 -> 16, 8 -> 10) are tested below.
        let nodes: [Double] = [130, 90, 65, 45, 40, 32, 28, 22, 20, 16, 14, 10, 7, 6, 5]
        let blocks = [LogicBlock.adder(width: 32), LogicBlock.integerMultiplier(8, 8),
                      LogicBlock.floatMultiplier(exponentBits: 5, mantissaBits: 10), LogicBlock.register(bits: 64)]
        for vdd in [0.7, 0.8, 0.9] {
            var last: (Double, Double, Double)? = nil
            for node in nodes {
                let lib = try model.library(at: Technology(nodeNM: node, vddV: vdd))
                let e = blocks.map(lib.energy).reduce(0, +), a = blocks.map(lib.area).reduce(0, +)
                let s = try model.sram.estimate(capacityBytes: 65536, widthBits: 128, at: Technology(nodeNM: node, vddV: vdd), scaling: model.scaling)
                if let (le, la, ls) = last {
                    #expect(e < le && a < la && s.readPJ < ls, "\(node) nm at \(vdd) V")
                }
                last = (e, a, s.readPJ)
            }
        }
    }

    @Test("Scaling reproduces the sheet's factors from 45 nm (cost-models.md §4.1)")
    func sheetFactors() throws {
        let s = model.scaling
        #expect(try s.areaFactor(from: 45, to: 7) == 0.059)
        #expect(try s.areaFactor(from: 45, to: 16) == 0.19)
        let e = try s.energyFactor(from: Technology(nodeNM: 45, vddV: 0.8), to: Technology(nodeNM: 7, vddV: 0.8))
        #expect(abs(e - 0.094) < 0.001)
        let e9 = try s.energyFactor(from: Technology(nodeNM: 45, vddV: 0.9), to: Technology(nodeNM: 16, vddV: 0.9))
        #expect(abs(e9 - 0.19) < 0.006)
        // N5 class: TSMC's factors on top of 7 nm; 4 nm-class processes scale as 5 nm.
        #expect(abs(try s.areaFactor(from: 7, to: 5) - 0.543) < 1e-12)
        #expect(try s.areaFactor(from: 45, to: 4) == s.areaFactor(from: 45, to: 5))
        #expect(abs(try s.energyFactor(from: Technology(nodeNM: 7, vddV: 0.8), to: Technology(nodeNM: 5, vddV: 0.8)) - 0.70) < 1e-12)
        #expect(throws: CostModelError.self) { try s.areaFactor(from: 45, to: 3) }
        // Marketing nodes of the presets scale as the node class they belong to.
        #expect(s.effectiveNode(12) == 16 && s.effectiveNode(8) == 10 && s.effectiveNode(4) == 5 && s.effectiveNode(7) == 7)
        #expect(try s.areaFactor(from: 45, to: 12) == s.areaFactor(from: 45, to: 16))
        #expect(throws: CostModelError.self) { try s.energyFactor(from: Technology(nodeNM: 45, vddV: 0.9), to: Technology(nodeNM: 7, vddV: 2)) }
    }

    @Test("SRAM fit: within 15% of CACTI at 45 nm; Stillmaker-scaled within -40%..+20% of CACTI's own 28 and 22 nm")
    func sramFit() {
        for (q, f) in model.sram.fitErrorFactor { #expect(f < 1.15, "\(q): \(f)") }
        let cacti = model.sram.validation.filter { $0.table == "sram-cacti7" && $0.node_nm != 45 && $0.quantity != "leakage" }
        #expect(cacti.count == 72)
        for r in cacti { #expect(r.ratio > 0.6 && r.ratio < 1.2, "\(r.id): \(r.ratio)") }
        let leakage = model.sram.validation.filter { $0.table == "sram-cacti7" && $0.node_nm != 45 && $0.quantity == "leakage" }
        for r in leakage { #expect(r.ratio > 1 && r.ratio < 1.5, "\(r.id): \(r.ratio)") }
        // Published read energies are reported (Horowitz 45 nm, Jouppi 7 nm), not fitted.
        #expect(model.sram.validation.filter { $0.table != "sram-cacti7" }.count == 6)
    }

    @Test("Ports and banks outside the fitted range are mapped into it and say so")
    func sramRange() throws {
        let t = Technology(nodeNM: 7, vddV: 0.8)
        let wide = try model.sram.estimate(capacityBytes: 65536, widthBits: 1024, at: t, scaling: model.scaling)
        let one = try model.sram.estimate(capacityBytes: 16384, widthBits: 256, at: t, scaling: model.scaling)
        #expect(abs(wide.readPJ - 4 * one.readPJ) < 1e-9 * wide.readPJ)
        #expect(wide.note?.contains("256-bit sub-arrays") == true)
        let big = try model.sram.estimate(capacityBytes: 64 << 20, widthBits: 256, at: t, scaling: model.scaling)
        #expect(big.note?.contains("banks of 8 MiB") == true)
        #expect(one.note == nil)
        // Banks: one bank serves an access; area and leakage count all of them.
        let banked = try model.sram.estimate(capacityBytes: 65536, widthBits: 256, banks: 4, at: t, scaling: model.scaling)
        #expect(abs(banked.readPJ - one.readPJ) < 1e-12 * one.readPJ)
        #expect(abs(banked.areaUM2 - 4 * one.areaUM2) < 1e-9 * banked.areaUM2)
        #expect(abs(banked.leakageMW - 4 * one.leakageMW) < 1e-9 * banked.leakageMW)
        #expect(throws: CostModelError.self) { try model.sram.estimate(capacityBytes: 1024, widthBits: 64, banks: 0, at: t, scaling: model.scaling) }
        #expect(throws: CostModelError.self) { try model.sram.estimate(capacityBytes: 0, widthBits: 64, at: t, scaling: model.scaling) }
    }
}
