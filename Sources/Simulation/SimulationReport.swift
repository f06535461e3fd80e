import CostModel
import EngineKit

/// The versioned result of `simulate run` for one GEMM, the same for every engine: neutral
/// sections plus one engine section under the engine's family key (`tensor_core`, ...). Key
/// names are public API (docs/report-schema.md).
public struct SimulationReport: Codable, Sendable {
    public static let currentSchemaVersion = 3

    public struct Architecture: Codable, Sendable {
        public let file: String
        public let name: String
        public let kind: String
        /// The parallel units, e.g. "132 SMs".
        public let units: String
        public let clock_mhz: Double
    }

    public struct Problem: Codable, Sendable {
        /// Workload layer name (whole-model runs), nil for a single GEMM.
        public let layer: String?
        public let m: Int
        public let n: Int
        public let k: Int
        public let a_format: String
        public let b_format: String
        public let d_format: String
        public let a_role: String
        public let b_role: String
        public let quantization_a: String
        public let quantization_b: String
        public let data_a: String
        public let data_b: String
        public let seed: UInt64
        public let clipped_elements: Int
    }

    public struct Timing: Codable, Sendable {
        public let cycles: Double
        public let time_s: Double
        public let clock_mhz: Double
        /// Tera-operations per second (2 per multiply-accumulate).
        public let achieved_tops: Double
        public let peak_tops: Double
        public let utilisation: Double
        public let binding_limit: String
        /// Cycles each limit alone would need, by the engine's limit names.
        public let limits: [String: Double]
    }

    public struct Numerics: Codable, Sendable {
        /// full | sampled | off
        public let mode: String
        public let profile: String
        public let datapath: String
        public let source: String
        public let output_format: String
        public let outputs_simulated: Int
        public let rows_simulated: Int
        public let columns_simulated: Int
        public let reason: String
        /// Datapath events counted over the simulated outputs (e.g. lane overflows).
        public let events: [String: Int]
    }

    public struct Accuracy: Codable, Sendable {
        public let outputs_measured: Int
        /// `all` simulated outputs, or a `seeded_sample` of them (above 65536).
        public let coverage: String
        public let sqnr_db: Double
        public let relative_frobenius_error: Double
        public let max_abs_error: Double
        /// |D - cr| / ulp(cr), cr the exact product of the quantised inputs rounded to binary32.
        public let max_ulp_error: Double
        public let mean_ulp_error: Double
        /// |D - exact| / sum |a_i b_i|.
        public let max_normwise_error: Double
        public let quantization_only_sqnr_db: Double
        public let non_finite_outputs: Int
    }

    public struct Verification: Codable, Sendable {
        public let outputs_rechecked: Int
        public let mismatches: Int
        public let reference: String
        public let first_mismatches: [String]
    }

    public struct Cost: Codable, Sendable {
        /// "modelled", "partially modelled: ...", or "not modelled: <reason>".
        public let status: String
        /// The action that prices one datapath MAC, its energy, and the datapath's area.
        public let datapath_mode: String?
        public let datapath_energy_per_mac_pj: Double?
        public let datapath_area_mm2: Double?
        public let datapath_area_scope: String?
        public let uncertainty: String?
        public let breakdown: RunCost?
    }

    /// A second design's run of the same GEMM on identical inputs (`--compare`).
    public struct Comparison: Codable, Sendable {
        public let architecture: Architecture
        public let engine: String
        public let a_format: String
        public let b_format: String
        public let quantization_b: String
        public let numerics_profile: String
        public let numerics: String
        public let outputs_simulated: Int
        public let sqnr_db: Double?
        public let relative_frobenius_error: Double?
        public let max_abs_error: Double?
        public let outputs_rechecked: Int?
        public let mismatches: Int?
        public let cycles: Double
        public let time_s: Double
        public let binding_limit: String
        public let energy_pj: Double?
        public let energy_per_mac_pj: Double?
        public let datapath_energy_per_mac_pj: Double?
        public let datapath_area_mm2: Double?
        public let datapath_area_scope: String?
        public let area_mm2: Double?

