import ArchitectureSpec
import EngineKit
import Workloads

extension PEArrayEngine {
    /// The systolic cycle model (docs/pe-array.md, "Cycle model").
    ///
    /// Output stationary: the array holds R x C outputs (R the rows of the array over
    /// `row_operand`, M or N; C over the other), so a GEMM takes folds = ceil(rows / R) *
    /// ceil(columns / C), each streaming K / dot_product_size steps of `cyclesPerStep` cycles
    /// plus the pipeline fill and drain R + C - 2; BitMoD adds a group's 8-cycle dequantisation
    /// where it is not hidden behind the next group (G / dp * terms < 8). Compute cycles =
    /// folds * per-fold - 1, which for one-cycle PEs is SCALE-Sim v3's OS count exactly
    /// (real-data.md §3.1); `ws` and `is` (INT MAC arrays) use SCALE-Sim's closed forms. Buffers:
    /// operands read once from DRAM, refetching the cheaper operand when neither fits its buffer
    /// (BitMoD's simulator's rule, bitmod.md §8.3); outputs written once. Cycles = max(compute,
    /// DRAM) (perfect overlap, as BitMoD's simulator).
    public func timing(_ plan: PEPlan, shape: GEMMShape) throws(EngineRefusal) -> EngineTiming {
        let a = spec.array, pe = spec.pe
        let m = Double(shape.m), n = Double(shape.n), k = Double(shape.k)
        let dp = Double(pe.dotProductSize), t = Double(plan.cyclesPerStep)
        // The tile arrangements to consider: the document's, or with `reconfigurable_tiles` every
        // factorisation of the tile count (the fewest compute cycles wins; ties keep the first).
        let tiles = a.tileRows * a.tileColumns
        let arrangements = a.reconfigurableTiles ? (1...tiles).filter { tiles % $0 == 0 }.map { ($0, tiles / $0) } : [(a.tileRows, a.tileColumns)]
        var best: (r: Double, c: Double, compute: Double, folds: Double, mapped: Double)?
        for (tr, tc) in arrangements {
            let r = Double(tr * a.peRows), c = Double(tc * a.peColumns)
            let candidate = Self.compute(a.dataflow, rowOperand: a.rowOperand, bitmodGroup: pe.type == .bitmod ? Double(plan.group) : nil,
                                         r: r, c: c, m: m, n: n, k: k, dp: dp, t: t)
            if best == nil || candidate.compute < best!.compute { best = (r, c, candidate.compute, candidate.folds, candidate.mapped) }
        }
        let (r, c, compute, folds, mapped) = best!
        // Bytes: weights at their code width (BitMoD adds the 8-bit group scale per group), FP16
        // activations and outputs (INT arrays: the code widths and INT32 outputs).
        let storage: Int
        if case .codebook(let c) = plan.b.element { storage = c.storageBits } else { storage = plan.b.element.bitWidth }
        let weightBits = Double(storage) + (pe.type == .bitmod ? 8 / Double(plan.group) : 0)
        let weightBytes = k * n * weightBits / 8
        let activationBytes = m * k * Double(plan.a.element.bitWidth) / 8
        let outputBytes = m * n * (pe.type == .intMAC ? 4 : 2)
        let wBuffer = Double(spec.memory.weightBufferKiB) * 1024, aBuffer = Double(spec.memory.activationBufferKiB) * 1024
        let (dramRead, refetch) = OperandRefetch.dramReads(weightBytes: weightBytes, activationBytes: activationBytes, weightBuffer: wBuffer,
                                                           activationBuffer: aBuffer)
        let clockHz = a.clockMHz * 1e6
        let dramCycles = (dramRead + outputBytes) / (spec.memory.dramBandwidthGBs * 1e9 / clockHz)
        let total = Swift.max(compute, dramCycles)
        let pes = Double(peCount)
        var actions = ActionCounts()
        actions.add("pe.active_cycles", pes * compute)
        actions.add("pe.mac", m * n * k)
        // The per-column floating-point accumulator folds every group result into its output
        // (BitMoD, and group-quantised weights on the other float PEs).
        let groups = (k / Double(plan.group)).rounded(.up)
        if pe.type == .bitmod || (groups > 1 && pe.type != .intMAC) { actions.add("column_accumulator.add", m * n * groups) }
        if pe.type == .bitmod { actions.add("term_generator.tile_cycles", Double(a.tileRows * a.tileColumns) * compute) }
        // Every fold streams its operands from the buffers: each PE row reads activations, each
        // column weights (the systolic links carry them on).
        actions.add("sram.read_bytes", folds * (k / dp).rounded(.up) * dp * (r * Double(plan.a.element.bitWidth) + c * weightBits) / 8)
        actions.add("sram.write_bytes", dramRead + outputBytes)
        actions.add("dram.read_bytes", dramRead)
        actions.add("dram.write_bytes", outputBytes)
        let peakMACs = pes * dp / t * clockHz
        return EngineTiming(
            cycles: CycleBreakdown(totalCycles: total, limits: [(.compute, compute), (.dram, dramCycles)]), clockHz: clockHz, actions: actions,
            peakMACsPerSecond: peakMACs,
            details: [ReportEntry("folds", .number(folds)), ReportEntry("dataflow", .text(a.dataflow.rawValue)),
                      ReportEntry("compute_cycles", .number(compute)),
                      // SCALE-Sim's COMPUTE_REPORT columns: the stationary operand's share of the
                      // array over all folds, and MACs per PE-cycle of compute.
                      ReportEntry("mapping_efficiency_pct", .number(100 * mapped / (folds * r * c))),
                      ReportEntry("overall_util_pct", .number(100 * m * n * k / (r * c * compute) * (dp > 1 || t > 1 ? t / dp : 1))),
                      ReportEntry("row_operand", .text(a.rowOperand.rawValue)), ReportEntry("array_rows", .int(Int(r))), ReportEntry("array_columns", .int(Int(c))), ReportEntry("dram_refetch", .text(refetch))],
            brief: "\(Int(folds)) folds on \(Int(r)) x \(Int(c)) PEs (\(a.dataflow.rawValue))",
            approximations: [
                "PE-array cycle model: folds of the whole array (no tile-level scheduling or reconfiguration), fill and drain per fold, memory as a DRAM bandwidth bound overlapped with compute (BitMoD's simulator's assumption); buffer bank conflicts not modelled",
            ])
    }

