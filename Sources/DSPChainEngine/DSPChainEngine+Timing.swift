import Foundation
import ArchitectureSpec
import EngineKit
import Workloads

/// How a design maps onto its device: chains (or Kulisch MAC trees), buffers, fabric.
public struct DSPMapping: Sendable {
    /// Parallel chains (DSP modes) or MAC trees (Kulisch).
    public let chains: Int
    /// Terms one chain (tree) adds per cycle for one output.
    public let termsPerCycle: Int
    public let resources: DSPResourceUse
    /// Fabric LUTs and FFs switching per chain-cycle (accumulators, correction, skew).
    public let lutsPerChainCycle: Double
    public let ffsPerChainCycle: Double
    /// Buffer capacity per operand (bytes).
    public let bufferBytes: Double
    /// LUTs of one minifloat MAC (Kulisch), for the report.
    public let lutsPerMAC: Double
}

extension DSPChainEngine {
    /// Bits of a minifloat's fixed-point product, 2 (2^E + M) (fpga-dsp.md §7.2).
    static func kulischProductBits(_ plan: DSPPlan) -> Int {
        guard case .float(let fa) = plan.a.element, case .float(let fb) = plan.b.element else { return 0 }
        return (1 << fa.exponentBits) + fa.mantissaBits + (1 << fb.exponentBits) + fb.mantissaBits
    }

    /// The mapping of a plan onto the device (docs/fpga-dsp.md, "Resources"): DSP chains up to
    /// `dsp_fraction` of the DSPs; fabric by first-order FINN-R-style counts: a 32-bit
    /// accumulator (LUT + FF per bit) per chain output lane, the lane correction (a 30-bit adder
    /// for the INT8 sign bit, one LUT6_2 per DSP and lane for FINN's INT4 canary plus 2-bit
    /// sideband adders), the input skew registers L (L - 1) / 2 x the streamed bits, 300 LUTs of
    /// control; Kulisch MACs by mult + shift + tree-add LUTs of the fixed-point widths; buffers
    /// in URAM, then BRAM, up to `buffer_fraction`. Throws when the design does not fit.
    public func mapping(_ plan: DSPPlan) throws(EngineRefusal) -> DSPMapping {
        let d = spec.datapath, dev = spec.device, map = spec.mapping
        let lanes = Double(d.mode.lanes)
        let aBits = Double(plan.a.element.bitWidth), bBits = Double(plan.b.element.bitWidth)
        let control = 300.0
        var resources = DSPResourceUse()
        var chains = 0, lutsPerChain = 0.0, ffsPerChain = 0.0, lutsPerMAC = 0.0
        let termsPerCycle: Int
        if d.mode == .minifloatKulisch {
            let product = Double(Self.kulischProductBits(plan))
            guard case .float(let fa) = plan.a.element, case .float(let fb) = plan.b.element else { throw EngineRefusal("minifloat operands expected") }
            let w = Double(fa.mantissaBits + fb.mantissaBits + 2)
            let multiplier = (2 * (w / 6).rounded(.up) - 1) * w
            let shifter = product * (log2(product) / 2).rounded(.up)
            let tree = product + log2(Double(d.kulischTerms)).rounded(.up)
            lutsPerMAC = multiplier + shifter + tree
            let accumulator = tree + 24
            let perTree = Double(d.kulischTerms) * lutsPerMAC + accumulator
            chains = Int((Double(dev.lut) * map.lutFraction - control) / perTree)
            guard chains >= 1 else {
                throw EngineRefusal("one Kulisch tree of \(d.kulischTerms) MACs needs \(Int(perTree)) LUTs; \(Int(Double(dev.lut) * map.lutFraction)) are available (fix: fewer kulisch_terms or a larger lut_fraction)")
            }
            lutsPerChain = perTree
            ffsPerChain = Double(d.kulischTerms) * (aBits + bBits) + accumulator
            termsPerCycle = d.kulischTerms
        } else {
            let budget = Int(Double(dev.dsp) * map.dspFraction)
            chains = budget / d.chainLength
            guard chains >= 1 else {
                throw EngineRefusal("a chain of \(d.chainLength) DSPs does not fit \(budget) DSPs (\(Int(map.dspFraction * 100)) % of \(dev.dsp)) (fix: a shorter datapath.chain_length)")
            }
            resources.dsp = Double(chains * d.chainLength)
            let l = Double(d.chainLength)
            var correction = 0.0
            switch (d.mode, d.laneCorrection) {
            case (.int8Packed2, .signBit): correction = 30
            case (.int4Packed4, .canary): correction = 3 * l + 2 * 4 * 8
            default: correction = 0
            }
            let streamed = d.mode == .int8Packed2 ? 2 * aBits : (d.mode == .int4Packed4 ? aBits : aBits * Double(d.mode.termsPerDSP)) * (d.mode == .int8Tensor ? 1 : 1)
            let skew = l * (l - 1) / 2 * streamed
            lutsPerChain = lanes * 32 + correction
            ffsPerChain = lanes * 32 + skew
            termsPerCycle = d.chainLength * d.mode.termsPerDSP
        }
        resources.lut = control + Double(chains) * lutsPerChain
        resources.ff = Double(chains) * ffsPerChain
        // Buffers: half the RAM budget per operand, URAM first.
        let bufferBytes = dev.onChipBytes * map.bufferFraction / 2
        let uramBytes = Swift.min(2 * bufferBytes, Double(dev.uram) * 36864)
        resources.uram = (uramBytes / 36864).rounded(.up)
        resources.bram36 = ((2 * bufferBytes - uramBytes) / 4608).rounded(.up)
        if resources.lut > Double(dev.lut) * map.lutFraction {
            throw EngineRefusal("the fabric needs \(Int(resources.lut)) LUTs, above \(Int(map.lutFraction * 100)) % of \(dev.lut) (fix: fewer chains via dsp_fraction, or a larger lut_fraction)")
        }
        if resources.ff > Double(dev.ff) {
            throw EngineRefusal("the fabric needs \(Int(resources.ff)) flip-flops, above the device's \(dev.ff) (fix: shorter chains or a smaller dsp_fraction)")
        }
        _ = bBits
        return DSPMapping(chains: chains, termsPerCycle: termsPerCycle, resources: resources, lutsPerChainCycle: lutsPerChain,
                          ffsPerChainCycle: ffsPerChain, bufferBytes: bufferBytes, lutsPerMAC: lutsPerMAC)
    }

