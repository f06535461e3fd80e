import ArchitectureSpec
import EngineKit
import Workloads

extension LUTTensorCoreEngine {
    /// The LUT cycle model (docs/lut-tensor-core.md, "Cycle model"): LMMA tiles of M x N x K take
    /// W cycles each (one weight plane per cycle, lut-tensor-core.md §3.2) and spread over all
    /// units; tables are built by the precompute vector units (2^(K-1) entries of K-1 adds per
    /// row and K-group, plus one add per activation for the group sums, and a conversion per
    /// entry for scaled tables), overlapped with the lookups or not; on-chip buffers carry
    /// weight planes, tables, activations and outputs, DRAM the operands once (refetching the
    /// cheaper operand when neither fits half the buffers, as BitMoD's simulator does) and the
    /// binary32 outputs. Cycles are the largest of these bounds plus the W-cycle pipeline fill.
    public func timing(_ plan: LUTPlan, shape: GEMMShape) throws(EngineRefusal) -> EngineTiming {
        let u = spec.unit, array = spec.array, memory = spec.memory
        let m = Double(shape.m), n = Double(shape.n), k = Double(shape.k)
        let w = Double(plan.weights.bits)
        let units = Double(array.totalUnits)
        let clockHz = array.clockMHz * 1e6
        let groups = (shape.k + plan.weightGroup - 1) / plan.weightGroup
        let lastGroup = shape.k - (groups - 1) * plan.weightGroup
        let chunks = Double((groups - 1) * ((plan.weightGroup + u.tileK - 1) / u.tileK) + (lastGroup + u.tileK - 1) / u.tileK)
        let tilesM = (m / Double(u.tileM)).rounded(.up), tilesN = (n / Double(u.tileN)).rounded(.up)
        let lmmas = tilesM * tilesN * chunks
        let computeCycles = (lmmas / units).rounded(.up) * w

        // Table precompute: per row and K-group, 2^(K-1) entries of K-1 adds (the sequential
        // semantics), the group sums (one add per activation), entry conversions when scaled.
        let entries = Double(plan.tableEntries)
        let tables = m * chunks
        let tableAdds = tables * entries * Double(u.tileK - 1)
        let sumAdds = m * k
        let conversions = plan.tableScaled ? tables * entries : 0
        let precomputeCycles = (tableAdds + sumAdds + conversions) / spec.precompute.addsPerCycle

        // Bytes: weights as W bit-planes, activations in their format, tables in entries, outputs binary32.
        let entryBits = Double(Self.entryBits(u.tableFormat))
        let weightBytes = k * n * w / 8
        let activationBytes = m * k * Double(plan.activation.bitWidth) / 8
        let tableBytes = tables * entries * entryBits / 8
        let outputBytes = m * n * 4
        let half = Double(memory.sramKiB) * 1024 / 2
        let (dramRead, refetch) = OperandRefetch.dramReads(weightBytes: weightBytes, activationBytes: activationBytes, weightBuffer: half,
                                                           activationBuffer: half, bufferName: "half-buffer")
        let dramBytesPerCycle = memory.dramBandwidthGBs * 1e9 / clockHz
        let dramCycles = (dramRead + outputBytes) / dramBytesPerCycle
        // On chip: every LMMA reads its weight planes and its tables; precompute reads the
        // activations and writes the tables; outputs are written once.
        let lmmaWeightBits = lmmas * Double(u.tileK * u.tileN) * w
        let lmmaTableBits = lmmas * Double(u.tileM) * entries * entryBits
        let sramRead = (lmmaWeightBits + lmmaTableBits) / 8 + activationBytes
        let sramWrite = tableBytes + outputBytes + weightBytes + activationBytes
        let sramCycles = (sramRead + sramWrite) / memory.sramBandwidthBytesPerCycle

        let chip = spec.precompute.overlapped ? computeCycles : computeCycles + precomputeCycles
        let total = Swift.max(chip, precomputeCycles, sramCycles, dramCycles) + w
        var actions = ActionCounts()
        let outputsPerPlane = lmmas * Double(u.tileM * u.tileN) * w
        actions.add("lut.lookup", outputsPerPlane)
        actions.add("lut.accumulate", outputsPerPlane)
        actions.add("lut.table_load_bits", lmmaTableBits)
        actions.add("lut.weight_load_bits", lmmaWeightBits)
        actions.add("lut.useful_mac", m * n * k)
        actions.add("precompute.add", tableAdds + sumAdds)
        if conversions > 0 { actions.add("precompute.convert", conversions) }
        actions.add("sram.read_bytes", sramRead)
        actions.add("sram.write_bytes", sramWrite)
        actions.add("dram.read_bytes", dramRead)
        actions.add("dram.write_bytes", outputBytes)
        let limits: [(limit: CycleLimit, cycles: Double)] = [
            (.compute, computeCycles), (.tablePrecompute, precomputeCycles), (.sram, sramCycles), (.dram, dramCycles),
        ]
        let peak = units * Double(u.tileM * u.tileN * u.tileK) / w * clockHz
        return EngineTiming(
            cycles: CycleBreakdown(totalCycles: total, limits: limits), clockHz: clockHz, actions: actions, peakMACsPerSecond: peak,
            details: [
                ReportEntry("lmmas", .number(lmmas)), ReportEntry("cycles_per_lmma", .int(plan.weights.bits)),
                ReportEntry("tiles_m", .number(tilesM)), ReportEntry("tiles_n", .number(tilesN)), ReportEntry("k_groups", .number(chunks)),
                ReportEntry("tables", .number(tables)), ReportEntry("precompute_adds", .number(tableAdds + sumAdds)),
                ReportEntry("precompute_overlapped", .flag(spec.precompute.overlapped)), ReportEntry("dram_refetch", .text(refetch)),
            ],
            brief: "\(Int(lmmas)) LMMAs of \(plan.weights.bits) cycles on \(array.totalUnits) units",
            approximations: [
                "LUT cycle model: LMMAs spread evenly over all units (no scheduling or bank conflicts), memory as bandwidth bounds, precompute as an add-rate bound; \(spec.precompute.overlapped ? "overlapped with the lookups" : "serialised with the lookups")",
                "table precompute counted as K-1 adds per entry (the sequential semantics); a Gray-code schedule needs fewer (lut-tensor-core.md §6)",
                "epilogue (scales, zero points, correction) in binary32 outside the unit, not timed",
            ])
    }

    /// Bits of one stored table entry.
    public static func entryBits(_ f: LUTTableFormat) -> Int {
        switch f {
        case .fp16, .int16: return 16
        case .e4m3, .e5m2, .int8: return 8
        }
    }
}
