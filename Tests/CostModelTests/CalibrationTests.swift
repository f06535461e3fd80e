import CostModel
import Testing

@Suite("Calibration of the cell library")
struct CalibrationTests {
    let model: CostModel
    init() throws { model = try CostModel.standard() }

    @Test("Every calibration point is within its stated tolerance (energy 2.1x, area 2.5x)")
    func withinTolerance() throws {
        let rows = model.calibration.rows.filter { $0.use == "calibration" }
        #expect(rows.count >= 40)
        for r in rows {
            #expect(r.withinTolerance, "\(r.id): estimate \(r.estimate) vs published \(r.published) \(r.unit) (ratio \(r.ratio), tolerance \(r.tolerance ?? 0)x)")
        }
        #expect(model.calibration.rmsLogErrorEnergy < 0.35)
        #expect(model.calibration.rmsLogErrorArea < 0.35)
    }

    @Test("Held-out points are reported with their ratio, never silently dropped")
    func heldOutReported() {
        let held = model.calibration.rows.filter { $0.use == "held_out" }
        #expect(held.count == 3)
        #expect(held.allSatisfy { $0.tolerance == nil && $0.ratio > 0 && $0.note?.isEmpty == false })
    }

    @Test("The fitted library is physical: every cell costs 1-20 NAND2 equivalents at 45 nm, a few fJ per toggle")
    func physical() {
        let lib = model.calibration.library
        // A 45 nm NAND2 is about 0.8 um^2; full adders, muxes and flip-flops are 2-10 of them.
        #expect(lib.areaUM2.allSatisfy { $0 > 0.8 && $0 < 16 })
        #expect(lib.energyPJ.allSatisfy { $0 > 5e-4 && $0 < 0.02 })
        // The FP significand array costs more per cell than the integer array (every source says so).
        #expect(lib.energyPJ[2] > lib.energyPJ[1] && lib.areaUM2[2] > lib.areaUM2[1])
        #expect(lib.leakageMWPerUM2 > 1e-7 && lib.leakageMWPerUM2 < 1e-4)
    }

    @Test("The fit is deterministic")
    func deterministic() throws {
        let again = try Calibration.fit(model.tables, scaling: model.scaling)
        #expect(again.library == model.calibration.library)
    }
}

@Suite("Published relations, reproduced without fitting to them")
struct PublishedRelationTests {
    @Test("FP16 MAC vs INT8 MAC lands near Horowitz's ratios, with Horowitz held out of the fit")
    func horowitzRatios() throws {
        let model = try CostModel.standard()
        // Refit without the Horowitz table (anchor BitMoD): the ratio is then a prediction.
        let heldOut = try Calibration.fit(model.tables, scaling: model.scaling, anchor: "bitmod-28nm", excluding: ["horowitz-45nm"])
        for lib in [model.calibration.library, heldOut.library] {
            let r = PublishedRelations(lib)
            let horowitzMAC = PublishedRelations.horowitzMACRatio   // 6.5x
            #expect(r.fp16MACOverINT8MAC > horowitzMAC / 2 && r.fp16MACOverINT8MAC < horowitzMAC * 2,
                    "FP16/INT8 MAC energy \(r.fp16MACOverINT8MAC) vs Horowitz \(horowitzMAC)")
            #expect(r.fp16MultOverINT8Mult > 5.5 / 2 && r.fp16MultOverINT8Mult < 5.5 * 2, "FP16/INT8 multiplier energy \(r.fp16MultOverINT8Mult) vs Horowitz 5.5")
        }
    }

    /// Qualcomm (van Baalen et al., arXiv:2303.17951): FP formats are "50-180% less efficient"
    /// than INT in dedicated hardware. With a 16-bit accumulator on both sides, or the FP16
    /// accumulator against the usual INT32 one, the model lands inside 1.5x-2.8x. With a full
    /// IEEE FP32 adder per MAC it lands just above (about 2.9x): Horowitz's own numbers put an
    /// FP32 adder alone at 3.0x an INT8 MAC with a 32-bit adder, so no model calibrated to them
    /// can put that pairing under 2.8x; the test holds it to 1.5x-3.5x and docs/cost-model.md says so.
    @Test("FP8 MAC vs INT8 MAC: inside Qualcomm's 1.5x-2.8x band with FP16 accumulation")
    func qualcommBand() throws {
        let r = PublishedRelations(try CostModel.standard().calibration.library)
        let sameWidth = r.fp8FP16OverINT8INT16, usual = r.fp8FP16OverINT8INT32, wide = r.fp8FP32OverINT8INT32
        #expect(sameWidth >= 1.5 && sameWidth <= 2.8, "FP8+FP16 acc vs INT8+INT16 acc: \(sameWidth)")
        #expect(usual >= 1.5 && usual <= 2.8, "FP8+FP16 acc vs INT8+INT32 acc: \(usual)")
        #expect(wide >= 1.5 && wide <= 3.5, "FP8+FP32 acc vs INT8+INT32 acc: \(wide)")
        // The table itself says why: Horowitz's FP32 adder alone costs 3.0x an INT8 MAC with a 32-bit adder.
        let horowitz = try CostModel.standard().tables.entries
        func value(_ id: String) throws -> Double { try #require(horowitz.first { $0.id == id }).value }
        let fp32AddOverINT8MAC = try value("h45.fp32_add.energy") / (value("h45.int8_mult.energy") + value("h45.int32_add.energy"))
        #expect(fp32AddOverINT8MAC >= 2.8 && wide >= 2.8 * 0.9)
    }

    @Test("Table storage: one register per stored bit and a read multiplexer")
    func tableStorage() {
        let t = LogicBlock.tableStorage(entries: 16, width: 8)
        #expect(t.registerBits == 128 && t.muxes == 15 * 8 && t.fullAdders == 0)
    }
}

