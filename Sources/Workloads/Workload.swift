/// One named GEMM of a workload: D (M x N) = A (M x K) B (K x N), run `repeatCount` times.
public struct WorkloadLayer: Sendable, Hashable {
    public let name: String
    public let shape: GEMMShape
    public let repeatCount: Int
    public let roleA: OperandRole
    public let roleB: OperandRole
    /// Repeats that run as one batched kernel (the heads of an attention block): they share one
    /// kernel's fixed overhead.
    public let kernelBatch: Int

    public init(name: String, shape: GEMMShape, repeatCount: Int = 1, roleA: OperandRole = .activation,
                roleB: OperandRole = .weight, kernelBatch: Int = 1) {
        precondition(repeatCount >= 1, "a layer runs at least once")
        precondition(kernelBatch >= 1, "a kernel runs at least one repeat")
        self.kernelBatch = kernelBatch
        self.name = name
        self.shape = shape
        self.repeatCount = repeatCount
        self.roleA = roleA
        self.roleB = roleB
    }

    /// Multiply-accumulates of all repeats.
    public var multiplyAccumulates: Double { Double(shape.multiplyAccumulates) * Double(repeatCount) }
}

/// A list of named GEMMs with repeat counts (DESIGN.md "Workloads"): one shape, a SCALE-Sim
/// topology CSV, a JSON list, or a built-in model in a phase.
public struct Workload: Sendable {
    public let name: String
    /// Where the list came from, in words (file, model and phase).
    public let source: String
    public let layers: [WorkloadLayer]
    /// How the list was derived (conventions a reader needs: what attention counts, ...).
    public let notes: [String]

    public init(name: String, source: String, layers: [WorkloadLayer], notes: [String] = []) {
        precondition(!layers.isEmpty, "a workload has at least one GEMM")
        self.name = name
        self.source = source
        self.layers = layers
        self.notes = notes
    }

    public var multiplyAccumulates: Double { layers.reduce(0) { $0 + $1.multiplyAccumulates } }

    /// Problems reading or building a workload; the message names the file, line and fix.
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
