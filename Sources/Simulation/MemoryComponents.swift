import ArchitectureSpec
import CostModel

/// The on-chip buffer and DRAM components the accelerator inventories share (LUT tensor core,
/// PE array): priced by the cost model's SRAM fit and per-bit DRAM table.
enum MemoryComponents {
    /// One SRAM of `capacityKiB` behind `widthBits`-bit ports in `banks` banks (at least one
    /// per 256 KiB when `banks` is nil): `read_bytes` and `write_bytes` per byte.
    static func sram(_ model: CostModel, at t: Technology, name: String = "sram", description: String, capacityKiB: Int,
                     widthBits: Int = 256, banks: Int? = nil, file: String) throws(RunError) -> InventoryComponent {
        let sram: SRAMModel.Cost
        do {
            let capacity = capacityKiB * 1024
            let bankCount = banks ?? Swift.max(1, capacity / (256 * 1024))
            sram = try model.sram.estimate(capacityBytes: capacity, widthBits: widthBits, banks: bankCount, at: t, scaling: model.scaling)
        } catch { throw RunError("\(file): memory: \(error)") }
        let bytesPerAccess = Double(widthBits) / 8
        return InventoryComponent(
            name: name, description: description, instances: 1,
            areaUM2PerInstance: sram.areaUM2, leakageMWPerInstance: sram.leakageMW,
            actions: [PricedAction(action: "read_bytes", energyPJ: sram.readPJ / bytesPerAccess, per: "byte", kind: .sram,
                                   estimator: "CACTI fit, \(widthBits)-bit port"),
                      PricedAction(action: "write_bytes", energyPJ: sram.writePJ / bytesPerAccess, per: "byte", kind: .sram,
                                   estimator: "CACTI fit, \(widthBits)-bit port")],
            estimator: "SRAM model (CACTI 7 fit)", notes: sram.note.map { [$0] } ?? [])
    }

    /// DRAM of a technology: `read_bytes` and `write_bytes` per byte, no area.
    static func dram(_ model: CostModel, technology: String, file: String) throws(RunError) -> InventoryComponent {
        let price: DRAMModel.Price
        do { price = try model.dram.price(technology) } catch { throw RunError("\(file): memory.dram_technology: \(error)") }
        return InventoryComponent(
            name: "dram", description: "\(technology.uppercased()) DRAM", instances: 1, areaUM2PerInstance: nil,
            leakageMWPerInstance: 0,
            actions: [PricedAction(action: "read_bytes", energyPJ: price.picojoulesPerBit * 8, per: "byte", kind: .dram, estimator: price.source),
                      PricedAction(action: "write_bytes", energyPJ: price.picojoulesPerBit * 8, per: "byte", kind: .dram, estimator: price.source)],
            estimator: "per-bit table (dram.json)", notes: price.note.map { [$0] } ?? [])
    }

    /// The cost model and technology for a design at `nodeNM` and `vddV` (nil: the node's default).
    static func model(nodeNM node: Double?, vddV: Double?, anchor: String?, file: String) throws(RunError) -> (CostModel, Technology, CellLibrary) {
        guard let node else {
            throw RunError("\(file): array.process_node_nm is needed for energy and area (fix: add it, e.g. 28)")
        }
        do {
            let model = try CostModel.forTarget(nodeNM: node, requested: anchor)
            let t = Technology(nodeNM: node, vddV: vddV ?? model.scaling.defaultVdd)
            return (model, t, try model.library(at: t))
        } catch { throw RunError("\(file): \(error)") }
    }
}
