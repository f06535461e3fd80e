/// The body of a `lut_tensor_core` document (lut-tensor-core.md): the LUT unit's numerics and
/// tile, how many units run at what clock, the table-precompute resources and the memories.
public struct LUTTensorCoreSpec: SpecObject, Sendable {
    public let unit: LUTUnitSpec
    public let array: LUTArraySpec
    public let precompute: LUTPrecomputeSpec
    public let memory: LUTMemorySpec
    public let attentionArchitecture: String?

    static let attentionField = Field<String>.optional(
        "attention_architecture",
        "A document (path relative to this one) whose engine runs the attention GEMMs of whole-model runs: the LUT unit multiplies weights only.")
    static let unitField = Field<LUTUnitSpec>.required("unit", "One LUT unit: LMMA tile, table and accumulator formats, precompute arithmetic.")
    static let arrayField = Field<LUTArraySpec>.required("array", "How many units, at what clock and technology.")
    static let precomputeField = Field<LUTPrecomputeSpec>.required("precompute", "The vector units that build the tables.")
    static let memoryField = Field<LUTMemorySpec>.required("memory", "On-chip buffers (or shared memory) and DRAM.")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "lut_tensor_core", doc: "A LUT Tensor Core design: table-lookup mixed-precision GEMM units.",
                     fields: [unitField.erased, arrayField.erased, precomputeField.erased, memoryField.erased, attentionField.erased])
    }

    public init(from r: ObjectReader) {
        unit = r[Self.unitField]
        array = r[Self.arrayField]
        precompute = r[Self.precomputeField]
        memory = r[Self.memoryField]
        attentionArchitecture = r.optional(Self.attentionField)
    }
}

/// Table-entry formats of a LUT unit.
public enum LUTTableFormat: String, SpecEnum, Sendable {
    /// IEEE binary16 entries (the released RTL: A_LUT_BIT 16).
    case fp16
    /// OFP8 entries with a power-of-two table scale per row and weight group.
    case e4m3, e5m2
    /// T-MAC-style INT8 entries with a binary32 table scale per row and weight group (INT8 activations).
    case int8
    /// Exact integer entries (INT8 activations): every entry is the exact sum, at most 8 + ceil(log2 K) + 1 bits.
    case int16

    public var isInteger: Bool { self == .int8 || self == .int16 }
}

/// Accumulators of a LUT unit.
public enum LUTAccumulatorFormat: String, SpecEnum, Sendable {
    /// IEEE binary16, round to nearest even (the released RTL: C_BIT 16, DW_fp_add rnd 000).
    case fp16
    case fp32
    /// Two's complement, wrapping (integer tables).
    case int32
}

/// The arithmetic of table precompute (lut-tensor-core.md §6).
public enum LUTPrecomputeOrder: String, SpecEnum, Sendable {
    /// Entry e = ((-a_0 + t_1 a_1) + t_2 a_2) + ...: left to right in the precompute format,
    /// each add rounded to nearest even, then one rounding into the entry format.
    case sequential
    /// The exact sum, rounded once into the entry format.
    case correctlyRounded = "correctly_rounded"
}

public enum LUTPrecomputeFormat: String, SpecEnum, Sendable {
    case fp32, fp16
}

/// One LUT unit (lut-tensor-core.md §3): an LMMA tile of M rows (one table each), N weight
/// columns and a K-element activation group, one weight bit-plane per cycle.
public struct LUTUnitSpec: SpecObject, Sendable {
    public let tileM: Int
    public let tileN: Int
    public let tileK: Int
    public let tableFormat: LUTTableFormat
    public let accumulatorFormat: LUTAccumulatorFormat
    public let precomputeFormat: LUTPrecomputeFormat
    public let precomputeOrder: LUTPrecomputeOrder
    public let maxWeightBits: Int
    public let rtlQuirks: Bool

