import ArchitectureSpec
import CostModel
import PEArrayEngine

/// The cost inventory of a `pe_array` document (docs/pe-array.md, "Cost"): the PEs priced from
/// their structure by the calibrated cell model (BitMoD's four blocks, an FP16 MAC, the FP16 x
/// INT8 PE, an integer MAC, the L-Mul adder and accumulator), one active cycle per PE per
/// compute cycle (every PE clocks, as BitMoD's simulator prices it); the per-column
/// floating-point accumulators; BitMoD's per-tile term generator from the paper's synthesis
/// (Table X) scaled to the document's technology; the weight and activation buffers; DRAM.
enum PEArrayInventory {
    /// Cell counts of one PE of a document.
    static func peCells(_ pe: PESpec, weightBits: Int = 8) -> (cells: LogicCells, estimator: String) {
        let acc = pe.accumulatorFormat
        let (ae, am) = acc == .fp16 ? (5, 10) : (8, 23)
        switch pe.type {
        case .bitmod:
            return (BitMoDBlocks.processingElement, "BitMoD PE blocks (exponent match, bit-serial multiply, group accumulate, dequantise) from the RTL widths")
        case .fp16MAC:
            return (LogicBlock.floatMultiplier(exponentBits: 5, mantissaBits: 10) + LogicBlock.floatAdder(exponentBits: ae, mantissaBits: am)
                        + LogicBlock.register(bits: 32 + (acc == .fp16 ? 16 : 32)),
                    "FP16 multiplier + \(acc.rawValue) adder + operand and accumulator registers")
        case .fp16Int:
            return (LogicBlock.fp16TimesInt8PE() + LogicBlock.register(bits: 16 + 8 + 16), "FP16 x INT8 PE (11 x 8 product, conversion, FP16 adder) + registers")
        case .intMAC:
            return (LogicBlock.integerMAC(bits: weightBits, weightBits, accumulatorBits: 32) + LogicBlock.register(bits: 2 * weightBits + 32),
                    "INT\(weightBits) x INT\(weightBits) multiplier + 32-bit adder + registers")
        case .lmul:
            return (LogicBlock.adder(width: 16) + LogicBlock.floatAdder(exponentBits: ae, mantissaBits: am) + LogicBlock.register(bits: 32 + (acc == .fp16 ? 16 : 32)),
                    "L-Mul: one 16-bit integer adder of the exponent-mantissa fields + \(acc.rawValue) adder + registers")
        }
    }

    /// BitMoD's bit-serial term generator ("encoder") per 64-PE tile, paper Table X at 28 nm,
    /// 1 GHz, 0.9 V slow corner (bitmod.md §6.1).
    static let termGeneratorAreaUM2 = 2419.0
    static let termGeneratorPowerMW = 1.86
    static let bitmodSynthesis = Technology(nodeNM: 28, vddV: 0.9)

