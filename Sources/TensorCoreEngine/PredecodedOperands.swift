import EngineKit

/// A matrix of floating-point operands decoded once for the GEMM kernels: significand with the
/// sign applied and alignment exponent per element, row-major (for B: stored transposed, one
/// row per output column), plus which rows hold NaN or Inf (those outputs take the generic
/// path). Significands of formats up to 16 bits have at most 11 bits, so products fit Int32.
public struct PredecodedOperands: Sendable {
    public let rows: Int
    public let columns: Int
    public let significands: [Int32]
    public private(set) var exponents: [Int32]
    public let fractionBits: Int
    public private(set) var rowHasSpecial: [Bool]

    /// The same operands with each element's exponent raised by its block scale's exponent
    /// (power-of-two scales: E8M0, one code per `block` elements of a row); a NaN scale marks
    /// its row special (the generic path then gives NaN).
    func foldingScales(_ scales: [UInt64], perRow: Int, block: Int, decode: (UInt64) -> DecodedOperand) -> PredecodedOperands {
        var folded = self
        let table = (0..<256).map { decode(UInt64($0)) }
        for r in 0..<rows {
            for s in 0..<perRow {
                let scale = scales[r * perRow + s] < 256 ? table[Int(scales[r * perRow + s])] : decode(scales[r * perRow + s])
                if scale.kind != .finite { folded.rowHasSpecial[r] = true; continue }
                let shift = Int32(scale.exponent)
                for t in (s * block)..<Swift.min(columns, (s + 1) * block) { folded.exponents[r * columns + t] &+= shift }
            }
        }
        return folded
    }

    /// Decodes `codes` (row-major `rows x columns`) with the unit's A or B decoder.
    init(codes: [UInt64], rows: Int, columns: Int, decoder: OperandDecoder) {
        precondition(codes.count == rows * columns)
        self.rows = rows
        self.columns = columns
        var s = [Int32](repeating: 0, count: codes.count), e = [Int32](repeating: 0, count: codes.count)
        var special = [Bool](repeating: false, count: rows)
        var fraction = 0
        // Decode every possible code once into a table (formats up to 16 bits; TF32 codes are
        // looked up by their top 19 bits when the unit truncates them).
        let tableBits = decoder.tf32Container == .towardZero ? 19 : decoder.format.bitWidth
        let shift: UInt64 = decoder.tf32Container == .towardZero ? 13 : 0
        let useTable = tableBits <= 19
        let table: [DecodedOperand] = useTable
            ? (0..<(1 << tableBits)).map { decoder.decode(UInt64($0) << shift) } : []
        for i in 0..<codes.count {
            let d = useTable ? table[Int((codes[i] >> shift) & BitMask.low(tableBits))] : decoder.decode(codes[i])
            fraction = d.fractionBits
            if d.kind != .finite { special[i / columns] = true; continue }
            let magnitude = Int32(d.significand)
            s[i] = d.negative ? -magnitude : magnitude
            e[i] = Int32(d.exponent)
        }
        significands = s
        exponents = e
        fractionBits = fraction
        rowHasSpecial = special
    }
}
