import EngineKit
import Formats
import RealModule
import Reference

/// Accuracy of a run (docs/cli.md, "Accuracy metrics"): against the unquantised FP64 product
/// (SQNR = 10 log10(sum ref^2 / sum (out - ref)^2), relative Frobenius error, max absolute
/// error) and against the correctly rounded binary32 value of the exact product of the
/// quantised, dequantised inputs (ULP distance: the difference of the two values' positions in
/// the ordered binary32 codes). The FP64 product is accumulated with binary64 fused
/// multiply-adds; its own relative error (about 1e-16 times the condition number) lies far below
/// every quantisation error reported.
struct AccuracyMeasurement {
    var outputsMeasured = 0
    var sqnrDB = Double.nan
    var relativeFrobenius = Double.nan
    var maxAbsoluteError = 0.0
    var maxULP: UInt64 = 0
    var meanULP = 0.0
    var quantizationSQNRDB = Double.nan
    var nonFiniteOutputs = 0
    var sampled = false

    static func measure(result: EngineOutput, a: QuantizedOperand, b: QuantizedOperand, limit: Int, seed: UInt64) -> AccuracyMeasurement {
        var m = AccuracyMeasurement()
        let total = result.rows * result.columns
        var indices = Array(0..<total)
        if total > limit {
            var rng = SeededGenerator(seed: seed ^ 0xACC)
            var chosen = Set<Int>()
            while chosen.count < limit { chosen.insert(Int(rng.next() % UInt64(total))) }
            indices = chosen.sorted()
            m.sampled = true
        }
        // Range of the exact accumulator: exponents of the dequantised values.
        var lowest = Int.max, highest = Int.min
        for v in a.dequantized + b.dequantized where v.isFinite && !v.isZero {
            lowest = Swift.min(lowest, v.exponent)
            highest = Swift.max(highest, v.binade!)
        }
        if lowest == Int.max { (lowest, highest) = (0, 0) }  // no finite non-zero operand: any window works
        let lowProduct = 2 * Swift.min(lowest, 0) - 64
        let k = a.k
        var signal = 0.0, noise = 0.0, quantNoise = 0.0, ulpSum = 0.0
        var accumulator = ExactAccumulator(lowestExponent: Swift.min(lowProduct, lowest * 2),
                                           highestExponent: Swift.max(2 * highest, 0) + 4 + (k.bitWidth - k.leadingZeroBitCount) + 64)
        for index in indices {
            let i = index / result.columns, j = index % result.columns
            var reference = 0.0
            accumulator.reset()
            var finite = true
            for t in 0..<k {
                reference = reference.addingProduct(a.originals[i * k + t], b.originals[j * k + t])
                let x = a.dequantized[i * k + t], y = b.dequantized[j * k + t]
                if !x.isFinite || !y.isFinite { finite = false; continue }
                accumulator.addProduct(x, y)
            }
            let out = result.values[index]
            guard finite, out.isFinite, reference.isFinite else { m.nonFiniteOutputs += 1; continue }
            let correctlyRounded = accumulator.value().float()
            let err = out - reference
            signal += reference * reference
            noise += err * err
            let qErr = Double(correctlyRounded) - reference
            quantNoise += qErr * qErr
            m.maxAbsoluteError = Swift.max(m.maxAbsoluteError, Swift.abs(err))
            let ulps = ulpDistance(Float(out), correctlyRounded)
            m.maxULP = Swift.max(m.maxULP, ulps)
            ulpSum += Double(ulps)
            m.outputsMeasured += 1
        }
        if m.outputsMeasured > 0 {
            m.sqnrDB = noise == 0 ? .infinity : 10 * Double.log10(signal / noise)
            m.relativeFrobenius = signal == 0 ? .nan : (noise / signal).squareRoot()
            m.quantizationSQNRDB = quantNoise == 0 ? .infinity : 10 * Double.log10(signal / quantNoise)
            m.meanULP = ulpSum / Double(m.outputsMeasured)
        }
        return m
    }

    /// The number of binary32 values strictly between x and y, plus one (0 when equal).
    static func ulpDistance(_ x: Float, _ y: Float) -> UInt64 {
        func ordered(_ f: Float) -> Int64 {
            let bits = Int64(f.bitPattern)
            return f.sign == .minus ? -(bits & 0x7FFF_FFFF) : bits
        }
        return UInt64((ordered(x) - ordered(y)).magnitude)
    }
}
