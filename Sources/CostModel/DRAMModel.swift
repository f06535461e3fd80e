/// DRAM access energy per bit by technology (`dram.json`, `pricing` entries).
public struct DRAMModel: Sendable {
    public struct Price: Sendable, Hashable {
        public let picojoulesPerBit: Double
        public let source: String
        public let note: String?
    }

    let prices: [String: Price]

    public init(tables: CostTables) {
        var prices: [String: Price] = [:]
        for e in tables.entries where e.structure.block == "dram" && e.use == .pricing {
            if let t = e.structure.technology { prices[t] = Price(picojoulesPerBit: e.value, source: e.source, note: e.note) }
        }
        self.prices = prices
    }

    public var technologies: [String] { prices.keys.sorted() }

    public func price(_ technology: String) throws -> Price {
        guard let p = prices[technology] else {
            throw CostModelError("no DRAM energy for technology \"\(technology)\" (known: \(technologies.joined(separator: ", ")))")
        }
        return p
    }
}

/// On-chip wire energy (`interconnect.json`): pJ per bit per mm at the entry's voltage, scaled
/// by (Vdd / Vdd_entry)^2 (wire capacitance per mm is roughly node-independent).
public struct WireModel: Sendable {
    public let picojoulesPerBitMM: Double
    public let vdd: Double
    public let source: String

    public init(tables: CostTables) throws {
        guard let e = tables.entries.first(where: { $0.quantity == .energyPerBitMM && $0.use == .pricing }), let v = e.vdd_v else {
            throw CostModelError("interconnect.json has no priced wire entry with a supply voltage")
        }
        picojoulesPerBitMM = e.value
        vdd = v
        source = e.source
    }

    /// pJ to move one bit `millimetres` at supply `vddV`.
    public func energy(millimetres: Double, vddV: Double) -> Double {
        picojoulesPerBitMM * millimetres * (vddV / vdd) * (vddV / vdd)
    }
}
