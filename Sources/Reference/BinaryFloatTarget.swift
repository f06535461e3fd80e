/// A binary floating-point rounding target: precision, exponent range and subnormal support,
/// in IEEE 754 conventions (not MPFR's, which are one above: oracles.md §4).
///
/// Finite values are `m * 2^e` with `m` a `precision`-bit integral significand; normal values
/// have magnitude in `[2^minNormalExponent, 2^(maxExponent + 1))`. With subnormals, the grid
/// below `2^minNormalExponent` is `2^(minNormalExponent - precision + 1)`; without, the only
/// value below the smallest normal is zero.
public struct BinaryFloatTarget: Sendable, Hashable, CustomStringConvertible {
    /// Significand bits including the leading (hidden) bit.
    public var precision: Int
    /// Exponent of the smallest normal value.
    public var minNormalExponent: Int
    /// Exponent of the largest binade holding finite values.
    public var maxExponent: Int
    /// Whether gradual underflow is supported.
    public var subnormals: Bool

    public init(precision: Int, minNormalExponent: Int, maxExponent: Int, subnormals: Bool) {
        precondition(precision >= 1 && minNormalExponent <= maxExponent)
        self.precision = precision
        self.minNormalExponent = minNormalExponent
        self.maxExponent = maxExponent
        self.subnormals = subnormals
    }

    /// IEEE 754 binary16.
    public static let binary16 = BinaryFloatTarget(precision: 11, minNormalExponent: -14,
                                                   maxExponent: 15, subnormals: true)
    /// bfloat16 (8-bit significand, binary32 exponent range).
    public static let bfloat16 = BinaryFloatTarget(precision: 8, minNormalExponent: -126,
                                                   maxExponent: 127, subnormals: true)
    /// IEEE 754 binary32.
    public static let binary32 = BinaryFloatTarget(precision: 24, minNormalExponent: -126,
                                                   maxExponent: 127, subnormals: true)
    /// IEEE 754 binary64.
    public static let binary64 = BinaryFloatTarget(precision: 53, minNormalExponent: -1022,
                                                   maxExponent: 1023, subnormals: true)

    /// MPFR's emin for this target: the exponent of the smallest positive value plus one.
    var mpfrEmin: Int {
        subnormals ? minNormalExponent - precision + 2 : minNormalExponent + 1
    }

    /// MPFR's emax: the exponent of the largest binade plus one.
    var mpfrEmax: Int { maxExponent + 1 }

    /// The exponent of the grid spacing (ulp) at a value of binade `b`.
    func quantumExponent(atBinade b: Int) -> Int {
        subnormals ? Swift.max(b, minNormalExponent) - precision + 1 : b - precision + 1
    }

    public var description: String {
        "p=\(precision) emin=\(minNormalExponent) emax=\(maxExponent)" + (subnormals ? " subnormals" : " no-subnormals")
    }
}
