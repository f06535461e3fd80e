import EngineKit
import Formats
import RealModule
import Reference

/// Accuracy of a run (docs/cli.md, "Accuracy metrics"), over the simulated outputs or a seeded
/// sample of them:
/// - against the unquantised FP64 product: SQNR = 10 log10(sum ref^2 / sum (out - ref)^2),
///   relative Frobenius error, max absolute error;
/// - against the exact product of the quantised, dequantised inputs: the ULP error
///   |out - cr| / ulp(cr), where cr is that product correctly rounded to binary32 and ulp(cr) the
///   spacing of binary32 values in cr's binade (2^-149 at zero and among subnormals), and the
///   normwise error |out - exact| / sum |a_i b_i|, the datapath's error on the scale of its
///   terms (a truncating accumulator's error grows with the terms, not with the result, so after
///   cancellation the ULP error is large while the normwise error stays near 2^-F).
///
/// The FP64 product is accumulated with binary64 fused multiply-adds in four interleaved lanes;
/// its own relative error (about 1e-16 times the condition number) lies far below every
/// quantisation error reported. The exact product is computed with error-free transformations
/// (`AccurateDot`) and rounded once; where that result cannot be proven to round like the exact
/// value (it lies within its error bound of a binary32 rounding boundary, e.g. an exact zero),
/// the output is recomputed with the exact long accumulator and MPFR.
struct AccuracyMeasurement {
    var outputsMeasured = 0
    /// Outputs the engine simulated (the population the measured ones were drawn from).
    var outputsSimulated = 0
    var sqnrDB = Double.nan
    var relativeFrobenius = Double.nan
    var maxAbsoluteError = 0.0
    var maxULP = 0.0
    var meanULP = 0.0
    var maxNormwiseError = 0.0
    var quantizationSQNRDB = Double.nan
    var nonFiniteOutputs = 0
    var sampled = false
    /// Outputs whose correctly rounded value needed the exact accumulator (internal: tests).
    var exactFallbacks = 0

    /// Per-output terms, summed in index order afterwards so that the result does not depend on
    /// the number of threads.
    struct OutputTerms {
        var signal = 0.0, noise = 0.0, quantizationNoise = 0.0, absoluteError = 0.0, ulp = 0.0, normwise = 0.0
        var finite = false, fallback = false
    }

    static func measure(result: EngineOutput, a: QuantizedOperand, b: QuantizedOperand, limit: Int, seed: UInt64,
                        threads: Int = 1) -> AccuracyMeasurement {
        var m = AccuracyMeasurement()
        let total = result.rows * result.columns
        m.outputsSimulated = total
        var indices = Array(0..<total)
        if total > limit {
            var rng = SeededGenerator(seed: seed ^ 0xACC)
            var chosen = Set<Int>()
            while chosen.count < limit { chosen.insert(Int(rng.next() % UInt64(total))) }
            indices = chosen.sorted()
            m.sampled = true
        }
        let exact = ExactProduct(a: a, b: b)
        var terms = [OutputTerms](repeating: OutputTerms(), count: indices.count)
        let workers = ParallelSlices.workers(count: indices.count / 256 + 1, threads: threads)
        terms.withUnsafeMutableBufferPointer { out in
            let sink = UncheckedSendable(out)
            let shared = UncheckedSendable((indices, exact, result))
            ParallelSlices.run(count: indices.count, workers: workers) { _, slice in
                let (indices, exact, result) = shared.value
                var worker = exact.worker()
                for position in slice {
                    let index = indices[position]
                    sink.value[position] = worker.terms(row: index / result.columns, column: index % result.columns,
                                                        out: result.values[index])
                }
            }
        }
        var signal = 0.0, noise = 0.0, quantizationNoise = 0.0, ulpSum = 0.0
        for t in terms {
            guard t.finite else { m.nonFiniteOutputs += 1; continue }
            signal += t.signal
            noise += t.noise
            quantizationNoise += t.quantizationNoise
            ulpSum += t.ulp
            m.maxAbsoluteError = Swift.max(m.maxAbsoluteError, t.absoluteError)
            m.maxULP = Swift.max(m.maxULP, t.ulp)
            m.maxNormwiseError = Swift.max(m.maxNormwiseError, t.normwise)
            m.outputsMeasured += 1
            if t.fallback { m.exactFallbacks += 1 }
        }
        if m.outputsMeasured > 0 {
            m.sqnrDB = noise == 0 ? .infinity : 10 * Double.log10(signal / noise)
            m.relativeFrobenius = signal == 0 ? .nan : (noise / signal).squareRoot()
            m.quantizationSQNRDB = quantizationNoise == 0 ? .infinity : 10 * Double.log10(signal / quantizationNoise)
            m.meanULP = ulpSum / Double(m.outputsMeasured)
        }
        return m
    }

    /// |x - y| in units of ulp(y) (binary32 spacing in y's binade; 2^-149 at zero).
    static func ulpError(_ x: Double, correctlyRounded y: Float) -> Double {
        Swift.abs(x - Double(y)) / Double(Swift.abs(y).ulp)
    }
}

