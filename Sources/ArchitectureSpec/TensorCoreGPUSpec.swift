import Formats

/// The body of a `tensor_core_gpu` document: the chip, its numerics profiles and MMA
/// instructions, and (for cycle simulation) the SM and memory hierarchy.
public struct TensorCoreGPUSpec: SpecObject, Sendable {
    public let vendor: String
    public let microarchitecture: String
    public let computeCapability: String
    public let chip: ChipSpec
    public let sm: SMSpec?
    public let memory: MemorySpec?
    public let board: BoardSpec?
    public let numericsProfiles: [MMANumericsSpec]
    public let mmaInstructions: [MMAInstructionSpec]

    static let vendorField = Field<String>.required("vendor", "Vendor, e.g. \"NVIDIA\".")
    static let microarchitectureField = Field<String>.required(
        "microarchitecture", "Microarchitecture name as the vendor writes it (\"Volta\", \"Hopper\", ...).")
    static let computeCapabilityField = Field<String>.required("compute_capability", "PTX target of the chip, e.g. \"sm_90\".")
    static let chipField = Field<ChipSpec>.required("chip", "Chip-level resources.")
    static let smField = Field<SMSpec>.optional("sm", "Streaming-multiprocessor resources (needed by `simulate run`).")
    static let memoryField = Field<MemorySpec>.optional("memory", "L2 and DRAM (needed by `simulate run`).")
    static let boardField = Field<BoardSpec>.optional(
        "board", "How the board runs a GEMM kernel in practice: idle power, DVFS floor, achievable DRAM bandwidth, fixed kernel overhead "
        + "(absent: peak bandwidth, no overhead, no power model).")
    static let profilesField = Field<[MMANumericsSpec]>.required("numerics_profiles", "Numerics profiles of the MMA instructions.",
                                                                 rule: SpecRule("non-empty") { $0.isEmpty ? ("no profiles", "define at least one") : nil })
    static let instructionsField = Field<[MMAInstructionSpec]>.required("mma_instructions", "MMA instruction variants.",
                                                                        rule: SpecRule("non-empty") { $0.isEmpty ? ("no instructions", "list at least one") : nil })

    public static var schema: ObjectSchema {
        ObjectSchema(name: "tensor_core_gpu", doc: "A GPU with tensor cores.", fields: [
            vendorField.erased, microarchitectureField.erased, computeCapabilityField.erased, chipField.erased, smField.erased,
            memoryField.erased, boardField.erased, profilesField.erased, instructionsField.erased,
        ])
    }

    public init(from reader: ObjectReader) {
        vendor = reader[Self.vendorField]
        microarchitecture = reader[Self.microarchitectureField]
        computeCapability = reader[Self.computeCapabilityField]
        chip = reader[Self.chipField]
        sm = reader.optional(Self.smField)
        memory = reader.optional(Self.memoryField)
        board = reader.optional(Self.boardField)
        numericsProfiles = reader[Self.profilesField]
        mmaInstructions = reader[Self.instructionsField]
    }

    public func validate(_ reader: ObjectReader) {
        if let board {
            if let floor = board.minClockMHz, floor > chip.clockMHz {
                reader.fail("board", "board.min_clock_mhz \(floor) exceeds chip.clock_mhz \(chip.clockMHz)",
                            fix: "give the lowest clock the power limit may throttle to (the base clock), at most clock_mhz")
            }
            if let limit = board.powerLimitW ?? chip.boardPowerW, board.idlePowerW >= limit {
                reader.fail("board", "board.idle_power_w \(board.idlePowerW) is not below the power limit \(limit) W",
                            fix: "idle power is what the board draws doing nothing: less than its limit")
            }
            if let set = board.powerLimitW, let tdp = chip.boardPowerW, set > tdp {
                reader.fail("board", "board.power_limit_w \(set) exceeds chip.board_power_w \(tdp)",
                            fix: "a board is operated at or below its rated power; raise chip.board_power_w if the part allows more")
            }
            if board.powerLimitW != nil && chip.boardPowerW == nil {
                reader.fail("board", "board.power_limit_w needs chip.board_power_w", fix: "give the part's rated board power in chip.board_power_w")
            }
        }
        let names = numericsProfiles.map(\.name)
        if Set(names).count != names.count {
            reader.fail("numerics_profiles", "duplicate profile names", fix: "give every profile a unique name")
        }
        for (i, instruction) in mmaInstructions.enumerated() where !names.contains(instruction.numerics) {
            let hint = EditDistance.suggestion(for: instruction.numerics, among: names).map { "did you mean \"\($0)\"?" }
                ?? "define it under numerics_profiles"
            reader.fail("mma_instructions", "mma_instructions[\(i)].numerics names unknown profile \"\(instruction.numerics)\"", fix: hint)
        }
        for (i, instruction) in mmaInstructions.enumerated() {
            guard let profile = numericsProfiles.first(where: { $0.name == instruction.numerics }) else { continue }
            for (message, fix) in Self.mismatches(instruction, profile) {
                reader.fail("mma_instructions", "mma_instructions[\(i)] (\(instruction.name)) with profile \"\(profile.name)\": \(message)", fix: fix)
            }
        }
    }

