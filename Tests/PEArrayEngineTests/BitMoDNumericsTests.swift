import EngineKit
import Formats
import PEArrayEngine
import Reference
import Testing
import Workloads

/// The BitMoD PE against `ReferenceBitMoD` (MPFR), bit for bit, and its term decompositions
/// against the weight values.
@Suite("BitMoD PE numerics")
struct BitMoDNumericsTests {
    /// Every weight format the PE takes: Booth integers (INT8 down to INT2), the eight BitMoD
    /// FP3/FP4 members (two-term forms, special values, 7 = 8 - 1 style subtractions where they
    /// occur) and ANT's flint4.
    static let weightFormats = ["int8", "int6", "int5", "int4", "int3", "int2",
                                "bitmod-fp3-er+", "bitmod-fp3-er-", "bitmod-fp3-ea+", "bitmod-fp3-ea-",
                                "bitmod-fp4-er+", "bitmod-fp4-er-", "bitmod-fp4-ea+", "bitmod-fp4-ea-", "flint4"]

    static func plan(_ weights: String, k: Int, engine: PEArrayEngine) throws -> PEPlan {
        try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: k), aFormat: "fp16", bFormat: weights, quantization: nil))
    }

    @Test("Terms reproduce every weight value", arguments: weightFormats)
    func terms(_ name: String) throws {
        let format = FormatCatalog.parse(name)!.elementFormat!
        let table: BitMoDTermTable
        switch format {
        case .integer(let i): table = BitMoDTermTable(integer: i)
        case .codebook(let c): table = try #require(BitMoDTermTable(codebook: c))
        case .float: Issue.record("float"); return
        }
        #expect(table.cycles == (name.hasPrefix("int") ? (format.bitWidth + 1) / 2 : 2))
        for code in 0..<(1 << format.bitWidth) {
            let value = format.decode(UInt64(code)).approximateDouble
            #expect(Double(table.value(ofCode: code)) == value, "\(name) code \(code)")
            // The reference derives its terms independently; they must agree term by term.
            let bits: Int? = name.hasPrefix("int") ? format.bitWidth : nil
            let reference = ReferenceBitMoD.terms(ofValue: Int(value), integerBits: bits)
            for t in 0..<table.cycles {
                let term = table.terms[code * table.cycles + t]
                #expect(reference[t].sign == (term.mantissa == 0 ? 0 : (term.negative ? -1 : 1)), "\(name) code \(code) term \(t)")
                if term.mantissa != 0 { #expect(reference[t].exponent == term.exponent, "\(name) code \(code) term \(t)") }
                #expect(reference[t].significance == table.significance[t])
            }
        }
    }

    @Test("Cycles per weight: INT8 4, INT6 3, INT5 3, INT4 2, FP4/FP3 2")
    func termCounts() throws {
        let engine = try PESupport.engine("bitmod", accumulator: "fp32")
        for (name, cycles) in [("int8", 4), ("int6", 3), ("int5", 3), ("int4", 2), ("bitmod4", 2), ("bitmod3", 2), ("bitmod-fp4-ea+", 2)] {
            #expect(try Self.plan(name, k: 128, engine: engine).cyclesPerStep == cycles, "\(name)")
        }
    }

    @Test("Hand-worked groups")
    func handWorked() throws {
        let engine = try PESupport.engine("bitmod", accumulator: "fp32")
        let plan = try Self.plan("int8", k: 4, engine: engine)
        // 1.0 x 3 (Booth: -1 + 4 x 1): exact, 3.0; with group scale 5: 15.0.
        #expect(engine.rawGroup(plan, activations: [0x3C00, 0, 0, 0], weights: [3, 0, 0, 0], groupScale: 1) == UInt64(Float(3).bitPattern))
        #expect(engine.rawGroup(plan, activations: [0x3C00, 0, 0, 0], weights: [3, 0, 0, 0], groupScale: 5) == UInt64(Float(15).bitPattern))
        // 1.0 x 1 + 2^-14 x 1: the small product sits 14 binades below the large one and is
        // truncated away by the 14-bit aligner (an exact sum would be 1 + 2^-14).
        #expect(engine.rawGroup(plan, activations: [0x3C00, 0x0400, 0, 0], weights: [1, 1, 0, 0]) == UInt64(Float(1).bitPattern))
        // -128 x 65504: the largest magnitude product of an INT8 weight and an FP16 activation.
        let big = engine.rawGroup(plan, activations: [0x7BFF, 0, 0, 0], weights: [0x80, 0, 0, 0])
        #expect(Float(bitPattern: UInt32(big)) == -128 * 65504)
    }

    @Test("Every weight code x a dense FP16 sweep, datapath = MPFR reference", arguments: weightFormats)
    func exhaustive(_ name: String) throws {
        let engine = try PESupport.engine("bitmod", accumulator: "fp32")
        let format = FormatCatalog.parse(name)!.elementFormat!
        let codes = 1 << format.bitWidth
        var rng = SeededGenerator(seed: 0xB17 &+ UInt64(codes))
        var groups: [PESupport.Group] = []
        // Lane 0 (or lane 4, behind an accumulator chunk) takes the swept pair; the partners are
        // seeded random codes, so every case also exercises alignment against other exponents.
        for code in 0..<codes {
            for (index, x) in PESupport.fp16Sweep.enumerated() {
                let behind = (code + index) % 3 == 2
                let length = behind ? 8 : 4
                var a = (0..<length).map { _ in PESupport.randomHalf(&rng) }
                var w = (0..<length).map { _ in rng.next() % UInt64(codes) }
                let lane = behind ? 4 + Int(rng.next() % 4) : Int(rng.next() % 4)
                a[lane] = x
                w[lane] = UInt64(code)
                let scale = [0, 1, 255, Int(rng.next() % 256)][Int(rng.next() % 4)]
                groups.append(PESupport.Group(activations: a, weights: w, groupScale: scale))
            }
        }
        let plan = try Self.plan(name, k: 8, engine: engine)
        let r = PESupport.compare(engine, plan, members: [format], groups: groups, label: name)
        #expect(r.checked == codes * PESupport.fp16Sweep.count)
        #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
    }

    /// Seeded random groups of 1..128 activations: mixtures with every member, random group
    /// scales, the narrower dequantisation register of the released RTL (21 bits, which wraps).
    static let randomCases: [(String, Int, Int)] = [("int8", 23, 1_000_000), ("int6", 23, 100_000), ("bitmod4", 23, 1_000_000),
                                                    ("bitmod3", 23, 100_000), ("int8", 21, 100_000), ("flint4", 23, 100_000)]

    @Test("Seeded random groups, datapath = MPFR reference", arguments: randomCases.indices)
    func random(_ index: Int) throws {
        let (name, dequantizationBits, count) = Self.randomCases[index]
        let engine = try PESupport.engine("bitmod", accumulator: "fp32", dequantizationBits: dequantizationBits)
        let format = FormatCatalog.parse(name)!
        let members: [ScalarFormat]
        if case .mixture(let m) = format { members = m.members.map { .codebook($0) } } else { members = [format.elementFormat!] }
        let bits = members[0].bitWidth
        var rng = SeededGenerator(seed: 0x5EED &+ UInt64(index))
        var byLength: [Int: [PESupport.Group]] = [:]
        for _ in 0..<count {
            let length = rng.next() % 4 == 0 ? 128 : 1 + Int(rng.next() % 32)
            let a = (0..<length).map { _ in PESupport.randomHalf(&rng) }
            let w = (0..<length).map { _ in rng.next() % (1 << UInt64(bits)) }
            byLength[length, default: []].append(PESupport.Group(activations: a, weights: w, member: Int(rng.next() % UInt64(members.count)),
                                                                  groupScale: Int(rng.next() % 256)))
        }
        var checked = 0
        for (length, groups) in byLength.sorted(by: { $0.key < $1.key }) {
            let plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: length), aFormat: "fp16", bFormat: name, quantization: nil))
            let r = PESupport.compare(engine, plan, members: members, groups: groups, label: "\(name) K=\(length) dq\(dequantizationBits)")
            checked += r.checked
            #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
        }
        #expect(checked == count)
    }
}
