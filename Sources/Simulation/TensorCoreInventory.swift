import ArchitectureSpec
import CostModel
import Formats

/// The cost inventory of a tensor-core GPU document (issue: "the engine reports its component
/// inventory from the architecture document"): tensor-core datapaths sized per instruction
/// mode, register file (or tensor memory), shared memory, L2 with its wires, and DRAM. Built
/// here, not in the engine or the cost model, so neither imports the other.
public enum TensorCoreInventory {
    /// One MMA mode's datapath (an instruction's widest input and accumulator formats).
    public struct Mode: Sendable, Hashable, Codable {
        public let action: String
        public let instruction: String
        public let inputs: [String]
        public let accumulator: String
        public let unit: DotProductUnit
        /// Dot-product units per tensor core needed for this mode's rate.
        public let unitsPerTensorCore: Double
        public let energyPerFMAPJ: Double
        public let areaPerTensorCoreUM2: Double
    }

    /// Bank size assumed for L2 slices (unpublished for every preset).
    public static let l2BankBytes = 512 * 1024

    /// The technology of a document (node required; voltage defaults to the scaling table's).
    public static func technology(_ gpu: TensorCoreGPUSpec, model: CostModel, file: String) throws(RunError) -> Technology {
        guard let node = gpu.chip.processNodeNM else {
            throw RunError("\(file): chip.process_node_nm is needed for energy and area (fix: add it, e.g. 4 for TSMC 4N)")
        }
        let t = Technology(nodeNM: node, vddV: gpu.chip.coreVoltageV ?? model.scaling.defaultVdd)
        do {
            _ = try model.scaling.areaFactor(from: model.scaling.reference.node_nm, to: t.node_nm)
        } catch { throw RunError("\(file): chip.process_node_nm: \(error)") }
        return t
    }

    static func operand(_ name: String) -> DotProductUnit.Operand? {
        guard let f = FormatCatalog.parse(name)?.elementFormat else { return nil }
        switch f {
        case .float(let m): return .float(exponentBits: m.exponentBits, mantissaBits: m.mantissaBits)
        case .integer(let i): return .integer(bits: i.bitWidth)
        case .codebook(let c): return .integer(bits: c.bitWidth)
        }
    }

    /// The widest of several operand formats (the datapath serves all of them).
    static func widest(_ names: [String]) -> DotProductUnit.Operand? {
        let ops = names.compactMap(operand)
        guard ops.count == names.count, !ops.isEmpty else { return nil }
        var floatE = 0, floatM = -1, intBits = 0
        for o in ops {
            switch o {
            case .float(let e, let m): floatE = max(floatE, e); floatM = max(floatM, m)
            case .integer(let b): intBits = max(intBits, b)
            }
        }
        if floatM >= 0 { return .float(exponentBits: floatE, mantissaBits: floatM) }
        return .integer(bits: intBits)
    }

    /// The accumulator a variant's datapath is sized for: FP32 when offered, else its first.
    static func accumulatorName(_ i: MMAInstructionSpec) -> String {
        i.accumulatorFormats.contains("fp32") ? "fp32" : i.accumulatorFormats[0]
    }

    /// The action pricing one FMA of an instruction variant: `fma.<inputs>.<accumulator>.<instruction>`.
    public static func actionName(_ i: MMAInstructionSpec) -> String {
        "fma." + i.inputFormats.joined(separator: "_") + "." + accumulatorName(i) + "." + i.name
    }

    /// Tensor-core datapath area per SM (mm^2) of an inventory built from `gpu`.
    public static func tensorAreaPerSMMM2(_ inventory: CostInventory, _ gpu: TensorCoreGPUSpec) -> Double? {
        guard let sm = gpu.sm, let area = inventory.component("tensor")?.area_um2_per_instance else { return nil }
        return area * Double(sm.tensorCores) / 1e6
    }

