import EngineKit
import Formats
import Reference
import TensorCoreEngine

/// The tensor core's reference semantics: `ReferenceMMA` (MPFR) for floating-point MMAs, exact
/// Int128 sums wrapped or saturated per instruction for integer MMAs.
struct TensorCoreOracle: EngineOracle {
    let unit: MMAUnit
    let mpfr: ReferenceMMA?

    init(plan: TensorCorePlan) {
        unit = plan.unit
        if case .float(let fa) = unit.aFormat, case .float(let fb) = unit.bFormat, case .float(let fc) = unit.accumulatorFormat {
            let scaleFormat: MiniFloatFormat? = unit.instruction.scaleFormat.flatMap {
                if case .scalar(.float(let f))? = FormatCatalog.parse($0) { return f }
                return nil
            }
            mpfr = ReferenceMMA(profile: unit.profile, inputA: fa, inputB: fb, output: fc, instructionK: unit.instruction.shapeK,
                                scaleBlock: unit.instruction.scaleBlock, scaleFormat: scaleFormat)
        } else {
            mpfr = nil
        }
    }

    var reference: String {
        mpfr == nil ? "exact Int128 sums, wrapped or saturated per instruction (ExactInteger)"
            : "MPFR \(BigFloat.libraryVersion) reference semantics (ReferenceMMA)"
    }

    func recompute(group: Int, row i: Int, column j: Int, output: EngineOutput, a: QuantizedOperand,
                   b: QuantizedOperand) -> (reference: String, datapath: String) {
        let range = output.range(ofGroup: group, k: a.k)
        let raw = output.raw[(group * output.rows + i) * output.columns + j]
        guard let mpfr else { return integer(range: range, row: i, column: j, a: a, b: b, raw: raw) }
        let block = unit.instruction.scaleBlock
        let perRow = block > 0 ? (a.k + block - 1) / block : 0
        let sa = perRow > 0 ? Array(a.blockScaleCodes[(i * perRow)..<((i + 1) * perRow)]) : []
        let sb = perRow > 0 ? Array(b.blockScaleCodes[(j * perRow)..<((j + 1) * perRow)]) : []
        let value = mpfr.dot(Array(a.codes(line: i, in: range)), Array(b.codes(line: j, in: range)), c: 0, scalesA: sa, scalesB: sb)
        return (value.hexString, unit.accumulatorFormat.decode(raw).description)
    }

    /// Exact integer sums instruction by instruction (K steps of the instruction's K), each
    /// wrapped or saturated to the accumulator width.
    func integer(range: Range<Int>, row i: Int, column j: Int, a: QuantizedOperand, b: QuantizedOperand,
                 raw: UInt64) -> (reference: String, datapath: String) {
        guard case .integer(let fa) = unit.aFormat, case .integer(let fb) = unit.bFormat,
              case .integer(let fc) = unit.accumulatorFormat else {
            // MMAUnit accepts no such mix; were one to reach here it counts as a mismatch, never a pass.
            return ("no reference semantics for mixed integer and floating-point operands", "0x" + String(raw, radix: 16))
        }
        var acc: Int128 = 0
        var start = range.lowerBound
        while start < range.upperBound {
            let end = Swift.min(start + unit.instruction.shapeK, range.upperBound)
            let x = (start..<end).map { fa.integer(ofCode: a.codes[i * a.k + $0]) }
            let y = (start..<end).map { fb.integer(ofCode: b.codes[j * b.k + $0]) }
            let exact = ExactInteger.dot(x, y, addend: acc)!
            acc = unit.profile.integerOverflow == .wrap ? ExactInteger.wrapped(exact, toBits: fc.bitWidth)
                : ExactInteger.saturated(exact, toBits: fc.bitWidth)
            start = end
        }
        let expected = UInt64(truncatingIfNeeded: Int64(acc)) & ((1 << UInt64(fc.bitWidth)) - 1)
        return ("0x" + String(expected, radix: 16), "0x" + String(raw, radix: 16))
    }
}
