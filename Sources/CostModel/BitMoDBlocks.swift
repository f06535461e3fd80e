/// Cell counts of the BitMoD PE blocks, from the widths of the released RTL (bitmod.md §4):
/// a 4-way dot product per cycle of FP16 activations with bit-serial weight terms.
public enum BitMoDBlocks {
    /// Four 6-bit exponent adds (5 b + 2 b), a two-level max of four, four differences.
    public static let exponentMatch: LogicCells =
        LogicBlock.adder(width: 4 * 6) + LogicBlock.adder(width: 3 * 6) + LogicCells(muxes: 3 * 6) + LogicBlock.adder(width: 4 * 6)

    /// Four 11 x 1 products, four 14-bit right shifts by up to 15, four conditional two's
    /// complements to 15 bits, and a four-input tree to 17 bits.
    public static let bitSerialMultiply: LogicCells =
        LogicCells(integerBitProducts: 4 * 11) + 4 * LogicBlock.shifter(width: 14, maxShift: 15) + LogicCells(muxes: 4 * 15)
            + 4 * LogicBlock.incrementer(width: 15) + LogicBlock.adder(width: 2 * 16) + LogicBlock.adder(width: 17)

    /// Left shift of the 17-bit dot product by 0..6 into 23 bits, right shift of the 15-bit
    /// accumulator by up to 13, exponent compare, 23-bit add, leading-one normalisation.
    public static let groupAccumulate: LogicCells =
        LogicBlock.shifter(width: 23, maxShift: 6) + LogicBlock.shifter(width: 15, maxShift: 13) + LogicBlock.adder(width: 6)
            + LogicCells(muxes: 6) + LogicBlock.adder(width: 6) + LogicBlock.adder(width: 23) + LogicBlock.normaliser(width: 23)
            + LogicBlock.adder(width: 6)

    /// Shift-and-add of the 15-bit mantissa by the 8 scale bits into 21 bits.
    public static let dequantize: LogicCells = LogicBlock.adder(width: 21) + LogicCells(integerBitProducts: 15)

    /// The whole PE (the four blocks).
    public static let processingElement: LogicCells = exponentMatch + bitSerialMultiply + groupAccumulate + dequantize
}
