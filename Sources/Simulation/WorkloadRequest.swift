import Workloads

/// A whole-workload run: every layer's timing and cost, and bit-exact numerics on a seeded
/// sample of layers (a seeded grid of outputs each).
public struct WorkloadRequest: Sendable {
    /// Formats, quantisation, data distributions, seed, budgets and threads shared by every
    /// layer (its shape is ignored).
    public var base: RunRequest
    public var workload: Workload
    /// Format of KV-cache operands (nil: the A format: attention runs in the activation format).
    public var kvFormat: String?
    /// Layers given bit-exact numerics (nil: every layer; 0 with `base.numerics == .off`).
    public var numericsLayers: Int?
    /// Rows and columns of the output grid simulated per layer.
    public var layerGrid: Int
    /// Outputs re-checked against the reference per simulated layer.
    public var layerRecheck: Int
    /// The phase and batch of a built-in model (reports only).
    public var phase: String?
    public var batch: Int?
    /// A document whose engine runs the attention GEMMs (B from the KV cache); nil: the
    /// document's own `attention_architecture`, or the main design.
    public var attentionPath: String?

    public init(base: RunRequest, workload: Workload, kvFormat: String? = nil, numericsLayers: Int? = nil, layerGrid: Int = 32,
                layerRecheck: Int = 32, phase: String? = nil, batch: Int? = nil) {
        self.base = base
        self.workload = workload
        self.kvFormat = kvFormat
        self.numericsLayers = numericsLayers
        self.layerGrid = layerGrid
        self.layerRecheck = layerRecheck
        self.phase = phase
        self.batch = batch
    }

    /// The format an operand of `role` takes.
    func format(for role: OperandRole, isA: Bool) -> String {
        switch role {
        case .weight: return isA ? base.aFormat : base.bFormat
        case .activation: return base.aFormat
        case .kvCache: return kvFormat ?? base.aFormat
        }
    }
}
