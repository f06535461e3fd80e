/// Counts of named hardware actions (DESIGN.md "Action counts -> cost"): engines count, the
/// cost model prices. Names are `component.action[.qualifier]`, e.g. `tensor.fma.e4m3`,
/// `smem.read_bytes`, `dram.read_bytes`; they are public API (reports use them as keys).
public struct ActionCounts: Sendable, Hashable {
    public private(set) var counts: [String: Double] = [:]

    public init() {}

    public mutating func add(_ name: String, _ amount: Double) {
        precondition(amount >= 0 && amount.isFinite, "action counts are finite and non-negative")
        counts[name, default: 0] += amount
    }

    public subscript(_ name: String) -> Double { counts[name] ?? 0 }

    /// Entries sorted by name (stable report order).
    public var sorted: [(name: String, count: Double)] { counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}