    static let mField = Field<Int>.defaulted("tile_m", 2, "Activation rows per LMMA (one table per row).", rule: .inRange(1...256))
    static let nField = Field<Int>.defaulted("tile_n", 64, "Weight columns per LMMA (each table entry fans out to N multiplexers).",
                                             rule: .inRange(1...4096))
    static let kField = Field<Int>.defaulted("tile_k", 4, "Activation group per table: 2^(K-1) stored entries.", rule: .inRange(2...6))
    static let tableField = Field<LUTTableFormat>.required("table_format", "Format of the stored table entries.")
    static let accumulatorField = Field<LUTAccumulatorFormat>.required("accumulator_format", "Format of the per-output accumulator.")
    static let precomputeFormatField = Field<LUTPrecomputeFormat>.defaulted("precompute_format", .fp32,
                                                                            "Arithmetic of the table precompute adds (float tables).")
    static let orderField = Field<LUTPrecomputeOrder>.defaulted("precompute_order", .sequential, "Order and rounding of the precompute adds.")
    static let bitsField = Field<Int>.defaulted("max_weight_bits", 4, "Widest weight the unit's bit-plane counter serves.", rule: .inRange(1...8))
    static let quirksField = Field<Bool>.defaulted("rtl_quirks", false,
                                                   "Reproduce the released RTL's exponent-add scaling and non-IEEE adder (lut-tensor-core.md §3.3).")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "lut_unit", doc: "One LUT unit.", fields: [
            mField.erased, nField.erased, kField.erased, tableField.erased, accumulatorField.erased, precomputeFormatField.erased,
            orderField.erased, bitsField.erased, quirksField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        tileM = r[Self.mField]
        tileN = r[Self.nField]
        tileK = r[Self.kField]
        tableFormat = r[Self.tableField]
        accumulatorFormat = r[Self.accumulatorField]
        precomputeFormat = r[Self.precomputeFormatField]
        precomputeOrder = r[Self.orderField]
        maxWeightBits = r[Self.bitsField]
        rtlQuirks = r[Self.quirksField]
    }

    public init(tileM: Int = 2, tileN: Int = 64, tileK: Int = 4, tableFormat: LUTTableFormat, accumulatorFormat: LUTAccumulatorFormat,
                precomputeFormat: LUTPrecomputeFormat = .fp32, precomputeOrder: LUTPrecomputeOrder = .sequential,
                maxWeightBits: Int = 4, rtlQuirks: Bool = false) {
        self.tileM = tileM
        self.tileN = tileN
        self.tileK = tileK
        self.tableFormat = tableFormat
        self.accumulatorFormat = accumulatorFormat
        self.precomputeFormat = precomputeFormat
        self.precomputeOrder = precomputeOrder
        self.maxWeightBits = maxWeightBits
        self.rtlQuirks = rtlQuirks
    }

    public func validate(_ r: ObjectReader) {
        if tableFormat.isInteger && accumulatorFormat != .int32 {
            r.fail("accumulator_format", "integer tables (\(tableFormat.rawValue)) accumulate in int32", fix: "set \"accumulator_format\": \"int32\"")
        }
        if !tableFormat.isInteger && accumulatorFormat == .int32 {
            r.fail("accumulator_format", "float tables (\(tableFormat.rawValue)) need a float accumulator", fix: "use \"fp16\" or \"fp32\"")
        }
        if rtlQuirks && (tableFormat != .fp16 || accumulatorFormat != .fp16) {
            r.fail("rtl_quirks", "the RTL's quirks exist for FP16 tables and an FP16 accumulator only",
                   fix: "set \"rtl_quirks\": false, or use fp16 tables and accumulator")
        }
    }
}

/// The units of a design: a standalone accelerator (`units`) or units in each SM of a GPU
/// (`sm_count` x `units_per_sm`).
public struct LUTArraySpec: SpecObject, Sendable {
    public let units: Int?
    public let smCount: Int?
    public let unitsPerSM: Int?
    public let clockMHz: Double
    public let processNodeNM: Double?
    public let coreVoltageV: Double?
    public let powerLimitW: Double?

