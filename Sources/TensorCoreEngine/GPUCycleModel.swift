import ArchitectureSpec
import EngineKit

/// The GEMM cycle model (tensor-cores.md §8-9): one SM's schedule simulated at MMA-instruction
/// granularity, composed over SMs and waves of threadblocks, with operand staging through shared
/// memory, L2 and DRAM bandwidth, and the epilogue.
///
/// Per threadblock (CTA): K is walked in steps of blockK. Each step's A and B tiles are loaded
/// into one of `stages` shared-memory buffers (the load of step s starts once step s - stages
/// has finished computing: multi-buffering), at the SM's share of the load bandwidth. The step's
/// MMA instructions issue from the sub-cores (warp-level instructions: one tensor pipe per
/// sub-core) or from one issuer owning the whole SM (warpgroup `wgmma`, CTA-wide `tcgen05`),
/// each occupying its pipe for fma / rate cycles; consecutive MMAs on one accumulator fragment
/// forward through the pipe, and the instruction latency is paid when the last result is read.
/// After the last step the epilogue writes D (and reads C). Resident CTAs of one SM share its tensor pipes; waves of
/// CTAs cover the tiles, the last wave possibly partial (tail effect). L2 and DRAM traffic of
/// the whole kernel give two more lower bounds on time; the total is the largest bound.
public struct GPUCycleModel: Sendable {
    public let machine: GPUMachine
    public let instruction: MMAInstructionSpec

    public init(machine: GPUMachine, instruction: MMAInstructionSpec) {
        self.machine = machine
        self.instruction = instruction
    }

    /// The model's result for one tiling.
    public struct Result: Sendable {
        public let tiling: GEMMTiling
        public let cycles: CycleBreakdown
        public let actions: ActionCounts
        public let tiles: Int
        public let waves: Int
        public let instructionsIssued: Double
        /// Cycles of one CTA from its first load to its last store.
        public let threadblockCycles: Double
        /// K steps of one CTA beyond `maxSimulatedSteps`, timed by extrapolating the periodic
        /// steady state instead of instruction by instruction (0: every step simulated).
        public let extrapolatedSteps: Int
    }

    /// K steps of one CTA simulated instruction by instruction; longer main loops repeat the
    /// same step, so their steady state (a max-plus recurrence, periodic once the pipeline is
    /// full) is extrapolated from the last `extrapolationWindow` simulated steps.
    public static let maxSimulatedSteps = 4096
    /// A multiple of every stage count (2, 3, 4): whole periods of the steady state.
    static let extrapolationWindow = 12

    /// Instruction shape used by the model: wgmma/tcgen05 take N up to the tile width.
    func instructionShape(for tiling: GEMMTiling) -> (m: Int, n: Int, k: Int) {
        let n = instruction.issueScope == .warp ? instruction.shapeN : Swift.min(instruction.shapeN, tiling.warpN)
        return (instruction.shapeM, n, instruction.shapeK)
    }

    /// Pipes that issue this instruction independently, and the occupancy of one instruction:
    /// FMAs / rate, stretched by the machine's MMA issue efficiency (the main loop's other
    /// instructions: address generation, barriers, issue slots).
    func pipes(_ shape: (m: Int, n: Int, k: Int)) -> (count: Int, occupancy: Double) {
        let fma = Double(shape.m * shape.n * shape.k) / machine.mmaIssueEfficiency
        switch instruction.issueScope {
        case .warp: return (machine.subCores, fma / (instruction.fmaPerSMPerCycle / Double(machine.subCores)))
        case .warpgroup, .cta: return (1, fma / instruction.fmaPerSMPerCycle)
        }
    }

