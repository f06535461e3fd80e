import Formats
import Workloads

/// What a run asks of an engine: the problem, the user's formats and quantisation, and which
/// operand plays which role.
public struct GEMMRequest: Sendable {
    public var shape: GEMMShape
    public var aFormat: String
    public var bFormat: String
    /// Output (accumulator) format; nil: the engine's default for the inputs.
    public var dFormat: String?
    /// Quantisation of both operands; nil: the engine's default per format.
    public var quantization: QuantizationChoice?
    /// A named variant of the engine's unit (a tensor-core instruction); nil: the engine's choice.
    public var variant: String?
    public var roleA: OperandRole
    public var roleB: OperandRole
    /// The format D is written in, rounded from the accumulator in the epilogue; nil: the
    /// accumulator itself. Engines that cannot write another format refuse it.
    public var outFormat: String?

    public init(shape: GEMMShape, aFormat: String, bFormat: String, dFormat: String? = nil,
                quantization: QuantizationChoice? = nil, variant: String? = nil,
                roleA: OperandRole = .activation, roleB: OperandRole = .weight) {
        self.shape = shape
        self.aFormat = aFormat
        self.bFormat = bFormat
        self.dFormat = dFormat
        self.quantization = quantization
        self.variant = variant
        self.roleA = roleA
        self.roleB = roleB
    }
}

/// An engine declines a request; the message says what to change.
public struct EngineRefusal: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The numerics an engine's plan runs, for reports.
public struct NumericsDescription: Sendable, Hashable {
    /// Name of the numerics configuration (a tensor-core profile, a LUT configuration, ...).
    public let profile: String
    /// One line: what the datapath does (block width, kept bits, rounding, accumulator).
    public let summary: String
    /// Where the semantics come from.
    public let source: String
    /// The format of D as the datapath writes it.
    public let outputFormat: String

    public init(profile: String, summary: String, source: String, outputFormat: String) {
        self.profile = profile
        self.summary = summary
        self.source = source
        self.outputFormat = outputFormat
    }
}

/// The hardware an engine models, in a few words for reports.
public struct HardwareSummary: Sendable, Hashable {
    public let name: String
    /// Document kind (`tensor_core_gpu`, ...).
    public let kind: String
    public let clockMHz: Double
    /// The parallel units, e.g. "132 SMs".
    public let units: String

    public init(name: String, kind: String, clockMHz: Double, units: String) {
        self.name = name
        self.kind = kind
        self.clockMHz = clockMHz
        self.units = units
    }
}

/// An engine's plan for one GEMM: how each operand is quantised, what numerics run, and the
/// engine's own choices (an instruction, a table format ...) for its report section.
public protocol EnginePlan: Sendable {
    var a: OperandPlan { get }
    var b: OperandPlan { get }
    var numerics: NumericsDescription { get }
    /// The plan's entries of the engine's report section (e.g. the instruction and why).
    var details: [ReportEntry] { get }
    /// The plan in a few words for one-line summaries (e.g. "wgmma m64n256k32").
    var brief: String { get }
}

/// The timing of a whole GEMM on an engine: its cycle breakdown with the limits the engine
/// names, the clock, the counted actions, the peak rate, and the engine's own entries.
public struct EngineTiming: Sendable {
    public let cycles: CycleBreakdown
    public let clockHz: Double
    public let actions: ActionCounts
    /// Peak rate of useful multiply-accumulates for the plan's formats (MAC/s).
    public let peakMACsPerSecond: Double
    /// Timing entries of the engine's report section (e.g. the tiling and why).
    public let details: [ReportEntry]
    /// The timing choices in a few words (e.g. "tile 128x32x128, 4 stages, 2 CTA/SM").
    public let brief: String
    public let approximations: [String]