    /// What the engine needs of an instruction's formats under its profile's algorithm, checked
    /// here so `validate` rejects what `run` and `mma` could not execute.
    static func mismatches(_ v: MMAInstructionSpec, _ p: MMANumericsSpec) -> [(String, String)] {
        func scalars(_ names: [String]) -> [ScalarFormat] {
            names.compactMap { if case .scalar(let s)? = FormatCatalog.parse($0) { return s } else { return nil } }
        }
        let inputs = scalars(v.inputFormats), accumulators = scalars(v.accumulatorFormats)
        var out: [(String, String)] = []
        if p.algorithm == .integer {
            if !inputs.allSatisfy({ if case .integer = $0 { return true } else { return false } }) {
                out.append(("integer MMA takes integer inputs, got \(v.inputFormats)", "use int8/uint8/int4/uint4 inputs or a floating-point profile"))
            }
            let wanted = "int\(p.accumulatorBits)"
            if !accumulators.allSatisfy({ if case .integer(let f) = $0 { return f.bitWidth == p.accumulatorBits } else { return false } }) {
                out.append(("the profile's accumulator_bits \(p.accumulatorBits) needs \(wanted) accumulators, got \(v.accumulatorFormats)",
                            "list [\"\(wanted)\"] as accumulator_formats or change accumulator_bits"))
            }
        } else {
            if !inputs.allSatisfy({ if case .float = $0 { return true } else { return false } }) {
                out.append(("\(p.algorithm.rawValue) takes floating-point inputs, got \(v.inputFormats)", "use an integer profile for integer inputs"))
            }
            let accepted: Set<String> = ["fp32", "fp16"]
            if !accumulators.allSatisfy({ if case .float(let f) = $0 { return f == StandardFormats.fp32 || f == StandardFormats.fp16 } else { return false } }) {
                out.append(("floating-point MMA accumulates in fp32 or fp16, got \(v.accumulatorFormats)", "list \(accepted.sorted()) accumulators only"))
            }
        }
        if p.algorithm == .blockFMA && v.shapeK % p.blockWidth != 0 {
            // A block never spans two instructions: each instruction's result is the next one's c.
            out.append(("block_width \(p.blockWidth) does not divide the instruction's shape_k \(v.shapeK)",
                        "use a block_width that divides shape_k (the hardware fuses n products of one instruction)"))
        }
        if p.algorithm == .fp8ViaF16Steps && !inputs.allSatisfy({ $0.bitWidth == 8 }) {
            out.append(("fp8_via_f16_steps widens 8-bit float inputs, got \(v.inputFormats)", "use e4m3/e5m2 inputs or a block_fma profile"))
        }
        if p.algorithm == .blockScaled && v.scaleFormat == nil {
            out.append(("block_scaled needs a scale_format", "set \"scale_format\": \"e8m0\" (MX) or \"ue4m3\" (NVFP4) and its scale_block"))
        }
        if p.algorithm == .blockScaled, let name = v.scaleFormat {
            if case .scalar(.float)? = FormatCatalog.parse(name) {} else {
                out.append(("scale_format \"\(name)\" is not a floating-point scale format", "use \"e8m0\" (MX) or \"ue4m3\" (NVFP4)"))
            }
        }
        if p.algorithm == .blockScaled && p.scaleGroupSize > 0
            && !inputs.allSatisfy({ if case .float(let f) = $0 { return f.bitWidth == 4 } else { return false } }) {
            // The exact 16-element group sums (kind::mxf4, mxf4nvf4) are defined for E2M1 only.
            out.append(("scale_group_size \(p.scaleGroupSize) sums E2M1 groups exactly; inputs \(v.inputFormats) are not 4-bit floats",
                        "use e2m1 inputs, or scale_group_size 0 (kind::mxf8f6f4) for wider elements"))
        }
        if p.algorithm != .blockScaled && (v.scaleFormat != nil || v.scaleBlock != 0) {
            out.append(("scale_format and scale_block apply to block_scaled profiles only", "remove them or use a block_scaled profile"))
        }
        if p.algorithm == .blockScaled && v.scaleBlock > 0 {
            // One scale per scale_block elements of a line: whole blocks per instruction, one
            // block per instruction when the scales fold into the products (group size 0), and
            // whole exact groups per block otherwise.
            if v.shapeK % v.scaleBlock != 0 {
                out.append(("scale_block \(v.scaleBlock) does not divide shape_k \(v.shapeK)", "use a scale_block that divides shape_k"))
            } else if p.scaleGroupSize == 0 && v.scaleBlock != v.shapeK {
                out.append(("scale_group_size 0 folds one scale pair into every product of an instruction, so scale_block must equal shape_k \(v.shapeK)",
                            "set \"scale_block\": \(v.shapeK), or use scale_group_size 16"))
            } else if p.scaleGroupSize > 0 && v.scaleBlock % p.scaleGroupSize != 0 {
                out.append(("scale_block \(v.scaleBlock) is not a multiple of the profile's scale_group_size \(p.scaleGroupSize)",
                            "use a scale_block that is a multiple of \(p.scaleGroupSize)"))
            }
        }
        return out
    }

