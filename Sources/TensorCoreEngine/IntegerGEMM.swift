import ArchitectureSpec
import Formats

/// Exact integer GEMM into an N-bit accumulator: wrapping (Int32 wrapping adds are the modular
/// sum, so the instruction boundaries do not matter), or saturating at the end of each
/// instruction's K (PTX `.satfinite`).
struct IntegerGEMM {
    let instructionK: Int
    let saturate: Bool
    let aValues: [Int32]
    let bValues: [Int32]
    let accumulator: IntegerFormat

    init?(unit: MMAUnit) {
        guard case .integer(let fa) = unit.aFormat, case .integer(let fb) = unit.bFormat,
              case .integer(let fc) = unit.accumulatorFormat, fc.bitWidth == 32, unit.profile.accumulatorBits == 32,
              fa.bitWidth <= 8, fb.bitWidth <= 8 else { return nil }
        instructionK = unit.instruction.shapeK
        saturate = unit.profile.integerOverflow == .saturate
        aValues = (0..<(1 << fa.bitWidth)).map { Int32(fa.integer(ofCode: UInt64($0))) }
        bValues = (0..<(1 << fb.bitWidth)).map { Int32(fb.integer(ofCode: UInt64($0))) }
        accumulator = fc
    }

    func run(a: [UInt64], bt: [UInt64], c: [UInt64], m: Int, n: Int, k: Int, rowRange: Range<Int>, d: UnsafeMutableBufferPointer<UInt64>) {
        // Signed formats of at most 8 bits run on Int8 lanes (as the C baseline); others on Int16.
        if let x8 = Self.narrow(a, aValues), let y8 = Self.narrow(bt, bValues), !saturate {
            x8.withUnsafeBufferPointer { x in
            y8.withUnsafeBufferPointer { y in
                for i in rowRange {
                    let xs = x.baseAddress! + i * k
                    for j in 0..<n {
                        var acc = Int32(truncatingIfNeeded: accumulator.integer(ofCode: c[i * n + j]))
                        let ys = y.baseAddress! + j * k
                        for t in 0..<k { acc &+= Int32(xs[t]) &* Int32(ys[t]) }
                        d[i * n + j] = UInt64(UInt32(bitPattern: acc))
                    }
                }
            }}
            return
        }
        let av = a.map { Int16(aValues[Int($0)]) }, bv = bt.map { Int16(bValues[Int($0)]) }
        av.withUnsafeBufferPointer { x in
        bv.withUnsafeBufferPointer { y in
            for i in rowRange {
                for j in 0..<n {
                    var acc = Int32(truncatingIfNeeded: accumulator.integer(ofCode: c[i * n + j]))
                    if saturate {
                        var k0 = 0
                        while k0 < k {
                            var s = Int64(acc)
                            for t in k0..<Swift.min(k0 + instructionK, k) { s &+= Int64(Int32(x[i * k + t]) &* Int32(y[j * k + t])) }
                            acc = Int32(clamping: s)
                            k0 += instructionK
                        }
                    } else {
                        let xs = x.baseAddress! + i * k, ys = y.baseAddress! + j * k
                        for t in 0..<k { acc &+= Int32(xs[t]) &* Int32(ys[t]) }
                    }
                    d[i * n + j] = UInt64(UInt32(bitPattern: acc))
                }
            }
        }}
    }

    /// The values as Int8 when they all fit.
    static func narrow(_ codes: [UInt64], _ values: [Int32]) -> [Int8]? {
        guard values.allSatisfy({ $0 >= -128 && $0 <= 127 }) else { return nil }
        return codes.map { Int8(truncatingIfNeeded: values[Int($0)]) }
    }
}
