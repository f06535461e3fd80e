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