/// The exact product of two quantised operands, output by output: FP64 copies of the
/// dequantised values (exact when every one of them fits binary64; else every output takes the
/// exact accumulator), the unquantised originals, and the exponent window of the accumulator.
struct ExactProduct {
    let a: QuantizedOperand
    let b: QuantizedOperand
    /// Dequantised values as binary64 (NaN for NaN/Inf elements), or nil when some finite value
    /// is not exactly representable.
    let aValues: [Double]?
    let bValues: [Double]?
    let lowestExponent: Int
    let highestExponent: Int

    init(a: QuantizedOperand, b: QuantizedOperand) {
        self.a = a
        self.b = b
        aValues = Self.binary64(a.dequantized)
        bValues = Self.binary64(b.dequantized)
        var lowest = Int.max, highest = Int.min
        for v in a.dequantized + b.dequantized where v.isFinite && !v.isZero {
            lowest = Swift.min(lowest, v.exponent)
            highest = Swift.max(highest, v.binade!)
        }
        if lowest == Int.max { (lowest, highest) = (0, 0) }  // no finite non-zero operand: any window works
        let k = a.k
        lowestExponent = Swift.min(2 * Swift.min(lowest, 0) - 64, lowest * 2)
        highestExponent = Swift.max(2 * highest, 0) + 4 + (k.bitWidth - k.leadingZeroBitCount) + 64
    }

    /// Exact binary64 copies, or nil if a finite value needs more than 53 significant bits or
    /// lies outside [2^-400, 2^400] in magnitude (so that every product and its FMA error term
    /// stay normal binary64 numbers).
    static func binary64(_ values: [ExactValue]) -> [Double]? {
        var out = [Double](repeating: .nan, count: values.count)
        for (i, v) in values.enumerated() where v.isFinite {
            if v.isZero { out[i] = v.isNegative ? -0.0 : 0; continue }
            guard v.significand < 1 << 53, v.exponent >= -400, v.binade! <= 400 else { return nil }
            out[i] = v.approximateDouble
        }
        return out
    }

    func worker() -> Worker { Worker(product: self) }

    struct Worker {
        let product: ExactProduct
        var accumulator: ExactAccumulator

        init(product: ExactProduct) {
            self.product = product
            accumulator = ExactAccumulator(lowestExponent: product.lowestExponent, highestExponent: product.highestExponent)
        }

        mutating func terms(row i: Int, column j: Int, out: Double) -> AccuracyMeasurement.OutputTerms {
            var t = AccuracyMeasurement.OutputTerms()
            let k = product.a.k
            let ao = product.a.originals, bo = product.b.originals
            let reference = ao.withUnsafeBufferPointer { x in
                bo.withUnsafeBufferPointer { y in AccurateDot.binary64(x.baseAddress! + i * k, y.baseAddress! + j * k, count: k) }
            }
            var correctlyRounded: Float
            var exact: Double
            var magnitude: Double
            if let av = product.aValues, let bv = product.bValues {
                let d = av.withUnsafeBufferPointer { x in
                    bv.withUnsafeBufferPointer { y in AccurateDot.compensated(x.baseAddress! + i * k, y.baseAddress! + j * k, count: k) }
                }
                guard d.value.isFinite, d.magnitude.isFinite else { return t }  // a NaN/Inf element
                exact = d.value
                magnitude = d.magnitude
                if let rounded = d.binary32 {
                    correctlyRounded = rounded
                } else {
                    correctlyRounded = exactRounding(row: i, column: j)
                    t.fallback = true
                }
            } else {
                guard let r = slowPath(row: i, column: j) else { return t }
                (correctlyRounded, exact, magnitude) = r
                t.fallback = true
            }
            guard out.isFinite, reference.isFinite, correctlyRounded.isFinite else { return t }
            let error = out - reference
            t.signal = reference * reference
            t.noise = error * error
            let qError = Double(correctlyRounded) - reference
            t.quantizationNoise = qError * qError
            t.absoluteError = Swift.abs(error)
            t.ulp = AccuracyMeasurement.ulpError(out, correctlyRounded: correctlyRounded)
            t.normwise = magnitude > 0 ? Swift.abs(out - exact) / magnitude : (out == 0 ? 0 : .infinity)
            t.finite = true
            return t
        }

        /// The exact sum of products rounded once to binary32 (nearest even) through MPFR.
        mutating func exactRounding(row i: Int, column j: Int) -> Float {
            let k = product.a.k
            accumulator.reset()
            for t in 0..<k { accumulator.addProduct(product.a.dequantized[i * k + t], product.b.dequantized[j * k + t]) }
            return accumulator.value().float()
        }

        /// Operands not exactly representable in binary64: the exact accumulator throughout
        /// (the exact value and magnitude sum to binary64 for the normwise error).
        mutating func slowPath(row i: Int, column j: Int) -> (Float, Double, Double)? {
            let k = product.a.k
            var magnitude = 0.0
            for t in 0..<k {
                let x = product.a.dequantized[i * k + t], y = product.b.dequantized[j * k + t]
                guard x.isFinite, y.isFinite else { return nil }
                magnitude += Swift.abs(x.approximateDouble * y.approximateDouble)
            }
            let rounded = exactRounding(row: i, column: j)
            return (rounded, accumulator.value().double(), magnitude)
        }
    }
}
