import ArchitectureSpec
import EngineKit
import Formats
import TensorCoreEngine
import Testing

@Suite("GPU GEMM cycle model")
struct CycleModelTests {
    static func model(_ arch: String, _ instruction: String, _ input: String, _ output: String = "fp32") -> (GPUCycleModel, TensorCoreGPUSpec) {
        let gpu = Support.gpu(arch)
        let chosen = gpu.instructions(input: input, accumulator: output, named: instruction).first!
        return (GPUCycleModel(machine: GPUMachine(name: arch, gpu: gpu)!, instruction: chosen), gpu)
    }

    /// Worked by hand (docs/tensor-core.md, "The cycle model"): A100 mma.sync m16n8k16 FP16, 2048 FMA each on a
    /// sub-core pipe of 1024 / 4 = 256 FMA per clock, so 8 cycles per instruction; latency 32.
    /// GEMM 32x16x32, one CTA with tile 32x16x32: 4 accumulator fragments (one per sub-core),
    /// 2 instructions along K each. Load: 32x32x2 + 32x16x2 = 3072 B at 128 B/clk (shared-memory
    /// fill; L2 share 4500e9 / 1.41e9 = 3191 B/clk) = 24 cycles. MMAs: the first at 24, the
    /// dependent second forwarded at 24 + 8 = 32, its result read at 32 + 32 = 64. Epilogue:
    /// 32x16x4 = 2048 B / 128 = 16. Total 80.
    @Test("Hand-worked single-threadblock case: 80 cycles")
    func handWorked() {
        // The pipeline alone: the document's board section (issue efficiency, kernel overhead)
        // is taken out, as the hand calculation has neither.
        let (full, _) = Self.model("nvidia-a100-sxm4-80gb.json", "mma.sync", "fp16")
        let m = full.machine
        let bare = GPUMachine(name: m.name, smCount: m.smCount, clockHz: m.clockHz, subCores: m.subCores, sharedMemoryBytes: m.sharedMemoryBytes,
                              sharedMemoryBytesPerCycle: m.sharedMemoryBytesPerCycle, maxThreadblocksPerSM: m.maxThreadblocksPerSM, hasTMA: m.hasTMA,
                              l2Bytes: m.l2Bytes, l2BytesPerCycle: m.l2BytesPerCycle, dramBytesPerCycle: m.dramBytesPerCycle)
        let model = GPUCycleModel(machine: bare, instruction: full.instruction)
        let g = GEMMTraffic(m: 32, n: 16, k: 32, aBytes: 2, bBytes: 2, cBytes: 4, dBytes: 4, readsC: false)
        let t = GEMMTiling(blockM: 32, blockN: 16, blockK: 32, stages: 2, threadblocksPerSM: 1, warpM: 16, warpN: 8)
        let r = model.simulate(g, tiling: t)
        #expect(r.threadblockCycles == 80)
        #expect(r.cycles.totalCycles == 80)
        #expect(r.instructionsIssued == 8)
        #expect(r.tiles == 1 && r.waves == 1)
        #expect(r.actions["tensor.fma_issued"] == 32 * 16 * 32)
        #expect(r.actions["smem.write_bytes"] == 3072)
    }

