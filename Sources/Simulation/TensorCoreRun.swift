import ArchitectureSpec
import EngineKit
import Formats
import Reference
import TensorCoreEngine
import Workloads

/// `simulate run` for tensor-core GPUs: load the document, quantise the operands, run the GEMM
/// bit-exactly through the instruction's numerics, model its cycles, measure accuracy against
/// FP64 and against the correctly rounded product, and re-check a sample with MPFR.
public enum TensorCoreRun {
    public static func run(_ r: RunRequest, progress: (String) -> Void = { _ in }) throws(RunError) -> SimulationReport {
        let document: ArchitectureDocument
        do { document = try ArchitectureLoader.load(path: r.architecturePath) } catch {
            throw RunError(error.description)
        }
        guard case .tensorCoreGPU(let gpu) = document.body else {
            throw RunError("\(r.architecturePath) describes a \(document.kind.rawValue), not a tensor_core_gpu")
        }
        guard let machine = GPUMachine(name: document.name, gpu: gpu) else {
            let missing = [gpu.sm == nil ? "\"sm\"" : nil, gpu.memory == nil ? "\"memory\"" : nil].compactMap { $0 }
            throw RunError("\(r.architecturePath) carries numerics only (no \(missing.joined(separator: " or ")) section); "
                           + "simulate run needs both \"sm\" and \"memory\": see `simulate describe tensor_core_gpu`")
        }
        let planA = try PreparedOperand.plan(formatName: r.aFormat, quantization: r.quantization)
        let planB = try PreparedOperand.plan(formatName: r.bFormat, quantization: r.quantization)
        let (instruction, unit) = try resolveInstruction(gpu: gpu, document: document, request: r, planA: planA, planB: planB)
        let shape = r.shape
        try checkData(r)

        // Exact mode: the whole GEMM if it fits the budgets, else a seeded grid of outputs.
        let bytesPerElement = 40.0
        let memory = (Double(shape.m) + Double(shape.n)) * Double(shape.k) * bytesPerElement + Double(shape.m) * Double(shape.n) * 48
        let full = memory <= r.exactMemoryBudget && Double(shape.multiplyAccumulates) <= r.exactMACBudget
        var rng = SeededGenerator(seed: r.seed ^ 0x5A3C_5A3C)
        func pick(_ count: Int, of total: Int) -> [Int] {
            guard count < total else { return Array(0..<total) }
            var chosen = Set<Int>()
            while chosen.count < count { chosen.insert(Int(rng.next() % UInt64(total))) }
            return chosen.sorted()
        }
        // The sample holds whole rows of A and columns of B and stays within both budgets: a
        // square grid of at most sqrt(MAC budget / K) and memory budget / (2 K bytes per
        // element) on a side (at least one output).
        if !full && 2 * Double(shape.k) * bytesPerElement > r.exactMemoryBudget {
            throw RunError("K = \(shape.k) is too long for a bit-exact sample: one row of A and one column of B need "
                           + "\(formatBytes(2 * Double(shape.k) * bytesPerElement)) of the \(formatBytes(r.exactMemoryBudget)) budget; "
                           + "raise --exact-memory-gib or shorten K")
        }
        let byMACs = (r.exactMACBudget / Double(shape.k)).squareRoot()
        let byMemory = r.exactMemoryBudget / (2 * Double(shape.k) * bytesPerElement)
        let side = Swift.max(1, Int(Swift.min(byMACs, byMemory, 1_048_576.0)))
        let rows = full ? Array(0..<shape.m) : pick(Swift.min(r.sampleRows, side), of: shape.m)
        let columns = full ? Array(0..<shape.n) : pick(Swift.min(r.sampleColumns, side), of: shape.n)
        let modeReason = full
            ? "the whole GEMM fits the budgets (\(formatBytes(memory)) <= \(formatBytes(r.exactMemoryBudget)), \(shape.multiplyAccumulates) MACs <= \(Int(r.exactMACBudget)))"
            : "the GEMM exceeds the budgets (\(formatBytes(memory)) of \(formatBytes(r.exactMemoryBudget)), \(shape.multiplyAccumulates) MACs of \(Int(r.exactMACBudget))): a seeded grid of \(rows.count) rows x \(columns.count) columns (seed \(r.seed)) is simulated bit-exactly; the cycle model covers the whole problem"

        // Operands, line by line (rows of A, columns of B).
        progress("preparing operands (\(r.dataA) x \(r.dataB))")
        let lineA: (Int) -> [Double] = { i in line(r.dataA, index: i, k: shape.k, role: .a, seed: r.seed, isColumn: false) }
        let lineB: (Int) -> [Double] = { j in line(r.dataB, index: j, k: shape.k, role: .b, seed: r.seed, isColumn: true) }
        // A per-tensor scale needs the amax of the whole operand, which is generated (or read)
        // in full: bounded so a run cannot spend hours on it.
        for (name, plan, lines) in [("A", planA, shape.m), ("B", planB, shape.n)]
            where PreparedOperand.needsTensorAmax(plan) && Double(lines) * Double(shape.k) > Self.maxAmaxElements {
            throw RunError("per-tensor scaling of \(name) needs the amax of all \(lines) x \(shape.k) elements (more than 2^32): "
                           + "use --quantize per-channel or group:G, or a smaller problem")
        }
        let amaxA = PreparedOperand.needsTensorAmax(planA) ? amax(lines: shape.m, lineA) : 0
        let amaxB = PreparedOperand.needsTensorAmax(planB) ? amax(lines: shape.n, lineB) : 0
        let a = PreparedOperand.prepare(plan: planA, lines: rows.count, k: shape.k, tensorAmax: amaxA, seed: r.seed) { lineA(rows[$0]) }
        let b = PreparedOperand.prepare(plan: planB, lines: columns.count, k: shape.k, tensorAmax: amaxB, seed: r.seed ^ 1) { lineB(columns[$0]) }

        // The bit-exact GEMM.
        progress("running \(rows.count * columns.count) outputs bit-exactly (\(instruction.name), \(unit.profile.name))")
        let execution = GEMMExecution(unit: unit, a: a, b: b, planA: planA, planB: planB, threads: r.threads)
        let result = execution.run()

        // Cycle model over the whole problem.
        progress("cycle model")
        let traffic = GEMMTraffic(m: shape.m, n: shape.n, k: shape.k, aBytes: Double(planA.element.bitWidth) / 8,
                                  bBytes: Double(planB.element.bitWidth) / 8, cBytes: Double(unit.accumulatorFormat.bitWidth) / 8,
                                  dBytes: Double(unit.accumulatorFormat.bitWidth) / 8, readsC: false)
        let model = GPUCycleModel(machine: machine, instruction: instruction)
        let best: GPUCycleModel.Result, ranked: [GPUCycleModel.Result]
        do { (best, ranked) = try model.bestTiling(traffic) } catch { throw RunError("\(r.architecturePath): \(error)") }

        // Accuracy and verification.
        progress("accuracy against FP64 and the correctly rounded product")
        let accuracy = AccuracyMeasurement.measure(result: result, a: a, b: b, limit: r.accuracyOutputs, seed: r.seed)
        progress("MPFR re-check of \(Swift.min(r.recheckCount, rows.count * columns.count)) outputs")
        let verification = Verification.recheck(execution: execution, result: result, count: r.recheckCount, seed: r.seed)

        progress("energy and area")
        let cost = SimulationReport.cost(document: document, file: r.architecturePath, gpu: gpu, instruction: instruction,
                                         actions: best.actions.counts, seconds: best.cycles.totalCycles / machine.clockHz,
                                         usefulMACs: Double(shape.multiplyAccumulates), anchor: r.energyAnchor)
        return SimulationReport.make(request: r, document: document, gpu: gpu, machine: machine, instruction: instruction, unit: unit,
                                     planA: planA, planB: planB, a: a, b: b, best: best, ranked: ranked, full: full,
                                     modeReason: modeReason, rows: rows.count, columns: columns.count, accuracy: accuracy,
                                     verification: verification, cost: cost)
    }

