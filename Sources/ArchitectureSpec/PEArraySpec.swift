/// The body of a `pe_array` document (bitmod.md, cost-models.md §7): a systolic array of
/// processing elements of one type, its buffers and DRAM.
public struct PEArraySpec: SpecObject, Sendable {
    public let pe: PESpec
    public let array: PEArrayLayoutSpec
    public let memory: PEMemorySpec

    static let peField = Field<PESpec>.required("pe", "The processing element: type, dot-product size, accumulator.")
    static let arrayField = Field<PEArrayLayoutSpec>.required("array", "Tiles of PEs, dataflow, clock and technology.")
    static let memoryField = Field<PEMemorySpec>.required("memory", "Weight and activation buffers, DRAM.")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "pe_array", doc: "A systolic array of processing elements.", fields: [peField.erased, arrayField.erased, memoryField.erased])
    }

    public init(from r: ObjectReader) {
        pe = r[Self.peField]
        array = r[Self.arrayField]
        memory = r[Self.memoryField]
    }

    public func validate(_ r: ObjectReader) {
        if array.dataflow != .outputStationary && pe.type != .intMAC {
            r.fail("array", "the \(array.dataflow.rawValue) dataflow is modelled for int_mac arrays (SCALE-Sim compatibility) only",
                   fix: "use \"dataflow\": \"os\", or an int_mac PE")
        }
    }
}

/// Processing-element types (docs/pe-array.md).
public enum PEType: String, SpecEnum, Sendable {
    /// BitMoD bit-serial PE: FP16 activations x weight terms (Booth INT8/INT6, two-term FP4/FP3 of
    /// the BitMoD mixtures), truncating alignment, group accumulator, bit-serial INT8 group-scale
    /// dequantisation (bitmod.md §3-4).
    case bitmod
    /// FP16 x FP16 multiply then add (separate rounding), FP16 or FP32 accumulator.
    case fp16MAC = "fp16_mac"
    /// FP16 x integer-valued weight (INT8/INT4, ANT flint4, BitMoD grids) with FP16 product and
    /// accumulation: the ANT and OliVe PEs (bitmod.md §7).
    case fp16Int = "fp16_int"
    /// INTn x INTn bit-parallel MAC with an exact wrapping INT32 accumulator.
    case intMAC = "int_mac"
    /// L-Mul (Luo and Sun, arXiv:2410.00907): the float product replaced by one integer addition of
    /// the operands' exponent and mantissa fields plus 2^-l(m).
    case lmul
}

public enum PEAccumulatorFormat: String, SpecEnum, Sendable {
    case fp16, fp32, int32
}

/// One processing element.
public struct PESpec: SpecObject, Sendable {
    public let type: PEType
    public let dotProductSize: Int
    public let accumulatorFormat: PEAccumulatorFormat
    public let dequantizationBits: Int
    public let groupSize: Int

    static let typeField = Field<PEType>.required("type", "The PE's arithmetic.")
    static let dpField = Field<Int>.defaulted("dot_product_size", 1, "Activations (and weight terms) a PE multiplies per cycle (BitMoD: 4).",
                                              rule: .inRange(1...64))
    static let accumulatorField = Field<PEAccumulatorFormat>.required("accumulator_format",
                                                                      "The output accumulator (BitMoD: the per-column FP accumulator of group results).")
    static let dequantField = Field<Int>.defaulted("dequantization_bits", 23,
                                                   "BitMoD: width of the bit-serial dequantisation register (15-bit mantissa x 8-bit scale needs 23; the RTL's 21 wraps; at most 24 so a group value is exact in binary32).",
                                                   rule: .inRange(16...24))
    static let groupField = Field<Int>.defaulted("group_size", 128, "BitMoD: the weight group along K that shares one INT8 scale (other PE types take the run's --quantize).", rule: .inRange(1...65536))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "pe", doc: "One processing element.", fields: [
            typeField.erased, dpField.erased, accumulatorField.erased, dequantField.erased, groupField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        type = r[Self.typeField]
        dotProductSize = r[Self.dpField]
        accumulatorFormat = r[Self.accumulatorField]
        dequantizationBits = r[Self.dequantField]
        groupSize = r[Self.groupField]
    }

