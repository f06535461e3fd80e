import Formats

/// Which outputs of a GEMM run through the bit-exact datapath: all of them when they fit the
/// memory and MAC budgets (or `--numerics full`), else a seeded grid of whole rows of A and
/// columns of B, or none (`--numerics off`).
struct NumericsSelection {
    /// full | sampled | off
    let mode: String
    let rows: [Int]
    let columns: [Int]
    let reason: String

    /// Bytes the datapath holds per operand element (originals, codes, exact values).
    static let bytesPerElement = 40.0

    static func choose(_ r: RunRequest) throws(RunError) -> NumericsSelection {
        let shape = r.shape
        if r.numerics == .off {
            return NumericsSelection(mode: "off", rows: [], columns: [],
                                     reason: "--numerics off: no bit-exact numerics; cycles, actions and cost cover the whole problem")
        }
        let memory = (Double(shape.m) + Double(shape.n)) * Double(shape.k) * bytesPerElement + Double(shape.m) * Double(shape.n) * 48
        let fits = memory <= r.exactMemoryBudget && Double(shape.multiplyAccumulates) <= r.exactMACBudget
        let budgets = "\(formatBytes(memory)) of \(formatBytes(r.exactMemoryBudget)), \(shape.multiplyAccumulates) MACs of \(Int(r.exactMACBudget))"
        if r.numerics == .full && !fits {
            throw RunError("--numerics full: the GEMM exceeds the budgets (\(budgets)); raise --exact-memory-gib / --exact-max-macs or use --numerics auto")
        }
        if fits && r.numerics != .sampled {
            return NumericsSelection(
                mode: "full", rows: Array(0..<shape.m), columns: Array(0..<shape.n),
                reason: "the whole GEMM fits the budgets (\(formatBytes(memory)) <= \(formatBytes(r.exactMemoryBudget)), \(shape.multiplyAccumulates) MACs <= \(Int(r.exactMACBudget)))")
        }
        // The sample holds whole rows of A and columns of B and stays within both budgets: a
        // square grid of at most sqrt(MAC budget / K) and memory budget / (2 K bytes per
        // element) on a side (at least one output).
        if 2 * Double(shape.k) * bytesPerElement > r.exactMemoryBudget {
            throw RunError("K = \(shape.k) is too long for a bit-exact sample: one row of A and one column of B need "
                           + "\(formatBytes(2 * Double(shape.k) * bytesPerElement)) of the \(formatBytes(r.exactMemoryBudget)) budget; "
                           + "raise --exact-memory-gib or shorten K")
        }
        var rng = SeededGenerator(seed: r.seed ^ 0x5A3C_5A3C)
        func pick(_ count: Int, of total: Int) -> [Int] {
            guard count < total else { return Array(0..<total) }
            var chosen = Set<Int>()
            while chosen.count < count { chosen.insert(Int(rng.next() % UInt64(total))) }
            return chosen.sorted()
        }
        let byMACs = (r.exactMACBudget / Double(shape.k)).squareRoot()
        let byMemory = r.exactMemoryBudget / (2 * Double(shape.k) * bytesPerElement)
        let side = Swift.max(1, Int(Swift.min(byMACs, byMemory, 1_048_576.0)))
        let rows = pick(Swift.min(r.sampleRows, side), of: shape.m)
        let columns = pick(Swift.min(r.sampleColumns, side), of: shape.n)
        let why = r.numerics == .sampled ? "--numerics sampled" : "the GEMM exceeds the budgets (\(budgets))"
        return NumericsSelection(
            mode: "sampled", rows: rows, columns: columns,
            reason: "\(why): a seeded grid of \(rows.count) rows x \(columns.count) columns (seed \(r.seed)) is simulated bit-exactly; the cycle model covers the whole problem")
    }

    static func formatBytes(_ b: Double) -> String {
        b >= Double(1 << 30) ? format2(b / Double(1 << 30)) + " GiB" : format2(b / Double(1 << 20)) + " MiB"
    }

    static func format2(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
