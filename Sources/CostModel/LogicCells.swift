/// A logic block reduced to counts of five cell kinds. The estimators price each kind with a
/// calibrated energy per activation and area (see `CellLibrary`); everything structural about a
/// block (widths, shifter stages, adder-tree size) lives in how many of each it has.
public struct LogicCells: Sendable, Hashable, Codable {
    /// One full-adder bit: adders, comparators, subtractors, adder trees (a half adder counts 1/2).
    public var fullAdders: Double
    /// One AND-and-compress cell of an integer multiplier array (a x b of them).
    public var integerBitProducts: Double
    /// One cell of a floating-point significand multiplier (faster, wider designs than the
    /// integer arrays in every source; fitted separately).
    public var floatBitProducts: Double
    /// One 2:1 multiplexer bit: shifter stages, swaps, leading-zero logic, selections.
    public var muxes: Double
    /// One flip-flop.
    public var registerBits: Double

    public init(fullAdders: Double = 0, integerBitProducts: Double = 0, floatBitProducts: Double = 0, muxes: Double = 0,
                registerBits: Double = 0) {
        self.fullAdders = fullAdders
        self.integerBitProducts = integerBitProducts
        self.floatBitProducts = floatBitProducts
        self.muxes = muxes
        self.registerBits = registerBits
    }

    /// The counts in `CellKind.allCases` order.
    public var vector: [Double] { [fullAdders, integerBitProducts, floatBitProducts, muxes, registerBits] }

    public static let zero = LogicCells()

    public static func + (a: LogicCells, b: LogicCells) -> LogicCells {
        LogicCells(fullAdders: a.fullAdders + b.fullAdders, integerBitProducts: a.integerBitProducts + b.integerBitProducts,
                   floatBitProducts: a.floatBitProducts + b.floatBitProducts, muxes: a.muxes + b.muxes,
                   registerBits: a.registerBits + b.registerBits)
    }

    public static func * (k: Double, a: LogicCells) -> LogicCells {
        LogicCells(fullAdders: k * a.fullAdders, integerBitProducts: k * a.integerBitProducts, floatBitProducts: k * a.floatBitProducts,
                   muxes: k * a.muxes, registerBits: k * a.registerBits)
    }
}

/// The five cell kinds, in the order of `LogicCells.vector`.
public enum CellKind: String, CaseIterable, Sendable, Codable {
    case fullAdder = "full_adder"
    case integerBitProduct = "int_bit_product"
    case floatBitProduct = "fp_bit_product"
    case mux
    case register
}
