import EngineKit
import Formats
import PEArrayEngine
import Reference

/// The PE array's reference semantics (`ReferencePE`, `ReferenceBitMoD`; MPFR) for the raw
/// per-group outputs: weight codes become values here, from the weight format alone.
struct PEArrayOracle: EngineOracle {
    let plan: PEPlan

    var reference: String {
        switch plan.datapath {
        case .intMAC: return "exact Int128 dot products wrapped to 32 bits (ExactInteger)"
        case .bitmod: return "MPFR \(BigFloat.libraryVersion) reference semantics (ReferenceBitMoD)"
        default: return "MPFR \(BigFloat.libraryVersion) reference semantics (ReferencePE)"
        }
    }

    func recompute(group: Int, row i: Int, column j: Int, output: EngineOutput, a: QuantizedOperand,
                   b: QuantizedOperand) -> (reference: String, datapath: String) {
        let range = output.range(ofGroup: group, k: a.k)
        let x = Array(a.codes(line: i, in: range)), w = Array(b.codes(line: j, in: range))
        let raw = output.raw[(group * output.rows + i) * output.columns + j]
        let datapath: String
        if case .integer = output.rawFormat { datapath = String(Int32(bitPattern: UInt32(truncatingIfNeeded: raw))) } else {
            datapath = output.rawFormat.decode(raw).description
        }
        let accumulatesFP32 = plan.pe.accumulatorFormat == .fp32
        switch (plan.datapath, plan.b.element) {
        case (.bitmod, let element):
            let g = group, groups = b.groups
            let member: ScalarFormat
            if case .mixture(let m) = plan.b.format {
                member = .codebook(m.members[b.members.isEmpty ? 0 : Int(b.members[j * groups + g])])
            } else {
                member = element
            }
            let values: [Int], bits: Int?
            switch member {
            case .integer(let f): (values, bits) = (w.map { Int(f.integer(ofCode: $0)) }, f.bitWidth)
            case .codebook(let c): (values, bits) = (w.map { c.integerValue(ofCode: $0) ?? 0 }, nil)
            case .float: return ("BitMoD weights are integers or codebooks", datapath)
            }
            let expected = ReferenceBitMoD.group(activations: x, weightValues: values, integerBits: bits,
                                                 groupScale: Int(b.groupScaleCodes[j * groups + g]),
                                                 dequantizationBits: plan.pe.dequantizationBits)
            return (expected, datapath)
        case (.fp16MAC, _):
            return (ReferencePE.fp16MAC(activations: x, weights: w, fp32Accumulator: accumulatesFP32), datapath)
        case (.fp16Int, _) where plan.b.format.mixtureFamily != nil:
            let family = plan.b.format.mixtureFamily!
            let c = family.members[b.members.isEmpty ? 0 : Int(b.members[j * b.groups + group])]
            return (ReferencePE.fp16Int(activations: x, weightValues: w.map { c.integerValue(ofCode: $0) ?? 0 }), datapath)
        case (.fp16Int, .integer(let f)):
            return (ReferencePE.fp16Int(activations: x, weightValues: w.map { Int(f.integer(ofCode: $0)) }), datapath)
        case (.fp16Int, .codebook(let c)):
            return (ReferencePE.fp16Int(activations: x, weightValues: w.map { c.integerValue(ofCode: $0) ?? 0 }), datapath)
        case (.intMAC, .integer(let fb)):
            guard case .integer(let fa) = plan.a.element else { break }
            return (ReferencePE.intMAC(activations: x.map { fa.integer(ofCode: $0) }, weights: w.map { fb.integer(ofCode: $0) }), datapath)
        case (.lmul, .float(let fb)):
            guard case .float(let fa) = plan.a.element else { break }
            return (ReferencePE.lmul(activations: x, weights: w, a: fa, b: fb, fp32Accumulator: accumulatesFP32), datapath)
        default: break
        }
        // The plan accepts no other pairing; were one to reach here it counts as a mismatch.
        return ("no reference semantics for this PE and weight format", datapath)
    }
}

extension NumberFormat {
    /// The family of a mixture format.
    var mixtureFamily: BitMoDFamily? { if case .mixture(let m) = self { return m }; return nil }
}