    /// The cost model for a document: `anchor` nil or "auto" picks the table nearest its node.
    public static func model(for gpu: TensorCoreGPUSpec, anchor: String?) throws(RunError) -> CostModel {
        do { return try CostModel.forTarget(nodeNM: gpu.chip.processNodeNM ?? 45, requested: anchor) } catch { throw RunError("\(error)") }
    }

    /// The datapath of one instruction variant.
    static func mode(_ instruction: MMAInstructionSpec, profile p: MMANumericsSpec) -> DotProductUnit? {
        let accumulatorName = accumulatorName(instruction)
        guard var input = widest(instruction.inputFormats), var accumulator = operand(accumulatorName) else { return nil }
        var n = p.blockWidth, kept = p.keptFractionBits
        switch p.algorithm {
        case .fp8ViaF16Steps:
            input = .float(exponentBits: 5, mantissaBits: 10)   // FP8 runs through the FP16 datapath
            n = 16
            kept = 25
        case .integer:
            n = min(instruction.shapeK, 32)
            accumulator = .integer(bits: p.accumulatorBits)
        default: break
        }
        if case .float(let e, _) = accumulator, accumulatorName == "fp32", p.fp32OutputSignificandBits < 24 {
            accumulator = .float(exponentBits: e, mantissaBits: p.fp32OutputSignificandBits - 1)
        }
        return DotProductUnit(products: max(1, n), a: input, b: input, keptFractionBits: kept, accumulator: accumulator,
                              scaleBlock: instruction.scaleBlock)
    }

    /// Every instruction variant's datapath at a technology.
    public static func modes(_ gpu: TensorCoreGPUSpec, library: CellLibrary) -> [Mode] {
        let tensorCores = gpu.sm?.tensorCores ?? 4
        return gpu.mmaInstructions.compactMap { i in
            guard let unit = mode(i, profile: gpu.profile(for: i)) else { return nil }
            let cells = unit.cells
            let units = i.fmaPerSMPerCycle / Double(tensorCores) / Double(unit.products)
            return Mode(action: actionName(i), instruction: i.name, inputs: i.inputFormats, accumulator: accumulatorName(i), unit: unit,
                        unitsPerTensorCore: units, energyPerFMAPJ: library.energy(cells) / Double(unit.products),
                        areaPerTensorCoreUM2: units * library.area(cells))
        }
    }