    /// The profile an instruction names.
    public func profile(for instruction: MMAInstructionSpec) -> MMANumericsSpec {
        numericsProfiles.first { $0.name == instruction.numerics }!
    }

    /// Instruction variants that accept the given A/B and C/D formats (any spelling the format
    /// catalogue parses: `f16` = `fp16`), fastest first; ties keep document order.
    public func instructions(input: String, accumulator: String, named: String? = nil) -> [MMAInstructionSpec] {
        let i = FormatCatalog.parse(input), a = FormatCatalog.parse(accumulator)
        let matches = mmaInstructions.enumerated().filter { _, v in
            v.inputFormats.contains { FormatCatalog.parse($0) == i } && v.accumulatorFormats.contains { FormatCatalog.parse($0) == a }
                && (named == nil || v.name == named)
        }
        return matches.sorted { ($0.element.fmaPerSMPerCycle, -$0.offset) > ($1.element.fmaPerSMPerCycle, -$1.offset) }.map(\.element)
    }
}

/// Chip-level resources of a GPU.
public struct ChipSpec: SpecObject, Sendable {
    public let smCount: Int
    public let clockMHz: Double
    public let processNodeNM: Double?
    public let boardPowerW: Double?
    public let coreVoltageV: Double?
    public let dieAreaMM2: Double?

    static let smCountField = Field<Int>.required("sm_count", "Streaming multiprocessors enabled on the product.", rule: .inRange(1...1024))
    static let clockField = Field<Double>.required("clock_mhz", unit: .megahertz,
                                                   "Tensor-core clock the vendor's peak rates imply (boost clock).", rule: .inRange(1...10_000))
    static let nodeField = Field<Double>.optional("process_node_nm", unit: .nanometers, "Process node (marketing name's number), for the cost model.",
                                                  rule: .inRange(1...1000))
    static let powerField = Field<Double>.optional("board_power_w", unit: .watts, "Board power limit (TDP).", rule: .inRange(1...100_000))
    static let voltageField = Field<Double>.optional("core_voltage_v", unit: .volts,
                                                     "Core supply voltage for the cost model's energy scaling (absent: 0.8 V, Accelergy's default).",
                                                     rule: .inRange(0.4...1.4))
    static let dieAreaField = Field<Double>.optional("die_area_mm2", unit: .squareMillimeters,
                                                     "Die area; the cost model prices L2 traffic over half the die edge of wire.",
                                                     rule: .inRange(1...50_000))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "chip", doc: "Chip-level resources.", fields: [smCountField.erased, clockField.erased, nodeField.erased,
                                                                           powerField.erased, voltageField.erased, dieAreaField.erased])
    }

    public init(from reader: ObjectReader) {
        smCount = reader[Self.smCountField]
        clockMHz = reader[Self.clockField]
        processNodeNM = reader.optional(Self.nodeField)
        boardPowerW = reader.optional(Self.powerField)
        coreVoltageV = reader.optional(Self.voltageField)
        dieAreaMM2 = reader.optional(Self.dieAreaField)
    }
}

