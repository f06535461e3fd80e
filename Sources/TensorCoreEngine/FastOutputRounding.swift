import EngineKit

/// Branch-light rounding of a block sum N * 2^scaleExponent to binary32 (toward zero, with a
/// significand of `precision` bits: 24, or 14 for e8m13) or binary16 (nearest even), and the
/// inverse decode of an addend, for the GEMM kernels. Equal to `MMAOutput.code` (tested).
@usableFromInline
struct FastOutputRounding: Sendable {
    @usableFromInline let isFP32: Bool
    @usableFromInline let precision: Int
    @usableFromInline let nearestEven: Bool
    @usableFromInline let overflowToInfinity: Bool

    @inlinable
    init(isFP32: Bool, precision: Int, nearestEven: Bool, overflowToInfinity: Bool) {
        self.isFP32 = isFP32
        self.precision = precision
        self.nearestEven = nearestEven
        self.overflowToInfinity = overflowToInfinity
    }

    /// The output code of sum * 2^scaleExponent (sum != 0 handled; 0 gives +0).
    @inlinable @inline(__always)
    func code(sum: Int64, scaleExponent: Int) -> UInt64 {
        if sum == 0 { return 0 }
        let negative = sum < 0
        let magnitude = sum.magnitude
        let top = 63 - magnitude.leadingZeroBitCount
        let (mantissaBits, bias, maxExponent, minNormal) = isFP32 ? (23, 127, 127, -126) : (10, 15, 15, -14)
        let signBit: UInt64 = isFP32 ? 0x8000_0000 : 0x8000
        var binade = top + scaleExponent
        // Quantum of the result grid: `precision` bits, or the subnormal quantum.
        var quantum = Swift.max(binade, minNormal) - (precision - 1)
        let shift = quantum - scaleExponent
        var kept: UInt64
        if shift <= 0 {
            kept = magnitude << UInt64(-shift)
        } else if shift >= 64 {
            kept = 0
            if nearestEven && shift == 64 && magnitude > 1 << 63 { kept = 1 }
        } else {
            kept = magnitude >> UInt64(shift)
            if nearestEven {
                let remainder = magnitude & BitMask.low(shift)
                let half: UInt64 = 1 << UInt64(shift - 1)
                if remainder > half || (remainder == half && kept & 1 == 1) { kept += 1 }
            }
        }
        if kept == 0 { return negative ? signBit : 0 }
        // A carry into the next binade (nearest-even only).
        if kept >> UInt64(precision) != 0 {
            kept >>= 1
            quantum += 1
            binade = quantum + 63 - kept.leadingZeroBitCount
        } else {
            binade = quantum + 63 - kept.leadingZeroBitCount
        }
        if binade > maxExponent {
            let infinity: UInt64 = isFP32 ? 0x7F80_0000 : 0x7C00
            let largest: UInt64 = isFP32 ? 0x7F7F_FFFF : 0x7BFF
            let largestOnGrid = largest & ~BitMask.low(mantissaBits - (precision - 1))
            return (negative ? signBit : 0) | (overflowToInfinity ? infinity : largestOnGrid)
        }
        let field: UInt64
        let mantissa: UInt64
        if binade < minNormal {
            field = 0
            mantissa = kept << UInt64(quantum - (minNormal - mantissaBits))
        } else {
            field = UInt64(binade + bias)
            let normalised = kept << UInt64(mantissaBits - (binade - quantum))
            mantissa = normalised & BitMask.low(mantissaBits)
        }
        return (negative ? signBit : 0) | field << UInt64(mantissaBits) | mantissa
    }

    /// Decodes a binary32/binary16 addend code (zeros take `zeroExponent`).
    @inlinable @inline(__always)
    func decodeAddend(_ code: UInt64, zeroExponent: Int) -> DecodedOperand {
        let (mantissaBits, exponentMask, bias) = isFP32 ? (23, UInt64(0xFF), 127) : (10, UInt64(0x1F), 15)
        let negative = code >> UInt64(mantissaBits + (isFP32 ? 8 : 5)) & 1 == 1
        let field = (code >> UInt64(mantissaBits)) & exponentMask
        let mantissa = code & BitMask.low(mantissaBits)
        if field == exponentMask {
            return DecodedOperand(kind: mantissa == 0 ? .infinity : .nan, negative: negative, significand: 0, exponent: 0,
                                  fractionBits: mantissaBits)
        }
        if field == 0 {
            return DecodedOperand(kind: .finite, negative: negative, significand: mantissa,
                                  exponent: mantissa == 0 ? zeroExponent : 1 - bias, fractionBits: mantissaBits)
        }
        return DecodedOperand(kind: .finite, negative: negative, significand: mantissa | BitMask.bit(mantissaBits),
                              exponent: Int(field) - bias, fractionBits: mantissaBits)
    }

    /// Rounds sum * 2^scaleExponent like `code(sum:scaleExponent:)` but returns the result decoded
    /// as the next block's addend (significand with `mantissaBits` fraction bits and its
    /// alignment exponent), or `nil` when it overflowed to Inf (callers then fall back).
    /// Valid for round-toward-zero binary32 outputs, whose results never round up.
    @inlinable @inline(__always)
    func roundTowardZeroDecoded(sum: Int64, scaleExponent: Int, zeroExponent: Int) -> (significand: Int64, exponent: Int)? {
        if sum == 0 { return (0, zeroExponent) }
        let magnitude = sum.magnitude
        let top = 63 - magnitude.leadingZeroBitCount
        let binade = top + scaleExponent
        if binade > 127 { return nil }
        let exponent = Swift.max(binade, -126)
        let quantum = exponent - (precision - 1)
        let shift = quantum - scaleExponent
        let kept: UInt64 = shift <= 0 ? magnitude << UInt64(-shift) : (shift >= 64 ? 0 : magnitude >> UInt64(shift))
        if kept == 0 { return (0, zeroExponent) }
        // As an addend: 23 fraction bits at `exponent` (kept has `precision` bits at quantum).
        let significand = Int64(kept << UInt64(23 - (precision - 1)))
        return (sum < 0 ? -significand : significand, exponent)
    }

    /// The binary32 code of an addend kept decoded (inverse of `decodeAddend` for finite values).
    @inlinable @inline(__always)
    func encodeDecoded(significand: Int64, exponent: Int) -> UInt64 {
        if significand == 0 { return 0 }
        let sign: UInt64 = significand < 0 ? 0x8000_0000 : 0
        let m = UInt64(significand.magnitude)
        if m < 1 << 23 { return sign | m }  // subnormal (exponent -126)
        return sign | UInt64(exponent + 127) << 23 | (m & 0x7F_FFFF)
    }
}
