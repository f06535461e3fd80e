import ArchitectureSpec
import Dispatch
import EngineKit
import Formats
import PEArrayEngine
import Reference

/// Builds PE-array engines for test configurations and compares single PE groups, datapath
/// against the MPFR reference, rendered alike.
enum PESupport {
    static func spec(type: String, accumulator: String, dp: Int? = nil, group: Int = 128, dequantizationBits: Int = 23,
                     rows: Int = 8, columns: Int = 8, dataflow: String = "os", rowOperand: String = "m") throws -> PEArraySpec {
        let dot = dp ?? (type == "bitmod" ? 4 : 1)
        let text = """
            {"schema_version": 1, "name": "test", "kind": "pe_array", "sources": ["test"],
             "pe": {"type": "\(type)", "dot_product_size": \(dot), "accumulator_format": "\(accumulator)", "group_size": \(group),
                    "dequantization_bits": \(dequantizationBits)},
             "array": {"pe_rows": \(rows), "pe_columns": \(columns), "dataflow": "\(dataflow)", "row_operand": "\(rowOperand)", "clock_mhz": 1000},
             "memory": {"weight_buffer_kib": 512, "activation_buffer_kib": 512, "dram_technology": "ddr4", "dram_bandwidth_gb_s": 32}}
            """
        guard case .peArray(let s) = try ArchitectureLoader.decode(text, file: "test.json").body else { fatalError("not a pe_array") }
        return s
    }

    static func engine(_ type: String, accumulator: String, dequantizationBits: Int = 23) throws -> PEArrayEngine {
        PEArrayEngine(name: "test", spec: try spec(type: type, accumulator: accumulator, dequantizationBits: dequantizationBits))
    }

    /// One PE group: activation and weight codes, BitMoD's member and group scale.
    struct Group: Sendable {
        var activations: [UInt64]
        var weights: [UInt64]
        var member = 0
        var groupScale = 1
    }

    /// The datapath's raw group result rendered as the reference renders it.
    static func rendered(_ raw: UInt64, _ plan: PEPlan) -> String {
        if case .integer = plan.rawFormat { return String(Int32(bitPattern: UInt32(truncatingIfNeeded: raw))) }
        return plan.rawFormat.decode(raw).description
    }

    /// The reference's group result for a plan (formats from the plan's operand elements).
    static func reference(_ g: Group, plan: PEPlan, members: [ScalarFormat]) -> String {
        let fp32 = plan.pe.accumulatorFormat == .fp32
        switch plan.datapath {
        case .bitmod:
            let member = members[g.member]
            let values: [Int], bits: Int?
            switch member {
            case .integer(let f): (values, bits) = (g.weights.map { Int(f.integer(ofCode: $0)) }, f.bitWidth)
            case .codebook(let c): (values, bits) = (g.weights.map { c.integerValue(ofCode: $0) ?? 0 }, nil)
            case .float: fatalError("float BitMoD weights")
            }
            return ReferenceBitMoD.group(activations: g.activations, weightValues: values, integerBits: bits, groupScale: g.groupScale,
                                         dequantizationBits: plan.pe.dequantizationBits)
        case .fp16MAC:
            return ReferencePE.fp16MAC(activations: g.activations, weights: g.weights, fp32Accumulator: fp32)
        case .fp16Int:
            let values: [Int]
            switch members.isEmpty ? plan.b.element : members[g.member] {
            case .integer(let f): values = g.weights.map { Int(f.integer(ofCode: $0)) }
            case .codebook(let c): values = g.weights.map { c.integerValue(ofCode: $0) ?? 0 }
            case .float: fatalError("float weights on fp16_int")
            }
            return ReferencePE.fp16Int(activations: g.activations, weightValues: values)
        case .intMAC(let fa, let fb):
            return ReferencePE.intMAC(activations: g.activations.map { fa.integer(ofCode: $0) }, weights: g.weights.map { fb.integer(ofCode: $0) })
        case .lmul(let l):
            return ReferencePE.lmul(activations: g.activations, weights: g.weights, a: l.a, b: l.b, fp32Accumulator: fp32)
        }
    }

    /// Runs every group through the datapath and the reference on two threads; returns the count
    /// and the first few mismatches.
    static func compare(_ engine: PEArrayEngine, _ plan: PEPlan, members: [ScalarFormat], groups: [Group], label: String)
        -> (checked: Int, mismatches: [String]) {
        let workers = 2
        let results = UnsafeMutableBufferPointer<String?>.allocate(capacity: groups.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let box = ResultBox(results)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for index in stride(from: w, to: groups.count, by: workers) {
                let g = groups[index]
                let raw = engine.rawGroup(plan, activations: g.activations, weights: g.weights, member: g.member, groupScale: g.groupScale)
                let datapath = rendered(raw, plan)
                let expected = reference(g, plan: plan, members: members)
                if datapath != expected {
                    box.pointer[index] = "\(label): a \(g.activations.map { String($0, radix: 16) }) w \(g.weights.map { String($0, radix: 16) }) "
                        + "member \(g.member) scale \(g.groupScale): datapath \(datapath) reference \(expected)"
                }
            }
        }
        return (groups.count, Array(results.compactMap { $0 }.prefix(5)))
    }

    struct ResultBox: @unchecked Sendable {
        let pointer: UnsafeMutableBufferPointer<String?>
        init(_ p: UnsafeMutableBufferPointer<String?>) { pointer = p }
    }

    /// A dense sweep of FP16 codes: every exponent field (0..31, so subnormals, zero and the
    /// all-ones field the PE reads as an ordinary exponent) x six significands x both signs.
    static let fp16Sweep: [UInt64] = {
        var out: [UInt64] = []
        for sign: UInt64 in [0, 0x8000] {
            for field: UInt64 in 0..<32 {
                for man: UInt64 in [0x000, 0x001, 0x155, 0x2AA, 0x3FF, 0x200] { out.append(sign | field << 10 | man) }
            }
        }
        return out
    }()

    /// A random FP16 code in the finite range with exponents around 1 (fields 5..25), zeros and
    /// subnormals now and then.
    static func randomHalf(_ rng: inout SeededGenerator) -> UInt64 {
        let r = rng.next()
        switch r % 16 {
        case 0: return r >> 8 & 0x8000
        case 1: return (r >> 8 & 0x8000) | (r >> 20 & 0x3FF)
        default: return (r >> 8 & 0x8000) | (5 + (r >> 16) % 21) << 10 | (r >> 32 & 0x3FF)
        }
    }
}
