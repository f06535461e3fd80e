import CostModel
import EngineKit

/// The versioned result of a whole-workload run (a built-in model, a topology or a JSON list):
/// one entry per layer and the totals. Key names are public API (docs/report-schema.md).
public struct WorkloadReport: Codable, Sendable {
    public struct WorkloadInfo: Codable, Sendable {
        public let name: String
        public let source: String
        public let phase: String?
        public let batch: Int?
        public let notes: [String]
    }

    public struct Formats: Codable, Sendable {
        public let activation: String
        public let weight: String
        public let kv_cache: String
        public let quantization: String
    }

    public struct LayerAccuracy: Codable, Sendable {
        public let outputs_measured: Int
        public let sqnr_db: Double
        public let relative_frobenius_error: Double
        public let quantization_only_sqnr_db: Double
        public let non_finite_outputs: Int
        public let outputs_rechecked: Int
        public let mismatches: Int
        public let first_mismatches: [String]
    }

    public struct Layer: Codable, Sendable {
        public let name: String
        /// The design that ran the layer (attention may run on another: `--attention-on`).
        public let architecture: String
        public let m: Int
        public let n: Int
        public let k: Int
        public let repeat_count: Int
        public let a_role: String
        public let b_role: String
        public let a_format: String
        public let b_format: String
        public let d_format: String
        public let numerics_profile: String
        /// One instance of the layer.
        public let cycles_each: Double
        /// All repeats, run one after another.
        public let cycles: Double
        public let time_s: Double
        public let macs: Double
        public let utilisation: Double
        public let binding_limit: String
        public let energy_pj: Double?
        public let energy_per_mac_pj: Double?
        /// Bit-exact numerics on a seeded grid of this layer's outputs (nil: not sampled).
        public let numerics: LayerAccuracy?
        /// The engine's choices for this layer (e.g. the instruction and tiling), flattened.
        public let engine_summary: String
    }

    public struct Totals: Codable, Sendable {
        public let cycles: Double
        public let time_s: Double
        public let macs: Double
        public let achieved_tops: Double
        public let energy_pj: Double?
        public let energy_pj_by_kind: [String: Double]?
        public let energy_per_mac_pj: Double?
        public let average_power_w: Double?
        public let layers_with_numerics: Int
        public let outputs_rechecked: Int
        public let mismatches: Int
    }

    public static let currentSchemaVersion = SimulationReport.currentSchemaVersion

    public let schema_version: Int
    /// Always "workload" (single-GEMM reports have no `report` key).
    public let report: String
    public let engine: String
    public let architecture: SimulationReport.Architecture
    public let workload: WorkloadInfo
    public let formats: Formats
    /// How numerics were sampled: which layers, what grid, which seed.
    public let numerics: String
    public let cost_status: String
    public let layers: [Layer]
    public let totals: Totals
    public let approximations: [String]
}
