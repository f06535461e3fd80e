import ArchitectureSpec
import CostModel
import EngineKit
import Formats
import TensorCoreEngine

/// The versioned result of `simulate run`. Key names are public API (README, "Report schema").
public struct SimulationReport: Codable, Sendable {
    public static let currentSchemaVersion = 1

    public struct Architecture: Codable, Sendable {
        public let file: String
        public let name: String
        public let microarchitecture: String
        public let sm_count: Int
        public let clock_mhz: Double
    }

    public struct Problem: Codable, Sendable {
        public let m: Int
        public let n: Int
        public let k: Int
        public let a_format: String
        public let b_format: String
        public let d_format: String
        public let quantization_a: String
        public let quantization_b: String
        public let data_a: String
        public let data_b: String
        public let seed: UInt64
        public let clipped_elements: Int
    }

    public struct Instruction: Codable, Sendable {
        public let name: String
        public let ptx: String
        public let shape: String
        public let numerics_profile: String
        public let numerics: String
        public let numerics_source: String
        public let fma_per_sm_per_cycle: Double
        public let latency_cycles: Int
        public let why: String
    }

    public struct Tiling: Codable, Sendable {
        public let block_m: Int
        public let block_n: Int
        public let block_k: Int
        public let stages: Int
        public let ctas_per_sm: Int
        public let warp_m: Int
        public let warp_n: Int
        public let cluster_m: Int
        public let cluster_n: Int
        public let sm_pair: Bool
        public let candidates_evaluated: Int
        public let why: String
    }

    public struct Timing: Codable, Sendable {
        public let cycles: Double
        public let time_s: Double
        public let achieved_tflops: Double
        public let peak_tflops: Double
        public let utilisation: Double
        public let binding_limit: String
        public let compute_cycles: Double
        public let shared_memory_cycles: Double
        public let l2_cycles: Double
        public let dram_cycles: Double
        public let tiles: Int
        public let waves: Int
    }

    public struct Numerics: Codable, Sendable {
        public let mode: String
        public let outputs_simulated: Int
        public let rows_simulated: Int
        public let columns_simulated: Int
        public let reason: String
    }

    public struct Accuracy: Codable, Sendable {
        public let outputs_measured: Int
        public let sampled: Bool
        public let sqnr_db: Double
        public let relative_frobenius_error: Double
        public let max_abs_error: Double
        public let max_ulp_vs_correctly_rounded: UInt64
        public let mean_ulp_vs_correctly_rounded: Double
        public let quantization_only_sqnr_db: Double
        public let non_finite_outputs: Int
    }

    public struct Verification: Codable, Sendable {
        public let outputs_rechecked: Int
        public let mismatches: Int
        public let reference: String
        public let first_mismatches: [String]
    }

    public struct Cost: Codable, Sendable {
        /// "modelled", or "not modelled: <reason>".
        public let status: String
        /// The tensor-core mode priced for `tensor.fma_issued`.
        public let tensor_mode: String?
        public let tensor_energy_per_fma_pj: Double?
        public let tensor_area_per_sm_mm2: Double?
        public let uncertainty: String?
        public let breakdown: RunCost?
    }

    public let schema_version: Int
    public let architecture: Architecture
    public let problem: Problem
    public let instruction: Instruction
    public let tiling: Tiling
    public let timing: Timing
    public let actions: [String: Double]
    public let numerics: Numerics
    public let accuracy: Accuracy
    public let verification: Verification
    public let cost: Cost
    public let approximations: [String]

