import Foundation

/// A process technology: node (nm, marketing number) and core supply voltage.
public struct Technology: Sendable, Hashable, Codable, CustomStringConvertible {
    public let node_nm: Double
    public let vdd_v: Double

    public init(nodeNM: Double, vddV: Double) {
        node_nm = nodeNM
        vdd_v = vddV
    }

    public var description: String {
        "\(node_nm.formatted(significantDigits: 3)) nm, \(vdd_v.formatted(significantDigits: 3)) V"
    }
}

/// `technology-scaling.json`.
public struct ScalingTable: Codable, Sendable {
    public struct StillmakerBaas: Codable, Sendable {
        public let nodes_nm: [Double]
        public let area_factor: [[Double]]
        public let energy_polynomial_vdd: [[Double]]
        public let note: String
        public let source: String
    }

    public struct Below7nm: Codable, Sendable {
        public let node_nm: Double
        public let area_factor_vs_7nm: Double
        public let energy_factor_vs_7nm: Double
        public let note: String
        public let source: String
    }

    public struct Reference: Codable, Sendable {
        public let node_nm: Double
        public let vdd_v: Double
        public let source: String
    }

    public struct NodeAlias: Codable, Sendable {
        public let node_nm: Double
        public let scaled_as_nm: Double
        public let note: String
        public let source: String
    }

    public struct DefaultVdd: Codable, Sendable {
        public let vdd_v: Double
        public let source: String
    }

    public let table: String
    public let title: String
    public let stillmaker_baas: StillmakerBaas
    public let below_7nm: Below7nm
    public let reference_technology: Reference
    public let default_vdd: DefaultVdd
    public let node_aliases: [NodeAlias]
}

/// Area and energy factors between technologies (cost-models.md §4): the Stillmaker-Baas
/// tables from 130 to 7 nm, interpolated in node index as Accelergy does, extended to the 5 nm
/// class with TSMC's N5-vs-N7 figures. Energy uses each node's polynomial in Vdd at its own
/// supply voltage, so a change of node and voltage is one factor.
public struct TechnologyScaling: Sendable {
    public let nodes: [Double]
    let area: [[Double]]
    let energy: [[Double]]
    public let reference: Technology
    public let defaultVdd: Double
    public let aliases: [ScalingTable.NodeAlias]

    public init(_ t: ScalingTable) throws {
        let sb = t.stillmaker_baas
        let n = sb.nodes_nm.count
        guard n >= 2, sb.area_factor.count == n, sb.area_factor.allSatisfy({ $0.count == n }), sb.energy_polynomial_vdd.count == n,
              sb.energy_polynomial_vdd.allSatisfy({ $0.count == 3 }), sb.nodes_nm.last == 7
        else { throw CostModelError("technology-scaling.json: Stillmaker-Baas tables are not square or do not end at 7 nm") }
        let b = t.below_7nm
        // Extend with the 5 nm class: a new last row and column.
        var area = sb.area_factor.map { $0 + [$0[n - 1] * b.area_factor_vs_7nm] }
        area.append(sb.area_factor[n - 1].map { $0 / b.area_factor_vs_7nm } + [1])
        nodes = sb.nodes_nm + [b.node_nm]
        self.area = area
        energy = sb.energy_polynomial_vdd + [sb.energy_polynomial_vdd[n - 1].map { $0 * b.energy_factor_vs_7nm }]
        reference = Technology(nodeNM: t.reference_technology.node_nm, vddV: t.reference_technology.vdd_v)
        defaultVdd = t.default_vdd.vdd_v
        aliases = t.node_aliases
    }

    /// The node the tables use for a given marketing node (`node_aliases`: 12 nm as 16 nm,
    /// 8 nm as 10 nm, 4 nm as 5 nm).
    public func effectiveNode(_ nm: Double) -> Double { aliases.first { $0.node_nm == nm }?.scaled_as_nm ?? nm }

    /// Fractional index of a node in the table (interpolated linearly between neighbours).
    func index(_ nm: Double) throws -> Double {
        let node = effectiveNode(nm)
        guard let first = nodes.first, let last = nodes.last, node <= first, node >= last else {
            throw CostModelError("process node \(nm) nm is outside the scaling tables (\(Int(nodes.last ?? 0))-\(Int(nodes.first ?? 0)) nm; 4 nm scales as 5 nm)")
        }
        for i in 0..<(nodes.count - 1) where node <= nodes[i] && node >= nodes[i + 1] {
            return Double(i) + (nodes[i] - node) / (nodes[i] - nodes[i + 1])
        }
        return Double(nodes.count - 1)
    }

    /// Multiply an area at `from` nm to get the area at `to` nm.
    public func areaFactor(from: Double, to: Double) throws -> Double {
        let x = try index(from), y = try index(to)
        let x0 = Int(x.rounded(.down)), x1 = Int(x.rounded(.up)), y0 = Int(y.rounded(.down)), y1 = Int(y.rounded(.up))
        let fx = x - Double(x0), fy = y - Double(y0)
        return area[x0][y0] * (1 - fx) * (1 - fy) + area[x0][y1] * (1 - fx) * fy + area[x1][y0] * fx * (1 - fy)
            + area[x1][y1] * fx * fy
    }

    /// The relative energy of one operation at a node and supply voltage.
    func energyLevel(_ t: Technology) throws -> Double {
        guard t.vdd_v >= 0.4, t.vdd_v <= 1.4 else {
            throw CostModelError("supply voltage \(t.vdd_v) V is outside the scaling equations' range (0.4-1.4 V)")
        }
        let x = try index(t.node_nm)
        let x0 = Int(x.rounded(.down)), x1 = Int(x.rounded(.up)), f = x - Double(x0)
        func p(_ i: Int) -> Double { energy[i][0] * t.vdd_v * t.vdd_v + energy[i][1] * t.vdd_v + energy[i][2] }
        return p(x0) * (1 - f) + p(x1) * f
    }

    /// Multiply an energy at `from` to get the energy at `to`.
    public func energyFactor(from: Technology, to: Technology) throws -> Double {
        try energyLevel(to) / energyLevel(from)
    }

    /// One line naming the scaling applied (reports record it).
    public func describe(from: Technology, to: Technology) -> String {
        let effective = effectiveNode(to.node_nm)
        let node = effective != to.node_nm ? " (scaled as \(effective.formatted(significantDigits: 3)) nm)" : ""
        return "\(from) -> \(to)\(node): Stillmaker-Baas 2017 factors (Accelergy tables)" + (effectiveNode(to.node_nm) < 7 ? " extended below 7 nm with TSMC's N5-vs-N7 figures" : "")
    }
}

extension Double {
    /// A compact decimal rendering with the given significant digits (no exponent for 1e-4..1e6).
    public func formatted(significantDigits d: Int) -> String {
        guard isFinite else { return "\(self)" }
        if self == 0 { return "0" }
        let magnitude = Swift.abs(self)
        if magnitude >= 1e6 || magnitude < 1e-4 {
            return String(format: "%.\(max(0, d - 1))e", self)
        }
        let digits = max(0, d - 1 - Int((log10(magnitude)).rounded(.down)))
        var s = String(format: "%.\(digits)f", self)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
