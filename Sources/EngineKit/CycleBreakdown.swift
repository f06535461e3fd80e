/// What limits a simulated kernel.
public enum BindingLimit: String, Sendable, Codable, CaseIterable {
    case compute
    case sharedMemory = "shared_memory"
    case l2
    case dram
}

/// The result of a cycle model: total cycles and the time each resource alone would need, so
/// a report can name the binding limit and show the margins.
public struct CycleBreakdown: Sendable {
    public let totalCycles: Double
    /// Cycles each limit alone would need for the whole kernel.
    public let limitCycles: [BindingLimit: Double]

    public init(totalCycles: Double, limitCycles: [BindingLimit: Double]) {
        self.totalCycles = totalCycles
        self.limitCycles = limitCycles
    }

    /// The limit with the largest stand-alone time.
    public var bindingLimit: BindingLimit {
        limitCycles.max { $0.value < $1.value }?.key ?? .compute
    }
}
