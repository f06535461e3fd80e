import Formats
import Foundation
import Reference

// quantsim-bench [--runs N] [--filter SUBSTRING]
var arguments = CommandLine.arguments.dropFirst()
var harness = Harness(runs: 5, filter: nil)
while let a = arguments.popFirst() {
    switch a {
    case "--runs": harness.runs = Int(arguments.popFirst() ?? "") ?? 5
    case "--filter": harness.filter = arguments.popFirst()
    default: print("usage: quantsim-bench [--runs N] [--filter SUBSTRING]"); exit(2)
    }
}
print("QuantSim benchmarks: median of \(harness.runs) runs, single thread")

// MARK: Reference (MPFR) exact FP8 dot product

if harness.wants("reference") {
    let n = 4096
    var rng = SeededGenerator(seed: 1)
    let e4m3 = StandardFormats.e4m3
    func randomCode() -> UInt64 { var c: UInt64; repeat { c = rng.next() & 0xFF } while e4m3.decode(c).isNaN; return c }
    let a = (0..<n).map { _ in randomCode() }, b = (0..<n).map { _ in randomCode() }
    // Operand values as BigFloats once per code (256 entries); products into preallocated
    // 8-bit values (E4M3 significands have 4 bits, so 8-bit products are exact).
    let table = (0..<256).map { BigFloat(e4m3.isCanonical(UInt64($0)) && !e4m3.decode(UInt64($0)).isNaN ? e4m3.decode(UInt64($0)) : ExactValue(0.0)) }
    let products = (0..<n).map { _ in BigFloat(precision: 8) }
    var result: Float = 0
    let full = harness.median {
        for i in 0..<n { products[i].multiply(table[Int(a[i])], table[Int(b[i])], rounding: .nearestEven) }
        let (sum, _) = BigFloat.sum(of: products, precision: 200, rounding: .nearestEven)
        result = sum.rounded(to: .binary32, rounding: .nearestEven).value.float()
    }
    harness.report("reference.fp8-dot-4096.full", rate(Double(n), full), "terms/s: exact products + mpfr_sum + one rounding to FP32")
    let sumOnly = harness.median {
        let (sum, _) = BigFloat.sum(of: products, precision: 200, rounding: .nearestEven)
        result += sum.rounded(to: .binary32, rounding: .nearestEven).value.float()
    }
    harness.report("reference.fp8-dot-4096.sum", rate(Double(n), sumOnly), "terms/s: mpfr_sum of ready products + round")
    _ = result
}

// MARK: Quantisation against ml_dtypes

if harness.wants("quantize") || harness.wants("decode") {
    let count = Int(ProcessInfo.processInfo.environment["QUANTSIM_BENCH_COUNT"] ?? "") ?? 16 * 1024 * 1024
    var rng = SeededGenerator(seed: 2)
    let x: [Float] = (0..<count).map { _ in Float(rng.nextUnitDouble() * 2 - 1) * 3 }
    var codes = [UInt8](repeating: 0, count: count)
    var scales = [UInt8](repeating: 0, count: count / 32)
    let (baseline, note) = mlDtypesBaseline(count: count)
    func quantizePerTensor(_ f: MiniFloatFormat) -> Double {
        harness.median {
            x.withUnsafeBufferPointer { xs in
                let s = FastQuantizer.perTensorScale(amax: FastQuantizer.absoluteMaximum(xs), format: f)
                codes.withUnsafeMutableBufferPointer { FastQuantizer.quantize(xs, scale: s, format: f, into: $0) }
            }
        }
    }
    for (name, f, key) in [("e4m3", StandardFormats.e4m3, "e4m3"), ("e2m1", StandardFormats.e2m1, "e2m1")] where harness.wants("quantize") {
        let t = quantizePerTensor(f)
        let ratio = baseline?[key].map { String(format: "%.2fx ml_dtypes cast (%.3g /s)", Double(count) / t / $0, $0) } ?? note
        harness.report("quantize.fp32-to-\(name).per-tensor.16M", rate(Double(count), t), ratio)
    }
    if harness.wants("quantize") {
        let t = harness.median {
            x.withUnsafeBufferPointer { xs in
                scales.withUnsafeMutableBufferPointer { s in
                    codes.withUnsafeMutableBufferPointer {
                        FastQuantizer.quantizeMX(xs, element: StandardFormats.e2m1, blockSize: 32, scales: s, codes: $0)
                    }
                }
            }
        }
        let ratio = baseline?["e2m1"].map { String(format: "%.2fx ml_dtypes E2M1 cast", Double(count) / t / $0) } ?? note
        harness.report("quantize.fp32-to-mxfp4.block32.16M", rate(Double(count), t), ratio)
    }
    if harness.wants("decode") {
        var out = [Float](repeating: 0, count: count)
        let t = harness.median {
            codes.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { FastQuantizer.decode(c, format: StandardFormats.e4m3, into: $0) }
            }
        }
        let ratio = baseline?["decode_e4m3"].map { String(format: "%.2fx ml_dtypes E4M3->FP32 cast", Double(count) / t / $0) } ?? note
        harness.report("decode.e4m3-to-fp32.16M", rate(Double(count), t), ratio)
    }
}
