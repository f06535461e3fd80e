/// A fixed-point accumulator of any width in two's complement (a Kulisch accumulator when the
/// width covers the full product range, fpga-dsp.md §7): terms `(-1)^negative * significand *
/// 2^shift` (shift counted from the accumulator's least significant bit) are added exactly and
/// the whole register wraps modulo 2^width, as a hardware register of that width does.
public struct WideAccumulator: Sendable, Hashable {
    public let width: Int
    /// Little-endian 64-bit limbs; bits above `width` are kept as the sign extension.
    public private(set) var limbs: [UInt64]

    public init(width: Int) {
        precondition((2...4096).contains(width), "accumulator widths 2...4096")
        self.width = width
        limbs = [UInt64](repeating: 0, count: (width + 63) / 64)
    }

    public mutating func reset() { for i in limbs.indices { limbs[i] = 0 } }

    /// Adds `(-1)^negative * significand * 2^shift` (shift >= 0), wrapping at the width.
    public mutating func add(negative: Bool, significand: UInt64, shift: Int) {
        precondition(shift >= 0, "terms start at the accumulator's least significant bit")
        guard significand != 0, shift < width else { return }
        // The term as limbs (two's complement over the accumulator's limbs when negative).
        var term = [UInt64](repeating: 0, count: limbs.count)
        let index = shift / 64, offset = UInt64(shift % 64)
        term[index] = significand << offset
        if offset > 0, index + 1 < term.count { term[index + 1] = significand >> (64 - offset) }
        if negative {
            var carry: UInt64 = 1
            for i in term.indices {
                let (v, o) = (~term[i]).addingReportingOverflow(carry)
                term[i] = v
                carry = o ? 1 : 0
            }
        }
        var carry: UInt64 = 0
        for i in limbs.indices {
            let (s1, o1) = limbs[i].addingReportingOverflow(term[i])
            let (s2, o2) = s1.addingReportingOverflow(carry)
            limbs[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        normalise()
    }

    /// Sign-extends bit width-1 through the top limb (wrap-around at the width).
    mutating func normalise() {
        let top = limbs.count - 1, bits = width - 64 * top
        guard bits < 64 else { return }
        let spare = UInt64(64 - bits)
        limbs[top] = UInt64(bitPattern: Int64(bitPattern: limbs[top] << spare) >> Int64(spare))
    }

    public var isNegative: Bool { Int64(bitPattern: limbs[limbs.count - 1]) < 0 }

    /// The value as sign and magnitude limbs (little-endian).
    public var signMagnitude: (negative: Bool, magnitude: [UInt64]) {
        guard isNegative else { return (false, limbs) }
        var m = limbs.map { ~$0 }
        var carry: UInt64 = 1
        for i in m.indices {
            let (v, o) = m[i].addingReportingOverflow(carry)
            m[i] = v
            carry = o ? 1 : 0
        }
        return (true, m)
    }

    /// The value when it fits an Int64 (nil otherwise).
    public var int64: Int64? {
        let v = Int64(bitPattern: limbs[0])
        let extension_: UInt64 = v < 0 ? .max : 0
        return limbs.dropFirst().allSatisfy { $0 == extension_ } ? v : nil
    }
}

extension WideAccumulator {
    /// The value rounded to odd at `bits` significant bits (at most 63): sign, significand and the
    /// exponent of its least significant bit relative to the accumulator's least significant bit.
    /// Rounding to odd at p + 2 or more bits and then to nearest at p bits rounds correctly
    /// (Boldo & Melquiond 2008), so callers round this once more to their target. Nil when zero.
    public func roundedToOdd(bits: Int) -> (negative: Bool, significand: UInt64, exponent: Int)? {
        precondition((2...63).contains(bits))
        let (negative, magnitude) = signMagnitude
        guard let top = magnitude.lastIndex(where: { $0 != 0 }) else { return nil }
        let topBit = top * 64 + (63 - magnitude[top].leadingZeroBitCount)
        func bit(_ i: Int) -> UInt64 { i < 0 ? 0 : (magnitude[i / 64] >> UInt64(i % 64)) & 1 }
        let low = Swift.max(0, topBit - bits + 1)
        var significand: UInt64 = 0
        for i in stride(from: topBit, through: low, by: -1) { significand = significand << 1 | bit(i) }
        var sticky = false
        if low > 0 {
            for i in 0..<low where bit(i) != 0 { sticky = true; break }
        }
        if sticky { significand |= 1 }
        return (negative, significand, low)
    }
}
