import EngineKit
import ArchitectureSpec
import Formats

/// Decodes codes of one minifloat operand format into `DecodedOperand`s, with the profile's
/// zero-operand exponent. Works from the format's bit fields directly (no ExactValue).
@usableFromInline
struct OperandDecoder: Sendable {
    @usableFromInline let format: MiniFloatFormat
    @usableFromInline let zeroExponent: Int
    /// TF32 operands arrive as FP32 patterns: truncated (PTX wgmma: "will truncate lower 13
    /// bits"), or rounded to nearest with ties away (what `cvt.rna.tf32.f32` would give) when
    /// the profile turns truncation off. `nil` for other formats.
    @usableFromInline let tf32Container: RoundingRule?

    init(format: MiniFloatFormat, zeroRule: ZeroOperandExponent, tf32Container: RoundingRule? = nil) {
        self.format = format
        self.tf32Container = tf32Container
        switch zeroRule {
        case .fixedMinus126: zeroExponent = -126
        case .formatMinimum, .excluded: zeroExponent = format.minNormalExponent
        }
    }

    @inlinable
    func decode(_ raw: UInt64) -> DecodedOperand {
        var code = raw
        if let rule = tf32Container {
            let x = StandardFormats.fp32.decode(raw & 0xFFFF_FFFF)
            code = rule == .towardZero && !x.isNaN ? (raw & 0xFFFF_FFFF) >> 13
                : format.encode(x, rule: rule, overflow: .infinity).code
        }
        let m = UInt64(format.mantissaBits), e = UInt64(format.exponentBits)
        let negative = format.isSigned && (code >> (m + e)) & 1 == 1
        let field = Int((code >> m) & BitMask.low(Int(e)))
        let mantissa = code & BitMask.low(Int(m))
        let value = format.decode(code & BitMask.low(Int(m + e) + (format.isSigned ? 1 : 0)))
        if value.isNaN { return DecodedOperand(kind: .nan, negative: negative, significand: 0, exponent: 0, fractionBits: Int(m)) }
        if value.isInfinite { return DecodedOperand(kind: .infinity, negative: negative, significand: 0, exponent: 0, fractionBits: Int(m)) }
        if value.isZero {
            return DecodedOperand(kind: .finite, negative: negative, significand: 0, exponent: zeroExponent, fractionBits: Int(m))
        }
        if field == 0 && format.underflow == .subnormal {
            return DecodedOperand(kind: .finite, negative: negative, significand: mantissa,
                                  exponent: format.minNormalExponent, fractionBits: Int(m))
        }
        let biased = format.underflow == .noZero ? field : Swift.max(field, 1)
        return DecodedOperand(kind: .finite, negative: negative, significand: mantissa | BitMask.bit(Int(m)),
                              exponent: biased - format.bias, fractionBits: Int(m))
    }
}