    /// The inventory; `run` names the instruction a run uses, whose per-FMA energy prices `tensor.fma_issued`.
    public static func build(name: String, file: String, gpu: TensorCoreGPUSpec, model: CostModel,
                             run: MMAInstructionSpec? = nil, runInputs: [String]? = nil) throws(RunError) -> CostInventory {
        let t = try technology(gpu, model: model, file: file)
        let lib: CellLibrary
        do { lib = try model.library(at: t) } catch { throw RunError("\(file): \(error)") }
        let modes = Self.modes(gpu, library: lib)
        guard let largest = modes.max(by: { $0.areaPerTensorCoreUM2 < $1.areaPerTensorCoreUM2 }) else {
            throw RunError("\(file): no MMA instruction has formats the cost model can size")
        }
        var notes = [
            "tensor-core area is the largest single-mode datapath (\(largest.action)); sharing one datapath between modes costs more, unmodelled",
            "multi-format modes are priced on a datapath sized for their widest input format",
            model.energyUncertainty,
        ]
        var components: [InventoryComponent] = []
        let sms = gpu.chip.smCount
        let tensorCores = gpu.sm.map { $0.tensorCores * sms }
        var tensorActions = modes.map {
            PricedAction(action: $0.action, energyPJ: $0.energyPerFMAPJ, per: "FMA", kind: .compute,
                         estimator: Self.describe($0))
        }
        if let run {
            let runMode = modes.first { $0.instruction == run.name && $0.inputs == run.inputFormats }
            if let m = runMode {
                tensorActions.insert(PricedAction(action: "fma_issued", energyPJ: m.energyPerFMAPJ, per: "FMA", kind: .compute,
                                                  estimator: "the run's mode, \(m.action)"), at: 0)
            }
            for counter in ["fma_useful", "mma_instructions"] {
                tensorActions.append(PricedAction(action: counter, energyPJ: 0, per: counter == "fma_useful" ? "FMA" : "instruction",
                                                  kind: .compute, estimator: "counter only: energy is in fma_issued"))
            }
        }
        components.append(InventoryComponent(
            name: "tensor", description: "tensor-core datapaths", instances: tensorCores ?? 1,
            areaUM2PerInstance: tensorCores == nil ? nil : largest.areaPerTensorCoreUM2,
            leakageMWPerInstance: tensorCores == nil ? 0 : largest.unitsPerTensorCore * lib.leakage(largest.unit.cells),
            actions: tensorActions, estimator: "calibrated cell model (CostModel.Calibration)"))

        func sram(_ capacity: Int, width: Int, banks: Int = 1) throws(RunError) -> SRAMModel.Cost {
            do { return try model.sram.estimate(capacityBytes: capacity, widthBits: width, banks: banks, at: t, scaling: model.scaling) } catch {
                throw RunError("\(file): \(error)")
            }
        }
        if let sm = gpu.sm {
            // Register file: one slice per sub-core, 1024-bit (32 lanes x 32 bits) accesses.
            let slice = try sram(sm.registerFileKiB * 1024, width: 1024, banks: sm.subCores)
            let store = gpu.mmaInstructions.contains { $0.issueScope == .cta } ? ["rf", "tmem"] : ["rf"]
            for s in store {
                components.append(InventoryComponent(
                    name: s, description: s == "rf" ? "register file (per SM)" : "tensor memory (per SM; sized like the register file)",
                    instances: sms, areaUM2PerInstance: slice.areaUM2, leakageMWPerInstance: slice.leakageMW,
                    actions: [PricedAction(action: "read_bytes", energyPJ: slice.readPJ / 128, per: "byte", kind: .registerFile,
                                           estimator: "CACTI fit, \(sm.subCores) slices of \(sm.registerFileKiB / sm.subCores) KiB, 1024-bit port"),
                              PricedAction(action: "write_bytes", energyPJ: slice.writePJ / 128, per: "byte", kind: .registerFile,
                                           estimator: "CACTI fit, 1024-bit port")],
                    estimator: "SRAM model (CACTI 7 fit)", notes: slice.note.map { [$0] } ?? []))
            }
            // Shared memory: 32 banks of 4 B, priced as 16 banks of 8 B.
            let banks = 16
            let bank = try sram(sm.sharedMemoryKiB * 1024, width: 64, banks: banks)
            components.append(InventoryComponent(
                name: "smem", description: "shared memory (per SM)", instances: sms,
                areaUM2PerInstance: bank.areaUM2, leakageMWPerInstance: bank.leakageMW,
                actions: [PricedAction(action: "read_bytes", energyPJ: bank.readPJ / 8, per: "byte", kind: .sram,
                                       estimator: "CACTI fit, \(banks) banks of \(sm.sharedMemoryKiB / banks) KiB, 64-bit"),
                          PricedAction(action: "write_bytes", energyPJ: bank.writePJ / 8, per: "byte", kind: .sram,
                                       estimator: "CACTI fit, 64-bit")],
                estimator: "SRAM model (CACTI 7 fit)", notes: bank.note.map { [$0] } ?? []))
            components.append(InventoryComponent(name: "sm", description: "SM activity counter", instances: sms, areaUM2PerInstance: nil,
                                                 leakageMWPerInstance: 0,
                                                 actions: [PricedAction(action: "active_cycles", energyPJ: 0, per: "SM-cycle", kind: .compute,
                                                                        estimator: "counter only: leakage is priced per component over the run")],
                                                 estimator: "counter"))
        } else {
            notes.append("no \"sm\" section: tensor-core count, register file and shared memory are not sized")
        }
        if let mem = gpu.memory {
            let banks = max(1, mem.l2CapacityKiB * 1024 / l2BankBytes)
            let bank = try sram(mem.l2CapacityKiB * 1024, width: 256, banks: banks)
            var readPJ = bank.readPJ / 32, writePJ = bank.writePJ / 32
            var estimator = "CACTI fit, \(banks) banks of \(min(mem.l2CapacityKiB, l2BankBytes / 1024)) KiB (bank size assumed), 256-bit sectors"
            if let die = gpu.chip.dieAreaMM2 {
                let mm = die.squareRoot() / 2
                let wire = model.wire.energy(millimetres: mm, vddV: t.vdd_v) * 8
                readPJ += wire
                writePJ += wire
                estimator += " + \(mm.formatted(significantDigits: 3)) mm of wire (half the die edge)"
            } else {
                notes.append("no chip.die_area_mm2: L2 traffic is priced without its wires (a large share of real L2 energy)")
            }
            components.append(InventoryComponent(
                name: "l2", description: "L2 cache", instances: 1, areaUM2PerInstance: bank.areaUM2,
                leakageMWPerInstance: bank.leakageMW,
                actions: [PricedAction(action: "read_bytes", energyPJ: readPJ, per: "byte", kind: .sram, estimator: estimator),
                          PricedAction(action: "write_bytes", energyPJ: writePJ, per: "byte", kind: .sram, estimator: estimator)],
                estimator: "SRAM model (CACTI 7 fit) + wire model", notes: bank.note.map { [$0] } ?? []))
            let price: DRAMModel.Price
            do { price = try model.dram.price(mem.dramTechnology.rawValue) } catch { throw RunError("\(file): memory.dram_technology: \(error)") }
            components.append(InventoryComponent(
                name: "dram", description: "\(mem.dramTechnology.rawValue.uppercased()) DRAM", instances: 1, areaUM2PerInstance: nil,
                leakageMWPerInstance: 0,
                actions: [PricedAction(action: "read_bytes", energyPJ: price.picojoulesPerBit * 8, per: "byte", kind: .dram, estimator: price.source),
                          PricedAction(action: "write_bytes", energyPJ: price.picojoulesPerBit * 8, per: "byte", kind: .dram, estimator: price.source)],
                estimator: "per-bit table (dram.json)", notes: price.note.map { [$0] } ?? []))
        } else {
            notes.append("no \"memory\" section: L2 and DRAM are not priced")
        }
        return CostInventory(design: name, technology: t,
                             scaling: model.scaling.describe(from: model.scaling.reference, to: t)
                                 + "; energies anchored to \(model.calibration.anchor)", components: components, notes: notes,
                             clockMHz: gpu.chip.clockMHz)
    }
}

