import EngineKit
import Formats
import LUTEngine
import Reference

/// The LUT unit's reference semantics (`ReferenceLUT`, MPFR) for the raw accumulators: weight
/// codes are mapped to the unsigned W-bit plane codes here, from the weight format alone.
struct LUTOracle: EngineOracle {
    let plan: LUTPlan
    let mpfr: ReferenceLUT

    init(plan: LUTPlan) {
        self.plan = plan
        mpfr = ReferenceLUT(unit: plan.unit, activation: plan.activation, weightBits: plan.weights.bits)
    }

    var reference: String { "MPFR \(BigFloat.libraryVersion) reference semantics (ReferenceLUT)" }

    /// Offset binary for signed weights (two's complement and ternary codes: top bit flipped);
    /// unsigned and binary codes as they are.
    func planeCode(_ code: UInt64) -> UInt8 {
        switch plan.b.element {
        case .integer(let i) where i.encoding == .twosComplement: return UInt8(truncatingIfNeeded: code ^ (1 << UInt64(i.bitWidth - 1)))
        case .codebook(let c) where c == StandardFormats.ternary: return UInt8(truncatingIfNeeded: code ^ 2)
        default: return UInt8(truncatingIfNeeded: code)
        }
    }

    func recompute(group: Int, row i: Int, column j: Int, output: EngineOutput, a: QuantizedOperand,
                   b: QuantizedOperand) -> (reference: String, datapath: String) {
        let range = output.range(ofGroup: group, k: a.k)
        let expected = mpfr.groupAccumulator(activations: Array(a.codes(line: i, in: range)),
                                             planeCodes: b.codes(line: j, in: range).map(planeCode))
        let raw = output.raw[(group * output.rows + i) * output.columns + j]
        let subject: String
        if case .integer = output.rawFormat { subject = String(Int32(bitPattern: UInt32(truncatingIfNeeded: raw))) } else {
            subject = output.rawFormat.decode(raw).description
        }
        return (expected, subject)
    }
}