        init(_ r: SimulationReport) {
            architecture = r.architecture
            engine = r.engine
            a_format = r.problem.a_format
            b_format = r.problem.b_format
            quantization_b = r.problem.quantization_b
            numerics_profile = r.numerics.profile
            numerics = r.numerics.datapath
            outputs_simulated = r.numerics.outputs_simulated
            sqnr_db = r.accuracy?.sqnr_db
            relative_frobenius_error = r.accuracy?.relative_frobenius_error
            max_abs_error = r.accuracy?.max_abs_error
            outputs_rechecked = r.verification?.outputs_rechecked
            mismatches = r.verification?.mismatches
            cycles = r.timing.cycles
            time_s = r.timing.time_s
            binding_limit = r.timing.binding_limit
            energy_pj = r.cost.breakdown?.energy_pj
            energy_per_mac_pj = r.cost.breakdown?.energy_per_mac_pj
            datapath_energy_per_mac_pj = r.cost.datapath_energy_per_mac_pj
            datapath_area_mm2 = r.cost.datapath_area_mm2
            datapath_area_scope = r.cost.datapath_area_scope
            area_mm2 = r.cost.breakdown?.area_mm2
        }
    }

    public let schema_version: Int
    /// The engine family (the key of the engine section).
    public let engine: String
    public let architecture: Architecture
    public let problem: Problem
    public let timing: Timing
    public let actions: [String: Double]
    public let numerics: Numerics
    /// nil when numerics are off.
    public let accuracy: Accuracy?
    public let verification: Verification?
    public let cost: Cost
    /// The engine's own section (its plan and timing entries).
    public let details: ReportSection
    public let approximations: [String]
    /// `--compare`: the baseline design on identical inputs.
    public private(set) var comparison: Comparison?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schema_version, engine, architecture, problem, timing, actions, numerics, accuracy, verification, cost, approximations, comparison
    }

    func with(comparison: Comparison) -> SimulationReport {
        var copy = self
        copy.comparison = comparison
        return copy
    }

    struct SectionKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema_version = try c.decode(Int.self, forKey: .schema_version)
        engine = try c.decode(String.self, forKey: .engine)
        architecture = try c.decode(Architecture.self, forKey: .architecture)
        problem = try c.decode(Problem.self, forKey: .problem)
        timing = try c.decode(Timing.self, forKey: .timing)
        actions = try c.decode([String: Double].self, forKey: .actions)
        numerics = try c.decode(Numerics.self, forKey: .numerics)
        accuracy = try c.decodeIfPresent(Accuracy.self, forKey: .accuracy)
        verification = try c.decodeIfPresent(Verification.self, forKey: .verification)
        cost = try c.decode(Cost.self, forKey: .cost)
        approximations = try c.decode([String].self, forKey: .approximations)
        comparison = try c.decodeIfPresent(Comparison.self, forKey: .comparison)
        let s = try decoder.container(keyedBy: SectionKey.self)
        let value = try s.decode(ReportValue.self, forKey: SectionKey(stringValue: engine))
        guard case .object(let entries) = value else {
            throw DecodingError.dataCorruptedError(forKey: SectionKey(stringValue: engine), in: s, debugDescription: "expected an object")
        }
        details = ReportSection(name: engine, title: engine, entries: entries)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema_version, forKey: .schema_version)
        try c.encode(engine, forKey: .engine)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(problem, forKey: .problem)
        try c.encode(timing, forKey: .timing)
        try c.encode(actions, forKey: .actions)
        try c.encode(numerics, forKey: .numerics)
        try c.encodeIfPresent(accuracy, forKey: .accuracy)
        try c.encodeIfPresent(verification, forKey: .verification)
        try c.encode(cost, forKey: .cost)
        try c.encode(approximations, forKey: .approximations)
        try c.encodeIfPresent(comparison, forKey: .comparison)
        var s = encoder.container(keyedBy: SectionKey.self)
        try s.encode(ReportValue.object(details.entries), forKey: SectionKey(stringValue: details.name))
    }

    init(engine: String, architecture: Architecture, problem: Problem, timing: Timing, actions: [String: Double], numerics: Numerics,
         accuracy: Accuracy?, verification: Verification?, cost: Cost, details: ReportSection, approximations: [String]) {
        schema_version = Self.currentSchemaVersion
        self.engine = engine
        self.architecture = architecture
        self.problem = problem
        self.timing = timing
        self.actions = actions
        self.numerics = numerics
        self.accuracy = accuracy
        self.verification = verification
        self.cost = cost
        self.details = details
        self.approximations = approximations
    }
}
