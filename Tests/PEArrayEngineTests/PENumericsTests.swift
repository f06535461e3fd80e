import EngineKit
import Formats
import PEArrayEngine
import Reference
import Testing
import Workloads

/// The bit-parallel PEs (FP16 MAC, FP16 x integer, INT MAC, L-Mul) against `ReferencePE`
/// (MPFR, exact integers), bit for bit.
@Suite("Bit-parallel PE numerics")
struct PENumericsTests {
    struct Case: Sendable, CustomStringConvertible {
        let type: String
        let accumulator: String
        let a: String
        let b: String
        var description: String { "\(type) \(a) x \(b) -> \(accumulator)" }
    }

    static func plan(_ c: Case, k: Int) throws -> (PEArrayEngine, PEPlan) {
        let engine = try PESupport.engine(c.type, accumulator: c.accumulator)
        // Scaled formats get per-channel scales; the raw group result ignores them.
        let q: QuantizationChoice? = (c.type == "fp16_int" || c.type == "int_mac" || (c.type == "lmul" && c.a != "fp16" && c.a != "bf16")) ? .perChannel : nil
        return (engine, try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: k), aFormat: c.a, bFormat: c.b, quantization: q)))
    }

    static func codes(_ name: String) -> Int { 1 << FormatCatalog.parse(name)!.elementFormat!.bitWidth }

    /// Pairs whose two code spaces multiply to at most 2^16 are run exhaustively (every A code x
    /// every B code, each behind a seeded random accumulator prefix); 16-bit pairs run every A
    /// code x four seeded B codes and every B code x four seeded A codes.
    static let exhaustiveCases: [Case] = [
        Case(type: "int_mac", accumulator: "int32", a: "int8", b: "int8"),
        Case(type: "int_mac", accumulator: "int32", a: "int4", b: "int4"),
        Case(type: "lmul", accumulator: "fp32", a: "e4m3", b: "e4m3"),
        Case(type: "lmul", accumulator: "fp16", a: "e4m3", b: "e4m3"),
        Case(type: "lmul", accumulator: "fp32", a: "e5m2", b: "e5m2"),
        Case(type: "lmul", accumulator: "fp32", a: "e4m3", b: "e5m2"),
        Case(type: "lmul", accumulator: "fp32", a: "e2m1", b: "e3m2"),
        Case(type: "fp16_int", accumulator: "fp16", a: "fp16", b: "int8"),
        Case(type: "fp16_int", accumulator: "fp16", a: "fp16", b: "int4"),
        Case(type: "fp16_int", accumulator: "fp16", a: "fp16", b: "flint4"),
        Case(type: "fp16_int", accumulator: "fp16", a: "fp16", b: "olive4"),
        Case(type: "fp16_mac", accumulator: "fp16", a: "fp16", b: "fp16"),
        Case(type: "fp16_mac", accumulator: "fp32", a: "fp16", b: "fp16"),
        Case(type: "lmul", accumulator: "fp32", a: "fp16", b: "fp16"),
        Case(type: "lmul", accumulator: "fp16", a: "bf16", b: "bf16"),
    ]

    @Test("Every code pair (or every code against seeded partners), datapath = reference", arguments: exhaustiveCases)
    func exhaustive(_ c: Case) throws {
        let (engine, plan) = try Self.plan(c, k: 3)
        let na = Self.codes(c.a), nb = Self.codes(c.b)
        var rng = SeededGenerator(seed: UInt64(na &* 31 &+ nb))
        var pairs: [(UInt64, UInt64)] = []
        if na * nb <= 1 << 16 {
            for x in 0..<na { for y in 0..<nb { pairs.append((UInt64(x), UInt64(y))) } }
        } else {
            for x in 0..<na { for _ in 0..<4 { pairs.append((UInt64(x), rng.next() % UInt64(nb))) } }
            for y in 0..<nb { for _ in 0..<4 { pairs.append((rng.next() % UInt64(na), UInt64(y))) } }
        }
        // Each pair alone (the product rounded into the accumulator) and behind a two-term prefix.
        var groups: [PESupport.Group] = []
        for (index, (x, y)) in pairs.enumerated() {
            if index % 2 == 0 {
                groups.append(PESupport.Group(activations: [x], weights: [y]))
            } else {
                groups.append(PESupport.Group(activations: [rng.next() % UInt64(na), rng.next() % UInt64(na), x],
                                              weights: [rng.next() % UInt64(nb), rng.next() % UInt64(nb), y]))
            }
        }
        var checked = 0
        for length in [1, 3] {
            let subset = groups.filter { $0.activations.count == length }
            let p = length == 3 ? plan : try Self.plan(c, k: 1).1
            let r = PESupport.compare(engine, p, members: [], groups: subset, label: c.description)
            checked += r.checked
            #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
        }
        #expect(checked == pairs.count)
    }

    @Test("Seeded random groups of 1..64 products, datapath = reference", arguments: exhaustiveCases)
    func random(_ c: Case) throws {
        let na = UInt64(Self.codes(c.a)), nb = UInt64(Self.codes(c.b))
        var rng = SeededGenerator(seed: 0xFACE &+ na &* 7 &+ nb)
        var byLength: [Int: [PESupport.Group]] = [:]
        for _ in 0..<20_000 {
            let length = 1 + Int(rng.next() % 64)
            // FP16 activations from the finite, moderate range so sums stay meaningful; other formats uniform.
            let a = (0..<length).map { _ in c.a == "fp16" ? PESupport.randomHalf(&rng) : rng.next() % na }
            let w = (0..<length).map { _ in c.b == "fp16" ? PESupport.randomHalf(&rng) : rng.next() % nb }
            byLength[length, default: []].append(PESupport.Group(activations: a, weights: w))
        }
        for (length, groups) in byLength.sorted(by: { $0.key < $1.key }) {
            let (engine, plan) = try Self.plan(c, k: length)
            let r = PESupport.compare(engine, plan, members: [], groups: groups, label: "\(c) K=\(length)")
            #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
        }
    }

    @Test("L-Mul hand-worked products (arXiv:2410.00907 eq. 3 with the adder's carry)")
    func lmulHandWorked() {
        // e4m3 (m = 3, l = 3): 1.5 x 1.5 -> F = 0.5 + 0.5 + 1/8 = 1.125 >= 1: (1 + 0.125) x 2^1 = 2.25.
        let e4m3 = LMul(a: StandardFormats.e4m3, b: StandardFormats.e4m3)
        let onePointFive = StandardFormats.e4m3.encode(ExactValue(1.5), rule: .toNearestOrEven, overflow: .saturate).code
        #expect(e4m3.product(onePointFive, onePointFive) == 2.25)
        // e5m2 (m = 2, l = 2): 1.25 x 1.25 -> F = 0.25 + 0.25 + 0.25 = 0.75: 1.75 (exact 1.5625).
        let e5m2 = LMul(a: StandardFormats.e5m2, b: StandardFormats.e5m2)
        let oneQuarter = StandardFormats.e5m2.encode(ExactValue(1.25), rule: .toNearestOrEven, overflow: .saturate).code
        #expect(e5m2.product(oneQuarter, oneQuarter) == 1.75)
        // fp16 (m = 10, l = 4): 1 x 1 = 1 + 2^-4; -2 x 3 = -(1 + 0.5 + 1/16) x 2^2 = -6.25.
        let fp16 = LMul(a: StandardFormats.fp16, b: StandardFormats.fp16)
        #expect(fp16.product(0x3C00, 0x3C00) == 1.0625)
        #expect(fp16.product(0xC000, 0x4200) == -6.25)
        // Zero and subnormal operands give zero; infinity times zero NaN.
        #expect(fp16.product(0x0001, 0x3C00) == 0)
        #expect(fp16.product(0x7C00, 0x0000).isNaN)
        #expect(LMul.l(3) == 3 && LMul.l(4) == 3 && LMul.l(7) == 4 && LMul.l(10) == 4)
    }

    @Test("FP16 x INT with per-group ANT mixtures (ant4, ant3, bitmod4): seeded random groups, datapath = reference", arguments: ["ant4", "ant3", "bitmod4"])
    func mixtures(_ name: String) throws {
        let engine = try PESupport.engine("fp16_int", accumulator: "fp16")
        guard case .mixture(let family)? = FormatCatalog.parse(name) else { Issue.record("not a mixture"); return }
        let members = family.members.map { ScalarFormat.codebook($0) }
        var rng = SeededGenerator(seed: 0xA17 &+ UInt64(name.count))
        var byLength: [Int: [PESupport.Group]] = [:]
        for _ in 0..<20_000 {
            let length = 1 + Int(rng.next() % 128)
            let a = (0..<length).map { _ in PESupport.randomHalf(&rng) }
            let w = (0..<length).map { _ in rng.next() % UInt64(1 << members[0].bitWidth) }
            byLength[length, default: []].append(PESupport.Group(activations: a, weights: w, member: Int(rng.next() % UInt64(members.count))))
        }
        for (length, groups) in byLength.sorted(by: { $0.key < $1.key }) {
            let plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: length), aFormat: "fp16", bFormat: name, quantization: nil))
            let r = PESupport.compare(engine, plan, members: members, groups: groups, label: "\(name) K=\(length)")
            #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
        }
    }
}