/// Resources of one streaming multiprocessor.
public struct SMSpec: SpecObject, Sendable {
    public let subCores: Int
    public let tensorCores: Int
    public let sharedMemoryKiB: Int
    public let sharedMemoryBandwidthBytesPerCycle: Int
    public let registerFileKiB: Int
    public let maxThreadblocks: Int
    public let maxWarps: Int
    public let hasTMA: Bool

    static let subCoresField = Field<Int>.defaulted("sub_cores", 4, "Processing blocks (warp schedulers) per SM.", rule: .inRange(1...8))
    static let tensorCoresField = Field<Int>.required("tensor_cores", "Tensor cores per SM.", rule: .inRange(1...16))
    static let smemField = Field<Int>.required("shared_memory_kib", unit: .kibibytes, "Largest shared memory a CTA may use per SM.",
                                              rule: .inRange(1...1024))
    static let smemBandwidthField = Field<Int>.defaulted("shared_memory_bandwidth_bytes_per_cycle", unit: .bytesPerCycle, 128,
                                                         "Shared-memory bandwidth per SM (32 banks x 4 B).", rule: .inRange(1...65_536))
    static let registersField = Field<Int>.defaulted("register_file_kib", unit: .kibibytes, 256, "Register file per SM.", rule: .inRange(1...65536))
    static let blocksField = Field<Int>.defaulted("max_threadblocks", 32, "Resident threadblocks per SM.", rule: .inRange(1...64))
    static let warpsField = Field<Int>.defaulted("max_warps", 64, "Resident warps per SM.", rule: .inRange(1...128))
    static let tmaField = Field<Bool>.defaulted("tma", false, "Tensor Memory Accelerator (Hopper and later): bulk asynchronous copies.")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "sm", doc: "One streaming multiprocessor.", fields: [
            subCoresField.erased, tensorCoresField.erased, smemField.erased, smemBandwidthField.erased, registersField.erased,
            blocksField.erased, warpsField.erased, tmaField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        subCores = r[Self.subCoresField]
        tensorCores = r[Self.tensorCoresField]
        sharedMemoryKiB = r[Self.smemField]
        sharedMemoryBandwidthBytesPerCycle = r[Self.smemBandwidthField]
        registerFileKiB = r[Self.registersField]
        maxThreadblocks = r[Self.blocksField]
        maxWarps = r[Self.warpsField]
        hasTMA = r[Self.tmaField]
    }
}

/// L2 cache and DRAM.
public struct MemorySpec: SpecObject, Sendable {
    public let l2CapacityKiB: Int
    public let l2BandwidthGBs: Double
    public let dramTechnology: DRAMTechnology
    public let dramCapacityGiB: Double
    public let dramBandwidthGBs: Double

    public enum DRAMTechnology: String, SpecEnum, Sendable {
        case hbm2, hbm2e, hbm3, hbm3e, gddr6, gddr6x, lpddr5, ddr4, lpddr4
    }

    static let l2Field = Field<Int>.required("l2_capacity_kib", unit: .kibibytes, "L2 capacity.", rule: .inRange(1...(1 << 30)))
    static let l2BandwidthField = Field<Double>.required("l2_bandwidth_gb_s", unit: .gigabytesPerSecond,
                                                         "Sustained L2 read bandwidth (microbenchmark figures where vendors publish none).",
                                                         rule: .inRange(1...1_000_000))
    static let dramField = Field<DRAMTechnology>.required("dram_technology", "DRAM technology.")
    static let dramCapacityField = Field<Double>.required("dram_capacity_gib", unit: .gibibytes, "DRAM capacity.", rule: .inRange(0.001...1_000_000))
    static let dramBandwidthField = Field<Double>.required("dram_bandwidth_gb_s", unit: .gigabytesPerSecond, "Peak DRAM bandwidth.",
                                                           rule: .inRange(1...1_000_000))