extension TensorCoreInventory {
    /// Loads a document and builds its inventory (for `simulate costs show` and the exports of
    /// `simulate run`); `instruction` and `ptx` pick the run's mode when given.
    public static func load(path: String, instruction: String? = nil, ptx: String? = nil, anchor: String? = nil) throws(RunError) -> CostInventory {
        let document: ArchitectureDocument
        do { document = try ArchitectureLoader.load(path: path) } catch { throw RunError(error.description) }
        guard case .tensorCoreGPU(let gpu) = document.body else {
            throw RunError("\(path) describes a \(document.kind.rawValue); the cost inventory is built for tensor_core_gpu documents")
        }
        let model = try model(for: gpu, anchor: anchor)
        let run = instruction.flatMap { name in
            gpu.mmaInstructions.first { $0.name == name && (ptx == nil || $0.ptx == ptx) }
        }
        return try build(name: document.name, file: path, gpu: gpu, model: model, run: run)
    }
}

extension TensorCoreInventory {
    static func describe(_ m: Mode) -> String {
        let units = m.unitsPerTensorCore.formatted(significantDigits: 3)
        if case .integer = m.unit.a { return "integer dot-product unit: n = \(m.unit.products), \(units) units per tensor core" }
        return "dot-product unit: n = \(m.unit.products), F = \(m.unit.keptFractionBits)"
            + (m.unit.scaleBlock > 0 ? ", scale every \(m.unit.scaleBlock)" : "") + ", \(units) units per tensor core"
    }
}
