/// The body of an `fpga_dsp` document (fpga-dsp.md): an FPGA device, the DSP-chain datapath
/// mapped onto it, and the device's power figures.
public struct FPGADSPSpec: SpecObject, Sendable {
    public let device: FPGADeviceSpec
    public let datapath: FPGADatapathSpec
    public let mapping: FPGAMappingSpec
    public let power: FPGAPowerSpec

    static let deviceField = Field<FPGADeviceSpec>.required("device", "The FPGA: DSP family, resources, DSP Fmax, off-chip memory.")
    static let datapathField = Field<FPGADatapathSpec>.required("datapath", "How the DSP chains multiply and accumulate.")
    static let mappingField = Field<FPGAMappingSpec>.required("mapping", "Clock, how much of the device the chains and buffers take.")
    static let powerField = Field<FPGAPowerSpec>.required("power", "Static power and dynamic energies (XPE conventions).")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "fpga_dsp", doc: "DSP-chain GEMM engines on an FPGA.",
                     fields: [deviceField.erased, datapathField.erased, mappingField.erased, powerField.erased])
    }

    public init(from r: ObjectReader) {
        device = r[Self.deviceField]
        datapath = r[Self.datapathField]
        mapping = r[Self.mappingField]
        power = r[Self.powerField]
    }

    public func validate(_ r: ObjectReader) {
        let allowed: [FPGADSPMode]
        switch device.family {
        case .dsp48e2: allowed = [.int8Packed2, .int4Packed4, .int8Single, .minifloatKulisch]
        case .dsp58: allowed = [.int8Dot3, .dspfp32, .int8Single, .minifloatKulisch]
        case .agilexTensor: allowed = [.int8Tensor, .minifloatKulisch]
        }
        if !allowed.contains(datapath.mode) {
            r.fail("datapath", "mode \(datapath.mode.rawValue) does not run on \(device.family.rawValue) DSPs",
                   fix: "use one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        if mapping.clockMHz > device.dspFmaxMHz {
            r.fail("mapping", "clock_mhz \(mapping.clockMHz) exceeds the device's DSP Fmax \(device.dspFmaxMHz) MHz", fix: "lower mapping.clock_mhz")
        }
    }
}

/// DSP families (fpga-dsp.md §1, §4, §5).
public enum FPGADSPFamily: String, SpecEnum, Sendable {
    /// AMD UltraScale+ DSP48E2: 27-bit pre-adder, 27 x 18 multiplier, 48-bit accumulator.
    case dsp48e2
    /// AMD Versal DSP58: 27 x 24 multiplier, 58-bit accumulator, INT8 3-term dot mode, DSPFP32.
    case dsp58
    /// Intel Agilex AI tensor block: two columns of 10-term INT8 dot products, 32-bit accumulate.
    case agilexTensor = "agilex_tensor"
}

public enum FPGAMemoryTechnology: String, SpecEnum, Sendable {
    case ddr4, hbm2, hbm2e, lpddr4
}

public struct FPGADeviceSpec: SpecObject, Sendable {
    public let part: String
    public let family: FPGADSPFamily
    public let speedGrade: String
    public let dsp: Int
    public let lut: Int
    public let ff: Int
    public let bram36: Int
    public let uram: Int
    public let dspFmaxMHz: Double
    public let memoryTechnology: FPGAMemoryTechnology
    public let memoryBandwidthGBs: Double
    public let processNodeNM: Double
    public let coreVoltageV: Double