    public static var schema: ObjectSchema {
        ObjectSchema(name: "memory", doc: "L2 cache and DRAM.", fields: [
            l2Field.erased, l2BandwidthField.erased, dramField.erased, dramCapacityField.erased, dramBandwidthField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        l2CapacityKiB = r[Self.l2Field]
        l2BandwidthGBs = r[Self.l2BandwidthField]
        dramTechnology = r[Self.dramField]
        dramCapacityGiB = r[Self.dramCapacityField]
        dramBandwidthGBs = r[Self.dramBandwidthField]
    }
}

/// How the board runs a GEMM kernel in practice (docs/tensor-core.md, "Fidelity"): what the
/// power and clock model and the fixed overheads need beyond the chip's peak figures. Every
/// figure names its source in `source`; fitted figures say so.
public struct BoardSpec: SpecObject, Sendable {
    public let idlePowerW: Double
    public let powerLimitW: Double?
    public let minClockMHz: Double?
    public let dramEfficiency: Double
    public let kernelOverheadUS: Double
    public let dataPowerFactor: Double
    public let mmaIssueEfficiency: Double
    public let source: String

    static let idleField = Field<Double>.required("idle_power_w", unit: .watts, "Board power with the GPU idle at its operating clocks (static and uncore).",
                                                  rule: .inRange(0...100_000))
    static let powerLimitField = Field<Double>.optional("power_limit_w", unit: .watts,
                                                        "Power limit the board is operated at, when below chip.board_power_w (a system's default "
                                                        + "set point or a benchmark's cap; absent: board_power_w).", rule: .inRange(1...100_000))
    static let minClockField = Field<Double>.optional("min_clock_mhz", unit: .megahertz,
                                                      "Lowest clock the power limit may throttle to (base clock; absent: 30% of clock_mhz).",
                                                      rule: .inRange(1...10_000))
    static let dramEfficiencyField = Field<Double>.defaulted("dram_efficiency", 1.0,
                                                             "Fraction of dram_bandwidth_gb_s a streaming kernel achieves (measured copies).",
                                                             rule: .inRange(0.05...1))
    static let overheadField = Field<Double>.defaulted("kernel_overhead_us", unit: .microseconds, 0,
                                                       "Fixed time per GEMM kernel beyond the cycle model: launch gap between back-to-back kernels, "
                                                       + "prologue (first loads' DRAM latency) and epilogue drain.", rule: .inRange(0...100_000))
    static let dataPowerField = Field<Double>.defaulted("data_power_factor", 0,
                                                        "Extra dynamic power per unit operand bit activity, as a multiple of the cost model's "
                                                        + "dynamic power (0: power independent of the data).", rule: .inRange(0...100))
    static let issueField = Field<Double>.defaulted("mma_issue_efficiency", 1.0,
                                                    "Fraction of a GEMM main loop's cycles in which a tensor pipe issues MMAs (the rest: address "
                                                    + "generation, barriers and the other instructions of the loop).", rule: .inRange(0.3...1))
    static let sourceField = Field<String>.required("source", "Where each figure comes from (measured, published or fitted, and on what).",
                                                    rule: SpecRule("non-empty") { $0.isEmpty ? ("empty source", "name where the figures come from") : nil })

    public static var schema: ObjectSchema {
        ObjectSchema(name: "board", doc: "How the board runs a GEMM kernel in practice.", fields: [
            idleField.erased, powerLimitField.erased, minClockField.erased, dramEfficiencyField.erased, overheadField.erased, dataPowerField.erased, issueField.erased, sourceField.erased,
        ])
    }

    public init(from r: ObjectReader) {
        idlePowerW = r[Self.idleField]
        powerLimitW = r.optional(Self.powerLimitField)
        minClockMHz = r.optional(Self.minClockField)
        dramEfficiency = r[Self.dramEfficiencyField]
        kernelOverheadUS = r[Self.overheadField]
        dataPowerFactor = r[Self.dataPowerField]
        mmaIssueEfficiency = r[Self.issueField]
        source = r[Self.sourceField]
    }
}
