import ArchitectureSpec
import CostModel
import DSPChainEngine

/// The cost inventory of an `fpga_dsp` document (docs/fpga-dsp.md, "Power"): the DSP blocks,
/// the fabric, block RAM, off-chip memory and the device's static power, with the resources
/// each takes. Dynamic energies come from the calibrated cell library at the device's node:
/// hard blocks (DSP, RAM) as standard cells of their datapath, LUT fabric times the document's
/// `fabric_power_ratio` (Kuon and Rose 2007), all scaled by toggle_rate / 0.38 (XPE's random
/// data). FPGA vendors' per-mode DSP energies (XPE/PDM) are not public in a citable form; these
/// are estimates and the report says so.
enum FPGAInventory {
    /// Cells of one DSP block running a mode.
    static func dspCells(_ family: FPGADSPFamily, _ mode: FPGADSPMode) -> (LogicCells, String) {
        switch (family, mode) {
        case (_, .dspfp32):
            return (LogicBlock.floatMultiplier(exponentBits: 8, mantissaBits: 23) + LogicBlock.floatAdder(exponentBits: 8, mantissaBits: 23)
                        + LogicBlock.register(bits: 96), "DSPFP32: binary32 multiplier and adder, registers")
        case (.agilexTensor, _):
            return (10 * LogicBlock.integerMultiplier(8, 8) + LogicBlock.adder(width: 10 * 16) + LogicBlock.adder(width: 32) + LogicBlock.register(bits: 2 * 80 + 32),
                    "tensor block column pair: 10 signed 8 x 8 products, adder tree, 32-bit CPA, weight and output registers")
        case (.dsp58, _):
            return (LogicBlock.integerMultiplier(27, 24) + LogicBlock.adder(width: 27) + LogicBlock.adder(width: 58) + LogicBlock.register(bits: 34 + 24 + 27 + 51 + 58),
                    "DSP58: 27-bit pre-adder, 27 x 24 multiplier, 58-bit ALU, A/B/D/M/P registers")
        default:
            return (LogicBlock.integerMultiplier(27, 18) + LogicBlock.adder(width: 27) + LogicBlock.adder(width: 48) + LogicBlock.register(bits: 30 + 18 + 27 + 45 + 48),
                    "DSP48E2: 27-bit pre-adder, 27 x 18 multiplier, 48-bit ALU, A/B/D/M/P registers")
        }
    }