    /// Simulates the GEMM with a given tiling.
    public func simulate(_ g: GEMMTraffic, tiling t: GEMMTiling) -> Result {
        let shape = instructionShape(for: t)
        let (pipeCount, occupancy) = pipes(shape)
        let latency = Double(instruction.latencyCycles)
        let steps = (g.k + t.blockK - 1) / t.blockK
        // Loads move only the rows and columns that exist (TMA and predicated loads skip the
        // out-of-bounds part of a tile); the tensor cores still compute the whole tile.
        let rowsM = Swift.min(t.blockM, g.m), columnsN = Swift.min(t.blockN, g.n)
        // An SM pair splits the tile: each SM loads half the rows of A and half the columns of B.
        let share = t.smPair ? 0.5 : 1.0
        let stageBytes = (Double(rowsM * t.blockK) * g.aBytes + Double(t.blockK * columnsN) * g.bBytes) * share
        let tilesM = (g.m + t.blockM - 1) / t.blockM, tilesN = (g.n + t.blockN - 1) / t.blockN
        let tiles = tilesM * tilesN
        let smsPerTile = t.smPair ? 2 : 1
        let concurrent = machine.smCount / smsPerTile * t.threadblocksPerSM
        let waves = (tiles + concurrent - 1) / concurrent
        let activeSMs = Swift.min(machine.smCount, tiles * smsPerTile)
        // Load time of one stage on one SM: the shared-memory fill, and the L2 reads at the SM's
        // share of L2 bandwidth (cluster multicast reads a shared panel once per cluster).
        let l2Share = machine.l2BytesPerCycle / Double(activeSMs)
        let stageL2Bytes = (Double(rowsM * t.blockK) * g.aBytes / Double(t.clusterN)
            + Double(t.blockK * columnsN) * g.bBytes / Double(t.clusterM)) * share
        let loadCycles = Swift.max(stageBytes / machine.sharedMemoryBytesPerCycle, stageL2Bytes / l2Share)
        let loadBandwidth = Swift.min(machine.sharedMemoryBytesPerCycle, l2Share)

        // One CTA, instruction by instruction.
        let fragmentsM = Swift.max(1, t.blockM / smsPerTile / shape.m), fragmentsN = t.blockN / shape.n
        let fragments = fragmentsM * fragmentsN
        let kPerStep = t.blockK / shape.k
        var pipeFree = [Double](repeating: 0, count: pipeCount)
        var fragmentReady = [Double](repeating: 0, count: fragments)
        let simulatedSteps = Swift.min(steps, Self.maxSimulatedSteps)
        var loadDone = [Double](repeating: 0, count: simulatedSteps)
        var computeDone = [Double](repeating: 0, count: simulatedSteps)
        var loadPipe = 0.0
        var issued = 0.0
        for s in 0..<simulatedSteps {
            // The buffer of step s is free once step s - stages has finished.
            let bufferFree = s >= t.stages ? computeDone[s - t.stages] : 0
            let start = Swift.max(loadPipe, bufferFree)
            loadPipe = start + loadCycles
            loadDone[s] = loadPipe
            var stepEnd = loadDone[s]
            for _ in 0..<kPerStep {
                for f in 0..<fragments {
                    let p = f % pipeCount
                    let issue = Swift.max(pipeFree[p], fragmentReady[f], loadDone[s])
                    pipeFree[p] = issue + occupancy
                    // Accumulator forwarding: the next MMA on the same fragment may follow once
                    // this one has left the pipe (tensor-cores.md §8.3: same-pipe HMMA chains pay
                    // no extra hazard cycles; wgmma/tcgen05 chain asynchronously); the full
                    // latency is paid once, when the result is read.
                    fragmentReady[f] = issue + occupancy
                    stepEnd = Swift.max(stepEnd, issue + latency)
                    issued += 1
                }
            }
            computeDone[s] = stepEnd
        }
        var mainloopEnd = computeDone.last ?? 0
        let extrapolated = steps - simulatedSteps
        if extrapolated > 0 {
            let w = Self.extrapolationWindow
            let perStep = (computeDone[simulatedSteps - 1] - computeDone[simulatedSteps - 1 - w]) / Double(w)
            mainloopEnd += Double(extrapolated) * perStep
            issued *= Double(steps) / Double(simulatedSteps)
        }
        let epilogueBytes = Double(rowsM * columnsN) * (g.dBytes + (g.readsC ? g.cBytes : 0)) * share
        let epilogueCycles = epilogueBytes / loadBandwidth
        let ctaCycles = mainloopEnd + epilogueCycles
        // Resident CTAs share the tensor pipes: a round takes the longer of one CTA's span and
        // the pipes' total busy time.
        let busyPerCTA = issued * occupancy / Double(pipeCount)
        let loadBusyPerCTA = Double(steps) * loadCycles + epilogueCycles
        let roundCycles = Swift.max(ctaCycles, Double(t.threadblocksPerSM) * busyPerCTA,
                                    Double(t.threadblocksPerSM) * loadBusyPerCTA)
        // Waves of whole tiles, or (stream-K) every resident CTA doing an equal share of all
        // tiles' K iterations: the pipeline fill (first load, MMA latency) and the epilogue stay
        // whole, the rest scales with the share; a split tile adds a fix-up (partial FP32
        // accumulators written and read back through L2).
        var waveFactor = Double(waves)
        var fixupCycles = 0.0
        if t.streamK {
            let itersPerSlot = (Double(tiles) * Double(steps) / Double(concurrent)).rounded(.up)
            waveFactor = itersPerSlot / Double(steps)
            fixupCycles = 2 * Double(rowsM * columnsN) * 4 * share / loadBandwidth
        }
        let fixedCycles = Swift.min(roundCycles, loadCycles + latency + epilogueCycles)
        let smTimelineCycles = t.streamK
            ? fixedCycles + (roundCycles - fixedCycles) * waveFactor + fixupCycles
            : Double(waves) * roundCycles

        // Global traffic. L2: every CTA loads its panels; D written (C read). DRAM: within a wave
        // the L2 serves repeated panels, so each distinct panel of a wave comes from DRAM once
        // (operands that fit half of L2 come from DRAM once overall).
        let panelA = Double(rowsM) * Double(g.k) * g.aBytes, panelB = Double(g.k) * Double(columnsN) * g.bBytes
        let outputBytes = Double(g.m * g.n) * (g.dBytes + (g.readsC ? g.cBytes : 0))
        let panelReads = Double(tiles) * (panelA / Double(t.clusterN) + panelB / Double(t.clusterM))
        let l2Bytes = panelReads + outputBytes
        let aTotal = Double(g.m * g.k) * g.aBytes, bTotal = Double(g.k * g.n) * g.bBytes
        var dramBytes = outputBytes
        if aTotal + bTotal <= machine.l2Bytes / 2 {
            dramBytes += aTotal + bTotal
        } else {
            let panels = Self.distinctPanelsPerWave(tiles: tiles, tilesN: tilesN, concurrent: concurrent)
            dramBytes += Double(panels.rows) * panelA + Double(panels.columns) * panelB
        }
        let l2Cycles = l2Bytes / machine.l2BytesPerCycle
        let dramCycles = dramBytes / machine.dramBytesPerCycle
        // Stand-alone bounds of the SM's own resources: tensor pipes busy, shared-memory fills.
        let computeCycles = waveFactor * Double(t.threadblocksPerSM) * busyPerCTA
        let smemCycles = waveFactor * Double(t.threadblocksPerSM) * Double(steps) * stageBytes / machine.sharedMemoryBytesPerCycle
        // The kernel's fixed overhead (launch gap, prologue latency, drain: board.kernel_overhead_us)
        // adds to whichever resource binds.
        let overheadCycles = machine.kernelOverheadSeconds * machine.clockHz
        let total = Swift.max(smTimelineCycles, l2Cycles, dramCycles) + overheadCycles
        var limits: [(limit: CycleLimit, cycles: Double)] = [(.compute, computeCycles), (.sharedMemory, smemCycles), (.l2, l2Cycles), (.dram, dramCycles)]
        if overheadCycles > 0 { limits.append((.overhead, overheadCycles)) }

        var actions = ActionCounts()
        let instructionsTotal = issued * Double(tiles * smsPerTile)
        actions.add("tensor.mma_instructions", instructionsTotal)
        actions.add("tensor.fma_issued", instructionsTotal * Double(shape.m * shape.n * shape.k))
        actions.add("tensor.fma_useful", Double(g.m) * Double(g.n) * Double(g.k))
        actions.add("smem.write_bytes", Double(tiles * smsPerTile * steps) * stageBytes)
        actions.add("smem.read_bytes", instructionsTotal * (Double(shape.m * shape.k) * g.aBytes + Double(shape.k * shape.n) * g.bBytes))
        actions.add("l2.read_bytes", panelReads + (g.readsC ? Double(g.m * g.n) * g.cBytes : 0))
        actions.add("l2.write_bytes", Double(g.m * g.n) * g.dBytes)
        actions.add("dram.read_bytes", dramBytes - Double(g.m * g.n) * g.dBytes)
        actions.add("dram.write_bytes", Double(g.m * g.n) * g.dBytes)
        actions.add("sm.active_cycles", Double(activeSMs) * total)
        // Register-file (tensor-memory for CTA-scope tcgen05) traffic: each MMA reads its
        // accumulator fragment and writes the result; warp-level MMAs also stage A and B through
        // registers (ldmatrix writes them, the MMA reads them); the epilogue reads D once.
        let operandBytes = Double(shape.m * shape.k) * g.aBytes + Double(shape.k * shape.n) * g.bBytes
        let accumulator = Double(shape.m * shape.n) * g.dBytes
        let perInstruction = accumulator + (instruction.issueScope == .warp ? operandBytes : 0)
        let store = instruction.issueScope == .cta ? "tmem" : "rf"
        actions.add("\(store).read_bytes", instructionsTotal * perInstruction + Double(g.m * g.n) * g.dBytes)
        actions.add("\(store).write_bytes", instructionsTotal * perInstruction)
        return Result(tiling: t, cycles: CycleBreakdown(totalCycles: total, limits: limits), actions: actions,
                      tiles: tiles, waves: waves, instructionsIssued: instructionsTotal, threadblockCycles: ctaCycles,
                      extrapolatedSteps: extrapolated)
    }