    static func build(document: ArchitectureDocument, spec: PEArraySpec, plan: PEPlan?, file: String,
                      anchor: String?) throws(RunError) -> PricedDesign {
        let a = spec.array, pe = spec.pe
        let (model, t, library) = try MemoryComponents.model(nodeNM: a.processNodeNM, vddV: a.coreVoltageV, anchor: anchor, file: file)
        let weightBits = plan.map { $0.b.element.bitWidth } ?? 8
        let (cells, estimator) = peCells(pe, weightBits: weightBits)
        let peCount = a.rows * a.columns
        var components = [InventoryComponent(
            name: "pe", description: "\(pe.type.rawValue) PE (\(pe.accumulatorFormat.rawValue) accumulator)",
            instances: peCount, areaUM2PerInstance: library.area(cells), leakageMWPerInstance: library.leakage(cells),
            actions: [
                PricedAction(action: "active_cycles", energyPJ: library.energy(cells) * a.placeAndRouteFactor, per: "PE-cycle", kind: .compute,
                             estimator: estimator + (a.placeAndRouteFactor != 1 ? " x \(a.placeAndRouteFactor) place-and-route factor (array.place_and_route_factor)" : "")),
                PricedAction(action: "mac", energyPJ: 0, per: "MAC", kind: .compute, estimator: "counter only (priced per PE-cycle)"),
            ],
            estimator: "calibrated cell model (CostModel.Calibration)")]
        let (ae, am) = pe.accumulatorFormat == .fp16 ? (5, 10) : (8, 23)
        let columnAdder = LogicBlock.floatAdder(exponentBits: ae, mantissaBits: am) + LogicBlock.register(bits: ae + am + 1)
        components.append(InventoryComponent(
            name: "column_accumulator", description: "per-column \(pe.accumulatorFormat.rawValue) accumulator of group results",
            instances: a.columns, areaUM2PerInstance: library.area(columnAdder), leakageMWPerInstance: library.leakage(columnAdder),
            actions: [PricedAction(action: "add", energyPJ: library.energy(columnAdder), per: "group result", kind: .compute,
                                   estimator: "\(pe.accumulatorFormat.rawValue) adder + register")],
            estimator: "calibrated cell model"))
        var notes = [a.placeAndRouteFactor == 1
                        ? "PEs priced from their structure by the calibrated cell model at the document's technology; no place-and-route factor (BitMoD's simulator multiplies PE energy by 1.5)"
                        : "PEs priced from their structure by the calibrated cell model, times the document's place-and-route factor \(a.placeAndRouteFactor) (an assumption, as BitMoD's simulator's 1.5)",
                     model.energyUncertainty]
        if pe.type == .bitmod {
            let energyFactor: Double, areaFactor: Double
            do {
                energyFactor = try model.scaling.energyFactor(from: bitmodSynthesis, to: t)
                areaFactor = try model.scaling.areaFactor(from: 28, to: t.node_nm)
            } catch { throw RunError("\(file): \(error)") }
            components.append(InventoryComponent(
                name: "term_generator", description: "bit-serial weight term generator per tile", instances: a.tileRows * a.tileColumns,
                areaUM2PerInstance: termGeneratorAreaUM2 * areaFactor, leakageMWPerInstance: 0,
                actions: [PricedAction(action: "tile_cycles", energyPJ: termGeneratorPowerMW * energyFactor, per: "tile-cycle", kind: .compute,
                                       estimator: "BitMoD Table X: 1.86 mW at 1 GHz per 64-PE tile, 28 nm 0.9 V ssg, scaled by Stillmaker-Baas")],
                estimator: "published synthesis (bitmod.md §6.1), technology-scaled"))
            notes.append("term generator from BitMoD's synthesis (Table X, TSMC 28 nm HPC+, ssg0p9vm40c) scaled to this technology; its leakage is inside the published power")
        }
        let m = spec.memory
        components.append(try MemoryComponents.sram(model, at: t, name: "sram",
                                                    description: "weight (\(m.weightBufferKiB) KiB) and activation (\(m.activationBufferKiB) KiB) buffers",
                                                    capacityKiB: m.weightBufferKiB + m.activationBufferKiB, banks: 2 * m.banks, file: file))
        if let pj = m.dramEnergyPJPerBit {
            components.append(InventoryComponent(
                name: "dram", description: "\(m.dramTechnology.rawValue.uppercased()) DRAM at \(pj) pJ/bit (document)", instances: 1, areaUM2PerInstance: nil,
                leakageMWPerInstance: 0,
                actions: [PricedAction(action: "read_bytes", energyPJ: pj * 8, per: "byte", kind: .dram, estimator: "memory.dram_energy_pj_per_bit"),
                          PricedAction(action: "write_bytes", energyPJ: pj * 8, per: "byte", kind: .dram, estimator: "memory.dram_energy_pj_per_bit")],
                estimator: "the document's per-bit figure"))
        } else {
            components.append(try MemoryComponents.dram(model, technology: m.dramTechnology.rawValue, file: file))
        }
        let inventory = CostInventory(
            design: document.name, technology: t,
            scaling: model.scaling.describe(from: model.scaling.reference, to: t) + "; energies anchored to \(model.calibration.anchor)",
            components: components, notes: notes, clockMHz: a.clockMHz)
        // Per MAC: one PE-cycle serves dot_product_size / cycles-per-step MACs.
        let perStep = Double(plan?.cyclesPerStep ?? 1)
        let perMAC = components[0].actions[0].energy_pj * perStep / Double(pe.dotProductSize)
        return PricedDesign(inventory: inventory, datapathMode: "pe.active_cycles x cycles per step / dot_product_size per MAC",
                            datapathEnergyPerMACPJ: perMAC, datapathAreaMM2: components[0].area_mm2, datapathAreaScope: "all PEs",
                            uncertainty: model.energyUncertainty)
    }
}
