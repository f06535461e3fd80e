/// The per-tensor kernel in 16-lane binary32 SIMD.
///
/// x / s is formed in binary32 and turned into the round-to-odd quotient with one FMA (the
/// remainder x - q s is exact, so its sign says on which side the exact quotient lies); a
/// 24-bit round-to-odd value rounds correctly to any target of at most 22 bits (Boldo &
/// Melquiond 2008), and the rounding itself is the "magic constant" addition in binary32. Valid
/// for targets whose smallest subnormal is at least 2^-100 (below that the binary32 quotient may
/// be subnormal and its remainder inexact); all standard 8-bit formats qualify.
extension FastQuantizer {
    @usableFromInline
    struct SIMDKernel {
        @usableFromInline typealias F = SIMD16<Float>
        @usableFromInline typealias U = SIMD16<UInt32>
        @usableFromInline let minNormalBits: UInt32     // bits of 2^minNormal
        @usableFromInline let mantissaBits: UInt32
        @usableFromInline let largest: Float
        @usableFromInline let largestCode: UInt32
        @usableFromInline let signBit: UInt32
        @usableFromInline let nanCode: UInt32
        @usableFromInline let exponentOffset: UInt32
        @usableFromInline let subnormalMagicBits: UInt32
        @usableFromInline let negativeZeroAllowed: Bool

        @inlinable
        init(_ f: MiniFloatFormat) {
            precondition(f.mantissaBits <= 22 && f.bitWidth <= 8 && f.underflow == .subnormal
                         && f.minNormalExponent - f.mantissaBits >= -100)
            minNormalBits = UInt32(f.minNormalExponent + 127) << 23
            mantissaBits = UInt32(f.mantissaBits)
            largest = Float(f.decode(f.maxFiniteMagnitudeCode).approximateDouble)
            largestCode = UInt32(f.maxFiniteMagnitudeCode)
            signBit = f.isSigned ? UInt32(1) << UInt32(f.exponentBits + f.mantissaBits) : 0
            nanCode = UInt32(f.nanCode ?? (f.hasNegativeZero ? UInt64(1) << UInt64(f.exponentBits + f.mantissaBits) : 0))
            exponentOffset = UInt32(127 - f.bias) << UInt32(f.mantissaBits)
            subnormalMagicBits = UInt32(f.minNormalExponent - f.mantissaBits + 23 + 127) << 23
            negativeZeroAllowed = f.hasNegativeZero
        }

        /// The code of v / s (see the type's documentation); branch-free so loops vectorise.
        @inlinable @inline(__always)
        func code(_ v: Float, _ s: Float) -> UInt8 {
            let twiceLargestBits = (largest * 2).bitPattern
            let shift = 23 &- mantissaBits
            let magicOffset = shift << 23
            let subnormalMagic = Float(bitPattern: subnormalMagicBits)
            let negativeZero: UInt32 = negativeZeroAllowed ? 1 : 0
            let q = v / s
            let remainder = v.addingProduct(-q, s)
            let qBits = q.bitPattern, vBits = v.bitPattern, rBits = remainder.bitPattern
            let magnitudeBits = qBits & 0x7FFF_FFFF
            let inexact = (rBits & 0x7FFF_FFFF) != 0
            let even = magnitudeBits & 1 == 0
            let away = (rBits ^ vBits) >> 31 == 0
            let stepped = away ? magnitudeBits &+ 1 : magnitudeBits &- 1
            var oddBits = inexact && even ? stepped : magnitudeBits
            let isNaN = magnitudeBits > 0x7F80_0000
            oddBits = oddBits > twiceLargestBits ? twiceLargestBits : oddBits
            let binadeBits = oddBits & 0x7F80_0000
            let quantumBits = binadeBits < minNormalBits ? minNormalBits : binadeBits
            let magic = Float(bitPattern: quantumBits &+ magicOffset)
            let rounded = (Float(bitPattern: oddBits) + magic) - magic
            let roundedBits = rounded.bitPattern
            let normal = (roundedBits >> shift) &- exponentOffset
            let subnormal = (rounded + subnormalMagic).bitPattern &- subnormalMagicBits
            var magnitude = roundedBits < minNormalBits ? subnormal : normal
            magnitude = rounded > largest ? largestCode : magnitude
            let negative = qBits >> 31
            let signed = negative & ((magnitude != 0 ? 1 : 0) | negativeZero)
            var code = magnitude | (signed != 0 ? signBit : 0)
            code = isNaN ? nanCode : code
            return UInt8(truncatingIfNeeded: code)
        }
    }

    /// Codes of `x[i] / scale` in `format` (nearest-even, saturating; NaN to the format's NaN or
    /// zero code): exactly the generic `Quantizer`'s codes. A plain loop of selects, so that LLVM
    /// vectorises it (an explicit SIMD16 version compiled to per-lane code and ran 25x slower).
    @inlinable
    public static func quantize(_ x: UnsafeBufferPointer<Float>, scale: Float, format: MiniFloatFormat,
                                    into codes: UnsafeMutableBufferPointer<UInt8>) {
        precondition(codes.count >= x.count)
        let k = SIMDKernel(format)
        guard let input = x.baseAddress, let output = codes.baseAddress else { return }
        for i in 0..<x.count { output[i] = k.code(input[i], scale) }
    }
}