    static func make(request r: RunRequest, document: ArchitectureDocument, gpu: TensorCoreGPUSpec, machine: GPUMachine,
                     instruction: MMAInstructionSpec, unit: MMAUnit, planA: PreparedOperand.Plan, planB: PreparedOperand.Plan,
                     a: PreparedOperand, b: PreparedOperand, best: GPUCycleModel.Result, ranked: [GPUCycleModel.Result],
                     full: Bool, modeReason: String, rows: Int, columns: Int, accuracy: AccuracyMeasurement,
                     verification: Simulation.Verification, cost: Cost) -> SimulationReport {
        let p = unit.profile
        let numericsText: String
        switch p.algorithm {
        case .blockFMA: numericsText = "block FMA, n = \(p.blockWidth), F = \(p.keptFractionBits)" + (p.fp32OutputSignificandBits < 24 ? ", e8m13 accumulator" : "")
        case .fp8ViaF16Steps: numericsText = "FP8 via two FP16 HMMA steps (n = 16, F = 25) and a late RNE add of C"
        case .blockScaled: numericsText = "block-scaled, F = \(p.keptFractionBits)" + (p.scaleGroupSize > 0 ? ", exact 16-element group sums" : ", scales in the product exponents")
        case .integer: numericsText = "exact integer, \(p.accumulatorBits)-bit accumulator, \(p.integerOverflow.rawValue)"
        case .amdCDNA3: numericsText = "AMD CDNA3: truncation at F = \(p.keptFractionBits), floored partial sums, RNE"
        }
        let peak = 2 * instruction.fmaPerSMPerCycle * Double(machine.smCount) * machine.clockHz
        let cycles = best.cycles.totalCycles
        let time = cycles / machine.clockHz
        let flops = 2 * Double(r.shape.m) * Double(r.shape.n) * Double(r.shape.k)
        let t = best.tiling
        let runnerUp = ranked.dropFirst().first
        let tilingWhy = "fewest simulated cycles among \(ranked.count) candidate tilings" + (runnerUp.map {
            String(format: "; next best %@ takes %.1f%% more", $0.tiling.description as CVarArg, ($0.cycles.totalCycles / cycles - 1) * 100)
        } ?? "")
        let limits = best.cycles.limitCycles
        let alternatives = gpu.instructions(input: TensorCoreRun.elementName(planA.element) ?? r.aFormat, accumulator: r.dFormat)
        let instructionWhy = r.instruction != nil ? "chosen with --instruction"
            : "the fastest dense path for these types (\(Int(instruction.fmaPerSMPerCycle)) FMA/SM/cycle" + (alternatives.count > 1 ? "; \(alternatives.count - 1) slower variant\(alternatives.count > 2 ? "s" : "")" : "") + ")"
        let quantA = planA.scheme == nil ? "none (direct rounding)" : describe(planA, r.quantization)
        let quantB = planB.scheme == nil ? "none (direct rounding)" : describe(planB, r.quantization)
        return SimulationReport(
            schema_version: currentSchemaVersion,
            architecture: Architecture(file: r.architecturePath, name: document.name, microarchitecture: gpu.microarchitecture,
                                       sm_count: gpu.chip.smCount, clock_mhz: gpu.chip.clockMHz),
            problem: Problem(m: r.shape.m, n: r.shape.n, k: r.shape.k, a_format: r.aFormat, b_format: r.bFormat, d_format: r.dFormat,
                             quantization_a: quantA, quantization_b: quantB, data_a: r.dataA.description, data_b: r.dataB.description,
                             seed: r.seed, clipped_elements: a.clipped + b.clipped),
            instruction: Instruction(name: instruction.name, ptx: instruction.ptx,
                                     shape: "m\(instruction.shapeM)n\(instruction.shapeN)k\(instruction.shapeK)",
                                     numerics_profile: p.name, numerics: numericsText, numerics_source: p.source,
                                     fma_per_sm_per_cycle: instruction.fmaPerSMPerCycle, latency_cycles: instruction.latencyCycles,
                                     why: instructionWhy),
            tiling: Tiling(block_m: t.blockM, block_n: t.blockN, block_k: t.blockK, stages: t.stages, ctas_per_sm: t.threadblocksPerSM,
                           warp_m: t.warpM, warp_n: t.warpN, cluster_m: t.clusterM, cluster_n: t.clusterN, sm_pair: t.smPair,
                           candidates_evaluated: ranked.count, why: tilingWhy),
            timing: Timing(cycles: cycles, time_s: time, achieved_tflops: flops / time / 1e12, peak_tflops: peak / 1e12,
                           utilisation: flops / time / peak, binding_limit: best.cycles.bindingLimit.rawValue,
                           compute_cycles: limits[.compute] ?? 0, shared_memory_cycles: limits[.sharedMemory] ?? 0,
                           l2_cycles: limits[.l2] ?? 0, dram_cycles: limits[.dram] ?? 0, tiles: best.tiles, waves: best.waves),
            actions: best.actions.counts,
            numerics: Numerics(mode: full ? "full" : "sampled", outputs_simulated: rows * columns, rows_simulated: rows,
                               columns_simulated: columns, reason: modeReason),
            accuracy: Accuracy(outputs_measured: accuracy.outputsMeasured, sampled: accuracy.sampled || !full, sqnr_db: accuracy.sqnrDB,
                               relative_frobenius_error: accuracy.relativeFrobenius, max_abs_error: accuracy.maxAbsoluteError,
                               max_ulp_vs_correctly_rounded: accuracy.maxULP, mean_ulp_vs_correctly_rounded: accuracy.meanULP,
                               quantization_only_sqnr_db: accuracy.quantizationSQNRDB, non_finite_outputs: accuracy.nonFiniteOutputs),
            verification: Verification(outputs_rechecked: verification.checked, mismatches: verification.mismatches,
                                       reference: verification.reference, first_mismatches: verification.firstMismatches),
            cost: cost,
            approximations: [
                "cycle model: bandwidth-only memory (no DRAM/L2 latency), resident CTAs share tensor pipes as a whole, L2 reuse per wave of CTAs, cluster multicast idealised",
                "MMA issue: consecutive MMAs on one accumulator forward through the pipe; latency paid once per result (tensor-cores.md §8.3, unconfirmed)",
                "instruction rates for mma.sync on Hopper/Blackwell and some SKUs are assumed fractions of the fastest path (see the architecture document's sources)",
                "epilogue scaling in binary32 with round-to-nearest-even; C = 0",
            ] + (best.extrapolatedSteps > 0
                ? ["cycle model: the first \(GPUCycleModel.maxSimulatedSteps) K steps of a threadblock are simulated instruction by instruction, the other \(best.extrapolatedSteps) extrapolated from their periodic steady state"]
                : []) + (cost.breakdown?.notes.map { "cost: " + $0 } ?? [])
                + Self.powerNote(cost.breakdown?.average_power_w, limit: gpu.chip.boardPowerW))
    }

