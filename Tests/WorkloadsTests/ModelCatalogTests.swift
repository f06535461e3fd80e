import Testing
import Workloads

/// The built-in models against their published configuration values (copied here from the
/// configuration files, independently of `ModelCatalog`), and their parameter counts against
/// the published totals.
@Suite("Built-in model workloads")
struct ModelCatalogTests {
    /// hidden, intermediate, heads, kv heads, layers, vocabulary, gated MLP, LM head: from each
    /// model's config.json (see ModelCatalog for the files).
    struct Config: Sendable, CustomStringConvertible {
        let name: String
        let hidden, intermediate, heads, kvHeads, layers, vocabulary: Int
        let gated, lmHead: Bool
        var description: String { name }
    }

    static let configs: [Config] = [
        Config(name: "llama-2-7b", hidden: 4096, intermediate: 11008, heads: 32, kvHeads: 32, layers: 32, vocabulary: 32000, gated: true, lmHead: true),
        Config(name: "llama-2-13b", hidden: 5120, intermediate: 13824, heads: 40, kvHeads: 40, layers: 40, vocabulary: 32000, gated: true, lmHead: true),
        Config(name: "llama-3-8b", hidden: 4096, intermediate: 14336, heads: 32, kvHeads: 8, layers: 32, vocabulary: 128256, gated: true, lmHead: true),
        Config(name: "opt-1.3b", hidden: 2048, intermediate: 8192, heads: 32, kvHeads: 32, layers: 24, vocabulary: 50272, gated: false, lmHead: true),
        Config(name: "opt-6.7b", hidden: 4096, intermediate: 16384, heads: 32, kvHeads: 32, layers: 32, vocabulary: 50272, gated: false, lmHead: true),
        Config(name: "phi-2", hidden: 2560, intermediate: 10240, heads: 32, kvHeads: 32, layers: 32, vocabulary: 51200, gated: false, lmHead: true),
        Config(name: "bitnet-b1.58-3b", hidden: 3200, intermediate: 8640, heads: 32, kvHeads: 32, layers: 26, vocabulary: 32002, gated: true, lmHead: true),
        Config(name: "all-minilm-l6-v2", hidden: 384, intermediate: 1536, heads: 12, kvHeads: 12, layers: 6, vocabulary: 30522, gated: false, lmHead: false),
    ]

    @Test("Every built-in model is covered here", arguments: ModelCatalog.all.map(\.name))
    func covered(_ name: String) { #expect(Self.configs.contains { $0.name == name }) }

    @Test("Layer shapes follow the configuration: prefill of 256 tokens, batch 2", arguments: configs)
    func prefillShapes(_ c: Config) throws {
        let model = try #require(ModelCatalog.named(c.name))
        let w = try model.workload(phase: .prefill(tokens: 256), batch: 2)
        let t = 512, hd = c.hidden / c.heads, kv = c.kvHeads * hd
        var expected: [(Int, Int, Int, Int)] = [(t, c.hidden, c.hidden, c.layers), (t, kv, c.hidden, c.layers), (t, kv, c.hidden, c.layers),
                                                (t, c.hidden, c.hidden, c.layers)]
        expected += c.gated ? [(t, c.intermediate, c.hidden, c.layers), (t, c.intermediate, c.hidden, c.layers), (t, c.hidden, c.intermediate, c.layers)]
            : [(t, c.intermediate, c.hidden, c.layers), (t, c.hidden, c.intermediate, c.layers)]
        let group = c.heads / c.kvHeads
        expected += [(256 * group, 256, hd, c.layers * 2 * c.kvHeads), (256 * group, hd, 256, c.layers * 2 * c.kvHeads)]
        if c.lmHead { expected.append((t, c.vocabulary, c.hidden, 1)) }
        let got = w.layers.map { ($0.shape.m, $0.shape.n, $0.shape.k, $0.repeatCount) }
        #expect(got.count == expected.count, "\(c): \(got.count) GEMMs")
        for (g, e) in zip(got, expected) { #expect(g == e, "\(c): \(g) != \(e)") }
        // Roles: linear layers take weights, attention the KV cache.
        #expect(w.layers.filter { $0.roleB == .kvCache }.map(\.name) == ["attn_qk", "attn_v"])
        #expect(w.layers.allSatisfy { $0.roleA == .activation })
    }

    @Test("Decode: one token per sequence against the C-long cache", arguments: configs.filter(\.lmHead))
    func decodeShapes(_ c: Config) throws {
        let w = try ModelCatalog.named(c.name)!.workload(phase: .decode(context: 1000), batch: 3)
        let hd = c.hidden / c.heads, group = c.heads / c.kvHeads
        #expect(w.layers[0].shape == GEMMShape(m: 3, n: c.hidden, k: c.hidden))
        let qk = w.layers.first { $0.name == "attn_qk" }!, pv = w.layers.first { $0.name == "attn_v" }!
        #expect(qk.shape == GEMMShape(m: group, n: 1000, k: hd) && qk.repeatCount == c.layers * 3 * c.kvHeads)
        #expect(pv.shape == GEMMShape(m: group, n: hd, k: 1000))
        #expect(w.layers.last!.shape == GEMMShape(m: 3, n: c.vocabulary, k: c.hidden))
    }

    /// Linear weights x blocks + embeddings (+ an untied head) + norms and biases against the
    /// published parameter totals: within 0.1% for the Llama models (exact counts published),
    /// 2% for the rest (rounded totals; position embeddings and biases not derived here).
    @Test("Parameter counts match the published totals")
    func parameterCounts() throws {
        let published: [(String, Double, Double, Bool)] = [
            ("llama-2-7b", 6_738_415_616, 0.001, false), ("llama-2-13b", 13_015_864_320, 0.001, false),
            ("llama-3-8b", 8_030_261_248, 0.001, false), ("opt-1.3b", 1.3e9, 0.02, true), ("opt-6.7b", 6.7e9, 0.02, true),
            ("phi-2", 2.78e9, 0.02, false), ("bitnet-b1.58-3b", 3.32e9, 0.02, true), ("all-minilm-l6-v2", 22.7e6, 0.02, true),
        ]
        for (name, total, tolerance, tied) in published {
            let m = try #require(ModelCatalog.named(name))
            let embeddings = Double(m.vocabularySize * m.hiddenSize)
            let count = Double(m.weightsPerBlock * m.layers) + embeddings * (m.hasLMHead && !tied ? 2 : 1)
            #expect(abs(count / total - 1) < tolerance, "\(name): \(count) vs \(total)")
        }
    }

    @Test("Phases parse strictly; encoders have no decode phase; batch is bounded")
    func phases() throws {
        #expect(ModelPhase(parsing: "prefill:256") == .prefill(tokens: 256))
        #expect(ModelPhase(parsing: "decode:ctx=4096") == .decode(context: 4096))
        for bad in ["prefill:", "prefill:0", "prefill:+5", "decode:256", "decode:ctx=", "decode:ctx=-1", "prefill:2000000", "train:1"] {
            #expect(ModelPhase(parsing: bad) == nil, "\(bad)")
        }
        #expect(throws: Workload.Error.self) { try ModelCatalog.named("all-minilm-l6-v2")!.workload(phase: .decode(context: 8), batch: 1) }
        #expect(throws: Workload.Error.self) { try ModelCatalog.named("llama-2-7b")!.workload(phase: .prefill(tokens: 8), batch: 0) }
    }
}
