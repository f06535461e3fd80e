import ArchitectureSpec
import Formats

/// Rounds a block result to the output format with the profile's policies, and encodes specials.
@usableFromInline
struct MMAOutput: Sendable {
    /// The output container (binary32 or binary16).
    @usableFromInline let container: MiniFloatFormat
    /// The rounding grid: the container, or binary32 with fewer significand bits (e8m13).
    @usableFromInline let grid: MiniFloatFormat
    @usableFromInline let rule: RoundingRule
    @usableFromInline let overflowToInfinity: Bool
    @usableFromInline let positiveZeros: Bool
    @usableFromInline let nanCode: UInt64

    init(container: MiniFloatFormat, profile: MMANumericsSpec) {
        self.container = container
        let isFP32 = container == StandardFormats.fp32
        if isFP32 && profile.fp32OutputSignificandBits < 24 {
            grid = MiniFloatFormat(exponentBits: 8, mantissaBits: profile.fp32OutputSignificandBits - 1, specials: .ieee)
        } else {
            grid = container
        }
        rule = (isFP32 ? profile.fp32OutputRounding : profile.fp16OutputRounding).rule
        overflowToInfinity = profile.outputOverflow == .infinity
        positiveZeros = profile.exactZeroSign == .positive
        switch (profile.nanEncoding, isFP32) {
        case (.canonical, true): nanCode = 0x7FFF_FFFF
        case (.canonical, false): nanCode = 0x7FFF
        case (.ieeeQuiet, true): nanCode = 0x7FC0_0000
        case (.ieeeQuiet, false): nanCode = 0x7E00
        }
    }

    @inlinable
    var signBit: UInt64 { 1 << UInt64(container.bitWidth - 1) }

    /// The code of N * 2^exponent.
    @inlinable
    func code(sum n: Int64, exponent: Int, allNegativeZeros: Bool) -> UInt64 {
        if n == 0 { return positiveZeros || !allNegativeZeros ? 0 : signBit }
        let value = ExactValue(negative: n < 0, significand: n.magnitude, exponent: exponent)
        return code(value)
    }

    /// The code of an exact finite value rounded to the output grid.
    @inlinable
    func code(_ value: ExactValue) -> UInt64 {
        let r = grid.encode(value, rule: rule, overflow: .saturate)
        if r.flags.contains(.overflow) {
            return overflowToInfinity ? container.infinityCode(negative: value.isNegative)!
                : container.maxFiniteCode(negative: value.isNegative)
        }
        if grid == container { return r.code }
        // e8m13: a binary32 value with a shorter significand; re-encode exactly.
        return container.encode(grid.decode(r.code), rule: .towardZero, overflow: .saturate).code
    }

    @inlinable
    func infinity(negative: Bool) -> UInt64 { container.infinityCode(negative: negative)! }

    /// Decodes an output code as the next block's addend.
    @inlinable
    func value(of code: UInt64) -> ExactValue { container.decode(code) }
}
