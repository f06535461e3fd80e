/// An adder of a given width in two's complement, as hardware builds them: it wraps modulo
/// 2^width (DSP48E2's 48-bit ALU, a wrapping INT32 accumulator) or saturates at the width's
/// range (PTX `.satfinite`). Widths 1...63.
public struct FixedWidthAdder: Sendable, Hashable {
    public enum Overflow: String, Sendable, Hashable { case wrap, saturate }

    public let width: Int
    public let overflow: Overflow

    public init(width: Int, overflow: Overflow) {
        precondition((1...63).contains(width), "adder widths 1...63")
        self.width = width
        self.overflow = overflow
    }

    public var minimum: Int64 { -(Int64(1) << Int64(width - 1)) }
    public var maximum: Int64 { (Int64(1) << Int64(width - 1)) - 1 }

    /// x reduced to the adder's range: its low `width` bits sign-extended, or clamped.
    @inlinable
    public func reduce(_ x: Int64) -> Int64 {
        switch overflow {
        case .wrap:
            let spare = Int64(64 - width)
            return (x << spare) >> spare
        case .saturate:
            return Swift.min(Swift.max(x, minimum), maximum)
        }
    }

    /// a + b in the adder (a and b already within its range); whether the exact sum left it.
    @inlinable
    public func add(_ a: Int64, _ b: Int64) -> (sum: Int64, overflowed: Bool) {
        let exact = a &+ b   // |a|, |b| < 2^62: the Int64 sum is exact
        let r = reduce(exact)
        return (r, r != exact)
    }
}

/// Radix-4 (modified) Booth recoding (bitmod.md §3.1): a signed `bits`-wide integer as
/// ceil(bits / 2) digits in {-2, -1, 0, 1, 2}, least significant first, with value
/// sum(d_i * 4^i). Digit i looks at bits 2i+1, 2i, 2i-1 (bit -1 = 0): d = -2 b_{2i+1} + b_{2i} + b_{2i-1}.
public enum BoothRecoding {
    @inlinable
    public static func radix4(_ value: Int64, bits: Int) -> [Int8] {
        precondition((1...62).contains(bits), "Booth operand widths 1...62")
        precondition(value >= -(Int64(1) << Int64(bits - 1)) && value < Int64(1) << Int64(bits - 1), "value fits the width")
        let digits = (bits + 1) / 2
        // Sign-extended to an even width, so the top digit sees the sign bit.
        var out = [Int8](repeating: 0, count: digits)
        var previous: Int64 = 0
        for i in 0..<digits {
            let b0 = (value >> Int64(2 * i)) & 1, b1 = (value >> Int64(2 * i + 1)) & 1
            out[i] = Int8(-2 * b1 + b0 + previous)
            previous = b1
        }
        return out
    }

    /// The value of a digit string.
    @inlinable
    public static func value(_ digits: [Int8]) -> Int64 {
        digits.reversed().reduce(Int64(0)) { $0 * 4 + Int64($1) }
    }
}