    /// The cycle model runs at the document's clock whatever the power: say so when the modelled
    /// power exceeds the board's limit (real parts would throttle).
    static func powerNote(_ power: Double?, limit: Double?) -> [String] {
        guard let power, let limit, power > limit else { return [] }
        return ["power: the modelled average power (\(ReportText.g(power)) W) exceeds board_power_w (\(ReportText.g(limit)) W); "
                + "the part would throttle its clock, which the cycle model does not"]
    }

    /// Prices a run; a document the cost model cannot price gets a status naming why.
    static func cost(document: ArchitectureDocument, file: String, gpu: TensorCoreGPUSpec, instruction: MMAInstructionSpec,
                     actions: [String: Double], seconds: Double, usefulMACs: Double, anchor: String?) -> Cost {
        do {
            let model = try TensorCoreInventory.model(for: gpu, anchor: anchor)
            let inventory = try TensorCoreInventory.build(name: document.name, file: file, gpu: gpu, model: model, run: instruction)
            let fma = inventory.component("tensor")?.actions.first { $0.action == "fma_issued" }
            let perSM = TensorCoreInventory.tensorAreaPerSMMM2(inventory, gpu)
            let breakdown = RunCost.price(inventory, actions: actions, seconds: seconds, usefulMACs: usefulMACs)
            let status = breakdown.unpriced_actions.isEmpty ? "modelled"
                : "partially modelled: unpriced \(breakdown.unpriced_actions.joined(separator: ", "))"
            return Cost(status: status, tensor_mode: fma?.estimator, tensor_energy_per_fma_pj: fma?.energy_pj,
                        tensor_area_per_sm_mm2: perSM, uncertainty: model.energyUncertainty, breakdown: breakdown)
        } catch {
            return Cost(status: "not modelled: \(error)", tensor_mode: nil, tensor_energy_per_fma_pj: nil,
                        tensor_area_per_sm_mm2: nil, uncertainty: nil, breakdown: nil)
        }
    }

    static func describe(_ plan: PreparedOperand.Plan, _ q: RunRequest.Quantization?) -> String {
        switch plan.format {
        case .blockScaled(let b): return "\(b.name) blocks of \(b.blockSize) along K (\(b.rule.rawValue) rule)"
        default:
            let what = q?.description ?? "per-tensor"
            return "\(what) absmax, binary32 scales, nearest-even"
        }
    }
}
