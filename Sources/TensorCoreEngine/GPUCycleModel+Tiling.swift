import ArchitectureSpec

extension GPUCycleModel {
    /// Every tiling the model considers for this instruction and operand sizes: threadblock
    /// tiles 64..256 x 32..256, K steps of 32, 64 or 128 bytes per row, 2-4 shared-memory stages,
    /// as many resident CTAs as shared memory, the register file (accumulators) and the CTA limit
    /// allow, and (with TMA) thread-block clusters of up to 2 x 2 that multicast shared panels. Warp-level instructions use four warps (2 x 2, one per sub-core); warpgroup and CTA
    /// instructions use warpgroups of 64 (wgmma) or the full 128-row tile (tcgen05).
    public func candidateTilings(_ g: GEMMTraffic) -> [GEMMTiling] {
        var out: [GEMMTiling] = []
        let m = instruction.shapeM, n = instruction.shapeN, k = instruction.shapeK
        for blockM in [64, 128, 256] where blockM % m == 0 {
            for blockN in [32, 64, 128, 256] {
                let (warpM, warpN): (Int, Int)
                switch instruction.issueScope {
                case .warp:
                    (warpM, warpN) = (blockM / 2, blockN / 2)
                    guard warpM % m == 0, warpN % n == 0 else { continue }
                case .warpgroup, .cta:
                    (warpM, warpN) = (m, blockN)
                    guard blockN % 8 == 0, blockN <= n || blockN % n == 0 else { continue }
                }
                for rowBytes in [32.0, 64.0, 128.0] {
                    let blockK = Swift.max(k, Int(rowBytes / Swift.max(g.aBytes, g.bBytes)) / k * k)
                    let stageBytes = Double(blockM * blockK) * g.aBytes + Double(blockK * blockN) * g.bBytes
                    // Accumulators: FP32/INT32 per output, in registers or tensor memory (256 KB).
                    let accumulatorBytes = Double(blockM * blockN * 4)
                    let pairable = instruction.issueScope == .cta && blockM == 2 * m && machine.smCount >= 2
                    guard accumulatorBytes <= 192 * 1024 || (pairable && accumulatorBytes <= 384 * 1024) else { continue }
                    for stages in 2...4 {
                        let smem = Double(stages) * stageBytes
                        guard smem <= Double(machine.sharedMemoryBytes) * (pairable ? 2 : 1) else { continue }
                        let bySmem = Swift.max(1, Int(Double(machine.sharedMemoryBytes) / smem))
                        let byRegisters = Int(192 * 1024 / accumulatorBytes)
                        let perSM = Swift.max(1, Swift.min(machine.maxThreadblocksPerSM, bySmem, byRegisters))
                        // Clusters with TMA multicast (Hopper and later): 1x1, 2x1, 1x2, 2x2.
                        let clusters = machine.hasTMA ? [(1, 1), (2, 1), (1, 2), (2, 2)] : [(1, 1)]
                        // Stream-K only where whole-tile waves would idle SMs (a partial last wave).
                        let tiles = ((g.m + blockM - 1) / blockM) * ((g.n + blockN - 1) / blockN)
                        let partialWave = tiles % (machine.smCount * perSM) != 0
                        for (cm, cn) in clusters {
                            out.append(GEMMTiling(blockM: blockM, blockN: blockN, blockK: blockK, stages: stages,
                                                  threadblocksPerSM: perSM, warpM: warpM, warpN: warpN, clusterM: cm, clusterN: cn))
                            if partialWave {
                                out.append(GEMMTiling(blockM: blockM, blockN: blockN, blockK: blockK, stages: stages,
                                                      threadblocksPerSM: perSM, warpM: warpM, warpN: warpN, clusterM: cm, clusterN: cn,
                                                      streamK: true))
                            }
                            // tcgen05 cta_group::2: the tile's rows split over an SM pair.
                            if pairable {
                                let pairSmem = smem / 2
                                let pairPerSM = Swift.max(1, Swift.min(machine.maxThreadblocksPerSM, Int(Double(machine.sharedMemoryBytes) / pairSmem),
                                                                       Int(192 * 1024 / (accumulatorBytes / 2))))
                                out.append(GEMMTiling(blockM: blockM, blockN: blockN, blockK: blockK, stages: stages,
                                                      threadblocksPerSM: pairPerSM, warpM: warpM, warpN: warpN, clusterM: cm,
                                                      clusterN: cn, smPair: true))
                            }
                        }
                    }
                }
            }
        }
        // Deterministic order (no Set iteration): sorted by every field.
        var seen = Set<GEMMTiling>()
        return out.filter { seen.insert($0).inserted }
    }

    /// The tiling with the fewest simulated cycles (ties: larger tiles, then fewer stages),
    /// with every candidate's result for the report.
    /// Throws when no tiling fits (an instruction shape that divides none of the threadblock
    /// tiles, or shared memory too small for two stages of the smallest tile).
    public func bestTiling(_ g: GEMMTraffic) throws(CycleModelError) -> (best: Result, ranked: [Result]) {
        let candidates = candidateTilings(g)
        guard !candidates.isEmpty else {
            throw CycleModelError(
                "no threadblock tiling fits \(instruction.name) (m\(instruction.shapeM)n\(instruction.shapeN)k\(instruction.shapeK)) "
                + "in \(machine.sharedMemoryBytes / 1024) KiB of shared memory: the model tiles 64, 128 or 256 rows by 32-256 "
                + "columns, double-buffered at least; use an instruction shape that divides such a tile, or more shared memory")
        }
        let results = candidates.map { simulate(g, tiling: $0) }
        // Ties (common: equal cycles for several stage counts or clusters) go to larger tiles, then
        // fewer stages, smaller clusters, no SM pair, and finally the candidate order, so the
        // choice never depends on hashing.
        let ranked = results.enumerated().sorted { x, y in
            let a = x.element, b = y.element
            if a.cycles.totalCycles != b.cycles.totalCycles { return a.cycles.totalCycles < b.cycles.totalCycles }
            let ka = (-a.tiling.blockM * a.tiling.blockN, a.tiling.stages, a.tiling.clusterM * a.tiling.clusterN, (a.tiling.smPair ? 1 : 0) + (a.tiling.streamK ? 2 : 0), x.offset)
            let kb = (-b.tiling.blockM * b.tiling.blockN, b.tiling.stages, b.tiling.clusterM * b.tiling.clusterN, (b.tiling.smPair ? 1 : 0) + (b.tiling.streamK ? 2 : 0), y.offset)
            return ka < kb
        }.map(\.element)
        return (ranked[0], ranked)
    }
}

/// A GEMM the cycle model cannot schedule, with the reason.
public struct CycleModelError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}
