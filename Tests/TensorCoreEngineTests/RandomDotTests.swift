import ArchitectureSpec
import Foundation
import Formats
import Reference
import TensorCoreEngine
import Testing

/// Seeded random dot products per profile, datapath against the MPFR reference, bit for bit:
/// mixed magnitudes, cancellations, subnormals, zeros, infinities and NaN.
@Suite("Random dot products against MPFR")
struct RandomDotTests {
    /// Dot products per numerics profile: 10^6, shared among that profile's configurations
    /// (`QUANTSIM_RANDOM_DOTS` overrides, e.g. for a quick debug run).
    static let perProfile = Int(ProcessInfo.processInfo.environment["QUANTSIM_RANDOM_DOTS"] ?? "") ?? 1_000_000

    struct Config: Sendable, CustomStringConvertible {
        let arch: String
        let instruction: String
        let a: String
        let c: String
        var description: String { "\(arch.dropLast(5)) \(instruction) \(a)->\(c)" }
    }

    static let configs: [Config] = [
        Config(arch: "nvidia-v100-sxm2.json", instruction: "mma.sync", a: "fp16", c: "fp32"),
        Config(arch: "nvidia-v100-sxm2.json", instruction: "wmma", a: "fp16", c: "fp16"),
        Config(arch: "nvidia-t4.json", instruction: "mma.sync", a: "fp16", c: "fp32"),
        Config(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "bf16", c: "fp32"),
        Config(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "fp16", c: "fp16"),
        Config(arch: "nvidia-a100-sxm4-80gb.json", instruction: "mma.sync", a: "tf32", c: "fp32"),
        Config(arch: "nvidia-l40s.json", instruction: "mma.sync", a: "e4m3", c: "fp32"),
        Config(arch: "nvidia-l40s.json", instruction: "mma.sync", a: "e5m2", c: "fp16"),
        Config(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "fp16", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05", a: "tf32", c: "fp32"),
        Config(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "tf32", c: "fp32"),
        Config(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "e4m3", c: "fp32"),
        Config(arch: "nvidia-h100-sxm.json", instruction: "wgmma", a: "e5m2", c: "fp16"),
        Config(arch: "nvidia-h100-sxm.json", instruction: "mma.sync", a: "e4m3", c: "fp32"),
        Config(arch: "nvidia-h100-sxm.json", instruction: "mma.sync", a: "e5m2", c: "fp16"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05", a: "bf16", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e4m3", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e3m2", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e2m3", c: "fp16"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05", a: "e2m1", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05.mxf8f6f4", a: "e4m3", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05.mxf4", a: "e2m1", c: "fp32"),
        Config(arch: "nvidia-b200.json", instruction: "tcgen05.nvf4", a: "e2m1", c: "fp32"),
        Config(arch: "amd-mi300x.json", instruction: "mfma", a: "fp16", c: "fp32"),
        Config(arch: "amd-mi300x.json", instruction: "mfma", a: "bf16", c: "fp32"),
    ]

    @Test("Datapath equals the MPFR reference on 10^6 seeded random dot products per profile", arguments: configs)
    func random(_ config: Config) {
        let (unit, reference) = Support.unitAndReference(config.arch, instruction: config.instruction, a: config.a, b: config.a, c: config.c)
        // This configuration's share of its profile's 10^6.
        let sharing = Self.configs.filter {
            let (u, _) = Support.unitAndOptionalReference($0.arch, instruction: $0.instruction, a: $0.a, b: $0.a, c: $0.c)
            return u.profile.name == unit.profile.name && u.profile.source == unit.profile.source
        }.count
        let count = (Self.perProfile + sharing - 1) / sharing
        var generator = DotCaseGenerator(unit: unit, seed: UInt64(truncatingIfNeeded: config.description.hashValue & 0) &+ 12345)
        var mismatches = 0
        for _ in 0..<count {
            let (a, b, c, sa, sb) = generator.next()
            let subject = unit.dot(a, b, c: c, scalesA: sa, scalesB: sb)
            let expected = reference.dot(a, b, c: c, scalesA: sa, scalesB: sb)
            let value = unit.accumulatorFormat.decode(subject)
            if value.description != expected.hexString {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("""
                        \(config): a=\(a.map { String($0, radix: 16) }) b=\(b.map { String($0, radix: 16) }) \
                        c=\(String(c, radix: 16)) sa=\(sa) sb=\(sb): datapath \(value) reference \(expected.hexString)
                        """)
                }
            }
        }
        #expect(mismatches == 0)
    }
}

/// Generates adversarial dot products for one unit: random codes with a bias toward specials,
/// subnormals and zeros, exponent-clustered operands (deep cancellation), products that cancel
/// exactly, and addends near the products' magnitude.
struct DotCaseGenerator {
    let unit: MMAUnit
    var rng: SeededGenerator

