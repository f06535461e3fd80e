import Formats

/// How a weight format maps onto the LUT unit's W unsigned bit-planes (lut-tensor-core.md §2.3):
/// every weight becomes an unsigned W-bit code q with a zero point z, so that the weight is
/// s * (q - z). Two's complement codes (intW, ternary) become offset binary by flipping their top
/// bit (q = code XOR 2^(W-1), z = 2^(W-1)); binary {-1, +1} codes are q itself with z = 1/2 and
/// the scale doubled.
public struct LUTWeights: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// uintW: asymmetric, a zero point per group from the quantiser.
        case unsigned
        /// intW: symmetric absmax.
        case twosComplement = "twos_complement"
        /// BitNet b1.58 {-1, 0, +1} (2-bit two's complement codes), absmean scale.
        case ternary
        /// {-1, +1} (code 0 = -1), absmean scale.
        case binary
    }

    public let kind: Kind
    public let bits: Int

    /// The weight format a name denotes, or nil when the LUT unit has no such weights.
    public init?(format: NumberFormat) {
        switch format {
        case .scalar(.integer(let i)) where i.scaleExponent == 0 && i.bitWidth <= 8:
            switch i.encoding {
            case .unsigned: (kind, bits) = (.unsigned, i.bitWidth)
            case .twosComplement where i.bitWidth >= 2: (kind, bits) = (.twosComplement, i.bitWidth)
            default: return nil
            }
        case .scalar(.codebook(let c)) where c == StandardFormats.ternary: (kind, bits) = (.ternary, 2)
        case .scalar(.codebook(let c)) where c == StandardFormats.binary: (kind, bits) = (.binary, 1)
        default: return nil
        }
    }

    /// The unsigned plane code q of a weight code.
    @inlinable
    public func planeCode(_ code: UInt64) -> UInt8 {
        switch kind {
        case .unsigned, .binary: return UInt8(truncatingIfNeeded: code)
        case .twosComplement, .ternary: return UInt8(truncatingIfNeeded: code ^ (1 << UInt64(bits - 1)))
        }
    }

    /// (2^W - 1)/2 - z for a group's zero point (the quantiser's, for unsigned weights): the
    /// coefficient of the group's activation sum in the epilogue. Exact in binary32.
    @inlinable
    public func correction(zeroPoint: Int32) -> Float {
        let half = Float((1 << bits) - 1) / 2
        switch kind {
        case .unsigned: return half - Float(zeroPoint)
        case .twosComplement, .ternary: return half - Float(1 << (bits - 1))
        case .binary: return half - 0.5
        }
    }

    /// What multiplies the quantiser's scale in the epilogue (binary: 2, since +-1 = 2 (q - 1/2)).
    public var scaleFactor: Float { kind == .binary ? 2 : 1 }
}
