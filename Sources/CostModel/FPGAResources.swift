/// FPGA resources of a component (issue: FPGA designs get resources and power instead of
/// mm^2). Counts per instance; `RunCost` reports the design's totals.
public struct FPGAResources: Codable, Sendable, Hashable {
    public var dsp: Double
    public var lut: Double
    public var ff: Double
    /// 36 Kb block RAMs.
    public var bram: Double
    /// 288 Kb UltraRAMs.
    public var uram: Double

    public init(dsp: Double = 0, lut: Double = 0, ff: Double = 0, bram: Double = 0, uram: Double = 0) {
        self.dsp = dsp
        self.lut = lut
        self.ff = ff
        self.bram = bram
        self.uram = uram
    }

    public static func + (a: FPGAResources, b: FPGAResources) -> FPGAResources {
        FPGAResources(dsp: a.dsp + b.dsp, lut: a.lut + b.lut, ff: a.ff + b.ff, bram: a.bram + b.bram, uram: a.uram + b.uram)
    }

    public static func * (k: Double, a: FPGAResources) -> FPGAResources {
        FPGAResources(dsp: k * a.dsp, lut: k * a.lut, ff: k * a.ff, bram: k * a.bram, uram: k * a.uram)
    }
}

/// The XPE convention for DSP dynamic energy (fpga-dsp.md §9; AMD UG440, DSP sheet): energy
/// per active cycle of a DSP mode, at XPE's 27 x 18 reference configuration, times a toggle
/// factor: the data's toggle rate (random data about 38%) times the clock-enable duty cycle,
/// scaled by 0.86 for an 18 x 18 and 0.8 for a 12 x 12 configuration.
public enum FPGADSPEnergy {
    public enum Configuration: String, Codable, Sendable {
        case mult27x18 = "27x18"
        case mult18x18 = "18x18"
        case mult12x12 = "12x12"

        /// UG440's toggle-rate scale for the configuration.
        public var toggleScale: Double {
            switch self {
            case .mult27x18: return 1
            case .mult18x18: return 0.86
            case .mult12x12: return 0.8
            }
        }
    }

    /// UG440's toggle rate of random data.
    public static let randomDataToggleRate = 0.38

    /// Energy of one active cycle given the mode's energy at XPE's reference toggle rate
    /// (`referenceToggleRate`, the rate the mode energy was characterised at).
    public static func energyPerCycle(modeEnergyPJ: Double, referenceToggleRate: Double, toggleRate: Double = randomDataToggleRate,
                                      clockEnableDuty: Double = 1, configuration: Configuration = .mult27x18) throws(CostModelError) -> Double {
        guard modeEnergyPJ >= 0, referenceToggleRate > 0, referenceToggleRate <= 1, toggleRate >= 0, toggleRate <= 1,
              clockEnableDuty >= 0, clockEnableDuty <= 1 else {
            throw CostModelError("DSP energy needs a non-negative mode energy, toggle rates in (0, 1] and a clock-enable duty in [0, 1]")
        }
        return modeEnergyPJ * (toggleRate * clockEnableDuty * configuration.toggleScale) / referenceToggleRate
    }
}
