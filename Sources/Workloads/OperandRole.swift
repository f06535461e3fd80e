/// What a GEMM operand holds in a model: it decides which format and data an operand gets in a
/// whole-model run, and which operand an engine treats as its stationary weights.
public enum OperandRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// Trained parameters (the B operand of a linear layer).
    case weight
    /// Activations computed at run time (the A operand of every GEMM; P in attention).
    case activation
    /// Keys and values held in the KV cache (the B operand of the attention GEMMs).
    case kvCache = "kv_cache"
}
