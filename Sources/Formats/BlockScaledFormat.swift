/// How a block's shared scale is chosen.
public enum ScaleRule: String, Sendable, Hashable {
    /// OCP MX v1.0 §6.3: X = 2^(floor(log2 amax) - emax_elem). The block maximum can clip
    /// (E2M1 block with amax 7: X = 1, 7 saturates to 6: formats.md §5.2).
    case mxFloor = "floor"
    /// X = 2^ceil(log2(amax / max_elem)): the smallest power of two that never clips.
    case amaxCeil = "ceil"
    /// NVFP4 (NVIDIA NVFP4 blog, June 2025): global = amax_tensor / (448 * 6) and
    /// s = E4M3_RNE(amax_block / 6 / global), both in binary32 arithmetic.
    case nvfp4
}

/// A block-scaled format: `blockSize` elements sharing one scale (OCP MX v1.0, NVFP4, block
/// floating point).
public struct BlockScaledFormat: Sendable, Hashable {
    public let name: String
    public let element: ScalarFormat
    public let scale: MiniFloatFormat
    public let blockSize: Int
    public let rule: ScaleRule
    /// Element conversion rounding (OCP MX and NVIDIA `cvt.rn`: nearest-even).
    public let elementRounding: RoundingRule

    public init(name: String, element: ScalarFormat, scale: MiniFloatFormat, blockSize: Int, rule: ScaleRule,
                elementRounding: RoundingRule = .toNearestOrEven) {
        precondition(blockSize > 0)
        self.name = name
        self.element = element
        self.scale = scale
        self.blockSize = blockSize
        self.rule = rule
        self.elementRounding = elementRounding
    }

    /// A copy with another scale rule (the amax-ceil variant of an MX format).
    public func with(rule: ScaleRule) -> BlockScaledFormat {
        BlockScaledFormat(name: name, element: element, scale: scale, blockSize: blockSize, rule: rule,
                          elementRounding: elementRounding)
    }

    /// One quantised block.
    public struct Block: Sendable, Hashable {
        public let scaleCode: UInt64
        public let elementCodes: [UInt64]
        /// Elements whose magnitude exceeded the element maximum after scaling (clipped).
        public let clipped: Int
    }

    /// The NVFP4 per-tensor scale from a tensor's amax (binary32): amax / (448 * 6); 1 when the
    /// tensor is all zeros. As in NVIDIA Transformer Engine (core_nvfp4.cuh,
    /// compute_global_encode_scaling_factor_FP4: min(448 * 6 / amax, FLT_MAX)), the encode scale
    /// (448 * 6) / amax is clamped to the largest binary32, so for a tiny amax the decode scale
    /// stays 1 / FLT_MAX instead of underflowing to 0 (which made every block scale 0/0 = NaN).
    public static func nvfp4TensorScale(amax: Float) -> Float {
        guard amax > 0 && amax.isFinite else { return 1 }
        return Swift.max(amax / (448 * 6), 1 / Float.greatestFiniteMagnitude)
    }

    /// Quantises one block of values (`values.count <= blockSize`; a short last block is
    /// allowed). `tensorScale` is used by `.nvfp4` only.
    ///
    /// Conventions (formats.md §5, §10): amax is over finite inputs; an all-zero block takes the
    /// smallest scale; a shared exponent above the scale format's range gives a NaN scale, one
    /// below is clamped. Elements are rounded with `elementRounding` and saturated; ±Inf inputs
    /// follow the element format's non-saturating overflow (E5M2: Inf, E4M3: NaN, FP6/FP4 have
    /// neither and saturate); a NaN input becomes the element NaN, or makes the scale NaN where
    /// the element format has no NaN.
    public func quantize(_ values: [Double], tensorScale: Float = 1) -> Block {
        precondition(values.count <= blockSize)
        var amax = 0.0
        var hasNaN = false
        for v in values {
            if v.isNaN { hasNaN = true } else if v.isFinite { amax = Swift.max(amax, Swift.abs(v)) }
        }
        let elementHasNaN: Bool
        if case .float(let f) = element { elementHasNaN = f.hasNaN } else { elementHasNaN = false }
        let zeroCode = element.encode(.zero(negative: false), rule: .toNearestOrEven).code

        switch rule {
        case .mxFloor, .amaxCeil:
            let exponent: Int?
            if amax == 0 {
                exponent = scale.minNormalExponent
            } else {
                let a = ExactValue(amax)
                if rule == .mxFloor {
                    exponent = a.binade! - element.maxBinade
                } else {
                    exponent = Self.ceilExponent(amax: a, maxElement: element.maxMagnitude)
                }
            }
            guard var e = exponent, !(hasNaN && !elementHasNaN) else {
                return Block(scaleCode: scale.nanCode!, elementCodes: Array(repeating: zeroCode, count: values.count), clipped: 0)
            }
            if e > scale.maxExponent {
                return Block(scaleCode: scale.nanCode!, elementCodes: Array(repeating: zeroCode, count: values.count), clipped: 0)
            }
            e = Swift.max(e, scale.minNormalExponent)
            let scaleCode = scale.encode(ExactValue(negative: false, significand: 1, exponent: e),
                                         rule: .toNearestOrEven, overflow: .nan).code
            var clipped = 0
            let codes = values.map { v -> UInt64 in
                let x = ExactValue(v).scaled(byPowerOfTwo: -e)
                let r = encodeElement(x)
                if r.flags.contains(.overflow) { clipped += 1 }
                return r.code
            }
            return Block(scaleCode: scaleCode, elementCodes: codes, clipped: clipped)
        case .nvfp4:
            if hasNaN && !elementHasNaN {
                return Block(scaleCode: scale.nanCode!, elementCodes: Array(repeating: zeroCode, count: values.count), clipped: 0)
            }
            let elementMax = Float(element.maxMagnitude.approximateDouble)
            let ratio = Float(amax) / elementMax / tensorScale
            let s = scale.encode(ExactValue(ratio), rule: .toNearestOrEven, overflow: .saturate)
            let sValue = Float(scale.decode(s.code).approximateDouble)
            let divisor = sValue * tensorScale
            var clipped = 0
            let codes = values.map { v -> UInt64 in
                guard divisor > 0 else { return zeroCode }
                let r = encodeElement(ExactValue(Float(v) / divisor))
                if r.flags.contains(.overflow) { clipped += 1 }
                return r.code
            }
            return Block(scaleCode: s.code, elementCodes: codes, clipped: clipped)
        }
    }

    /// Element conversion: saturate finite overflow; infinities follow the IEEE-style policy.
    func encodeElement(_ x: ExactValue) -> EncodeResult {
        element.encode(x, rule: elementRounding, overflow: x.isInfinite ? .infinity : .saturate)
    }

    /// The exact values of a block (all NaN under a NaN scale).
    public func decode(_ block: Block, tensorScale: Float = 1) -> [ExactValue] {
        let s = scale.decode(block.scaleCode)
        if s.isNaN { return block.elementCodes.map { _ in .nan } }
        let t = rule == .nvfp4 ? ExactValue(tensorScale) : ExactValue(1.0)
        let factor = s.multipliedExactly(by: t)!
        return block.elementCodes.map { element.decode($0).multipliedExactly(by: factor) ?? .nan }
    }

    /// Smallest e with maxElement * 2^e >= amax.
    static func ceilExponent(amax: ExactValue, maxElement: ExactValue) -> Int {
        var e = amax.binade! - maxElement.binade! - 1
        while ExactValue.compareMagnitudes(maxElement.scaled(byPowerOfTwo: e), amax) < 0 { e += 1 }
        return e
    }
}
