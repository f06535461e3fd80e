/// The built-in models (`--model NAME`), with their published configuration values. Each entry
/// names the configuration file it copies; where the owner's page is gated, the copy read is
/// named too (a re-upload of the same file).
public enum ModelCatalog {
    public static let all: [ModelDescription] = [
        ModelDescription(
            name: "llama-2-7b", displayName: "Llama-2-7B", hiddenSize: 4096, intermediateSize: 11008, attentionHeads: 32,
            keyValueHeads: 32, layers: 32, vocabularySize: 32000, feedForward: .gated, hasLMHead: true,
            linearNames: llama,
            source: "meta-llama/Llama-2-7b-hf config.json (gated; read in the copy huggingface.co/philschmid/Llama-2-7b-hf); "
                + "FFN width also from transformers' convert_llama_weights_to_hf.py"),
        ModelDescription(
            name: "llama-2-13b", displayName: "Llama-2-13B", hiddenSize: 5120, intermediateSize: 13824, attentionHeads: 40,
            keyValueHeads: 40, layers: 40, vocabularySize: 32000, feedForward: .gated, hasLMHead: true,
            linearNames: llama,
            source: "meta-llama/Llama-2-13b-hf config.json (gated; read in the copy huggingface.co/LoftQ/Llama-2-13b-hf-4bit-64rank)"),
        ModelDescription(
            name: "llama-3-8b", displayName: "Llama-3-8B", hiddenSize: 4096, intermediateSize: 14336, attentionHeads: 32,
            keyValueHeads: 8, layers: 32, vocabularySize: 128256, feedForward: .gated, hasLMHead: true,
            linearNames: llama,
            source: "meta-llama/Meta-Llama-3-8B config.json (gated; read in the copy huggingface.co/jerryzh168/llama3-8B); "
                + "n_kv_heads 8 also in meta-llama/llama-models models/sku_list.py"),
        ModelDescription(
            name: "opt-1.3b", displayName: "OPT-1.3B", hiddenSize: 2048, intermediateSize: 8192, attentionHeads: 32,
            keyValueHeads: 32, layers: 24, vocabularySize: 50272, feedForward: .twoLinear, hasLMHead: true,
            linearNames: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
            source: "facebook/opt-1.3b config.json (ffn_dim 8192; word_embed_proj_dim = hidden_size, so no project_in/out; "
                + "the LM head is tied to the embeddings and still computed)"),
        ModelDescription(
            name: "opt-6.7b", displayName: "OPT-6.7B", hiddenSize: 4096, intermediateSize: 16384, attentionHeads: 32,
            keyValueHeads: 32, layers: 32, vocabularySize: 50272, feedForward: .twoLinear, hasLMHead: true,
            linearNames: ["q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"],
            source: "facebook/opt-6.7b config.json (read in the copy huggingface.co/mit-han-lab/opt-6.7b-smoothquant; ffn_dim 16384)"),
        ModelDescription(
            name: "phi-2", displayName: "Phi-2", hiddenSize: 2560, intermediateSize: 10240, attentionHeads: 32,
            keyValueHeads: 32, layers: 32, vocabularySize: 51200, feedForward: .twoLinear, hasLMHead: true,
            linearNames: ["q_proj", "k_proj", "v_proj", "dense", "fc1", "fc2"],
            source: "microsoft/phi-2 config.json (n_embd 2560, n_head 32, n_layer 32, vocab 51200, n_inner null = 4 x 2560; "
                + "current checkpoints split the old fused Wqkv into q/k/v_proj)"),
        ModelDescription(
            name: "bitnet-b1.58-3b", displayName: "BitNet b1.58 3B", hiddenSize: 3200, intermediateSize: 8640, attentionHeads: 32,
            keyValueHeads: 32, layers: 26, vocabularySize: 32002, feedForward: .gated, hasLMHead: true,
            linearNames: llama,
            source: "1bitLLM/bitnet_b1_58-3B config.json (BitLinear layers; tie_word_embeddings true, the head is still computed)"),
        ModelDescription(
            name: "all-minilm-l6-v2", displayName: "all-MiniLM-L6-v2", hiddenSize: 384, intermediateSize: 1536, attentionHeads: 12,
            keyValueHeads: 12, layers: 6, vocabularySize: 30522, feedForward: .twoLinear, hasLMHead: false,
            linearNames: ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                          "intermediate.dense", "output.dense"],
            source: "sentence-transformers/all-MiniLM-L6-v2 config.json (BertModel; real-data.md §1.3)"),
    ]

    static let llama = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

    public static func named(_ name: String) -> ModelDescription? { all.first { $0.name == name.lowercased() } }
}