    static let unitsField = Field<Int>.optional("units", "LUT units of a standalone design.", rule: .inRange(1...1_000_000))
    static let smField = Field<Int>.optional("sm_count", "SMs of a GPU integration.", rule: .inRange(1...1024))
    static let perSMField = Field<Int>.optional("units_per_sm", "LUT units per SM of a GPU integration.", rule: .inRange(1...1024))
    static let clockField = Field<Double>.required("clock_mhz", unit: .megahertz, "Clock of the units.", rule: .inRange(1...10_000))
    static let nodeField = Field<Double>.optional("process_node_nm", unit: .nanometers, "Process node, for the cost model.", rule: .inRange(1...1000))
    static let voltageField = Field<Double>.optional("core_voltage_v", unit: .volts, "Supply voltage for energy scaling.", rule: .inRange(0.4...1.4))
    static let powerField = Field<Double>.optional("power_limit_w", unit: .watts, "Power limit (a report notes when a run exceeds it).",
                                                   rule: .inRange(0.001...100_000))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "lut_array", doc: "How many LUT units, at what clock and technology.", fields: [
            unitsField.erased, smField.erased, perSMField.erased, clockField.erased, nodeField.erased, voltageField.erased, powerField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        units = r.optional(Self.unitsField)
        smCount = r.optional(Self.smField)
        unitsPerSM = r.optional(Self.perSMField)
        clockMHz = r[Self.clockField]
        processNodeNM = r.optional(Self.nodeField)
        coreVoltageV = r.optional(Self.voltageField)
        powerLimitW = r.optional(Self.powerField)
    }

    public func validate(_ r: ObjectReader) {
        switch (units, smCount, unitsPerSM) {
        case (.some, nil, nil), (nil, .some, .some): break
        default:
            r.fail("units", "give either \"units\" (a standalone design) or both \"sm_count\" and \"units_per_sm\" (a GPU integration)",
                   fix: "e.g. \"units\": 1, or \"sm_count\": 108, \"units_per_sm\": 16")
        }
    }

    /// All units of the design.
    public var totalUnits: Int { units ?? (smCount ?? 1) * (unitsPerSM ?? 1) }
}

/// The vector units that build tables (lut-tensor-core.md §2.5, §6).
public struct LUTPrecomputeSpec: SpecObject, Sendable {
    public let addsPerCycle: Double
    public let overlapped: Bool

    static let addsField = Field<Double>.required("adds_per_cycle", unit: .perCycle,
                                                  "Floating-point (or integer) adds per cycle the whole design spends on table precompute.",
                                                  rule: .inRange(1...1e9))
    static let overlapField = Field<Bool>.defaulted("overlapped", true,
                                                    "Precompute of the next tile overlaps the lookups of this one (fused, lut-tensor-core.md §2.5).")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "lut_precompute", doc: "Table precompute resources.", fields: [addsField.erased, overlapField.erased])
    }

    public init(from r: ObjectReader) {
        addsPerCycle = r[Self.addsField]
        overlapped = r[Self.overlapField]
    }
}

/// On-chip buffers and DRAM of a LUT design.
public struct LUTMemorySpec: SpecObject, Sendable {
    public let sramKiB: Int
    public let sramBandwidthBytesPerCycle: Double
    public let dramTechnology: MemorySpec.DRAMTechnology
    public let dramBandwidthGBs: Double

    static let sramField = Field<Int>.required("sram_kib", unit: .kibibytes, "On-chip buffers (shared memory) holding weights, activations and tables.",
                                               rule: .inRange(1...(1 << 30)))
    static let sramBandwidthField = Field<Double>.required("sram_bandwidth_bytes_per_cycle", unit: .bytesPerCycle,
                                                           "Total on-chip buffer bandwidth.", rule: .inRange(1...1e9))
    static let dramField = Field<MemorySpec.DRAMTechnology>.required("dram_technology", "DRAM technology.")
    static let dramBandwidthField = Field<Double>.required("dram_bandwidth_gb_s", unit: .gigabytesPerSecond, "Peak DRAM bandwidth.",
                                                           rule: .inRange(1...1_000_000))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "lut_memory", doc: "On-chip buffers and DRAM.", fields: [
            sramField.erased, sramBandwidthField.erased, dramField.erased, dramBandwidthField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        sramKiB = r[Self.sramField]
        sramBandwidthBytesPerCycle = r[Self.sramBandwidthField]
        dramTechnology = r[Self.dramField]
        dramBandwidthGBs = r[Self.dramBandwidthField]
    }
}
