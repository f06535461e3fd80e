import DSPChainEngine
import EngineKit
import Formats
import Reference

/// The DSP chains' reference semantics (`ReferenceDSP`: exact integers, MPFR) for the raw per-pass
/// lane results, recomputed from the operands alone.
struct FPGAOracle: EngineOracle {
    let plan: DSPPlan

    var reference: String {
        switch plan.datapath.mode {
        case .dspfp32, .minifloatKulisch: return "MPFR \(BigFloat.libraryVersion) reference semantics (ReferenceDSP)"
        default: return "exact integer lane arithmetic (ReferenceDSP, Int128)"
        }
    }

    func recompute(group: Int, row i: Int, column j: Int, output: EngineOutput, a: QuantizedOperand,
                   b: QuantizedOperand) -> (reference: String, datapath: String) {
        let range = output.range(ofGroup: group, k: a.k)
        let raw = output.raw[(group * output.rows + i) * output.columns + j]
        let datapath: String
        if case .integer = output.rawFormat { datapath = String(Int32(bitPattern: UInt32(truncatingIfNeeded: raw))) } else {
            datapath = output.rawFormat.decode(raw).description
        }
        func values(_ o: QuantizedOperand, _ line: Int, _ f: ScalarFormat) -> [Int64] {
            guard line < o.lines, case .integer(let i) = f else { return [Int64](repeating: 0, count: range.count) }
            return o.codes(line: line, in: range).map { i.integer(ofCode: $0) }
        }
        let fa = plan.a.element, fb = plan.b.element
        let expected: String
        switch plan.datapath.mode {
        case .int8Packed2:
            let r0 = i & ~1
            let (lo, hi) = ReferenceDSP.int8Pair(b: values(a, r0, fa), c: values(a, r0 + 1, fa), a: values(b, j, fb),
                                                 signBit: plan.datapath.laneCorrection == .signBit)
            expected = String(Int32(truncatingIfNeeded: i & 1 == 0 ? lo : hi))
        case .int4Packed4:
            let j0 = j & ~3
            let lane = ReferenceDSP.int4Lane(j & 3, weights: (0..<4).map { values(b, j0 + $0, fb) }, activations: values(a, i, fa),
                                             correction: plan.datapath.laneCorrection.rawValue)
            expected = String(Int32(truncatingIfNeeded: lane))
        case .int8Single, .int8Dot3, .int8Tensor:
            expected = String(Int32(truncatingIfNeeded: ReferenceDSP.native(values(a, i, fa), values(b, j, fb), accumulatorBits: plan.accumulatorBits)))
        case .dspfp32:
            guard case .float(let f) = fa else { return ("float operands expected", datapath) }
            expected = ReferenceDSP.dspfp32(Array(a.codes(line: i, in: range)), Array(b.codes(line: j, in: range)), input: f)
        case .minifloatKulisch:
            guard case .float(let x) = fa, case .float(let y) = fb else { return ("float operands expected", datapath) }
            expected = ReferenceDSP.kulisch(Array(a.codes(line: i, in: range)), Array(b.codes(line: j, in: range)), a: x, b: y)
        }
        return (expected, datapath)
    }
}
