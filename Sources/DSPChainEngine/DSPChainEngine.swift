import ArchitectureSpec
import EngineKit

/// DSP-chain GEMM engines on an FPGA as a `GEMMEngine` (fpga-dsp.md; docs/fpga-dsp.md): cascades
/// of DSP48E2 (packed INT8 / INT4, single INT8), DSP58 (3-term INT8 dot, DSPFP32) or Agilex
/// tensor blocks (10-term INT8 dot), or minifloat MACs with Kulisch accumulators in LUT fabric;
/// bit-exact lanes with their overflows, chains mapped onto the device's DSP, LUT, FF and RAM
/// budgets, cycles with off-chip bandwidth.
public struct DSPChainEngine: GEMMEngine {
    public static let family = "fpga_dsp"
    public static let title = "FPGA DSP chains"

    public let name: String
    public let spec: FPGADSPSpec

    public init(name: String, spec: FPGADSPSpec) {
        self.name = name
        self.spec = spec
    }

    public var hardware: HardwareSummary {
        let d = spec.datapath
        let unit = spec.device.family == .agilexTensor ? "tensor blocks" : "DSPs"
        let what = d.mode == .minifloatKulisch ? "minifloat MAC trees of \(d.kulischTerms) in LUTs" : "chains of \(d.chainLength) \(unit)"
        return HardwareSummary(name: name, kind: ArchitectureKind.fpgaDSP.rawValue, clockMHz: spec.mapping.clockMHz,
                               units: "\(spec.device.part) (\(spec.device.speedGrade)): \(what), \(d.mode.rawValue)")
    }
}

/// FPGA resources a mapping takes (the cost model prices them; engines do not import it).
public struct DSPResourceUse: Sendable, Hashable {
    public var dsp = 0.0, lut = 0.0, ff = 0.0, bram36 = 0.0, uram = 0.0

    public init(dsp: Double = 0, lut: Double = 0, ff: Double = 0, bram36: Double = 0, uram: Double = 0) {
        (self.dsp, self.lut, self.ff, self.bram36, self.uram) = (dsp, lut, ff, bram36, uram)
    }
}
