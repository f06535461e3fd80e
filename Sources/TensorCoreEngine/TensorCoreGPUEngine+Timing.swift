import EngineKit
import Foundation
import Workloads

extension TensorCoreGPUEngine {
    /// The GPU cycle model over the whole problem with the best tiling found (`bestTiling`).
    public func timing(_ plan: TensorCorePlan, shape: GEMMShape) throws(EngineRefusal) -> EngineTiming {
        try timing(plan, shape: shape, clockHz: machine.clockHz)
    }

    /// The same at an SM clock of `clockHz` (a power-limited clock; DRAM keeps its bytes per
    /// second): the tiling is chosen again, as the balance of compute and memory moves.
    public func timing(_ plan: TensorCorePlan, shape: GEMMShape, clockHz: Double) throws(EngineRefusal) -> EngineTiming {
        let machine = clockHz == self.machine.clockHz ? self.machine : self.machine.at(clockHz: clockHz)
        let accumulatorBytes = Double(plan.unit.accumulatorFormat.bitWidth) / 8
        let outBytes = plan.outFormat.map { Double($0.format.bitWidth) / 8 } ?? accumulatorBytes
        // Block-scaled operands also move one scale per block (NVFP4: 8 bits per 16 elements).
        func bytes(_ p: OperandPlan) -> Double {
            Double(p.element.bitWidth) / 8 + (p.blockScaled.map { Double($0.scale.bitWidth) / 8 / Double($0.blockSize) } ?? 0)
        }
        let traffic = GEMMTraffic(m: shape.m, n: shape.n, k: shape.k, aBytes: bytes(plan.a),
                                  bBytes: bytes(plan.b), cBytes: accumulatorBytes, dBytes: outBytes,
                                  readsC: false)
        let model = GPUCycleModel(machine: machine, instruction: plan.instruction)
        let best: GPUCycleModel.Result, ranked: [GPUCycleModel.Result]
        do { (best, ranked) = try model.bestTiling(traffic) } catch { throw EngineRefusal(error.description) }
        let cycles = best.cycles.totalCycles
        let t = best.tiling
        let runnerUp = ranked.dropFirst().first
        let why = "fewest simulated cycles among \(ranked.count) candidate tilings" + (runnerUp.map {
            String(format: "; next best %@ takes %.1f%% more", $0.tiling.description as CVarArg, ($0.cycles.totalCycles / cycles - 1) * 100)
        } ?? "")
        let details: [ReportEntry] = [
            ReportEntry("tiling", .object([
                ReportEntry("block_m", .int(t.blockM)), ReportEntry("block_n", .int(t.blockN)), ReportEntry("block_k", .int(t.blockK)),
                ReportEntry("stages", .int(t.stages)), ReportEntry("ctas_per_sm", .int(t.threadblocksPerSM)),
                ReportEntry("warp_m", .int(t.warpM)), ReportEntry("warp_n", .int(t.warpN)),
                ReportEntry("cluster_m", .int(t.clusterM)), ReportEntry("cluster_n", .int(t.clusterN)),
                ReportEntry("sm_pair", .flag(t.smPair)), ReportEntry("stream_k", .flag(t.streamK)),
                ReportEntry("candidates_evaluated", .int(ranked.count)),
                ReportEntry("why", .text(why)),
            ])),
            ReportEntry("tiles", .int(best.tiles)),
            ReportEntry("waves", .int(best.waves)),
        ]
        var approximations = [
            "cycle model: bandwidth-only memory (DRAM/L2 latency only inside board.kernel_overhead_us), resident CTAs share tensor pipes as a whole, L2 reuse per wave of CTAs, cluster multicast idealised",
            "MMA issue: consecutive MMAs on one accumulator forward through the pipe; latency paid once per result (tensor-cores.md §8.3, unconfirmed)",
            "instruction rates for mma.sync on Hopper/Blackwell and some SKUs are assumed fractions of the fastest path (see the architecture document's sources)",
            "epilogue scaling in binary32 with round-to-nearest-even; C = 0",
        ]
        if best.extrapolatedSteps > 0 {
            approximations.append("cycle model: the first \(GPUCycleModel.maxSimulatedSteps) K steps of a threadblock are simulated instruction by instruction, the other \(best.extrapolatedSteps) extrapolated from their periodic steady state")
        }
        return EngineTiming(cycles: best.cycles, clockHz: machine.clockHz, actions: best.actions,
                            peakMACsPerSecond: plan.instruction.fmaPerSMPerCycle * Double(machine.smCount) * self.machine.clockHz,
                            details: details, brief: "tile \(t.description), \(best.tiles) tiles in \(best.waves) wave\(best.waves == 1 ? "" : "s")",
                            approximations: approximations)
    }
}