    /// The hand-worked case with a board: issue efficiency 0.5 doubles each MMA's occupancy (16
    /// cycles: MMAs at 24 and 40, the result read at 40 + 32 = 72, epilogue to 88); a 1 us
    /// kernel overhead adds 1410 cycles at 1410 MHz.
    @Test("Board effects by hand: issue efficiency stretches MMA occupancy; the kernel overhead adds its cycles")
    func boardByHand() {
        let (full, _) = Self.model("nvidia-a100-sxm4-80gb.json", "mma.sync", "fp16")
        let m = full.machine
        let machine = GPUMachine(name: m.name, smCount: m.smCount, clockHz: 1.41e9, subCores: m.subCores, sharedMemoryBytes: m.sharedMemoryBytes,
                                 sharedMemoryBytesPerCycle: m.sharedMemoryBytesPerCycle, maxThreadblocksPerSM: m.maxThreadblocksPerSM, hasTMA: m.hasTMA,
                                 l2Bytes: m.l2Bytes, l2BytesPerCycle: m.l2BytesPerCycle, dramBytesPerCycle: m.dramBytesPerCycle,
                                 kernelOverheadSeconds: 1e-6, mmaIssueEfficiency: 0.5)
        let model = GPUCycleModel(machine: machine, instruction: full.instruction)
        let g = GEMMTraffic(m: 32, n: 16, k: 32, aBytes: 2, bBytes: 2, cBytes: 4, dBytes: 4, readsC: false)
        let r = model.simulate(g, tiling: GEMMTiling(blockM: 32, blockN: 16, blockK: 32, stages: 2, threadblocksPerSM: 1, warpM: 16, warpN: 8))
        #expect(r.threadblockCycles == 88)
        #expect(abs(r.cycles.totalCycles - (88 + 1410)) < 1e-6)
        #expect(r.cycles[.overhead] == 1410)
        // At a throttled clock DRAM moves more bytes per cycle, the SM side keeps its figures.
        let slow = machine.at(clockHz: 0.705e9)
        #expect(slow.dramBytesPerCycle == 2 * machine.dramBytesPerCycle && slow.l2BytesPerCycle == machine.l2BytesPerCycle)
    }

    static let presets: [(String, String, String)] = [
        ("nvidia-v100-sxm2.json", "mma.sync", "fp16"), ("nvidia-a100-sxm4-80gb.json", "mma.sync", "fp16"),
        ("nvidia-l40s.json", "mma.sync", "fp16"), ("nvidia-h100-sxm.json", "wgmma", "fp16"),
        ("nvidia-b200.json", "tcgen05", "fp16"), ("nvidia-h100-sxm.json", "wgmma", "e4m3"),
        ("nvidia-b200.json", "tcgen05", "e4m3"),
    ]

    @Test("A compute-bound 8192^3 GEMM lands between 60% and 100% of peak", arguments: presets.indices)
    func computeBound(_ index: Int) throws {
        let (arch, instruction, input) = Self.presets[index]
        let (model, gpu) = Self.model(arch, instruction, input)
        let bytes = input == "e4m3" ? 1.0 : 2.0
        // D written in BF16, as the benchmarks' kernels write it.
        let g = GEMMTraffic(m: 8192, n: 8192, k: 8192, aBytes: bytes, bBytes: bytes, cBytes: 4, dBytes: 2, readsC: false)
        let r = try model.bestTiling(g).best
        let peakPerCycle = model.instruction.fmaPerSMPerCycle * Double(gpu.chip.smCount)
        let utilisation = Double(8192 * 8192) * 8192 / (r.cycles.totalCycles * peakPerCycle)
        #expect(utilisation >= 0.6 && utilisation <= 1.0, "\(arch) \(input): utilisation \(utilisation) with \(r.tiling)")
        // Bound on chip (tensor pipes, or L2 where its measured bandwidth is the tighter limit,
        // as on H100 here), never by DRAM.
        #expect(r.cycles.bindingLimit != .dram, "\(arch): \(r.cycles.limits)")
    }

    @Test("A GEMV-shaped GEMM is DRAM-bound within 10% of bytes / bandwidth", arguments: presets.indices)
    func gemv(_ index: Int) throws {
        let (arch, instruction, input) = Self.presets[index]
        let (model, _) = Self.model(arch, instruction, input)
        let bytes = input == "e4m3" ? 1.0 : 2.0
        let g = GEMMTraffic(m: 1, n: 16384, k: 16384, aBytes: bytes, bBytes: bytes, cBytes: 4, dBytes: 4, readsC: false)
        let r = try model.bestTiling(g).best
        let ideal = Double(16384 * 16384) * bytes / model.machine.dramBytesPerCycle
        #expect(r.cycles.bindingLimit == .dram, "\(arch): \(r.cycles.limits)")
        #expect(Swift.abs(r.cycles.totalCycles - ideal) / ideal <= 0.10, "\(arch): \(r.cycles.totalCycles) vs \(ideal) with \(r.tiling)")
    }