    init(unit: MMAUnit, seed: UInt64) {
        self.unit = unit
        rng = SeededGenerator(seed: seed)
    }

    mutating func code(_ f: ScalarFormat, containerBits: Int) -> UInt64 {
        let bits = f.bitWidth
        let r = rng.next()
        var c: UInt64
        switch r % 16 {
        case 0: c = 0  // +0
        case 1: c = 1 << UInt64(bits - 1)  // -0 (or the sign bit)
        case 2: c = rng.next() & ((1 << UInt64(Swift.min(bits - 1, 4))) - 1)  // tiny (subnormals)
        case 3: c = (rng.next() % 3 == 0) ? UInt64.max : (UInt64(1) << UInt64(bits - 1)) - 1 - rng.next() % 3  // near max / specials
        default: c = rng.next()
        }
        c &= (1 << UInt64(bits)) - 1
        return containerBits == 32 && bits == 19 ? c << 13 : c  // TF32 in an FP32 container
    }

    mutating func next() -> ([UInt64], [UInt64], UInt64, [UInt64], [UInt64]) {
        let k = unit.instruction.shapeK * (rng.next() % 4 == 0 ? 2 : 1)
        let bits = unit.inputContainerBits
        var a = (0..<k).map { _ in code(unit.aFormat, containerBits: bits) }
        var b = (0..<k).map { _ in code(unit.bFormat, containerBits: bits) }
        if rng.next() % 4 == 0 {
            // Exact cancellation: a pair of products with opposite signs.
            let i = Int(rng.next() % UInt64(k)), j = Int(rng.next() % UInt64(k))
            a[j] = a[i] ^ (1 << UInt64(unit.aFormat.bitWidth - 1 + (bits == 32 && unit.aFormat.bitWidth == 19 ? 13 : 0)))
            b[j] = b[i]
        }
        if rng.next() % 3 == 0 {
            // Same-exponent clustering: keep only the mantissa noise of one exponent.
            let mask: UInt64 = bits == 32 ? 0xFFFF_E000 : (1 << UInt64(bits)) - 1
            let template = a[0]
            for i in a.indices { a[i] = (template & ~UInt64(0x7) | (a[i] & 0x7)) & mask }
        }
        let cBits = unit.accumulatorFormat.bitWidth
        var c: UInt64 = rng.next() & ((1 << UInt64(cBits)) - 1)
        if rng.next() % 4 == 0 { c = 0 }
        if rng.next() % 8 == 0 { c &= ~((1 << UInt64(cBits - 1)) - (1 << UInt64(cBits - 9))) }  // tiny or subnormal c
        var sa: [UInt64] = [], sb: [UInt64] = []
        if unit.instruction.scaleBlock > 0 {
            let n = (k + unit.instruction.scaleBlock - 1) / unit.instruction.scaleBlock
            let mask: UInt64 = unit.instruction.scaleFormat == "ue4m3" ? 0xFF : 0xFF
            sa = (0..<n).map { _ in 127 &+ (rng.next() % 40) &- 20 & mask }
            sb = (0..<n).map { _ in rng.next() % 64 == 0 ? 0xFF : (127 &+ (rng.next() % 40) &- 20) & mask }
            if unit.instruction.scaleFormat == "ue4m3" {
                sa = sa.map { _ in rng.next() & 0xFF }
                sb = sb.map { _ in rng.next() & 0xFF }
            }
        }
        return (a, b, c, sa, sb)
    }
}