    static func build(document: ArchitectureDocument, engine: DSPChainEngine, plan: DSPPlan, file: String, anchor: String?) throws(RunError) -> PricedDesign {
        let spec = engine.spec, dev = spec.device, power = spec.power
        let (model, t, library) = try MemoryComponents.model(nodeNM: dev.processNodeNM, vddV: dev.coreVoltageV, anchor: anchor, file: file)
        let mapping: DSPMapping
        do { mapping = try engine.mapping(plan) } catch { throw RunError("\(file): \(error)") }
        let activity = power.toggleRate / 0.38
        var components: [InventoryComponent] = []
        var notes = ["FPGA dynamic energies estimated from the cell library at \(dev.processNodeNM) nm: hard DSP and RAM blocks as standard cells of their datapath, LUT fabric x \(power.fabricPowerRatio) (Kuon and Rose, IEEE TCAD 2007: about 14x standard cells), scaled by toggle rate \(power.toggleRate) / 0.38; vendor XPE/PDM per-mode figures are not public in citable form",
                     model.energyUncertainty]
        if spec.datapath.mode != .minifloatKulisch {
            let (cells, what) = dspCells(dev.family, spec.datapath.mode)
            components.append(InventoryComponent(
                name: "dsp", description: "\(dev.family.rawValue) blocks in chains of \(spec.datapath.chainLength)", instances: Int(mapping.resources.dsp),
                areaUM2PerInstance: nil, leakageMWPerInstance: 0,
                actions: [PricedAction(action: "active_cycles", energyPJ: library.energy(cells) * activity, per: "DSP-cycle", kind: .compute, estimator: what),
                          PricedAction(action: "mac", energyPJ: 0, per: "MAC", kind: .compute, estimator: "counter only")],
                estimator: "cell model of the hard block (estimate)", fpgaResourcesPerInstance: FPGAResources(dsp: 1)))
        } else {
            components.append(InventoryComponent(
                name: "dsp", description: "no DSPs (minifloat MACs in LUTs)", instances: 0, areaUM2PerInstance: nil, leakageMWPerInstance: 0,
                actions: [PricedAction(action: "mac", energyPJ: 0, per: "MAC", kind: .compute, estimator: "counter only")], estimator: "none"))
        }
        let lut = library.energy(LogicBlock.adder(width: 1)) * power.fabricPowerRatio * activity
        let ff = library.energy(LogicBlock.register(bits: 1)) * power.fabricPowerRatio * activity
        components.append(InventoryComponent(
            name: "fabric", description: "LUTs and flip-flops: accumulators, lane correction, skew, control" + (spec.datapath.mode == .minifloatKulisch ? ", minifloat MACs" : ""),
            instances: 1, areaUM2PerInstance: nil, leakageMWPerInstance: 0,
            actions: [PricedAction(action: "lut_cycles", energyPJ: lut, per: "LUT-cycle", kind: .compute, estimator: "full-adder cell x fabric ratio"),
                      PricedAction(action: "ff_cycles", energyPJ: ff, per: "FF-cycle", kind: .registerFile, estimator: "register bit x fabric ratio")],
            estimator: "cell model x fabric ratio (estimate)",
            fpgaResourcesPerInstance: FPGAResources(lut: mapping.resources.lut, ff: mapping.resources.ff)))
        let block: SRAMModel.Cost
        do { block = try model.sram.estimate(capacityBytes: 4608, widthBits: 72, banks: 1, at: t, scaling: model.scaling) } catch { throw RunError("\(file): \(error)") }
        components.append(InventoryComponent(
            name: "bram", description: "weight and activation buffers: \(Int(mapping.resources.uram)) URAM, \(Int(mapping.resources.bram36)) BRAM36",
            instances: 1, areaUM2PerInstance: nil, leakageMWPerInstance: 0,
            actions: [PricedAction(action: "read_bytes", energyPJ: block.readPJ / 9, per: "byte", kind: .sram, estimator: "CACTI fit of a 4.5 KiB, 72-bit block"),
                      PricedAction(action: "write_bytes", energyPJ: block.writePJ / 9, per: "byte", kind: .sram, estimator: "CACTI fit of a 4.5 KiB, 72-bit block")],
            estimator: "SRAM model (CACTI 7 fit) of one block RAM",
            fpgaResourcesPerInstance: FPGAResources(bram: mapping.resources.bram36, uram: mapping.resources.uram)))
        components.append(try MemoryComponents.dram(model, technology: dev.memoryTechnology.rawValue, file: file))
        if let w = power.staticW {
            components.append(InventoryComponent(name: "device", description: "\(dev.part) static power (document)", instances: 1, areaUM2PerInstance: nil,
                                                 leakageMWPerInstance: w * 1000, actions: [], estimator: "power.static_w"))
        } else {
            notes.append("static power not modelled: the document gives no sourced figure for \(dev.part) (set power.static_w)")
        }
        let inventory = CostInventory(design: document.name, technology: t,
                                      scaling: model.scaling.describe(from: model.scaling.reference, to: t) + "; energies anchored to \(model.calibration.anchor)",
                                      components: components, notes: notes, clockMHz: spec.mapping.clockMHz)
        let perMAC: Double?
        if spec.datapath.mode == .minifloatKulisch {
            perMAC = mapping.lutsPerMAC * lut
        } else {
            perMAC = components[0].actions[0].energy_pj * Double(spec.datapath.chainLength)
                / Double(spec.datapath.chainLength * spec.datapath.mode.termsPerDSP * spec.datapath.mode.lanes)
        }
        return PricedDesign(inventory: inventory, datapathMode: spec.datapath.mode == .minifloatKulisch ? "LUTs per MAC x fabric.lut_cycles" : "dsp.active_cycles / MACs per DSP-cycle",
                            datapathEnergyPerMACPJ: perMAC, datapathAreaMM2: nil, datapathAreaScope: nil, uncertainty: model.energyUncertainty)
    }
}
