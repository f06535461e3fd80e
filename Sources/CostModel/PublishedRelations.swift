/// The per-format cost relations the literature states and the model must reproduce without
/// being fitted to them (issue: FP16 vs INT8 MAC near Horowitz's ratios; FP8 vs INT8 MAC in
/// the Qualcomm whitepaper's band). `simulate costs calibrate` prints them; tests hold them.
public struct PublishedRelations: Sendable, Codable {
    /// FP16 MAC (IEEE multiplier + adder) over INT8 MAC (8 x 8 multiplier + 8-bit adder); Horowitz: 1.5 / 0.23 = 6.5.
    public let fp16MACOverINT8MAC: Double
    /// FP16 multiplier over 8 x 8 integer multiplier; Horowitz: 5.5.
    public let fp16MultOverINT8Mult: Double
    /// FP8 (E4M3) fused MAC with an FP16 accumulator over INT8 with INT16 / with INT32, and FP8
    /// with an FP32 accumulator over INT8 with INT32; Qualcomm: 1.5-2.8.
    public let fp8FP16OverINT8INT16: Double
    public let fp8FP16OverINT8INT32: Double
    public let fp8FP32OverINT8INT32: Double

    public static let horowitzMACRatio = (1.1 + 0.4) / (0.2 + 0.03)
    public static let horowitzMultRatio = 1.1 / 0.2
    public static let qualcommBand = 1.5...2.8

    public init(_ lib: CellLibrary) {
        func ratio(_ a: LogicCells, _ b: LogicCells) -> Double { lib.energy(a) / lib.energy(b) }
        let fp16Mult = LogicBlock.floatMultiplier(exponentBits: 5, mantissaBits: 10)
        let fp16MAC = fp16Mult + LogicBlock.floatAdder(exponentBits: 5, mantissaBits: 10)
        let int8Mult = LogicBlock.integerMultiplier(8, 8)
        let fp8FP16 = LogicBlock.floatMAC(exponentBits: 4, mantissaBits: 3, accumulatorExponentBits: 5, accumulatorMantissaBits: 10)
        let fp8FP32 = LogicBlock.floatMAC(exponentBits: 4, mantissaBits: 3, accumulatorExponentBits: 8, accumulatorMantissaBits: 23)
        fp16MACOverINT8MAC = ratio(fp16MAC, int8Mult + LogicBlock.adder(width: 8))
        fp16MultOverINT8Mult = ratio(fp16Mult, int8Mult)
        fp8FP16OverINT8INT16 = ratio(fp8FP16, LogicBlock.integerMAC(bits: 8, 8, accumulatorBits: 16))
        fp8FP16OverINT8INT32 = ratio(fp8FP16, LogicBlock.integerMAC(bits: 8, 8, accumulatorBits: 32))
        fp8FP32OverINT8INT32 = ratio(fp8FP32, LogicBlock.integerMAC(bits: 8, 8, accumulatorBits: 32))
    }
}