    static func formatBytes(_ b: Double) -> String {
        b >= Double(1 << 30) ? format2(b / Double(1 << 30)) + " GiB" : format2(b / Double(1 << 20)) + " MiB"
    }

    static func format2(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Line `index` of an operand: row of A, or column of B (row `index` of B transposed).
    static func line(_ source: RunRequest.DataSource, index: Int, k: Int, role: MatrixDistribution.Role, seed: UInt64,
                     isColumn: Bool) -> [Double] {
        switch source {
        case .synthetic(let d): return d.row(index, columns: k, role: role, seed: seed)
        case .file(let f):
            if isColumn { return (0..<k).map { f.values[$0 * f.columns + index] } }
            return Array(f.values[(index * f.columns)..<(index * f.columns + k)])
        }
    }

    static func amax(lines: Int, _ line: (Int) -> [Double]) -> Double {
        var m = 0.0
        for i in 0..<lines { for v in line(i) where v.isFinite { m = Swift.max(m, Swift.abs(v)) } }
        return m
    }

    static func checkData(_ r: RunRequest) throws(RunError) {
        if case .file(let f) = r.dataA, f.rows != r.shape.m || f.columns != r.shape.k {
            throw RunError("\(f.source) is \(f.rows)x\(f.columns) but A must be MxK = \(r.shape.m)x\(r.shape.k); fix --gemm or the file")
        }
        if case .file(let f) = r.dataB, f.rows != r.shape.k || f.columns != r.shape.n {
            throw RunError("\(f.source) is \(f.rows)x\(f.columns) but B must be KxN = \(r.shape.k)x\(r.shape.n); fix --gemm or the file")
        }
    }

    /// The catalogue name of an element format (for instruction lookup).
    static func elementName(_ element: ScalarFormat) -> String? {
        FormatCatalog.named.first { if case .scalar(let s) = $0.format { return s == element }; return false }?.name
            ?? { if case .integer(let i) = element { return (i.encoding == .unsigned ? "uint" : "int") + String(i.bitWidth) }; return nil }()
    }

    /// Largest operand whose amax a per-tensor scale may need: 2^32 elements (the scan generates
    /// or reads every element; 10^10 elements took more than 100 s on this 2-core machine).
    static let maxAmaxElements = 4_294_967_296.0

    static func resolveInstruction(gpu: TensorCoreGPUSpec, document: ArchitectureDocument, request r: RunRequest,
                                   planA: PreparedOperand.Plan, planB: PreparedOperand.Plan) throws(RunError) -> (MMAInstructionSpec, MMAUnit) {
        guard let a = elementName(planA.element), let b = elementName(planB.element) else {
            throw RunError("no tensor-core element format for \(r.aFormat)/\(r.bFormat)")
        }
        let block: BlockScaledFormat? = { if case .blockScaled(let x) = planA.format { return x }; return nil }()
        let blockB: BlockScaledFormat? = { if case .blockScaled(let x) = planB.format { return x }; return nil }()
        // A block-scaled MMA scales both operands with one scale format and block size; a plain
        // operand against a block-scaled one has no such instruction.
        let mismatched: Bool
        switch (block, blockB) {
        case (nil, nil): mismatched = false
        case let (x?, y?): mismatched = x.scale != y.scale || x.blockSize != y.blockSize
        default: mismatched = true
        }
        if mismatched {
            throw RunError("\(r.aFormat) x \(r.bFormat): a block-scaled MMA needs both operands block-scaled with the same scale "
                           + "format and block (e.g. mxfp8e4m3 x mxfp4, or nvfp4 x nvfp4); use matching formats")
        }
        let candidates = gpu.instructions(input: a, accumulator: r.dFormat, named: r.instruction).filter { v in
            guard v.inputFormats.contains(where: { FormatCatalog.parse($0) == FormatCatalog.parse(b) }) else { return false }
            if let block {
                guard let s = v.scaleFormat, case .scalar(.float(let f))? = FormatCatalog.parse(s) else { return false }
                return f == block.scale && v.scaleBlock == block.blockSize
            }
            return v.scaleFormat == nil
        }
        guard let chosen = candidates.first else {
            let available = Set(gpu.mmaInstructions.map { "\($0.name) [\($0.inputFormats.joined(separator: "|")) -> \($0.accumulatorFormats.joined(separator: "|"))\($0.scaleFormat.map { ", \($0) scales" } ?? "")]" })
            throw RunError("\(document.name) has no MMA instruction\(r.instruction.map { " named \($0)" } ?? "") for \(r.aFormat) x \(r.bFormat) -> \(r.dFormat); available: \(available.sorted().joined(separator: ", "))")
        }
        do {
            return (chosen, try MMAUnit(instruction: chosen, profile: gpu.profile(for: chosen), aFormat: a, bFormat: b,
                                        accumulatorFormat: r.dFormat))
        } catch {
            throw RunError(error.description)
        }
    }
}
