/// Vectorisable kernels for the hot conversion paths: binary32 matrices to minifloat codes
/// (per-tensor scale or OCP MX blocks) and codes back to binary32. Each kernel computes exactly
/// what the generic `Quantizer` path computes (tests compare them code for code).
///
/// Exactness argument: see `SIMDKernel` (binary32 quotient made round-to-odd with one FMA).
public enum FastQuantizer {
    /// The largest |x| in a buffer (NaN ignored, ±Inf counted as Inf). On bit patterns: with the
    /// sign cleared, non-negative binary32 values order like their patterns as integers, NaN
    /// patterns lie above Inf's and are replaced by 0; an integer maximum LLVM vectorises.
    @inlinable
    public static func absoluteMaximum(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard let base = x.baseAddress else { return 0 }
        let bits = UnsafeRawPointer(base).assumingMemoryBound(to: UInt32.self)
        var m: UInt32 = 0
        for i in 0..<x.count {
            let v = bits[i] & 0x7FFF_FFFF
            let finiteOrInfinity = v > 0x7F80_0000 ? 0 : v
            m = finiteOrInfinity > m ? finiteOrInfinity : m
        }
        return Float(bitPattern: m)
    }

    /// The per-tensor binary32 scale of the generic quantizer: amax / max|element|, rounded once
    /// (1 for an all-zero tensor).
    @inlinable
    public static func perTensorScale(amax: Float, format: MiniFloatFormat) -> Float {
        guard amax > 0, amax.isFinite else { return 1 }
        let s = Float(Double(amax) / format.decode(format.maxFiniteMagnitudeCode).approximateDouble)
        return s > 0 ? s : 1
    }

    /// OCP MX v1.0 quantisation of consecutive blocks (floor rule, E8M0 scales): block b covers
    /// x[b * blockSize ..< (b + 1) * blockSize]. Equals `BlockScaledFormat.quantize` block by
    /// block; blocks holding NaN or ±Inf are handed to it.
    @inlinable
    public static func quantizeMX(_ x: UnsafeBufferPointer<Float>, element: MiniFloatFormat, blockSize: Int,
                                  scales: UnsafeMutableBufferPointer<UInt8>, codes: UnsafeMutableBufferPointer<UInt8>) {
        let kernel = SIMDKernel(element)
        let emaxElement = element.maxExponent
        let blocks = (x.count + blockSize - 1) / blockSize
        precondition(scales.count >= blocks && codes.count >= x.count)
        for b in 0..<blocks {
            let start = b * blockSize, end = Swift.min(start + blockSize, x.count)
            var amax: Float = 0
            var special = false
            for i in start..<end {
                let a = Swift.abs(x[i])
                amax = a > amax ? a : amax
                special = special || !(a <= .greatestFiniteMagnitude)
            }
            if special {
                let generic = BlockScaledFormat(name: "mx", element: .float(element), scale: StandardFormats.e8m0,
                                                blockSize: blockSize, rule: .mxFloor)
                let q = generic.quantize((start..<end).map { Double(x[$0]) })
                scales[b] = UInt8(q.scaleCode)
                for i in start..<end { codes[i] = UInt8(q.elementCodes[i - start]) }
                continue
            }
            // floor(log2 amax) from the binary32 bits (subnormals via their leading one).
            var e: Int
            if amax == 0 {
                e = -127
            } else {
                e = amax.exponent - emaxElement
            }
            if e > 127 {
                scales[b] = 0xFF
                for i in start..<end { codes[i] = 0 }
                continue
            }
            e = Swift.max(e, -127)
            scales[b] = UInt8(e + 127)
            // X = 2^e (a binary32 subnormal at e = -127, still exact): x / X is exact unless it
            // falls far below the element's smallest subnormal, where it rounds to zero anyway.
            let s = Float(sign: .plus, exponent: e, significand: 1)
            guard let input = x.baseAddress, let output = codes.baseAddress else { continue }
            for i in start..<end { output[i] = kernel.code(input[i], s) }
        }
    }

    /// Decodes codes to binary32 through a 256-entry table.
    @inlinable
    public static func decode(_ codes: UnsafeBufferPointer<UInt8>, format: MiniFloatFormat,
                              into out: UnsafeMutableBufferPointer<Float>) {
        precondition(format.bitWidth <= 8 && out.count >= codes.count)
        var table = [Float](repeating: 0, count: 256)
        for c in 0..<(1 << format.bitWidth) {
            let v = format.decode(UInt64(c))
            table[c] = v.isNaN ? .nan : Float(v.approximateDouble)
        }
        table.withUnsafeBufferPointer { t in
            for i in 0..<codes.count { out[i] = t[Int(codes[i])] }
        }
    }
}
