/// A fused dot-product ("block FMA") unit: n products of two operands added, with an
/// accumulator addend, in one step (tensor-cores.md §3). Floating-point units align every
/// exact product to the largest exponent, keep F fraction bits, add in a multi-operand tree,
/// then normalise and round once; integer units add exact products in a tree of growing width.
public struct DotProductUnit: Sendable, Hashable, Codable {
    public enum Operand: Sendable, Hashable, Codable {
        case float(exponentBits: Int, mantissaBits: Int)
        case integer(bits: Int)

        var width: Int {
            switch self {
            case .float(let e, let m): return 1 + e + m
            case .integer(let b): return b
            }
        }
    }

    /// Products per step (n).
    public let products: Int
    public let a: Operand
    public let b: Operand
    /// Fraction bits kept by each aligned term (F); ignored by integer units.
    public let keptFractionBits: Int
    public let accumulator: Operand
    /// Elements per block scale along K (0 without scales).
    public let scaleBlock: Int

    public init(products: Int, a: Operand, b: Operand, keptFractionBits: Int, accumulator: Operand, scaleBlock: Int = 0) {
        self.products = products
        self.a = a
        self.b = b
        self.keptFractionBits = keptFractionBits
        self.accumulator = accumulator
        self.scaleBlock = scaleBlock
    }

    /// The cell counts of one unit (one step of n products).
    public var cells: LogicCells {
        let n = products
        let registers = LogicBlock.register(bits: n * (a.width + b.width) + 2 * accumulator.width)
        switch (a, b) {
        case (.integer(let wa), .integer(let wb)):
            let accumulatorBits: Int
            if case .integer(let acc) = accumulator { accumulatorBits = acc } else { accumulatorBits = 32 }
            let treeWidth = min(accumulatorBits, wa + wb + LogicBlock.log2Ceil(n))
            return Double(n) * LogicBlock.integerMultiplier(wa, wb) + Double(max(0, n - 1)) * LogicBlock.adder(width: treeWidth)
                + LogicBlock.adder(width: accumulatorBits) + registers
        default:
            let (ea, pa) = Self.exponentAndPrecision(a), (eb, pb) = Self.exponentAndPrecision(b)
            let (eacc, pacc) = Self.exponentAndPrecision(accumulator)
            let productExponent = max(ea, eb) + 2
            let exponentWidth = max(productExponent, eacc + 1)
            let terms = n + 1
            let termWidth = keptFractionBits + 2
            let treeWidth = termWidth + LogicBlock.log2Ceil(terms)
            var c = Double(n) * (LogicBlock.significandMultiplier(pa, pb) + LogicBlock.adder(width: productExponent))
            c = c + Double(n) * (LogicBlock.adder(width: exponentWidth) + LogicCells(muxes: Double(exponentWidth)))   // max tree
            c = c + Double(terms) * LogicBlock.adder(width: exponentWidth)                                            // differences
            c = c + Double(terms) * LogicBlock.shifter(width: termWidth, maxShift: termWidth)                         // alignment
            c = c + Double(n) * LogicBlock.adder(width: treeWidth)                                                    // adder tree
            c = c + LogicBlock.normaliser(width: treeWidth) + LogicBlock.incrementer(width: pacc) + LogicBlock.adder(width: eacc + 2)
            if scaleBlock > 0 {
                let scales = (n + scaleBlock - 1) / scaleBlock
                c = c + Double(scales) * (LogicBlock.adder(width: 9) + LogicBlock.register(bits: 16))
            }
            return c + registers
        }
    }

    /// Exponent bits and precision (significand bits) of an operand; integers convert exactly.
    static func exponentAndPrecision(_ o: Operand) -> (Int, Int) {
        switch o {
        case .float(let e, let m): return (e, m + 1)
        case .integer(let b): return (LogicBlock.log2Ceil(b) + 1, b)
        }
    }
}
