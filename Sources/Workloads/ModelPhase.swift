/// The phase of a model run: a prefill of T tokens, or one decode step against a C-long KV cache.
public enum ModelPhase: Sendable, Hashable, CustomStringConvertible {
    case prefill(tokens: Int)
    case decode(context: Int)

    /// Parses `prefill:T` or `decode:ctx=C` (T, C in 1...2^20).
    public init?(parsing text: String) {
        if text.hasPrefix("prefill:"), let t = Int(text.dropFirst(8)), (1...Self.maxLength).contains(t), String(t) == text.dropFirst(8) {
            self = .prefill(tokens: t)
        } else if text.hasPrefix("decode:ctx="), let c = Int(text.dropFirst(11)), (1...Self.maxLength).contains(c),
                  String(c) == text.dropFirst(11) {
            self = .decode(context: c)
        } else {
            return nil
        }
    }

    /// Longest prefill or context accepted (2^20 tokens).
    public static let maxLength = 1 << 20

    public var description: String {
        switch self {
        case .prefill(let t): return "prefill:\(t)"
        case .decode(let c): return "decode:ctx=\(c)"
        }
    }
}