    /// Tiles are numbered row-major over a grid `tilesN` wide and run in waves of `concurrent`
    /// consecutive tiles. Returns the distinct tile rows (A panels) and tile columns (B panels)
    /// of each wave, summed over all waves, in closed form (a wave of L consecutive tiles
    /// touches min(L, tilesN) columns; its rows telescope over the full waves, less the waves
    /// that end exactly on a row boundary), so huge grids cost nothing.
    public static func distinctPanelsPerWave(tiles: Int, tilesN: Int, concurrent: Int) -> (rows: Int, columns: Int) {
        precondition(tiles >= 0 && tilesN > 0 && concurrent > 0)
        let fullWaves = tiles / concurrent, remainder = tiles % concurrent
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        // Sum over full waves w of floor(((w+1)C - 1)/tN) - floor(wC/tN) + 1.
        let boundaryPeriod = tilesN / gcd(concurrent, tilesN)
        var rows = fullWaves + fullWaves * concurrent / tilesN - fullWaves / boundaryPeriod
        var columns = fullWaves * Swift.min(concurrent, tilesN)
        if remainder > 0 {
            let first = fullWaves * concurrent, last = tiles - 1
            rows += last / tilesN - first / tilesN + 1
            columns += Swift.min(remainder, tilesN)
        }
        return (rows, columns)
    }
}
