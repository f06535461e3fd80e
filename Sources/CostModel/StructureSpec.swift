/// The hardware a table entry describes, in the estimators' terms (`"block"` names a
/// `LogicBlock` builder; the other keys are its parameters). Entries that are not logic
/// (`sram`, `dram`, `published`) carry their own parameters.
public struct StructureSpec: Codable, Sendable, Hashable {
    public let block: String
    public let width: Int?
    public let width_a: Int?
    public let width_b: Int?
    public let max_shift: Int?
    public let exponent_bits: Int?
    public let mantissa_bits: Int?
    public let register_bits: Int?
    public let capacity_bytes: Int?
    public let width_bits: Int?
    public let technology: String?
    public let chip: String?
    public let format: String?
    public let scope: String?

    /// Whether the entry describes a logic block (not a memory or a published system figure).
    public var isLogic: Bool { !["sram", "dram", "published", "wire"].contains(block) }

    /// The cell counts of a logic block (throws for non-logic blocks or missing parameters).
    public func cells() throws -> LogicCells {
        func need(_ v: Int?, _ key: String) throws -> Int {
            guard let v, v > 0 else { throw CostModelError("structure \"\(block)\" needs a positive \"\(key)\"") }
            return v
        }
        var c: LogicCells
        switch block {
        case "int_adder": c = LogicBlock.adder(width: try need(width, "width"))
        case "int_multiplier": c = LogicBlock.integerMultiplier(try need(width_a, "width_a"), try need(width_b, "width_b"))
        case "register": c = LogicBlock.register(bits: try need(width, "width"))
        case "shifter": c = LogicBlock.shifter(width: try need(width, "width"), maxShift: try need(max_shift, "max_shift"))
        case "fp_multiplier":
            c = LogicBlock.floatMultiplier(exponentBits: try need(exponent_bits, "exponent_bits"),
                                           mantissaBits: try need(mantissa_bits, "mantissa_bits"))
        case "fp_adder":
            c = LogicBlock.floatAdder(exponentBits: try need(exponent_bits, "exponent_bits"),
                                      mantissaBits: try need(mantissa_bits, "mantissa_bits"))
        case "fp_mac_separate":
            let e = try need(exponent_bits, "exponent_bits"), m = try need(mantissa_bits, "mantissa_bits")
            c = LogicBlock.floatMultiplier(exponentBits: e, mantissaBits: m) + LogicBlock.floatAdder(exponentBits: e, mantissaBits: m)
        case "fp16_int8_pe": c = LogicBlock.fp16TimesInt8PE()
        case "bitmod_exponent_match": c = BitMoDBlocks.exponentMatch
        case "bitmod_bit_serial_multiply": c = BitMoDBlocks.bitSerialMultiply
        case "bitmod_group_accumulate": c = BitMoDBlocks.groupAccumulate
        case "bitmod_dequantize": c = BitMoDBlocks.dequantize
        case "bitmod_pe": c = BitMoDBlocks.processingElement
        default: throw CostModelError("structure \"\(block)\" is not a logic block")
        }
        if let r = register_bits { c = c + LogicBlock.register(bits: r) }
        return c
    }
}
