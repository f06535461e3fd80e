/// A transformer described by its published configuration (the model's `config.json`), from
/// which its GEMMs are derived (`ModelDescription.workload(phase:batch:)`).
public struct ModelDescription: Sendable, Hashable {
    /// The feed-forward block: gated (gate, up, down: SwiGLU) or two linears (fc1, fc2).
    public enum FeedForward: String, Sendable, Hashable {
        case gated
        case twoLinear = "two_linear"
    }

    /// Name as `--model` takes it (`llama-2-7b`).
    public let name: String
    public let displayName: String
    public let hiddenSize: Int
    public let intermediateSize: Int
    public let attentionHeads: Int
    public let keyValueHeads: Int
    public let layers: Int
    public let vocabularySize: Int
    public let feedForward: FeedForward
    /// Decoders compute logits through an LM head; encoders (MiniLM) have none.
    public let hasLMHead: Bool
    /// Checkpoint names of the linears of one block, in order: q, k, v, attention output, then
    /// the feed-forward linears (gate, up, down or fc1, fc2).
    public let linearNames: [String]
    /// The configuration file the values come from, and where a copy was read.
    public let source: String

    public var headDimension: Int { hiddenSize / attentionHeads }
    /// Queries sharing one key/value head (grouped-query attention).
    public var queriesPerKeyValueHead: Int { attentionHeads / keyValueHeads }

    /// Weights of the linear layers of one block (q, k, v, o and the feed-forward).
    public var weightsPerBlock: Int {
        let kv = keyValueHeads * headDimension
        let attention = 2 * hiddenSize * hiddenSize + 2 * hiddenSize * kv
        let ffn = (feedForward == .gated ? 3 : 2) * hiddenSize * intermediateSize
        return attention + ffn
    }
}
