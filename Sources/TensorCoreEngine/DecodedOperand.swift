import EngineKit

/// The kind of a decoded operand.
@usableFromInline
enum OperandKind: UInt8, Sendable {
    case finite, infinity, nan
}

/// An operand decoded for alignment: x = (-1)^negative * significand * 2^(exponent - M) with
/// exponent = max(floor(log2|x|), emin) and M the format's mantissa bits, so subnormals have
/// significand < 2^M and keep exponent emin (tensor-cores.md §3.1 step 2). Zeros take the
/// exponent of the profile's zero-operand rule.
@usableFromInline
struct DecodedOperand: Sendable {
    @usableFromInline var kind: OperandKind
    @usableFromInline var negative: Bool
    @usableFromInline var significand: UInt64
    @usableFromInline var exponent: Int
    @usableFromInline var fractionBits: Int

    @inlinable
    init(kind: OperandKind, negative: Bool, significand: UInt64, exponent: Int, fractionBits: Int) {
        self.kind = kind
        self.negative = negative
        self.significand = significand
        self.exponent = exponent
        self.fractionBits = fractionBits
    }
}
