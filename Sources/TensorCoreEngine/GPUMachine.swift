import ArchitectureSpec

/// The resources the GEMM cycle model uses, in per-cycle units of the tensor-core clock.
public struct GPUMachine: Sendable {
    public let name: String
    public let smCount: Int
    public let clockHz: Double
    public let subCores: Int
    public let sharedMemoryBytes: Int
    public let sharedMemoryBytesPerCycle: Double
    public let maxThreadblocksPerSM: Int
    public let hasTMA: Bool
    public let l2Bytes: Double
    public let l2BytesPerCycle: Double
    public let dramBytesPerCycle: Double
    /// Fixed time per kernel beyond the cycle model (the document's `board.kernel_overhead_us`).
    public let kernelOverheadSeconds: Double
    /// Fraction of main-loop cycles a tensor pipe spends on MMAs (`board.mma_issue_efficiency`).
    public let mmaIssueEfficiency: Double

    /// From an architecture document; `nil` when it lacks the `sm` or `memory` section. DRAM
    /// runs at `board.dram_efficiency` of its peak (1 without a board section).
    public init?(name: String, gpu: TensorCoreGPUSpec) {
        guard let sm = gpu.sm, let memory = gpu.memory else { return nil }
        self.name = name
        smCount = gpu.chip.smCount
        clockHz = gpu.chip.clockMHz * 1e6
        subCores = sm.subCores
        sharedMemoryBytes = sm.sharedMemoryKiB * 1024
        sharedMemoryBytesPerCycle = Double(sm.sharedMemoryBandwidthBytesPerCycle)
        maxThreadblocksPerSM = sm.maxThreadblocks
        hasTMA = sm.hasTMA
        l2Bytes = Double(memory.l2CapacityKiB) * 1024
        l2BytesPerCycle = memory.l2BandwidthGBs * 1e9 / clockHz
        dramBytesPerCycle = memory.dramBandwidthGBs * (gpu.board?.dramEfficiency ?? 1) * 1e9 / clockHz
        kernelOverheadSeconds = (gpu.board?.kernelOverheadUS ?? 0) * 1e-6
        mmaIssueEfficiency = gpu.board?.mmaIssueEfficiency ?? 1
    }

    /// The same GPU with its SM clock at `clockHz` (a power-limited clock): the SMs, shared
    /// memory and L2 run on the SM clock, so their per-cycle figures stay; DRAM keeps its
    /// bytes per second, so it moves more bytes per (slower) cycle.
    public func at(clockHz newClock: Double) -> GPUMachine {
        GPUMachine(name: name, smCount: smCount, clockHz: newClock, subCores: subCores, sharedMemoryBytes: sharedMemoryBytes,
                   sharedMemoryBytesPerCycle: sharedMemoryBytesPerCycle, maxThreadblocksPerSM: maxThreadblocksPerSM, hasTMA: hasTMA,
                   l2Bytes: l2Bytes, l2BytesPerCycle: l2BytesPerCycle, dramBytesPerCycle: dramBytesPerCycle * clockHz / newClock,
                   kernelOverheadSeconds: kernelOverheadSeconds, mmaIssueEfficiency: mmaIssueEfficiency)
    }

    /// A machine given field by field (tests and hand-worked examples).
    public init(name: String, smCount: Int, clockHz: Double, subCores: Int, sharedMemoryBytes: Int,
                sharedMemoryBytesPerCycle: Double, maxThreadblocksPerSM: Int, hasTMA: Bool, l2Bytes: Double,
                l2BytesPerCycle: Double, dramBytesPerCycle: Double, kernelOverheadSeconds: Double = 0, mmaIssueEfficiency: Double = 1) {
        self.name = name
        self.smCount = smCount
        self.clockHz = clockHz
        self.subCores = subCores
        self.sharedMemoryBytes = sharedMemoryBytes
        self.sharedMemoryBytesPerCycle = sharedMemoryBytesPerCycle
        self.maxThreadblocksPerSM = maxThreadblocksPerSM
        self.hasTMA = hasTMA
        self.l2Bytes = l2Bytes
        self.l2BytesPerCycle = l2BytesPerCycle
        self.dramBytesPerCycle = dramBytesPerCycle
        self.kernelOverheadSeconds = kernelOverheadSeconds
        self.mmaIssueEfficiency = mmaIssueEfficiency
    }
}

/// A GEMM as the cycle model sees it: shape and operand sizes in bytes per element (4-bit
/// formats count 0.5 bytes).
public struct GEMMTraffic: Sendable {
    public let m: Int
    public let n: Int
    public let k: Int
    public let aBytes: Double
    public let bBytes: Double
    public let cBytes: Double
    public let dBytes: Double
    public let readsC: Bool

    public init(m: Int, n: Int, k: Int, aBytes: Double, bBytes: Double, cBytes: Double, dBytes: Double, readsC: Bool) {
        self.m = m
        self.n = n
        self.k = k
        self.aBytes = aBytes
        self.bBytes = bBytes
        self.cBytes = cBytes
        self.dBytes = dBytes
        self.readsC = readsC
    }
}

/// A threadblock tiling.
public struct GEMMTiling: Sendable, Hashable, CustomStringConvertible {
    public let blockM: Int
    public let blockN: Int
    public let blockK: Int
    public let stages: Int
    public let threadblocksPerSM: Int
    /// Warp (or warpgroup) tile within the threadblock.
    public let warpM: Int
    public let warpN: Int
    /// Thread-block cluster (Hopper and later): CTAs along N share (TMA-multicast) their A
    /// panel, CTAs along M their B panel, each read from L2 once per cluster.
    public let clusterM: Int
    public let clusterN: Int
    /// Blackwell `tcgen05.mma.cta_group::2`: a tile of 2 x (instruction M) rows computed by a
    /// pair of SMs, each holding half of A's rows and half of B's columns in its shared memory.
    public let smPair: Bool
    /// Stream-K work decomposition (Osama et al., "Stream-K: Work-centric Parallel Decomposition
    /// for Dense Matrix-Matrix Multiplication on the GPU", PPoPP 2023; CUTLASS and cuBLAS use it):
    /// the tiles' K iterations are dealt evenly to the resident CTAs, so a partial last wave (or
    /// fewer tiles than SMs) does not idle SMs; tiles split between CTAs pay a fix-up of partial
    /// accumulators through L2.
    public let streamK: Bool

    public init(blockM: Int, blockN: Int, blockK: Int, stages: Int, threadblocksPerSM: Int, warpM: Int, warpN: Int,
                clusterM: Int = 1, clusterN: Int = 1, smPair: Bool = false, streamK: Bool = false) {
        self.streamK = streamK
        self.clusterM = clusterM
        self.clusterN = clusterN
        self.smPair = smPair
        self.blockM = blockM
        self.blockN = blockN
        self.blockK = blockK
        self.stages = stages
        self.threadblocksPerSM = threadblocksPerSM
        self.warpM = warpM
        self.warpN = warpN
    }

    public var description: String {
        "\(blockM)x\(blockN)x\(blockK), \(stages) stages, \(threadblocksPerSM) CTA/SM, warp tile \(warpM)x\(warpN)"
            + (clusterM * clusterN > 1 ? ", cluster \(clusterM)x\(clusterN)" : "") + (smPair ? ", SM pair (cta_group::2)" : "")
            + (streamK ? ", stream-K" : "")
    }
}