    static let partField = Field<String>.required("part", "Device part number, e.g. XCU280.")
    static let familyField = Field<FPGADSPFamily>.required("family", "DSP block family.")
    static let gradeField = Field<String>.required("speed_grade", "Speed grade the Fmax refers to, e.g. -2.")
    static let dspField = Field<Int>.required("dsp", "DSP blocks (AMD DSP slices; Intel tensor blocks).", rule: .inRange(1...100_000))
    static let lutField = Field<Int>.required("lut", "LUTs (Intel: ALMs x 2).", rule: .inRange(1...100_000_000))
    static let ffField = Field<Int>.required("ff", "Flip-flops.", rule: .inRange(1...100_000_000))
    static let bramField = Field<Int>.required("bram36", "36 Kb block RAMs (Intel: M20K blocks counted as 20 Kb each; see the document's sources).",
                                               rule: .inRange(0...1_000_000))
    static let uramField = Field<Int>.defaulted("uram", 0, "288 Kb UltraRAM blocks.", rule: .inRange(0...100_000))
    static let fmaxField = Field<Double>.required("dsp_fmax_mhz", unit: .megahertz, "DSP Fmax at the speed grade with all registers.",
                                                  rule: .inRange(1...2000))
    static let memoryField = Field<FPGAMemoryTechnology>.required("memory_technology", "Off-chip memory.")
    static let bandwidthField = Field<Double>.required("memory_bandwidth_gb_s", unit: .gigabytesPerSecond, "Off-chip bandwidth.",
                                                      rule: .inRange(0.1...100_000))
    static let nodeField = Field<Double>.required("process_node_nm", unit: .nanometers, "Process node, for the cost model.", rule: .inRange(1...1000))
    static let voltageField = Field<Double>.required("core_voltage_v", unit: .volts, "Core supply (VCCINT).", rule: .inRange(0.4...1.4))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "fpga_device", doc: "The FPGA device.", fields: [
            partField.erased, familyField.erased, gradeField.erased, dspField.erased, lutField.erased, ffField.erased, bramField.erased,
            uramField.erased, fmaxField.erased, memoryField.erased, bandwidthField.erased, nodeField.erased, voltageField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        part = r[Self.partField]
        family = r[Self.familyField]
        speedGrade = r[Self.gradeField]
        dsp = r[Self.dspField]
        lut = r[Self.lutField]
        ff = r[Self.ffField]
        bram36 = r[Self.bramField]
        uram = r[Self.uramField]
        dspFmaxMHz = r[Self.fmaxField]
        memoryTechnology = r[Self.memoryField]
        memoryBandwidthGBs = r[Self.bandwidthField]
        processNodeNM = r[Self.nodeField]
        coreVoltageV = r[Self.voltageField]
    }

    /// On-chip RAM in bytes (BRAM36 4.5 KiB, URAM 36 KiB).
    public var onChipBytes: Double { Double(bram36) * 4608 + Double(uram) * 36864 }
}

/// Datapath modes (docs/fpga-dsp.md).
public enum FPGADSPMode: String, SpecEnum, Sendable {
    /// DSP48E2: two INT8 products sharing one weight (WP486): lanes at bits 0 and 18.
    case int8Packed2 = "int8_packed2"
    /// DSP48E2: four 4-bit weights x one 4-bit activation (FINN mvu_4sx4u): lanes at 0, 8, 15, 22.
    case int4Packed4 = "int4_packed4"
    /// One INT8 product per DSP into the full-width accumulator (DSP48E2 or DSP58).
    case int8Single = "int8_single"
    /// DSP58 INT8 vector dot product: three 9 x 8 products per DSP, 58-bit accumulate.
    case int8Dot3 = "int8_dot3"
    /// Agilex tensor mode: 10-term INT8 dot products, 32-bit accumulate.
    case int8Tensor = "int8_tensor"
    /// Versal DSPFP32: FP16/FP32 multiply, FP32 add, round to nearest even.
    case dspfp32
    /// Minifloat MACs in LUT fabric with exact (Kulisch) accumulation, rounded once to FP32.
    case minifloatKulisch = "minifloat_kulisch"

    /// Products each DSP (or block) contributes to one output per cycle, and outputs per chain.
    public var termsPerDSP: Int {
        switch self {
        case .int8Dot3: return 3
        case .int8Tensor: return 10
        default: return 1
        }
    }

    public var lanes: Int {
        switch self {
        case .int8Packed2: return 2
        case .int4Packed4: return 4
        case .int8Tensor: return 2
        default: return 1
        }
    }
}

/// How packed lanes are read back (fpga-dsp.md §2.2, §3).
public enum FPGALaneCorrection: String, SpecEnum, Sendable {
    /// Each lane field read as signed, plus the lower lane's sign bit (the borrow fix, P[17] for
    /// INT8): exact while every lane's running sum fits its field.
    case signBit = "sign_bit"
    /// FINN's canary: the cross-lane carry recovered per cycle and summed in a sideband: exact.
    case canary
    /// Each lane field read as signed, no fix (biased toward minus infinity).
    case none
}

public struct FPGADatapathSpec: SpecObject, Sendable {
    public let mode: FPGADSPMode
    public let chainLength: Int
    public let laneCorrection: FPGALaneCorrection
    public let kulischTerms: Int

