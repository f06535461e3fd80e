import ArchitectureSpec
import CostModel
import EngineKit
import Formats
import Workloads

/// What one run produced: the report, the priced inventory (for Accelergy exports), and the
/// simulated operands and outputs (for `--save`), absent when numerics were off.
public struct RunResult: Sendable {
    public let report: SimulationReport
    public let inventory: CostInventory?
    public let artifacts: RunArtifacts?
}

/// The operands and outputs of the bit-exact part of a run.
public struct RunArtifacts: Sendable {
    public let rows: [Int]
    public let columns: [Int]
    public let a: QuantizedOperand
    public let b: QuantizedOperand
    public let aPlan: OperandPlan
    public let bPlan: OperandPlan
    public let output: EngineOutput
}

/// The one pipeline every engine runs through (DESIGN.md "Data flowing through a run"):
/// plan -> choose the outputs to simulate -> prepare operands -> execute bit-exactly -> cycle
/// model -> accuracy -> reference re-check -> cost -> report.
enum RunPipeline {
    static func run<B: EngineBinding>(_ binding: B, _ r: RunRequest, progress: (String) -> Void) throws(RunError) -> RunResult {
        let engine = binding.engine
        if let out = r.outFormat, !(binding is TensorCoreBinding) {
            throw RunError("--out-format \(out): only tensor-core GPUs write D in another format than their accumulator; leave it out")
        }
        let plan: B.Engine.Plan
        do { plan = try engine.plan(r.gemmRequest) } catch { throw RunError(error.description) }
        try checkData(r)
        // The cycle model first: a problem no tiling fits fails before a long bit-exact GEMM.
        progress("cycle model")
        var timing: EngineTiming
        do { timing = try engine.timing(plan, shape: r.shape) } catch { throw RunError("\(r.architecturePath): \(error)") }
        let selection = try NumericsSelection.choose(r)

        var numerics: (a: QuantizedOperand, b: QuantizedOperand, output: EngineOutput)?
        var accuracy: AccuracyMeasurement?
        var verification: Verification?
        if selection.mode != "off" {
            progress("preparing operands (\(r.dataA) x \(r.dataB))")
            let (a, b) = try prepare(plan, r, rows: selection.rows, columns: selection.columns)
            progress("running \(selection.rows.count * selection.columns.count) outputs bit-exactly (\(plan.numerics.profile))")
            let output = engine.execute(plan, a: a, b: b, threads: r.threads)
            progress("accuracy against FP64 and the correctly rounded product")
            accuracy = AccuracyMeasurement.measure(result: output, a: a, b: b, limit: r.accuracyOutputs, seed: r.seed, threads: r.threads)
            progress("reference re-check of \(Swift.min(r.recheckCount, output.raw.count)) outputs")
            verification = Verification.recheck(oracle: binding.oracle(for: plan), output: output, a: a, b: b, count: r.recheckCount,
                                                seed: r.seed)
            numerics = (a, b, output)
        }

        progress("energy and area")
        let usefulMACs = Double(r.shape.multiplyAccumulates)
        var (cost, inventory) = price(binding, plan, timing: timing, usefulMACs: usefulMACs, anchor: r.energyAnchor)
        // The power-limited clock (GPU documents with a board section): the time at that clock,
        // priced again.
        if binding.hasPowerModel, let breakdown = cost.breakdown {
            progress("power and clock")
            let activity = numerics.map { operandActivity(plan, $0.a, $0.b) } ?? sampledActivity(plan, r)
            let dram = breakdown.energy_pj_by_kind[EnergyKind.dram.rawValue] ?? 0
            if let sustained = try binding.operatingPoint(plan: plan, shape: r.shape, timing: timing,
                                                          chipEnergyPJ: breakdown.energy_pj - breakdown.leakage_pj - dram,
                                                          dramEnergyPJ: dram, activity: activity) {
                timing = sustained.timing
                (cost, inventory) = price(binding, plan, timing: timing, usefulMACs: usefulMACs, anchor: r.energyAnchor)
            }
        }
        let report = ReportAssembly.single(
            binding: binding, request: r, plan: plan, timing: timing, selection: selection,
            clipped: numerics.map { $0.a.clipped + $0.b.clipped } ?? 0, events: numerics?.output.events ?? [:],
            accuracy: accuracy, verification: verification, cost: cost)
        let artifacts = numerics.map {
            RunArtifacts(rows: selection.rows, columns: selection.columns, a: $0.a, b: $0.b, aPlan: plan.a, bPlan: plan.b, output: $0.output)
        }
        return RunResult(report: report, inventory: inventory, artifacts: artifacts)
    }

    /// Prices a run's actions; a design the cost model cannot price gets a status naming why.
    static func price<B: EngineBinding>(_ binding: B, _ plan: B.Engine.Plan, timing: EngineTiming, usefulMACs: Double,
                                        anchor: String?) -> (SimulationReport.Cost, CostInventory?) {
        do {
            let design = try binding.inventory(for: plan, anchor: anchor)
            let breakdown = RunCost.price(design.inventory, actions: timing.actions.counts, seconds: timing.seconds, usefulMACs: usefulMACs)
            let status = breakdown.unpriced_actions.isEmpty ? "modelled"
                : "partially modelled: unpriced \(breakdown.unpriced_actions.joined(separator: ", "))"
            return (SimulationReport.Cost(status: status, datapath_mode: design.datapathMode,
                                          datapath_energy_per_mac_pj: design.datapathEnergyPerMACPJ,
                                          datapath_area_mm2: design.datapathAreaMM2, datapath_area_scope: design.datapathAreaScope,
                                          uncertainty: design.uncertainty, breakdown: breakdown), design.inventory)
        } catch {
            return (SimulationReport.Cost(status: "not modelled: \(error)", datapath_mode: nil, datapath_energy_per_mac_pj: nil,
                                          datapath_area_mm2: nil, datapath_area_scope: nil, uncertainty: nil, breakdown: nil), nil)
        }
    }

