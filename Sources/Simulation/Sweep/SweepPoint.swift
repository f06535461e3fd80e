import Foundation

/// One point of a sweep: everything one `simulate run` needs, and its key (a hash of the point's
/// canonical JSON, stable across runs and machines).
public struct SweepPoint: Sendable, Codable, Hashable {
    public var index: Int
    public var architecture: String
    public var aFormat: String
    public var bFormat: String
    public var quantize: String?
    public var kvFormat: String?
    /// Document overrides in path order.
    public var overrides: [String: SweepValue]
    public var workload: SweepSpec.Workload

    enum CodingKeys: String, CodingKey {
        case index, architecture, aFormat = "a_format", bFormat = "b_format", quantize, kvFormat = "kv_format", overrides = "set", workload
    }

    /// The canonical JSON of the point without its index (sorted keys).
    public var canonical: String {
        var copy = self
        copy.index = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(copy)) ?? Data(), as: UTF8.self)
    }

    /// FNV-1a (64-bit) of the canonical JSON, as 16 hex digits.
    public var key: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension SweepSpec {
    /// The axes in expansion order, with their sizes.
    var axisSizes: [Int] {
        [architectures.count, formats.count, quantize.count, kvFormats.count] + overrides.map(\.values.count) + [workloads.count]
    }

    /// The point at mixed-radix `digits` (one index per axis).
    func point(digits: [Int], index: Int) -> SweepPoint {
        var overrideValues: [String: SweepValue] = [:]
        for (i, o) in overrides.enumerated() { overrideValues[o.path] = o.values[digits[4 + i]] }
        return SweepPoint(index: index, architecture: architectures[digits[0]], aFormat: formats[digits[1]][0], bFormat: formats[digits[1]][1],
                          quantize: quantize[digits[2]], kvFormat: kvFormats[digits[3]], overrides: overrideValues,
                          workload: workloads[digits[4 + overrides.count]])
    }

    /// Every point, deterministically: the product in axis order (the last axis fastest), a
    /// seeded sample of distinct product points in product order, or the listed points.
    public func expand() throws(Error) -> [SweepPoint] {
        let sizes = axisSizes
        let (total, overflow) = sizes.reduce((1, false)) { acc, s in
            let (p, o) = acc.0.multipliedReportingOverflow(by: s)
            return (p, acc.1 || o)
        }
        guard !overflow, total <= 10_000_000 else { throw Error("\(file): the product of the axes has more than 10^7 points (fix: sample: {random: {count: N}})") }
        func digits(_ n: Int) -> [Int] {
            var r = n, out = [Int](repeating: 0, count: sizes.count)
            for a in stride(from: sizes.count - 1, through: 0, by: -1) { out[a] = r % sizes[a]; r /= sizes[a] }
            return out
        }
        if let listed = points {
            return try listed.enumerated().map { (i, p) throws(Error) in try listedPoint(p, index: i) }
        }
        switch sampling {
        case .product:
            return (0..<total).map { point(digits: digits($0), index: $0) }
        case .random(let count, let seed):
            guard count <= total else { throw Error("\(file): sample.random.count \(count) exceeds the \(total) points of the product") }
            var rng = SplitMix(seed: seed)
            var chosen = Set<Int>()
            while chosen.count < count { chosen.insert(Int(rng.next() % UInt64(total))) }
            return chosen.sorted().enumerated().map { point(digits: digits($1), index: $0) }
        }
    }

    func listedPoint(_ p: [String: SweepValue], index: Int) throws(Error) -> SweepPoint {
        var d = [Int](repeating: 0, count: axisSizes.count)
        var base = point(digits: d, index: index)
        func value(_ key: String) -> SweepValue? { p[key] }
        switch value("architecture") {
        case .int(let i)? where i >= 0 && i < architectures.count: base.architecture = architectures[i]
        case .string(let s)?: base.architecture = architectures.first { $0.hasSuffix(s) } ?? s
        case nil: break
        default: throw Error("\(file): points[\(index)].architecture must be an index into architectures or a path")
        }
        switch value("formats") {
        case .list(let l)? where l.count == 2: (base.aFormat, base.bFormat) = (l[0].description, l[1].description)
        case .string(let s)?: (base.aFormat, base.bFormat) = (s, s)
        case nil: break
        default: throw Error("\(file): points[\(index)].formats must be a format or an [A, B] pair")
        }
        if case .string(let q)? = value("quantize") { base.quantize = q == "default" ? nil : q }
        if case .string(let kv)? = value("kv_format") { base.kvFormat = kv == "default" ? nil : kv }
        if case .object(let set)? = value("set") { for (k, v) in set { base.overrides[k] = v } }
        switch value("workload") {
        case .int(let i)? where i >= 0 && i < workloads.count: base.workload = workloads[i]
        case nil: break
        default: throw Error("\(file): points[\(index)].workload must be an index into axes.workloads")
        }
        d[0] = 0
        return base
    }
}

/// SplitMix64, for the seeded point sample (independent of the data generators).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
