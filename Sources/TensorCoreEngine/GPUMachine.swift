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

    /// From an architecture document; `nil` when it lacks the `sm` or `memory` section.
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
        dramBytesPerCycle = memory.dramBandwidthGBs * 1e9 / clockHz
    }

    /// A machine given field by field (tests and hand-worked examples).
    public init(name: String, smCount: Int, clockHz: Double, subCores: Int, sharedMemoryBytes: Int,
                sharedMemoryBytesPerCycle: Double, maxThreadblocksPerSM: Int, hasTMA: Bool, l2Bytes: Double,
                l2BytesPerCycle: Double, dramBytesPerCycle: Double) {
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

    public init(blockM: Int, blockN: Int, blockK: Int, stages: Int, threadblocksPerSM: Int, warpM: Int, warpN: Int,
                clusterM: Int = 1, clusterN: Int = 1, smPair: Bool = false) {
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
    }
}