@Suite("Energy anchors")
struct EnergyAnchorTests {
    @Test("Another anchor rescales every energy by that source's factor and leaves areas alone")
    func anchors() throws {
        let base = try CostModel.standard()
        let jouppi = try CostModel.standard(anchor: "jouppi-7nm")
        let factor = try #require(base.calibration.energyLibraryFactors["jouppi-7nm"])
        #expect(jouppi.calibration.energyLibraryFactors["jouppi-7nm"] == 1)
        for (a, b) in zip(jouppi.calibration.library.energyPJ, base.calibration.library.energyPJ) {
            #expect(abs(a / b / factor - 1) < 1e-3)
        }
        for (a, b) in zip(jouppi.calibration.library.areaUM2, base.calibration.library.areaUM2) { #expect(abs(a / b - 1) < 1e-6) }
        // The fit itself is unchanged: same residuals.
        #expect(abs(jouppi.calibration.rmsLogErrorEnergy - base.calibration.rmsLogErrorEnergy) < 1e-6)
        #expect(jouppi.energyUncertainty.contains("anchored to jouppi-7nm"))
        // Anchors with area entries of their own still leave areas on the Horowitz/Dally anchor.
        for anchor in ["bitmod-28nm", "aladdin-40nm"] {
            let other = try CostModel.standard(anchor: anchor)
            for (a, b) in zip(other.calibration.library.areaUM2, base.calibration.library.areaUM2) { #expect(abs(a / b - 1) < 1e-6, "\(anchor)") }
            #expect(other.calibration.energyLibraryFactors[anchor] == 1)
        }
        #expect(throws: CostModelError.self) { try CostModel.standard(anchor: "dram") }
    }
}

@Suite("Automatic energy anchor")
struct AutoAnchorTests {
    @Test("auto picks the broad table nearest in log(node); an explicit anchor wins")
    func nearest() {
        #expect(CostModel.anchor(forNodeNM: 65, requested: nil) == "horowitz-45nm")
        #expect(CostModel.anchor(forNodeNM: 28, requested: "auto") == "horowitz-45nm")
        #expect(CostModel.anchor(forNodeNM: 16, requested: nil) == "jouppi-7nm")
        #expect(CostModel.anchor(forNodeNM: 12, requested: nil) == "jouppi-7nm")
        #expect(CostModel.anchor(forNodeNM: 4, requested: nil) == "jouppi-7nm")
        #expect(CostModel.anchor(forNodeNM: 4, requested: "bitmod-28nm") == "bitmod-28nm")
    }
}