    public func validate(_ r: ObjectReader) {
        switch type {
        case .intMAC where accumulatorFormat != .int32:
            r.fail("accumulator_format", "int_mac accumulates in int32", fix: "set \"accumulator_format\": \"int32\"")
        case .bitmod where accumulatorFormat != .fp32:
            r.fail("accumulator_format", "the BitMoD column accumulator folds group results in fp32", fix: "set \"accumulator_format\": \"fp32\"")
        case .fp16MAC where accumulatorFormat == .int32, .lmul where accumulatorFormat == .int32:
            r.fail("accumulator_format", "\(type.rawValue) accumulates in fp16 or fp32", fix: "use \"fp32\" or \"fp16\"")
        case .fp16Int where accumulatorFormat != .fp16:
            r.fail("accumulator_format", "fp16_int PEs add FP16 products into an FP16 accumulator", fix: "set \"accumulator_format\": \"fp16\"")
        default: break
        }
        if type == .bitmod && dotProductSize != 4 {
            r.fail("dot_product_size", "the BitMoD PE multiplies 4 activations per cycle (bitmod.md §4)", fix: "set \"dot_product_size\": 4")
        }
        if type != .bitmod && dotProductSize != 1 {
            r.fail("dot_product_size", "\(type.rawValue) PEs multiply one pair per cycle", fix: "set \"dot_product_size\": 1")
        }
        if type == .bitmod && groupSize % dotProductSize != 0 {
            r.fail("group_size", "the group must hold whole dot products", fix: "use a multiple of \(dotProductSize)")
        }
    }
}

/// Systolic dataflows (SCALE-Sim's names; cost-models.md §7).
public enum PEDataflow: String, SpecEnum, Sendable {
    case outputStationary = "os"
    case weightStationary = "ws"
    case inputStationary = "is"
}

/// Which GEMM dimension the array's rows hold in the output-stationary mapping.
public enum PERowOperand: String, SpecEnum, Sendable {
    /// Rows hold the M rows of A (tokens), columns the N outputs (SCALE-Sim's mapping).
    case m
    /// Rows hold the N output channels, columns the tokens (BitMoD's simulator: Cout on the height).
    case n
}

/// Tiles of PEs and how they run.
public struct PEArrayLayoutSpec: SpecObject, Sendable {
    public let tileRows: Int
    public let tileColumns: Int
    public let peRows: Int
    public let peColumns: Int
    public let dataflow: PEDataflow
    public let rowOperand: PERowOperand
    public let reconfigurableTiles: Bool
    public let placeAndRouteFactor: Double
    public let clockMHz: Double
    public let processNodeNM: Double?
    public let coreVoltageV: Double?

    static let tileRowsField = Field<Int>.defaulted("tile_rows", 1, "Tiles down the array.", rule: .inRange(1...256))
    static let tileColumnsField = Field<Int>.defaulted("tile_columns", 1, "Tiles across the array.", rule: .inRange(1...256))
    static let peRowsField = Field<Int>.required("pe_rows", "PE rows per tile.", rule: .inRange(1...4096))
    static let peColumnsField = Field<Int>.required("pe_columns", "PE columns per tile.", rule: .inRange(1...4096))
    static let dataflowField = Field<PEDataflow>.defaulted("dataflow", .outputStationary, "Systolic dataflow.")
    static let rowField = Field<PERowOperand>.defaulted("row_operand", .m, "GEMM dimension on the array's rows (output stationary).")
    static let reconfigurableField = Field<Bool>.defaulted("reconfigurable_tiles", false,
                                                          "Tiles may be rearranged per GEMM (same count; the fewest compute cycles wins), as BitMoD's simulator uses 32 x 32 for prefill and 64 x 16 for generation.")
    static let placeAndRouteField = Field<Double>.defaulted("place_and_route_factor", 1,
                                                            "Multiplies the PEs' synthesised energy for wiring after place and route (an assumption; BitMoD's simulator uses 1.5).",
                                                            rule: .inRange(1...3))
    static let clockField = Field<Double>.required("clock_mhz", unit: .megahertz, "Clock.", rule: .inRange(1...10_000))
    static let nodeField = Field<Double>.optional("process_node_nm", unit: .nanometers, "Process node, for the cost model.", rule: .inRange(1...1000))
    static let voltageField = Field<Double>.optional("core_voltage_v", unit: .volts, "Supply voltage.", rule: .inRange(0.4...1.4))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "pe_array_layout", doc: "Tiles of PEs, dataflow, clock and technology.", fields: [
            tileRowsField.erased, tileColumnsField.erased, peRowsField.erased, peColumnsField.erased, dataflowField.erased,
            rowField.erased, reconfigurableField.erased, placeAndRouteField.erased, clockField.erased, nodeField.erased, voltageField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        tileRows = r[Self.tileRowsField]
        tileColumns = r[Self.tileColumnsField]
        peRows = r[Self.peRowsField]
        peColumns = r[Self.peColumnsField]
        dataflow = r[Self.dataflowField]
        rowOperand = r[Self.rowField]
        reconfigurableTiles = r[Self.reconfigurableField]
        placeAndRouteFactor = r[Self.placeAndRouteField]
        clockMHz = r[Self.clockField]
        processNodeNM = r.optional(Self.nodeField)
        coreVoltageV = r.optional(Self.voltageField)
    }

