import ArchitectureSpec
import EngineKit
import PEArrayEngine
import Workloads

/// SCALE-Sim compatibility (docs/pe-array.md, "SCALE-Sim compatibility"): a SCALE-Sim config
/// becomes an INT8 `pe_array` document, each topology row a GEMM, and the PE array's cycle
/// model gives SCALE-Sim's compute cycles, overall utilisation and mapping efficiency (equal
/// to SCALE-Sim v3's, checked against its recorded runs), plus QuantSim's DRAM-bound estimate.
public enum ScaleSimCompatibility {
    public struct Layer: Sendable {
        public let name: String
        public let shape: GEMMShape
        public let computeCycles: Double
        public let overallUtilPct: Double
        public let mappingEfficiencyPct: Double
        /// max(compute, DRAM) with the config's bandwidth (QuantSim's estimate, not SCALE-Sim's).
        public let cyclesWithDRAM: Double
    }

    public struct Result: Sendable {
        public let document: String
        public let documentName: String
        public let layers: [Layer]
    }

    public static func run(configPath: String, topologyPath: String) throws(RunError) -> Result {
        let config: ScaleSimConfig, workload: Workload
        do {
            config = try ScaleSimConfig.load(path: configPath)
            workload = try TopologyFile.load(path: topologyPath)
        } catch { throw RunError(error.description) }
        let text = config.document()
        let document: ArchitectureDocument
        do { document = try Simulator.validate(text: text, file: configPath) } catch { throw RunError(error.description) }
        guard case .peArray(let spec) = document.body else { throw RunError("\(configPath): not a PE array") }
        let engine = PEArrayEngine(name: document.name, spec: spec)
        var layers: [Layer] = []
        for layer in workload.layers {
            let timing: EngineTiming
            do {
                let plan = try engine.plan(GEMMRequest(shape: layer.shape, aFormat: "int8", bFormat: "int8", quantization: nil))
                timing = try engine.timing(plan, shape: layer.shape)
            } catch { throw RunError("\(topologyPath): layer \(layer.name): \(error)") }
            func detail(_ key: String) -> Double {
                if case .number(let v)? = timing.details.first(where: { $0.key == key })?.value { return v }
                return .nan
            }
            layers.append(Layer(name: layer.name, shape: layer.shape, computeCycles: detail("compute_cycles"),
                                overallUtilPct: detail("overall_util_pct"), mappingEfficiencyPct: detail("mapping_efficiency_pct"),
                                cyclesWithDRAM: timing.cycles.totalCycles))
        }
        return Result(document: text, documentName: document.name, layers: layers)
    }
}