    public init(cycles: CycleBreakdown, clockHz: Double, actions: ActionCounts, peakMACsPerSecond: Double,
                details: [ReportEntry], brief: String, approximations: [String]) {
        self.cycles = cycles
        self.clockHz = clockHz
        self.actions = actions
        self.peakMACsPerSecond = peakMACsPerSecond
        self.details = details
        self.brief = brief
        self.approximations = approximations
    }

    public var seconds: Double { cycles.totalCycles / clockHz }

    /// The timing of one of `n` GEMMs that run as one batched kernel: they share the kernel's
    /// fixed overhead (the `overhead` limit), so each carries 1/n of it.
    public func sharingOverhead(among n: Int) -> EngineTiming {
        let overhead = cycles[.overhead]
        guard n > 1, overhead > 0 else { return self }
        let saved = overhead * (1 - 1 / Double(n))
        let limits = cycles.limits.map { $0.limit == .overhead ? ($0.limit, overhead / Double(n)) : $0 }
        return EngineTiming(cycles: CycleBreakdown(totalCycles: cycles.totalCycles - saved, limits: limits), clockHz: clockHz, actions: actions,
                            peakMACsPerSecond: peakMACsPerSecond, details: details, brief: brief,
                            approximations: approximations + ["batched kernels: the \(n) GEMMs of one attention block (its heads) share one kernel overhead"])
    }
}

/// What an engine's bit-exact datapath produced for a block of rows x columns.
public struct EngineOutput: Sendable {
    public let rows: Int
    public let columns: Int
    /// Groups along K whose raw results the engine combined outside the datapath (1: none).
    public let groups: Int
    public let groupSize: Int
    /// Raw datapath outputs, groups x rows x columns codes in `rawFormat`: what the oracle
    /// re-checks bit for bit.
    public let raw: [UInt64]
    public let rawFormat: ScalarFormat
    /// Final values after everything the engine applies outside the datapath (scales, zero
    /// points, group promotion), rows x columns.
    public let values: [Double]
    /// Named per-run counts of datapath events (e.g. `lane_overflows`), reported with numerics.
    public let events: [String: Int]

    public init(rows: Int, columns: Int, groups: Int, groupSize: Int, raw: [UInt64], rawFormat: ScalarFormat,
                values: [Double], events: [String: Int] = [:]) {
        precondition(raw.count == groups * rows * columns && values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.groups = groups
        self.groupSize = groupSize
        self.raw = raw
        self.rawFormat = rawFormat
        self.values = values
        self.events = events
    }

    /// The K range of group `group` for lines of length `k`.
    public func range(ofGroup group: Int, k: Int) -> Range<Int> {
        (group * groupSize)..<Swift.min(k, (group + 1) * groupSize)
    }
}

/// One engine family (DESIGN.md "Engines"): built from a validated architecture document of its
/// kind, it plans operand quantisation (or refuses with a reason), executes a quantised GEMM
/// bit-exactly for all outputs or a sample of rows x columns (the lines it is given), models
/// the cycles of the whole problem and counts actions. Engines never see `Reference` or
/// `CostModel`: `Simulation` pairs each with its oracle and its cost inventory.
public protocol GEMMEngine: Sendable {
    associatedtype Plan: EnginePlan

    /// Key of the engine's report section (`tensor_core`, `lut_tensor_core`, `pe_array`, `fpga_dsp`).
    static var family: String { get }
    /// Title of the engine's report section.
    static var title: String { get }

    var hardware: HardwareSummary { get }

    /// How this engine runs the request, or why it cannot.
    func plan(_ request: GEMMRequest) throws(EngineRefusal) -> Plan

    /// Runs every row of `a` against every column of `b` bit-exactly (`a` and `b` prepared with
    /// the plan's operand plans; both of the same K).
    func execute(_ plan: Plan, a: QuantizedOperand, b: QuantizedOperand, threads: Int) -> EngineOutput

    /// Cycles and actions of the whole problem `shape` under `plan`.
    func timing(_ plan: Plan, shape: GEMMShape) throws(EngineRefusal) -> EngineTiming
}
