extension ModelDescription {
    /// The GEMMs of one forward pass in `phase` for `batch` sequences.
    ///
    /// Linear layers: A is the activations (B·T x in), B the weight (in x out), repeated once per
    /// block. Attention, per block, sequence and key/value head (grouped-query aware, as
    /// BitMoD's simulator counts it, bitmod.md §8.1): the scores Q Kᵀ with M = the queries of
    /// that head group (T x heads/kv_heads), N = the keys, K = the head dimension, and the
    /// values P V with M the same queries, N = the head dimension, K = the keys. Prefill
    /// attends over all T keys (the full T x T, no causal skipping); a decode step's one token
    /// attends over the C keys of the cache (its own key included). The LM head runs over
    /// every token of a prefill (as a full forward pass, and BitMoD's simulator, count it) and
    /// the one new token of a decode step. Softmax, norms, embeddings and biases are not GEMMs
    /// and are not listed.
    public func workload(phase: ModelPhase, batch: Int) throws(Workload.Error) -> Workload {
        guard batch >= 1, batch <= 1 << 20 else { throw Workload.Error("--batch \(batch): must lie in 1...2^20") }
        let tokens: Int, keys: Int
        switch phase {
        case .prefill(let t): (tokens, keys) = (t, t)
        case .decode(let c):
            guard hasLMHead else {
                throw Workload.Error("\(displayName) is an encoder: it has no decode phase; use --phase prefill:T")
            }
            (tokens, keys) = (1, c)
        }
        let rows = batch * tokens
        let kv = keyValueHeads * headDimension
        var outIn: [(Int, Int)] = [(hiddenSize, hiddenSize), (kv, hiddenSize), (kv, hiddenSize), (hiddenSize, hiddenSize)]
        switch feedForward {
        case .gated: outIn += [(intermediateSize, hiddenSize), (intermediateSize, hiddenSize), (hiddenSize, intermediateSize)]
        case .twoLinear: outIn += [(intermediateSize, hiddenSize), (hiddenSize, intermediateSize)]
        }
        precondition(outIn.count == linearNames.count, "one name per linear")
        var layers: [WorkloadLayer] = []
        func shape(_ m: Int, _ n: Int, _ k: Int) throws(Workload.Error) -> GEMMShape {
            guard let s = GEMMShape(parsing: "\(m)x\(n)x\(k)") else { throw Workload.Error("\(m)x\(n)x\(k) exceeds the GEMM limits") }
            return s
        }
        for (name, (out, input)) in zip(linearNames, outIn) {
            layers.append(WorkloadLayer(name: name, shape: try shape(rows, out, input), repeatCount: self.layers))
        }
        let queries = tokens * queriesPerKeyValueHead
        let perBlock = batch * keyValueHeads
        layers.append(WorkloadLayer(name: "attn_qk", shape: try shape(queries, keys, headDimension), repeatCount: self.layers * perBlock,
                                    roleA: .activation, roleB: .kvCache, kernelBatch: perBlock))
        layers.append(WorkloadLayer(name: "attn_v", shape: try shape(queries, headDimension, keys), repeatCount: self.layers * perBlock,
                                    roleA: .activation, roleB: .kvCache, kernelBatch: perBlock))
        if hasLMHead { layers.append(WorkloadLayer(name: "lm_head", shape: try shape(rows, vocabularySize, hiddenSize))) }
        return Workload(
            name: "\(name) \(phase) batch \(batch)", source: "built-in model \(displayName) (\(source))", layers: layers,
            notes: [
                "linear layers repeat once per block (\(self.layers) blocks); attention GEMMs once per block, sequence and key/value head "
                    + "(\(self.layers) x \(batch) x \(keyValueHeads)), each over the \(queriesPerKeyValueHead) query head(s) sharing that key/value head",
                phase.isPrefill ? "prefill attention covers the full \(tokens) x \(keys) score matrix (no causal skipping)"
                    : "the decode token attends over the \(keys) cached keys, its own included",
                hasLMHead ? "the LM head runs over every token of the pass (\(rows) rows)" : "encoder: no LM head",
                "softmax, normalisation, embeddings, biases and activation functions are not GEMMs and are not counted",
            ])
    }
}

extension ModelPhase {
    var isPrefill: Bool { if case .prefill = self { return true }; return false }
}
