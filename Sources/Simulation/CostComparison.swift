import ArchitectureSpec
import CostModel
import EngineKit
import Formats
import TensorCoreEngine

/// The presets' energy and area set against the published estimates of
/// `published-estimates.json` (`simulate costs compare`; docs/cost-model.md keeps its output). Nothing
/// here is fitted to those estimates.
public enum CostComparison {
    public struct Row: Sendable, Codable {
        public let id: String
        public let chip: String
        public let quantity: String
        public let published: Double
        public let model: Double?
        public let unit: String
        public let ratio: Double?
        public let how: String
        public let source: String
    }

    /// Energy and time of a dense GEMM priced without running its numerics (cycle model and
    /// cost model only).
    public static func gemmCost(gpu: TensorCoreGPUSpec, name: String, file: String, input: String, accumulator: String,
                                shape: (m: Int, n: Int, k: Int), model: CostModel) throws(RunError) -> (RunCost, MMAInstructionSpec) {
        guard let machine = GPUMachine(name: name, gpu: gpu) else { throw RunError("\(file): no sm/memory sections") }
        guard let instruction = gpu.instructions(input: input, accumulator: accumulator).first,
              let inBits = FormatCatalog.parse(input)?.elementFormat?.bitWidth,
              let accBits = FormatCatalog.parse(accumulator)?.elementFormat?.bitWidth else {
            throw RunError("\(file): no \(input) -> \(accumulator) instruction")
        }
        let traffic = GEMMTraffic(m: shape.m, n: shape.n, k: shape.k, aBytes: Double(inBits) / 8, bBytes: Double(inBits) / 8,
                                  cBytes: Double(accBits) / 8, dBytes: Double(accBits) / 8, readsC: false)
        let best: GPUCycleModel.Result
        do { best = try GPUCycleModel(machine: machine, instruction: instruction).bestTiling(traffic).best } catch {
            throw RunError("\(file): \(error)")
        }
        let inventory = try TensorCoreInventory.build(name: name, file: file, gpu: gpu, model: model, run: instruction)
        let cost = RunCost.price(inventory, actions: best.actions.counts, seconds: best.cycles.totalCycles / machine.clockHz,
                                 usefulMACs: Double(shape.m) * Double(shape.n) * Double(shape.k))
        return (cost, instruction)
    }

    /// Compares every `comparison` entry whose chip has a document in `directory`.
    public static func rows(directory: String, anchor: String? = nil) throws(RunError) -> [Row] {
        let tables: CostTables
        do { tables = try CostTables.standard() } catch { throw RunError("\(error)") }
        var rows: [Row] = []
        for e in tables.entries where e.use == .comparison {
            func row(_ value: Double?, _ how: String) {
                rows.append(Row(id: e.id, chip: e.structure.chip ?? "-", quantity: e.quantity.rawValue, published: e.value, model: value,
                                unit: e.unit, ratio: value.map { $0 / e.value }, how: how, source: e.source))
            }
            guard let chip = e.structure.chip else {
                row(nil, "not compared: " + (e.note ?? "no chip"))
                continue
            }
            let file = directory + "/" + chip + ".json"
            let document: ArchitectureDocument
            do { document = try ArchitectureLoader.load(path: file) } catch {
                row(nil, "not compared: \(file) does not load (\(error.description))")
                continue
            }
            guard case .tensorCoreGPU(let gpu) = document.body, gpu.chip.processNodeNM != nil else {
                row(nil, "not compared: \(file) is not a tensor_core_gpu document with chip.process_node_nm")
                continue
            }
            let model = try TensorCoreInventory.model(for: gpu, anchor: anchor)
            let inventory = try TensorCoreInventory.build(name: document.name, file: file, gpu: gpu, model: model)
            let fp16Action = gpu.instructions(input: "fp16", accumulator: "fp32").first.map(TensorCoreInventory.actionName)
            let tensor = inventory.component("tensor")
            switch (e.quantity, e.structure.scope ?? "") {
            case (.energyPerMAC, "datapath"):
                let fma = tensor?.actions.first { $0.action == fp16Action }
                row(fma?.energy_pj, "tensor-core datapath energy per FP16 FMA (\(fp16Action ?? "-"))")
            case (.energyPerMAC, "total"):
                let (cost, i) = try gemmCost(gpu: gpu, name: document.name, file: file, input: "fp16", accumulator: "fp32",
                                             shape: (8192, 8192, 8192), model: model)
                row(cost.energy_pj - cost.leakage_pj > 0 ? cost.energy_per_mac_pj : nil,
                    "whole modelled run of an 8192^3 FP16 GEMM (\(i.name)) per MAC, leakage included")
            case (.areaPerSM, _):
                row(TensorCoreInventory.tensorAreaPerSMMM2(inventory, gpu), "tensor-core datapath area per SM")
            case (.energyPerBit, "l2"):
                row(inventory.component("l2")?.actions.first { $0.action == "read_bytes" }.map { $0.energy_pj / 8 },
                    "L2 read per bit: bank access + wire over half the die edge")
            case (.energyPerBit, "l1"):
                row(inventory.component("smem")?.actions.first { $0.action == "read_bytes" }.map { $0.energy_pj / 8 },
                    "shared-memory read per bit: bank access only")
            default:
                row(nil, "not compared")
            }
        }
        return rows
    }
}

extension CostComparison {
    /// One preset's headline costs: datapath energy per dense MAC of its fastest FP16, FP8 and
    /// INT8 paths (FP32/INT32 accumulation) and tensor-core area per SM.
    public struct PresetRow: Sendable, Codable {
        public let file: String
        public let name: String
        public let technology: String
        public let fp16_pj_per_mac: Double?
        public let fp8_pj_per_mac: Double?
        public let int8_pj_per_mac: Double?
        public let tensor_area_per_sm_mm2: Double?
        /// Why a document has no figures (it does not load, or has no process node).
        public let note: String?
    }

    public static func presets(directory: String, files: [String], anchor: String? = nil) throws(RunError) -> [PresetRow] {
        var rows: [PresetRow] = []
        for f in files {
            let path = directory + "/" + f
            func skip(_ why: String) {
                rows.append(PresetRow(file: f, name: f, technology: "-", fp16_pj_per_mac: nil, fp8_pj_per_mac: nil, int8_pj_per_mac: nil,
                                      tensor_area_per_sm_mm2: nil, note: why))
            }
            let document: ArchitectureDocument
            do { document = try ArchitectureLoader.load(path: path) } catch { skip(error.description); continue }
            guard case .tensorCoreGPU(let gpu) = document.body else { continue }
            let inventory: CostInventory
            do { inventory = try TensorCoreInventory.load(path: path, anchor: anchor) } catch { skip(error.description); continue }
            let tensor = inventory.component("tensor")
            func energy(_ input: String, _ acc: String) -> Double? {
                guard let i = gpu.instructions(input: input, accumulator: acc).first else { return nil }
                return tensor?.actions.first { $0.action == TensorCoreInventory.actionName(i) }?.energy_pj
            }
            rows.append(PresetRow(file: f, name: document.name, technology: inventory.technology.description,
                                  fp16_pj_per_mac: energy("fp16", "fp32"), fp8_pj_per_mac: energy("e4m3", "fp32"),
                                  int8_pj_per_mac: energy("int8", "int32"),
                                  tensor_area_per_sm_mm2: TensorCoreInventory.tensorAreaPerSMMM2(inventory, gpu),
                                  note: nil))
        }
        return rows
    }
}
