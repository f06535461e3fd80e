/// Structural estimators: the cell counts of the datapath blocks quantized-GEMM hardware is
/// built from. Widths follow the textbook designs (Ercegovac & Lang, *Digital Arithmetic*,
/// 2004: array/tree multipliers, barrel shifters, leading-zero anticipation, the single-path
/// floating-point adder); the energy and area per cell come from the calibration, never from
/// here.
public enum LogicBlock {
    /// ceil(log2(x)) for x >= 1 (0 for 1).
    static func log2Ceil(_ x: Int) -> Int {
        x <= 1 ? 0 : Int.bitWidth - (x - 1).leadingZeroBitCount
    }

    /// A w-bit carry-propagate adder (also a subtractor or a magnitude comparator).
    public static func adder(width w: Int) -> LogicCells { LogicCells(fullAdders: Double(w)) }

    /// A w-bit incrementer (half adders).
    public static func incrementer(width w: Int) -> LogicCells { LogicCells(fullAdders: Double(w) / 2) }

    /// An a x b integer multiplier: a*b partial-product cells and the final (a + b)-bit adder.
    public static func integerMultiplier(_ a: Int, _ b: Int) -> LogicCells {
        LogicCells(fullAdders: Double(a + b), integerBitProducts: Double(a * b))
    }

    /// A significand multiplier of a floating-point unit (p_a x p_b cells and a (p_a + p_b)-bit adder).
    public static func significandMultiplier(_ pa: Int, _ pb: Int) -> LogicCells {
        LogicCells(fullAdders: Double(pa + pb), floatBitProducts: Double(pa * pb))
    }

    /// A logarithmic (barrel) shifter: one mux per bit per stage, ceil(log2(maxShift + 1)) stages.
    public static func shifter(width w: Int, maxShift: Int) -> LogicCells {
        LogicCells(muxes: Double(w * log2Ceil(maxShift + 1)))
    }

    /// A leading-zero counter over w bits (about one mux-sized cell per bit for the tree).
    public static func leadingZeroCounter(width w: Int) -> LogicCells { LogicCells(muxes: Double(w)) }

    /// A normaliser: leading-zero count and a left shift over w bits.
    public static func normaliser(width w: Int) -> LogicCells {
        leadingZeroCounter(width: w) + shifter(width: w, maxShift: w)
    }

    /// w flip-flops.
    public static func register(bits w: Int) -> LogicCells { LogicCells(registerBits: Double(w)) }

    /// A k:1 multiplexer of w-bit words ((k - 1) * w 2:1 muxes).
    public static func multiplexer(width w: Int, inputs k: Int) -> LogicCells { LogicCells(muxes: Double(max(0, k - 1) * w)) }

    /// A table of `entries` words of w bits held in flip-flops with a read multiplexer (the LUT
    /// storage of LUT-based units).
    public static func tableStorage(entries: Int, width w: Int) -> LogicCells {
        register(bits: entries * w) + multiplexer(width: w, inputs: entries)
    }

    /// An IEEE-style floating-point multiplier with rounding and subnormal support:
    /// significand product, exponent add and bias subtract, 1-bit normalisation, sticky,
    /// rounding increment, and the subnormal normaliser.
    public static func floatMultiplier(exponentBits e: Int, mantissaBits m: Int) -> LogicCells {
        let p = m + 1
        return significandMultiplier(p, p) + adder(width: 2 * (e + 1)) + LogicCells(muxes: Double(2 * p))
            + incrementer(width: p) + normaliser(width: p)
    }

    /// An IEEE-style single-path floating-point adder: exponent difference, operand swap,
    /// alignment shift with guard/round/sticky, significand add, normalisation, rounding,
    /// exponent adjust.
    public static func floatAdder(exponentBits e: Int, mantissaBits m: Int) -> LogicCells {
        let p = m + 1, w = p + 3
        return adder(width: e + 1) + LogicCells(muxes: Double(2 * p)) + shifter(width: w, maxShift: w) + LogicCells(muxes: Double(w))
            + adder(width: w + 1) + normaliser(width: w + 1) + incrementer(width: p) + adder(width: e + 1)
    }

    /// A fused floating-point MAC: exact product of (ea, ma) operands (no rounding) added into
    /// an (eacc, macc) accumulator by a floating-point adder.
    public static func floatMAC(exponentBits ea: Int, mantissaBits ma: Int, accumulatorExponentBits eacc: Int,
                                accumulatorMantissaBits macc: Int) -> LogicCells {
        let p = ma + 1
        return significandMultiplier(p, p) + adder(width: ea + 2) + floatAdder(exponentBits: eacc, mantissaBits: macc)
    }

    /// An integer MAC: a x b multiplier and an accumulator adder of the given width.
    public static func integerMAC(bits a: Int, _ b: Int, accumulatorBits acc: Int) -> LogicCells {
        integerMultiplier(a, b) + adder(width: acc)
    }

    /// FP16 activation x INT8 weight, accumulated into FP16 (the ANT/OliVe PE of bitmod.md §6.2):
    /// an 11 x 8 significand product, its conversion to floating point, and an FP16 adder.
    public static func fp16TimesInt8PE() -> LogicCells {
        significandMultiplier(11, 8) + normaliser(width: 19) + incrementer(width: 11) + adder(width: 6)
            + floatAdder(exponentBits: 5, mantissaBits: 10)
    }
}
