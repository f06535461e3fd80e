/// BitMoD's mixture-of-datatype weight formats (Chen et al., "BitMoD: Bit-serial
/// Mixture-of-Datatype LLM Acceleration", HPCA 2025, §III-B; bitmod.md §2).
///
/// Each family has four sign-magnitude codebooks whose negative-zero code is replaced by a
/// special value; every group of (default) 128 weights picks the member with the least squared
/// error, ties going to the earlier member in `members` order (argmin returns the first).
/// Values are in the authors' integer code grid (FP4's paper grid is this ÷ 2).
public struct BitMoDFamily: Sendable, Hashable {
    public let name: String
    public let members: [CodebookFormat]
    public let groupSize: Int

    public init(name: String, members: [CodebookFormat], groupSize: Int = 128) {
        precondition(!members.isEmpty && groupSize > 0)
        self.name = name
        self.members = members
        self.groupSize = groupSize
    }

    /// BitMoD-3 = {FP3-ER+, FP3-ER-, FP3-EA+, FP3-EA-}: basic {0, ±1, ±2, ±4} plus +3, -3, +6, -6.
    public static let bitmod3 = BitMoDFamily(name: "bitmod3", members: [
        StandardFormats.signMagnitudeCodebook(name: "fp3-er+", magnitudes: [0, 1, 2, 4], special: 3),
        StandardFormats.signMagnitudeCodebook(name: "fp3-er-", magnitudes: [0, 1, 2, 4], special: -3),
        StandardFormats.signMagnitudeCodebook(name: "fp3-ea+", magnitudes: [0, 1, 2, 4], special: 6),
        StandardFormats.signMagnitudeCodebook(name: "fp3-ea-", magnitudes: [0, 1, 2, 4], special: -6),
    ])

    /// ANT's per-group type choice as BitMoD compares it (`mixed_ant`, bitmod.md §7): {INT4
    /// symmetric, FLINT4} for 4 bits and {INT3 symmetric, FP3 basic} for 3 bits, selected per
    /// group by the same MSE search and scaled by the same two-level scales as the BitMoD families
    /// (ANT itself chooses per tensor or channel; Guo et al., MICRO 2022).
    public static let ant4 = BitMoDFamily(name: "ant4", members: [
        StandardFormats.signMagnitudeCodebook(name: "ant-int4", magnitudes: [0, 1, 2, 3, 4, 5, 6, 7], special: nil),
        StandardFormats.flint4,
    ])
    public static let ant3 = BitMoDFamily(name: "ant3", members: [
        StandardFormats.signMagnitudeCodebook(name: "ant-int3", magnitudes: [0, 1, 2, 3], special: nil),
        StandardFormats.signMagnitudeCodebook(name: "ant-fp3", magnitudes: [0, 1, 2, 4], special: nil),
    ])

    /// BitMoD-4 = {FP4-ER+, FP4-ER-, FP4-EA+, FP4-EA-}: basic {0, ±1, ±2, ±3, ±4, ±6, ±8, ±12}
    /// plus +10, -10, +16, -16.
    public static let bitmod4 = BitMoDFamily(name: "bitmod4", members: [
        StandardFormats.signMagnitudeCodebook(name: "fp4-er+", magnitudes: [0, 1, 2, 3, 4, 6, 8, 12], special: 10),
        StandardFormats.signMagnitudeCodebook(name: "fp4-er-", magnitudes: [0, 1, 2, 3, 4, 6, 8, 12], special: -10),
        StandardFormats.signMagnitudeCodebook(name: "fp4-ea+", magnitudes: [0, 1, 2, 3, 4, 6, 8, 12], special: 16),
        StandardFormats.signMagnitudeCodebook(name: "fp4-ea-", magnitudes: [0, 1, 2, 3, 4, 6, 8, 12], special: -16),
    ])

    /// The quantisation of one group under one member: absmax scale Δ = max|w| / max|grid|
    /// (the special value counts when it is the largest magnitude), codes by nearest value with
    /// ties to the lower value, and the squared error.
    public struct GroupQuantization: Sendable {
        public let member: Int
        public let scale: Double
        public let codes: [UInt64]
        public let squaredError: Double
    }

    /// Quantises one group with one member (bitmod.md §2.2 steps 2-3). Arithmetic in binary64,
    /// as the authors' PyTorch code computes in floating point.
    public func quantize(group: [Double], member index: Int) -> GroupQuantization {
        let book = members[index]
        let gridMax = ExactValue.compareMagnitudes(book.maximum, book.minimum) >= 0
            ? book.maximum.magnitude.approximateDouble : book.minimum.magnitude.approximateDouble
        let amax = group.reduce(0.0) { Swift.max($0, Swift.abs($1)) }
        let scale = amax > 0 ? amax / gridMax : 1
        var codes: [UInt64] = []
        codes.reserveCapacity(group.count)
        var error = 0.0
        for w in group {
            let r = book.encode(ExactValue(w / scale), rule: .toNearestOrEven)
            codes.append(r.code)
            let d = book.decode(r.code).approximateDouble * scale - w
            error += d * d
        }
        return GroupQuantization(member: index, scale: scale, codes: codes, squaredError: error)
    }

    /// The member with the least squared error for `group` (first member on ties).
    public func select(group: [Double]) -> GroupQuantization {
        var best = quantize(group: group, member: 0)
        for i in 1..<members.count {
            let candidate = quantize(group: group, member: i)
            if candidate.squaredError < best.squaredError { best = candidate }
        }
        return best
    }
}
