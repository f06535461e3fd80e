/// One resource that can bound an engine's time. Each engine names its own limits (a GPU:
/// compute, shared memory, L2, DRAM; a LUT unit: table precompute; an FPGA: the DSP cascade);
/// the names are public API (report keys `limits.<name>`).
public struct CycleLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }

    public static let compute = CycleLimit("compute")
    public static let sharedMemory = CycleLimit("shared_memory")
    public static let l2 = CycleLimit("l2")
    public static let dram = CycleLimit("dram")
    public static let sram = CycleLimit("sram")
    public static let tablePrecompute = CycleLimit("table_precompute")
    public static let dspCascade = CycleLimit("dsp_cascade")
    public static let overhead = CycleLimit("overhead")
}

/// The result of a cycle model: total cycles and the time each resource alone would need, so
/// a report can name the binding limit and show the margins. Limits keep the order the engine
/// lists them in (reports print them in that order; ties bind to the first).
public struct CycleBreakdown: Sendable {
    public let totalCycles: Double
    /// Cycles each limit alone would need for the whole problem, in the engine's order.
    public let limits: [(limit: CycleLimit, cycles: Double)]

    public init(totalCycles: Double, limits: [(limit: CycleLimit, cycles: Double)]) {
        precondition(Set(limits.map(\.limit)).count == limits.count, "each limit is listed once")
        self.totalCycles = totalCycles
        self.limits = limits
    }

    /// Cycles of one limit (0 when the engine does not model it).
    public subscript(_ limit: CycleLimit) -> Double { limits.first { $0.limit == limit }?.cycles ?? 0 }

    /// The limit with the largest stand-alone time (the first such in the engine's order).
    public var bindingLimit: CycleLimit {
        var best = limits.first
        for l in limits.dropFirst() where l.cycles > best!.cycles { best = l }
        return best?.limit ?? .compute
    }

    /// The same breakdown with every time multiplied by `factor` (a layer repeated `factor` times).
    public func scaled(by factor: Double) -> CycleBreakdown {
        CycleBreakdown(totalCycles: totalCycles * factor, limits: limits.map { ($0.limit, $0.cycles * factor) })
    }
}
