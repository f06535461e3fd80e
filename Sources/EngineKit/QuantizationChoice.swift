/// How the user asked an operand to be quantised (`--quantize`); each engine turns it into an
/// `OperandPlan` or refuses it.
public enum QuantizationChoice: Sendable, Hashable, CustomStringConvertible {
    /// Direct rounding to the format (FP16/BF16/TF32/FP32 inputs by default).
    case none
    case perTensor
    /// One scale per row of A and per column of B (per output channel, per token).
    case perChannel
    /// Groups of G elements along K.
    case group(Int)

    public init?(parsing text: String) {
        switch text {
        case "none": self = .none
        case "per-tensor": self = .perTensor
        case "per-channel": self = .perChannel
        default:
            guard text.hasPrefix("group:"), let g = Int(text.dropFirst(6)), g > 0, String(g) == text.dropFirst(6) else { return nil }
            self = .group(g)
        }
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .perTensor: return "per-tensor"
        case .perChannel: return "per-channel"
        case .group(let g): return "group:\(g)"
        }
    }
}