    static let modeField = Field<FPGADSPMode>.required("mode", "How the DSPs multiply (docs/fpga-dsp.md).")
    static let chainField = Field<Int>.required("chain_length", "DSPs (or tensor blocks) per cascade; one dot-product pass of the chain per cycle.",
                                                rule: .inRange(1...1024))
    static let correctionField = Field<FPGALaneCorrection>.defaulted("lane_correction", .signBit,
                                                                    "Packed modes: how lane results are read back (sign_bit, canary, none).")
    static let kulischField = Field<Int>.defaulted("kulisch_terms", 16, "minifloat_kulisch: products per adder tree (one MAC pass).",
                                                   rule: .inRange(1...4096))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "fpga_datapath", doc: "The DSP-chain datapath.", fields: [modeField.erased, chainField.erased, correctionField.erased,
                                                                                     kulischField.erased])
    }

    public init(from r: ObjectReader) {
        mode = r[Self.modeField]
        chainLength = r[Self.chainField]
        laneCorrection = r[Self.correctionField]
        kulischTerms = r[Self.kulischField]
    }

    public func validate(_ r: ObjectReader) {
        if mode == .int8Packed2 && laneCorrection == .canary {
            r.fail("lane_correction", "the INT8 two-lane scheme reads its lanes with the P[17] sign bit (sign_bit) or without (none)",
                   fix: "use sign_bit or none")
        }
    }

    /// Terms of one output a chain pass covers.
    public var passLength: Int { mode == .minifloatKulisch ? kulischTerms : chainLength * mode.termsPerDSP }
}

public struct FPGAMappingSpec: SpecObject, Sendable {
    public let clockMHz: Double
    public let dspFraction: Double
    public let bufferFraction: Double
    public let lutFraction: Double

    static let clockField = Field<Double>.required("clock_mhz", unit: .megahertz, "Design clock (at most the DSP Fmax).", rule: .inRange(1...2000))
    static let dspFractionField = Field<Double>.defaulted("dsp_fraction", 0.9, "Share of the device's DSPs the chains may take.", rule: .inRange(0.01...1))
    static let bufferFractionField = Field<Double>.defaulted("buffer_fraction", 0.8, "Share of BRAM/URAM for the weight and activation buffers.",
                                                             rule: .inRange(0.01...1))
    static let lutFractionField = Field<Double>.defaulted("lut_fraction", 0.7, "Share of LUTs available (minifloat MACs live in LUTs).",
                                                          rule: .inRange(0.01...1))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "fpga_mapping", doc: "How the design uses the device.", fields: [clockField.erased, dspFractionField.erased,
                                                                                            bufferFractionField.erased, lutFractionField.erased])
    }

    public init(from r: ObjectReader) {
        clockMHz = r[Self.clockField]
        dspFraction = r[Self.dspFractionField]
        bufferFraction = r[Self.bufferFractionField]
        lutFraction = r[Self.lutFractionField]
    }
}

/// Device power (docs/fpga-dsp.md, "Power"): dynamic energies come from the cost model's cell
/// library at the device's node (hard DSP and RAM blocks as standard cells; LUT fabric times
/// `fabric_power_ratio`), scaled by the data toggle rate (XPE conventions); static power only
/// when the document gives a sourced figure.
public struct FPGAPowerSpec: SpecObject, Sendable {
    public let staticW: Double?
    public let toggleRate: Double
    public let fabricPowerRatio: Double

    static let staticField = Field<Double>.optional("static_w", unit: .watts, "Device static power, from a sourced estimate (XPE/PDM); omitted: not modelled.",
                                                    rule: .inRange(0...1000))
    static let toggleField = Field<Double>.defaulted("toggle_rate", 0.38, "Data toggle rate (XPE: random data about 38 %).", rule: .inRange(0.01...1))
    static let fabricField = Field<Double>.defaulted("fabric_power_ratio", 14,
                                                    "Dynamic energy of LUT-fabric logic relative to standard cells (Kuon and Rose, IEEE TCAD 2007: about 14).",
                                                    rule: .inRange(1...100))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "fpga_power", doc: "Static power and how dynamic energies are derived.", fields: [staticField.erased, toggleField.erased, fabricField.erased])
    }

    public init(from r: ObjectReader) {
        staticW = r.optional(Self.staticField)
        toggleRate = r[Self.toggleField]
        fabricPowerRatio = r[Self.fabricField]
    }
}
