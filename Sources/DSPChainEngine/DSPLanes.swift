import ArchitectureSpec

/// Packed-lane arithmetic of one DSP48E2 cascade (fpga-dsp.md §2-3), one pass of `count` terms.
enum DSPLanes {
    static let mask48: UInt64 = (1 << 48) - 1

    /// The 48-bit P after a cascade of products, wrapping as the ALU does.
    @inline(__always)
    static func wrap48(_ x: Int64) -> UInt64 { UInt64(bitPattern: x) & mask48 }

    /// Two's complement field P[high-1:low] as a signed integer.
    @inline(__always)
    static func field(_ p: UInt64, low: Int, high: Int) -> Int64 {
        let width = high - low
        let raw = (p >> UInt64(low)) & ((1 << UInt64(width)) - 1)
        let sign: UInt64 = 1 << UInt64(width - 1)
        return Int64(bitPattern: raw ^ sign) - Int64(bitPattern: sign)
    }

    /// WP486 two-lane INT8: P = sum (c 2^18 + b) a over the pass (48-bit wrap); lane 0 =
    /// signed(P[17:0]), lane 1 = signed(P[47:18]) (+ P[17] with the sign-bit correction).
    static func int8Pair(b: UnsafeBufferPointer<Int64>, c: UnsafeBufferPointer<Int64>, a: UnsafeBufferPointer<Int64>,
                         correction: FPGALaneCorrection) -> (Int64, Int64) {
        var p: UInt64 = 0
        for t in 0..<a.count {
            // The pre-adder forms D + A = c 2^18 + b (27 bits); the multiplier's 45-bit product.
            let ad = c[t] &<< 18 &+ b[t]
            p = (p &+ UInt64(bitPattern: ad &* a[t])) & mask48
        }
        let lo = field(p, low: 0, high: 18)
        var hi = field(p, low: 18, high: 48)
        if correction == .signBit { hi &+= Int64((p >> 17) & 1) }
        return (lo, hi)
    }

    /// FINN's 4-lane INT4 offsets on DSP48E2 (mvu_4sx4u, VERSION 2).
    static let int4Offsets = [0, 8, 15, 22]

    /// Four 4-bit weights (lanes at 0, 8, 15, 22 via D - A) times one activation per term:
    /// P = sum (sum_k w_k 2^off_k) a (48-bit wrap). Lanes read as signed fields P[off_{k+1}-1 :
    /// off_k] (the top lane to bit 47), plus the lower part's sign bit with `sign_bit`; with
    /// `canary` each lane is the exact sum (FINN's per-cycle carry recovery into a sideband),
    /// except that the top lane still wraps at its 26 bits.
    static func int4Quad(w: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Int64>),
                         a: UnsafeBufferPointer<Int64>, correction: FPGALaneCorrection,
                         into lanes: inout (Int64, Int64, Int64, Int64)) {
        var p: UInt64 = 0
        var exact: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
        for t in 0..<a.count {
            let d = w.0[t] &+ w.1[t] &<< 8 &+ w.2[t] &<< 15 &+ w.3[t] &<< 22
            p = (p &+ UInt64(bitPattern: d &* a[t])) & mask48
            if correction == .canary {
                exact.0 &+= w.0[t] &* a[t]
                exact.1 &+= w.1[t] &* a[t]
                exact.2 &+= w.2[t] &* a[t]
                exact.3 &+= w.3[t] &* a[t]
            }
        }
        if correction == .canary {
            lanes = (exact.0, exact.1, exact.2, field(UInt64(bitPattern: exact.3) & ((1 << 26) - 1), low: 0, high: 26))
            return
        }
        let fix = correction == .signBit
        @inline(__always) func borrow(_ bit: Int) -> Int64 { fix ? Int64((p >> UInt64(bit)) & 1) : 0 }
        lanes = (field(p, low: 0, high: 8), field(p, low: 8, high: 15) &+ borrow(7), field(p, low: 15, high: 22) &+ borrow(14),
                 field(p, low: 22, high: 48) &+ borrow(21))
    }
}
