/// Dot products of binary64 vectors for the accuracy metrics.
///
/// `compensated` is Ogita, Rump and Oishi's Dot2 ("Accurate sum and dot product", SIAM J. Sci.
/// Comput. 26(6), 2005) in four interleaved lanes: every product split exactly with an FMA
/// (TwoProduct), every addition of the running sums split exactly (Knuth's TwoSum), the error
/// terms summed in binary64. The exact dot product equals hi + (the exact sum of the 2n error
/// terms); those terms are below u * sum|p| in total for each kind, so lo, their binary64 sum,
/// is off by at most gamma_2n * 2(n + 1) u * sum|p| (u = 2^-53, any summation order). `binary32`
/// rounds the result only where the whole error interval rounds to one binary32 value;
/// elsewhere (near a rounding boundary, an exact zero) it is nil and the caller rounds exactly.
public enum AccurateDot {
    public struct Result: Sendable {
        /// hi + lo, within `bound` of the exact dot product.
        public var value: Double
        /// sum |x_i y_i| (rounded).
        public var magnitude: Double
        public var bound: Double

        /// The exact dot product rounded to binary32 (nearest even), when provably so.
        public var binary32: Float? {
            let low = Float(value - bound), high = Float(value + bound)
            return low.bitPattern == high.bitPattern ? low : nil
        }
    }

    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let s = a + b
        let z = s - a
        return (s, (a - (s - z)) + (b - z))
    }

    public static func compensated(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count n: Int) -> Result {
        var hi = SIMD4<Double>(), lo = SIMD4<Double>(), magnitude = SIMD4<Double>()
        var t = 0
        while t + 4 <= n {
            let a = SIMD4(x[t], x[t + 1], x[t + 2], x[t + 3]), b = SIMD4(y[t], y[t + 1], y[t + 2], y[t + 3])
            let p = a * b
            let e = (-p).addingProduct(a, b)  // exact: a * b - p
            let s = hi + p
            let z = s - hi
            lo += ((hi - (s - z)) + (p - z)) + e
            hi = s
            magnitude += p.replacing(with: -p, where: p .< 0)
            t += 4
        }
        var h = 0.0, l = 0.0
        for lane in 0..<4 {
            let (s, e) = twoSum(h, hi[lane])
            h = s
            l += e + lo[lane]
        }
        var m = magnitude.sum()
        while t < n {
            let p = x[t] * y[t]
            let e = (-p).addingProduct(x[t], y[t])
            let (s, err) = twoSum(h, p)
            h = s
            l += err + e
            m += Swift.abs(p)
            t += 1
        }
        let value = h + l
        // Error terms: n TwoProduct and n + 3 TwoSum errors, each kind below u * sum|p|; their
        // binary64 sum off by gamma_(2n+3) of their total; then the rounding of hi + lo and of
        // value -/+ bound themselves (covered by 2^-50 |value|), and a floor below binary32's
        // smallest subnormal half-spacing.
        let terms = Double(2 * n + 4)
        let bound = 0x1p-50 * Swift.abs(value) + terms * terms * 0x1p-105 * m + 0x1p-1060
        return Result(value: value, magnitude: m, bound: bound)
    }

    /// sum x_i y_i in binary64 with fused multiply-adds, four interleaved lanes.
    public static func binary64(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count n: Int) -> Double {
        var acc = SIMD4<Double>()
        var t = 0
        while t + 4 <= n {
            acc = acc.addingProduct(SIMD4(x[t], x[t + 1], x[t + 2], x[t + 3]), SIMD4(y[t], y[t + 1], y[t + 2], y[t + 3]))
            t += 4
        }
        var sum = acc.sum()
        while t < n { sum = sum.addingProduct(x[t], y[t]); t += 1 }
        return sum
    }
}
