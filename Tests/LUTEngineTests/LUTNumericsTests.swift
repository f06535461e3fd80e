import EngineKit
import Formats
import Foundation
import LUTEngine
import Testing
import Workloads

/// The LUT datapath against the MPFR reference semantics, bit for bit.
@Suite("LUT Tensor Core numerics")
struct LUTNumericsTests {
    /// Activation groups per format: seeded values of mixed magnitude, cancellations, zeros and
    /// the format's extremes.
    static func activationGroups(_ format: String, k: Int, count: Int, seed: UInt64) -> [[Double]] {
        var rng = SeededGenerator(seed: seed)
        let top: Double = ["e4m3": 448, "e5m2": 57344, "fp16": 65504, "bf16": 3e38, "int8": 127][format]!
        let tiny: Double = ["e4m3": 0x1p-9, "e5m2": 0x1p-16, "fp16": 0x1p-24, "bf16": 0x1p-133, "int8": 1][format]!
        var out: [[Double]] = [Array(repeating: 0, count: k), (0..<k).map { $0 % 2 == 0 ? top : -top }, Array(repeating: tiny, count: k)]
        while out.count < count {
            out.append((0..<k).map { _ in
                let magnitude = format == "int8" ? Double(rng.next() % 256) - 128 : Swift.max(tiny, Swift.min(top, pow(2, Double(Int(rng.next() % 40) - 20)) * rng.nextUnitDouble()))
                return (rng.next() & 1 == 0 ? -1 : 1) * (format == "int8" ? Swift.abs(magnitude) : magnitude)
            })
        }
        if format == "int8" { out[1] = (0..<k).map { $0 % 2 == 0 ? 127 : -128 } }
        return out
    }

    struct Case: Sendable, CustomStringConvertible {
        let configuration: LUTSupport.Configuration
        let k: Int
        let bits: Int
        var description: String { "\(configuration) K=\(k) W=\(bits)" }
    }

    /// Every configuration with every weight code pattern of one K-group: K = 2 and 3 with W = 1..4,
    /// K = 4 with W = 1..3, and K = 4, W = 4 (65536 patterns) for the released RTL's FP16 unit and the
    /// integer unit.
    static let exhaustiveCases: [Case] = LUTSupport.configurations.flatMap { c in
        [(2, 1), (2, 2), (2, 3), (2, 4), (3, 1), (3, 2), (3, 3), (3, 4), (4, 1), (4, 2), (4, 3)].map { Case(configuration: c, k: $0.0, bits: $0.1) }
    } + [Case(configuration: LUTSupport.configurations[0], k: 4, bits: 4), Case(configuration: LUTSupport.configurations[9], k: 4, bits: 4)]

    @Test("Every weight code pattern of a K-group, datapath = MPFR reference", arguments: exhaustiveCases)
    func exhaustive(_ c: Case) throws {
        let patterns = LUTSupport.allPatterns(count: c.k, bits: c.bits)
        let activations = Self.activationGroups(c.configuration.activation, k: c.k, count: 5, seed: UInt64(c.k * 10 + c.bits))
        let r = try LUTSupport.compare(c.configuration, tileK: c.k, bits: c.bits, activations: activations, weights: patterns)
        #expect(r.checked == patterns.count * activations.count)
        #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
    }

    /// Seeded random outputs: tile_k 2..6, W 1..4, chains of 1..12 K-groups with padding at the
    /// end, activations of mixed magnitude with zeros and extremes. 10^6 outputs for the released
    /// RTL's FP16 unit and the integer unit, 10^5 for every other configuration (the MPFR
    /// reference runs about 3 x 10^4 outputs per second per core).
    @Test("Seeded random outputs, datapath = MPFR reference", arguments: LUTSupport.configurations.indices)
    func random(_ index: Int) throws {
        let c = LUTSupport.configurations[index]
        let target = index == 0 || index == 9 ? 1_000_000 : 100_000
        var rng = SeededGenerator(seed: 99 &+ UInt64(index))
        var checked = 0
        while checked < target {
            let tileK = 2 + Int(rng.next() % 5), bits = 1 + Int(rng.next() % 4)
            let k = tileK * (1 + Int(rng.next() % 12)) - Int(rng.next() % UInt64(tileK))
            let activations = Self.activationGroups(c.activation, k: k, count: 16, seed: rng.next())
            let weights = (0..<64).map { _ in (0..<k).map { _ in Int(rng.next() % UInt64(1 << bits)) } }
            let r = try LUTSupport.compare(c, tileK: tileK, bits: bits, activations: activations, weights: weights)
            checked += r.checked
            #expect(r.mismatches.isEmpty, "\(r.mismatches.joined(separator: "\n"))")
            if !r.mismatches.isEmpty { break }
        }
        #expect(checked >= target)
    }

    /// INT8 activations with exact integer tables: the raw accumulator is the exact integer
    /// sum_b 2^b T'_b = 2 sum_k q_k a_k - (2^W - 1) sum_k a_k (lut-tensor-core.md §2.3), so the
    /// output is the exact integer GEMM of the codes.
    @Test("INT8 activations and integer tables: the exact integer GEMM")
    func exactInteger() throws {
        var rng = SeededGenerator(seed: 5)
        for bits in 1...4 {
            let k = 96
            let activations = (0..<6).map { _ in (0..<k).map { _ in Double(Int(rng.next() % 256) - 128) } }
            let weights = (0..<40).map { _ in (0..<k).map { _ in Int(rng.next() % UInt64(1 << bits)) } }
            let r = try LUTSupport.compare(LUTSupport.configurations[9], tileK: 4, bits: bits, activations: activations, weights: weights)
            for i in 0..<6 {
                for j in 0..<40 {
                    let dot = zip(activations[i], weights[j]).reduce(0) { $0 + Int($1.0) * $1.1 }
                    let sum = activations[i].reduce(0) { $0 + Int($1) }
                    #expect(r.datapath[i * 40 + j] == String(2 * dot - ((1 << bits) - 1) * sum), "W=\(bits) (\(i), \(j))")
                }
            }
        }
    }

    /// The RTL's exponent-add scaling makes a zero table entry 2^(b-15) on plane b >= 1
    /// (lut-tensor-core.md §3.3 quirk 1): all-zero activations give a non-zero result with the
    /// quirks and zero without them.
    @Test("RTL quirks: a zero entry scaled by exponent addition is not zero")
    func quirks() throws {
        let zeros = [[0.0, 0.0, 0.0, 0.0]], ones = [[1, 1, 1, 1]]
        let plain = try LUTSupport.compare(LUTSupport.configurations[0], tileK: 4, bits: 3, activations: zeros, weights: ones)
        let quirky = try LUTSupport.compare(LUTSupport.configurations[1], tileK: 4, bits: 3, activations: zeros, weights: ones)
        #expect(plain.datapath == ["0x0p+0"])
        // Planes 1 and 2 add 2^-14 and 2^-13 (sign: weight bit 0 set selects the negated entry).
        #expect(quirky.datapath == ["-0x1.8p-13"], "\(quirky.datapath)")
        #expect(plain.mismatches.isEmpty && quirky.mismatches.isEmpty)
    }
}