    /// Compute cycles, folds and the stationary operand's mapped elements on an R x C array.
    static func compute(_ dataflow: PEDataflow, rowOperand: PERowOperand, bitmodGroup: Double?, r: Double, c: Double, m: Double, n: Double,
                        k: Double, dp: Double, t: Double) -> (compute: Double, folds: Double, mapped: Double) {
        switch dataflow {
        case .outputStationary:
            let (down, across) = rowOperand == .m ? (m, n) : (n, m)
            let folds = (down / r).rounded(.up) * (across / c).rounded(.up)
            var perFold = (k / dp).rounded(.up) * t + r + c - 2
            if let g = bitmodGroup {
                let groups = (k / g).rounded(.up)
                let hidden = (g / dp).rounded(.up) * t
                perFold += hidden >= 8 ? 8 : groups * (8 - hidden) + hidden   // the last group's dequantisation drains
            }
            return (folds * perFold - 1, folds, m * n)
        case .weightStationary:
            let folds = (k / r).rounded(.up) * (n / c).rounded(.up)
            return (folds * (m + 2 * r + c - 2) - 1, folds, k * n)
        case .inputStationary:
            let folds = (k / r).rounded(.up) * (m / c).rounded(.up)
            return (folds * (n + 2 * r + c - 2) - 1, folds, k * m)
        }
    }
}