    public init(tileRows: Int = 1, tileColumns: Int = 1, peRows: Int, peColumns: Int, dataflow: PEDataflow, rowOperand: PERowOperand = .m,
                reconfigurableTiles: Bool = false, placeAndRouteFactor: Double = 1, clockMHz: Double, processNodeNM: Double? = nil,
                coreVoltageV: Double? = nil) {
        self.reconfigurableTiles = reconfigurableTiles
        self.placeAndRouteFactor = placeAndRouteFactor
        self.tileRows = tileRows
        self.tileColumns = tileColumns
        self.peRows = peRows
        self.peColumns = peColumns
        self.dataflow = dataflow
        self.rowOperand = rowOperand
        self.clockMHz = clockMHz
        self.processNodeNM = processNodeNM
        self.coreVoltageV = coreVoltageV
    }

    /// PE rows and columns of the whole array.
    public var rows: Int { tileRows * peRows }
    public var columns: Int { tileColumns * peColumns }
}

/// Buffers and DRAM of a PE array.
public struct PEMemorySpec: SpecObject, Sendable {
    public let weightBufferKiB: Int
    public let activationBufferKiB: Int
    public let banks: Int
    public let dramTechnology: MemorySpec.DRAMTechnology
    public let dramBandwidthGBs: Double
    public let dramEnergyPJPerBit: Double?

    static let weightField = Field<Int>.required("weight_buffer_kib", unit: .kibibytes, "Weight buffer.", rule: .inRange(1...(1 << 24)))
    static let activationField = Field<Int>.required("activation_buffer_kib", unit: .kibibytes, "Activation buffer.", rule: .inRange(1...(1 << 24)))
    static let banksField = Field<Int>.defaulted("banks", 8, "Banks per buffer.", rule: .inRange(1...1024))
    static let dramField = Field<MemorySpec.DRAMTechnology>.required("dram_technology", "DRAM technology.")
    static let dramBandwidthField = Field<Double>.required("dram_bandwidth_gb_s", unit: .gigabytesPerSecond, "DRAM bandwidth.", rule: .inRange(0.001...1_000_000))

    static let dramEnergyField = Field<Double>.optional("dram_energy_pj_per_bit",
                                                        "DRAM energy per bit read or written, overriding the cost model's table for dram_technology (BitMoD's simulator: 18.75, 2400 pJ per 128-bit access).",
                                                        rule: .inRange(0.01...1000))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "pe_memory", doc: "Buffers and DRAM.", fields: [
            weightField.erased, activationField.erased, banksField.erased, dramField.erased, dramBandwidthField.erased, dramEnergyField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        weightBufferKiB = r[Self.weightField]
        activationBufferKiB = r[Self.activationField]
        banks = r[Self.banksField]
        dramTechnology = r[Self.dramField]
        dramBandwidthGBs = r[Self.dramBandwidthField]
        dramEnergyPJPerBit = r.optional(Self.dramEnergyField)
    }
}
