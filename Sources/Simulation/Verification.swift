import Formats
import Reference
import TensorCoreEngine

/// Re-checks a seeded sample of raw MMA outputs with the MPFR reference semantics
/// (`ReferenceMMA`), or with exact Int128 sums for integer MMA: every sampled output must be
/// bit-identical.
struct Verification {
    var checked = 0
    var mismatches = 0
    var reference = ""
    var firstMismatches: [String] = []

    static func recheck(execution e: GEMMExecution, result: GEMMExecution.Result, count: Int, seed: UInt64) -> Verification {
        var v = Verification()
        let unit = e.unit
        let total = result.rows * result.columns * result.groups
        var rng = SeededGenerator(seed: seed ^ 0xC4EC)
        let samples = Swift.min(count, total)
        var chosen = Set<Int>()
        while chosen.count < samples { chosen.insert(Int(rng.next() % UInt64(total))) }
        let perRow = unit.instruction.scaleBlock > 0 ? (e.a.k + unit.instruction.scaleBlock - 1) / unit.instruction.scaleBlock : 0
        if case .integer(let fa) = unit.aFormat, case .integer(let fb) = unit.bFormat, case .integer(let fc) = unit.accumulatorFormat {
            v.reference = "exact Int128 sums, wrapped or saturated per instruction (ExactInteger)"
            for index in chosen.sorted() {
                let (group, i, j) = split(index, result)
                let range = (group * result.groupSize)..<Swift.min(e.a.k, (group + 1) * result.groupSize)
                var acc: Int128 = 0
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = Swift.min(start + unit.instruction.shapeK, range.upperBound)
                    let x = (start..<end).map { fa.integer(ofCode: e.a.codes[i * e.a.k + $0]) }
                    let y = (start..<end).map { fb.integer(ofCode: e.b.codes[j * e.b.k + $0]) }
                    let exact = ExactInteger.dot(x, y, addend: acc)!
                    acc = unit.profile.integerOverflow == .wrap ? ExactInteger.wrapped(exact, toBits: fc.bitWidth)
                        : ExactInteger.saturated(exact, toBits: fc.bitWidth)
                    start = end
                }
                v.compare(UInt64(truncatingIfNeeded: Int64(acc)) & ((1 << UInt64(fc.bitWidth)) - 1), result.raw[index], index: index)
            }
            return v
        }
        guard case .float(let fa) = unit.aFormat, case .float(let fb) = unit.bFormat, case .float(let fc) = unit.accumulatorFormat else {
            return v
        }
        let scaleFormat: MiniFloatFormat? = unit.instruction.scaleFormat.flatMap {
            if case .scalar(.float(let f))? = FormatCatalog.parse($0) { return f }
            return nil
        }
        let mpfr = ReferenceMMA(profile: unit.profile, inputA: fa, inputB: fb, output: fc, instructionK: unit.instruction.shapeK,
                                scaleBlock: unit.instruction.scaleBlock, scaleFormat: scaleFormat)
        v.reference = "MPFR \(BigFloat.libraryVersion) reference semantics (ReferenceMMA)"
        for index in chosen.sorted() {
            let (group, i, j) = split(index, result)
            let range = (group * result.groupSize)..<Swift.min(e.a.k, (group + 1) * result.groupSize)
            let x = Array(e.a.codes[(i * e.a.k + range.lowerBound)..<(i * e.a.k + range.upperBound)])
            let y = Array(e.b.codes[(j * e.b.k + range.lowerBound)..<(j * e.b.k + range.upperBound)])
            let sa = perRow > 0 ? Array(e.a.blockScaleCodes[(i * perRow)..<((i + 1) * perRow)]) : []
            let sb = perRow > 0 ? Array(e.b.blockScaleCodes[(j * perRow)..<((j + 1) * perRow)]) : []
            let value = mpfr.dot(x, y, c: 0, scalesA: sa, scalesB: sb)
            let subject = unit.accumulatorFormat.decode(result.raw[index])
            v.checked += 1
            if value.hexString != subject.description {
                v.mismatches += 1
                if v.firstMismatches.count < 5 {
                    v.firstMismatches.append("output \(index): datapath \(subject) reference \(value.hexString)")
                }
            }
        }
        return v
    }

    static func split(_ index: Int, _ r: GEMMExecution.Result) -> (group: Int, row: Int, column: Int) {
        let perGroup = r.rows * r.columns
        let g = index / perGroup, rest = index % perGroup
        return (g, rest / r.columns, rest % r.columns)
    }

    mutating func compare(_ expected: UInt64, _ subject: UInt64, index: Int) {
        checked += 1
        if expected != subject {
            mismatches += 1
            if firstMismatches.count < 5 { firstMismatches.append("output \(index): datapath 0x\(String(subject, radix: 16)) reference 0x\(String(expected, radix: 16))") }
        }
    }
}
