/// Exact integer arithmetic for integer datapaths (INT8/INT4 MMA, DSP lanes), in Swift's
/// `Int128`, which holds any sum of up to 2^64 products of two 32-bit integers; every operation
/// here is checked (traps are impossible by construction, and overflow beyond Int128 is reported
/// as an error rather than wrapped).
public enum ExactInteger {
    /// The exact dot product `c + sum a[i] * b[i]`, or `nil` if it leaves Int128.
    public static func dot(_ a: [Int64], _ b: [Int64], addend c: Int128 = 0) -> Int128? {
        precondition(a.count == b.count, "dot: length mismatch")
        var sum = c
        for i in a.indices {
            let (product, o1) = Int128(a[i]).multipliedReportingOverflow(by: Int128(b[i]))
            let (next, o2) = sum.addingReportingOverflow(product)
            if o1 || o2 { return nil }
            sum = next
        }
        return sum
    }

    /// `value` reduced modulo 2^bits into the two's-complement range [-2^(bits-1), 2^(bits-1)):
    /// what an N-bit accumulator that wraps holds (PTX ISA mma: "the accumulated value is
    /// wrapped").
    public static func wrapped(_ value: Int128, toBits bits: Int) -> Int128 {
        precondition((1...127).contains(bits))
        let modulus = Int128(1) << bits
        var r = value % modulus
        if r < 0 { r += modulus }
        return r >= modulus >> 1 ? r - modulus : r
    }

    /// `value` clamped to the N-bit two's-complement range (PTX `.satfinite`).
    public static func saturated(_ value: Int128, toBits bits: Int) -> Int128 {
        precondition((1...127).contains(bits))
        let high = (Int128(1) << (bits - 1)) - 1
        return Swift.min(Swift.max(value, -high - 1), high)
    }
}
