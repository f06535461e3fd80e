/// Bit masks for widths that come from data (a format's field widths): `(1 << n) - 1` traps at
/// n = 64 in Swift (the shift gives 0, the subtraction overflows), so every datapath builds its
/// masks here.
public enum BitMask {
    /// The low `bits` bits set (0...64).
    @inlinable
    public static func low(_ bits: Int) -> UInt64 {
        precondition(bits >= 0 && bits <= 64, "mask widths 0...64")
        return bits == 64 ? .max : (UInt64(1) << UInt64(bits)) &- 1
    }

    /// Bit `position` set (0...63).
    @inlinable
    public static func bit(_ position: Int) -> UInt64 {
        precondition(position >= 0 && position < 64, "bit positions 0...63")
        return UInt64(1) << UInt64(position)
    }
}
