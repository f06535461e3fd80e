import ArchitectureSpec
import CostModel
import LUTEngine

/// The cost inventory of a `lut_tensor_core` document running a plan (docs/lut-tensor-core.md,
/// "Cost"): per LUT unit, the table registers (M x 2^(K-1) entries), M x N 2^(K-1):1
/// multiplexers of the entry width with the 2^b scaling (an exponent add, or a shift for integer
/// entries), M x N adders in the accumulator format with their registers and the weight-plane
/// register; the precompute adders; the on-chip buffers and DRAM. Priced by the cost model's
/// calibrated cell estimators at the document's technology.
enum LUTInventory {
    /// Cell counts of one LUT unit and of its per-output-plane actions: a lookup (the
    /// 2^(K-1):1 multiplexer of the entry width and the 2^b scaling: an exponent add for float
    /// entries, a shift for integer ones) and an accumulation (the adder in the accumulator's
    /// format and its register write).
    static func cells(_ u: LUTUnitSpec) -> (unit: LogicCells, lookup: LogicCells, accumulate: LogicCells) {
        let entryBits = LUTTensorCoreEngine.entryBits(u.tableFormat)
        let entries = 1 << (u.tileK - 1)
        let outputs = u.tileM * u.tileN
        let mux = LogicBlock.multiplexer(width: entryBits, inputs: entries)
        let scaler: LogicCells = u.tableFormat.isInteger ? LogicBlock.shifter(width: entryBits + u.maxWeightBits, maxShift: u.maxWeightBits - 1)
            : LogicBlock.adder(width: u.tableFormat == .e4m3 ? 4 : 5)
        let adder: LogicCells, accumulatorBits: Int
        switch u.accumulatorFormat {
        case .fp16: (adder, accumulatorBits) = (LogicBlock.floatAdder(exponentBits: 5, mantissaBits: 10), 16)
        case .fp32: (adder, accumulatorBits) = (LogicBlock.floatAdder(exponentBits: 8, mantissaBits: 23), 32)
        case .int32: (adder, accumulatorBits) = (LogicBlock.adder(width: 32), 32)
        }
        let tableRegisters = LogicBlock.register(bits: u.tileM * entries * entryBits)
        let accumulatorRegisters = LogicBlock.register(bits: outputs * accumulatorBits)
        let planeRegister = LogicBlock.register(bits: u.tileK * u.tileN)
        let unit = tableRegisters + Double(outputs) * (mux + scaler + adder) + accumulatorRegisters + planeRegister
        return (unit, mux + scaler, adder + LogicBlock.register(bits: accumulatorBits))
    }

    static func build(document: ArchitectureDocument, spec: LUTTensorCoreSpec, plan: LUTPlan, file: String,
                      anchor: String?) throws(RunError) -> PricedDesign {
        let a = spec.array, u = plan.unit
        let (model, t, library) = try MemoryComponents.model(nodeNM: a.processNodeNM, vddV: a.coreVoltageV, anchor: anchor, file: file)
        let entryBits = LUTTensorCoreEngine.entryBits(u.tableFormat)
        let entries = plan.tableEntries
        let cells = Self.cells(u)
        let (unitCells, mux, adder) = (cells.unit, cells.lookup, cells.accumulate)
        let bit = LogicBlock.register(bits: 1)
        var components = [InventoryComponent(
            name: "lut", description: "LUT unit M\(u.tileM) N\(u.tileN) K\(u.tileK), \(u.tableFormat.rawValue) tables, \(u.accumulatorFormat.rawValue) accumulators",
            instances: a.totalUnits, areaUM2PerInstance: library.area(unitCells), leakageMWPerInstance: library.leakage(unitCells),
            actions: [
                PricedAction(action: "lookup", energyPJ: library.energy(mux), per: "output-plane", kind: .compute,
                             estimator: "\(entries):1 x \(entryBits)-bit mux + 2^b scaling"),
                PricedAction(action: "accumulate", energyPJ: library.energy(adder),
                             per: "output-plane", kind: .compute, estimator: "\(u.accumulatorFormat.rawValue) adder + accumulator register"),
                PricedAction(action: "table_load_bits", energyPJ: library.energy(bit), per: "bit", kind: .registerFile,
                             estimator: "table register bit"),
                PricedAction(action: "weight_load_bits", energyPJ: library.energy(bit), per: "bit", kind: .registerFile,
                             estimator: "weight-plane register bit"),
                PricedAction(action: "useful_mac", energyPJ: 0, per: "MAC", kind: .compute, estimator: "counter only"),
            ],
            estimator: "calibrated cell model (CostModel.Calibration): registers, muxes, adders")]
        let precomputeAdder: LogicCells = u.tableFormat.isInteger ? LogicBlock.adder(width: 16)
            : (u.precomputeFormat == .fp32 ? LogicBlock.floatAdder(exponentBits: 8, mantissaBits: 23) : LogicBlock.floatAdder(exponentBits: 5, mantissaBits: 10))
        let converter: LogicCells = LogicBlock.floatAdder(exponentBits: 8, mantissaBits: entryBits == 8 ? 3 : 10)
        let lanes = spec.precompute.addsPerCycle.rounded(.up)
        components.append(InventoryComponent(
            name: "precompute", description: "table precompute adders (\(Int(lanes)) lanes)", instances: 1,
            areaUM2PerInstance: lanes * library.area(precomputeAdder), leakageMWPerInstance: lanes * library.leakage(precomputeAdder),
            actions: [
                PricedAction(action: "add", energyPJ: library.energy(precomputeAdder), per: "add", kind: .compute,
                             estimator: u.tableFormat.isInteger ? "16-bit integer adder" : "\(u.precomputeFormat.rawValue) adder"),
                PricedAction(action: "convert", energyPJ: library.energy(converter), per: "entry", kind: .compute,
                             estimator: "priced as a float adder of the entry's mantissa (approximation)"),
            ],
            estimator: "calibrated cell model"))
        components.append(try MemoryComponents.sram(model, at: t, description: "on-chip buffers (\(spec.memory.sramKiB) KiB)",
                                                     capacityKiB: spec.memory.sramKiB, file: file))
        components.append(try MemoryComponents.dram(model, technology: spec.memory.dramTechnology.rawValue, file: file))
        let inventory = CostInventory(
            design: document.name, technology: t,
            scaling: model.scaling.describe(from: model.scaling.reference, to: t) + "; energies anchored to \(model.calibration.anchor)",
            components: components,
            notes: ["LUT unit priced from its structure (registers, multiplexers, adders); no place-and-route factor; synthesis conditions of the paper: TSMC 28 nm, 1 GHz, typical corner (lut-tensor-core.md §5.1)",
                    "precompute entry conversions priced as float adders (approximation)", model.energyUncertainty],
            clockMHz: a.clockMHz)
        let lookup = components[0].actions[0].energy_pj + components[0].actions[1].energy_pj
        // Per MAC: W lookups and adds serve K MACs of one output.
        let perMAC = lookup * Double(plan.weights.bits) / Double(u.tileK)
        return PricedDesign(inventory: inventory, datapathMode: "lut.lookup + lut.accumulate per output-plane, x W / K per MAC",
                            datapathEnergyPerMACPJ: perMAC, datapathAreaMM2: components[0].area_mm2, datapathAreaScope: "all LUT units",
                            uncertainty: model.energyUncertainty)
    }
}