    /// Quantises the chosen rows of A and columns of B with the engine's operand plans.
    static func prepare<P: EnginePlan>(_ plan: P, _ r: RunRequest, rows: [Int], columns: [Int]) throws(RunError)
        -> (QuantizedOperand, QuantizedOperand) {
        let shape = r.shape
        let sourceA = OperandSource(data: r.dataA, k: shape.k, role: .a, seed: r.seed, isColumn: false)
        let sourceB = OperandSource(data: r.dataB, k: shape.k, role: .b, seed: r.seed, isColumn: true)
        // A per-tensor scale needs the amax of the whole operand, which is generated (or read)
        // in full: bounded so a run cannot spend hours on it.
        for (name, p, lines) in [("A", plan.a, shape.m), ("B", plan.b, shape.n)]
            where p.needsTensorAmax && Double(lines) * Double(shape.k) > maxAmaxElements {
            throw RunError("per-tensor scaling of \(name) needs the amax of all \(lines) x \(shape.k) elements (more than 2^32): "
                           + "use --quantize per-channel or group:G, or a smaller problem")
        }
        // When every line is simulated and the amax needs them all anyway, they are generated
        // once and kept for quantisation.
        func lines(_ source: OperandSource, _ count: Int, _ chosen: [Int], _ p: OperandPlan) -> (amax: Double, line: (Int) -> [Double]) {
            guard p.needsTensorAmax else { return (0, { source.line(chosen[$0]) }) }
            guard chosen.count == count, chosen.elementsEqual(0..<count) else { return (source.amax(lines: count), { source.line(chosen[$0]) }) }
            let all = (0..<count).map { source.line($0) }
            var m = 0.0
            for line in all { for v in line where v.isFinite { m = Swift.max(m, Swift.abs(v)) } }
            return (m, { all[$0] })
        }
        let (amaxA, lineA) = lines(sourceA, shape.m, rows, plan.a), (amaxB, lineB) = lines(sourceB, shape.n, columns, plan.b)
        let a = QuantizedOperand.prepare(plan: plan.a, lines: rows.count, k: shape.k, tensorAmax: amaxA, seed: r.seed, line: lineA)
        let b = QuantizedOperand.prepare(plan: plan.b, lines: columns.count, k: shape.k, tensorAmax: amaxB, seed: r.seed ^ 1, line: lineB)
        return (a, b)
    }

    /// Bit activity of the operands the datapath received (`GPUPowerModel.activity`), A and B
    /// averaged.
    static func operandActivity<P: EnginePlan>(_ plan: P, _ a: QuantizedOperand, _ b: QuantizedOperand) -> Double {
        (GPUPowerModel.activity(a.codes, lines: a.lines, k: a.k, bits: plan.a.element.bitWidth)
            + GPUPowerModel.activity(b.codes, lines: b.lines, k: b.k, bits: plan.b.element.bitWidth)) / 2
    }

    /// The same from a few lines of each operand when no numerics ran: up to 8 rows of A and 8
    /// columns of B, quantised with the run's plans (per-tensor scales from those lines).
    static func sampledActivity<P: EnginePlan>(_ plan: P, _ r: RunRequest) -> Double {
        let shape = r.shape
        let k = shape.k
        func sample(_ data: RunRequest.DataSource, _ operand: OperandPlan, role: MatrixDistribution.Role, lines total: Int, isColumn: Bool) -> Double {
            let source = OperandSource(data: data, k: k, role: role, seed: r.seed, isColumn: isColumn)
            let n = Swift.min(8, total)
            let lines = (0..<n).map { source.line($0) }
            let amax = lines.reduce(0.0) { m, l in l.reduce(m) { Swift.max($0, Swift.abs($1)) } }
            let q = QuantizedOperand.prepare(plan: operand, lines: n, k: k, tensorAmax: amax, seed: r.seed) { lines[$0] }
            return GPUPowerModel.activity(q.codes, lines: n, k: k, bits: operand.element.bitWidth)
        }
        return (sample(r.dataA, plan.a, role: .a, lines: shape.m, isColumn: false)
            + sample(r.dataB, plan.b, role: .b, lines: shape.n, isColumn: true)) / 2
    }

    /// Largest operand whose amax a per-tensor scale may need: 2^32 elements (the scan generates
    /// or reads every element; 10^10 elements took more than 100 s on this 2-core machine).
    static let maxAmaxElements = 4_294_967_296.0

    static func checkData(_ r: RunRequest) throws(RunError) {
        if case .file(let f) = r.dataA, f.rows != r.shape.m || f.columns != r.shape.k {
            throw RunError("\(f.source) is \(f.rows)x\(f.columns) but A must be MxK = \(r.shape.m)x\(r.shape.k); fix --gemm or the file")
        }
        if case .file(let f) = r.dataB, f.rows != r.shape.k || f.columns != r.shape.n {
            throw RunError("\(f.source) is \(f.rows)x\(f.columns) but B must be KxN = \(r.shape.k)x\(r.shape.n); fix --gemm or the file")
        }
    }
}