    @Test("Distinct panels per wave in closed form equal a brute-force count")
    func distinctPanels() {
        var rng = SeededGenerator(seed: 7)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        for _ in 0..<2000 {
            let tilesN = 1 + below(40), tiles = below(3000), concurrent = 1 + below(300)
            var rows = 0, columns = 0
            var first = 0
            while first < tiles {
                let last = Swift.min(tiles, first + concurrent)
                rows += Set((first..<last).map { $0 / tilesN }).count
                columns += Set((first..<last).map { $0 % tilesN }).count
                first = last
            }
            let closed = GPUCycleModel.distinctPanelsPerWave(tiles: tiles, tilesN: tilesN, concurrent: concurrent)
            #expect(closed.rows == rows && closed.columns == columns, "tiles \(tiles) tilesN \(tilesN) concurrent \(concurrent)")
        }
    }

    /// The extrapolation of long main loops assumes that one CTA's K steps reach a periodic
    /// steady state well before `maxSimulatedSteps`: checked on every preset's candidate tilings
    /// by comparing the per-step increment over 12 steps at 2048 and at 4096 simulated steps.
    @Test("Main loops reach the periodic steady state that long-K extrapolation assumes", arguments: presets.indices)
    func steadyState(_ index: Int) throws {
        let (arch, instruction, input) = Self.presets[index]
        let (model, _) = Self.model(arch, instruction, input)
        let bytes = input == "e4m3" ? 1.0 : 2.0
        let probe = GEMMTraffic(m: 4096, n: 4096, k: 4096, aBytes: bytes, bBytes: bytes, cBytes: 4, dBytes: 4, readsC: false)
        for t in model.candidateTilings(probe) {
            func cycles(steps: Int) -> Double {
                let g = GEMMTraffic(m: 4096, n: 4096, k: steps * t.blockK, aBytes: bytes, bBytes: bytes, cBytes: 4, dBytes: 4, readsC: false)
                let r = model.simulate(g, tiling: t)
                #expect(r.extrapolatedSteps == Swift.max(0, steps - GPUCycleModel.maxSimulatedSteps))
                return r.threadblockCycles
            }
            let early = cycles(steps: 2048) - cycles(steps: 2036)
            let late = cycles(steps: 4096) - cycles(steps: 4084)
            #expect(Swift.abs(early - late) <= 1e-9 * late, "\(arch) \(t): \(early) vs \(late) cycles per 12 steps")
            // Beyond the cap, counts scale exactly with the steps (instructions, shared-memory fills).
            func counts(steps: Int) -> (Double, Double) {
                let g = GEMMTraffic(m: 4096, n: 4096, k: steps * t.blockK, aBytes: bytes, bBytes: bytes, cBytes: 4, dBytes: 4, readsC: false)
                let r = model.simulate(g, tiling: t)
                return (r.instructionsIssued, r.actions["smem.write_bytes"])
            }
            let (i1, s1) = counts(steps: 1000), (i2, s2) = counts(steps: 9000)
            #expect(i2 == 9 * i1 && s2 == 9 * s1, "\(arch) \(t)")
        }
    }

    @Test("Huge grids and huge K are modelled without per-tile or per-step work")
    func hugeProblems() throws {
        let (model, _) = Self.model("nvidia-h100-sxm.json", "wgmma", "fp16")
        let tall = GEMMTraffic(m: 99_999_999_999, n: 1, k: 1, aBytes: 2, bBytes: 2, cBytes: 4, dBytes: 4, readsC: false)
        let r = try model.bestTiling(tall).best
        #expect(r.tiles > 390_000_000 && r.cycles.totalCycles > 0 && r.cycles.totalCycles.isFinite)
        let deep = GEMMTraffic(m: 128, n: 128, k: 1 << 40, aBytes: 2, bBytes: 2, cBytes: 4, dBytes: 4, readsC: false)
        let d = try model.bestTiling(deep).best
        #expect(d.extrapolatedSteps > 0 && d.cycles.totalCycles.isFinite)
    }
}