    /// The longest chain whose packed lanes cannot overflow for full-range operands of the
    /// plan's formats (INT8 two-lane: the 18-bit lower lane; nil for modes without lanes).
    public static func safeChainLength(_ plan: DSPPlan) -> Int? {
        guard plan.datapath.mode == .int8Packed2,
              case .integer(let fa) = plan.a.element, case .integer(let fb) = plan.b.element else { return nil }
        // The lower lane holds [-2^17, 2^17): the largest positive and negative products bound it.
        let products = [fa.minimum * fb.minimum, fa.maximum * fb.maximum, fa.minimum * fb.maximum, fa.maximum * fb.minimum]
        let positive = products.max()!, negative = products.min()!
        let up = positive > 0 ? ((1 << 17) - 1) / positive : Int64.max
        let down = negative < 0 ? (1 << 17) / (-negative) : Int64.max
        return Int(Swift.min(up, down))
    }

    /// Cycles, memory traffic and actions (docs/fpga-dsp.md, "Cycle model"): chain passes of
    /// the problem spread over the chains (one pass per chain per cycle, II 1), plus the chain
    /// latency L + 3 (AREG/BREG, MREG, PREG and one per DSP); off-chip traffic behind the
    /// buffers with BitMoD's refetch rule; cycles = max(compute, memory).
    public func timing(_ plan: DSPPlan, shape: GEMMShape) throws(EngineRefusal) -> EngineTiming {
        let mapping = try self.mapping(plan)
        let d = spec.datapath, dev = spec.device
        let m = Double(shape.m), n = Double(shape.n), k = Double(shape.k)
        let passesPerOutput = (k / Double(mapping.termsPerCycle)).rounded(.up)
        let outputsPerPass: Double = Double(d.mode.lanes)
        let (rowsGrouped, columnsGrouped): (Double, Double)
        switch d.mode {
        case .int8Packed2: (rowsGrouped, columnsGrouped) = ((m / 2).rounded(.up), n)
        case .int4Packed4: (rowsGrouped, columnsGrouped) = (m, (n / 4).rounded(.up))
        case .int8Tensor: (rowsGrouped, columnsGrouped) = (m, (n / 2).rounded(.up))
        default: (rowsGrouped, columnsGrouped) = (m, n)
        }
        let chainCycles = rowsGrouped * columnsGrouped * passesPerOutput
        let latency = Double(d.chainLength) + 3
        let compute = (chainCycles / Double(mapping.chains)).rounded(.up) + latency
        let aBits = Double(plan.a.element.bitWidth), bBits = Double(plan.b.element.bitWidth)
        let weightBytes = k * n * bBits / 8, activationBytes = m * k * aBits / 8, outputBytes = m * n * 4
        let (dramRead, refetch) = OperandRefetch.dramReads(weightBytes: weightBytes, activationBytes: activationBytes,
                                                           weightBuffer: mapping.bufferBytes, activationBuffer: mapping.bufferBytes)
        let clockHz = spec.mapping.clockMHz * 1e6
        let dramCycles = (dramRead + outputBytes) / (dev.memoryBandwidthGBs * 1e9 / clockHz)
        let total = Swift.max(compute, dramCycles)
        var actions = ActionCounts()
        if d.mode != .minifloatKulisch { actions.add("dsp.active_cycles", chainCycles * Double(d.chainLength)) }
        actions.add("dsp.mac", m * n * k)
        actions.add("fabric.lut_cycles", chainCycles * mapping.lutsPerChainCycle)
        actions.add("fabric.ff_cycles", chainCycles * mapping.ffsPerChainCycle)
        // Every chain pass streams its terms' operands out of the buffers.
        let perPass = Double(mapping.termsPerCycle) * (aBits * (d.mode == .int8Packed2 ? 2 : 1) + bBits * (d.mode == .int4Packed4 ? 4 : (d.mode == .int8Tensor ? 2 : 1))) / 8
        actions.add("bram.read_bytes", chainCycles * perPass)
        actions.add("bram.write_bytes", dramRead)
        actions.add("dram.read_bytes", dramRead)
        actions.add("dram.write_bytes", outputBytes)
        let peak = Double(mapping.chains) * Double(mapping.termsPerCycle) * outputsPerPass * clockHz
        var details: [ReportEntry] = [
            ReportEntry("chains", .int(mapping.chains)), ReportEntry("terms_per_chain_cycle", .int(mapping.termsPerCycle)),
            ReportEntry("chain_passes", .number(chainCycles)), ReportEntry("chain_latency_cycles", .number(latency)),
            ReportEntry("dram_refetch", .text(refetch)),
            ReportEntry("resources", .object([
                ReportEntry("dsp", .number(mapping.resources.dsp)), ReportEntry("lut", .number(mapping.resources.lut)),
                ReportEntry("ff", .number(mapping.resources.ff)), ReportEntry("bram36", .number(mapping.resources.bram36)),
                ReportEntry("uram", .number(mapping.resources.uram)),
            ])),
            ReportEntry("utilisation_pct", .object([
                ReportEntry("dsp", .number(100 * mapping.resources.dsp / Double(dev.dsp))), ReportEntry("lut", .number(100 * mapping.resources.lut / Double(dev.lut))),
                ReportEntry("ff", .number(100 * mapping.resources.ff / Double(dev.ff))),
                ReportEntry("bram36", .number(dev.bram36 > 0 ? 100 * mapping.resources.bram36 / Double(dev.bram36) : 0)),
                ReportEntry("uram", .number(dev.uram > 0 ? 100 * mapping.resources.uram / Double(dev.uram) : 0)),
            ])),
        ]
        if let safe = Self.safeChainLength(plan) { details.append(ReportEntry("safe_chain_length", .int(safe))) }
        if d.mode == .minifloatKulisch { details.append(ReportEntry("luts_per_mac", .number(mapping.lutsPerMAC))) }
        return EngineTiming(
            cycles: CycleBreakdown(totalCycles: total, limits: [(.compute, compute), (.dram, dramCycles)]), clockHz: clockHz, actions: actions,
            peakMACsPerSecond: peak, details: details,
            brief: "\(mapping.chains) \(d.mode == .minifloatKulisch ? "MAC trees" : "chains") x \(mapping.termsPerCycle) terms, \(Int(chainCycles)) chain passes",
            approximations: [
                "FPGA DSP-chain cycle model: chain passes spread evenly over the chains, chain latency L + 3 once per GEMM, no routing or placement limits on Fmax beyond the document's clock, memory as a bandwidth bound overlapped with compute",
                "FPGA fabric resources by first-order FINN-R-style counts (accumulators, lane correction, input skew, control), not synthesis",
            ])
    }
}
