import EngineKit
import Formats

/// An engine's reference semantics (from `Reference`), paired with the engine by Simulation:
/// it recomputes one raw datapath output independently.
protocol EngineOracle {
    /// What the reference is, for the report.
    var reference: String { get }
    /// The reference semantics' raw output `(group, row, column)` and the datapath's, rendered
    /// comparably: equal strings mean bit-identical results.
    func recompute(group: Int, row: Int, column: Int, output: EngineOutput, a: QuantizedOperand,
                   b: QuantizedOperand) -> (reference: String, datapath: String)
}

/// Re-checks a seeded sample of raw datapath outputs against the engine's oracle: every
/// sampled output must be bit-identical.
struct Verification {
    var checked = 0
    var mismatches = 0
    var reference = ""
    var firstMismatches: [String] = []

    static func recheck(oracle: any EngineOracle, output: EngineOutput, a: QuantizedOperand, b: QuantizedOperand, count: Int,
                        seed: UInt64) -> Verification {
        var v = Verification()
        v.reference = oracle.reference
        let perGroup = output.rows * output.columns
        let total = perGroup * output.groups
        var rng = SeededGenerator(seed: seed ^ 0xC4EC)
        let samples = Swift.min(count, total)
        var chosen = Set<Int>()
        while chosen.count < samples { chosen.insert(Int(rng.next() % UInt64(total))) }
        for index in chosen.sorted() {
            let group = index / perGroup, rest = index % perGroup
            let (expected, subject) = oracle.recompute(group: group, row: rest / output.columns, column: rest % output.columns,
                                                       output: output, a: a, b: b)
            v.checked += 1
            if expected != subject {
                v.mismatches += 1
                if v.firstMismatches.count < 5 { v.firstMismatches.append("output \(index): datapath \(subject) reference \(expected)") }
            }
        }
        return v
    }
}
