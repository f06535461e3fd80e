import Foundation

/// The cost model: shipped tables, technology scaling, the calibrated cell library, SRAM and
/// DRAM models. It never imports an engine; engines never import it (DESIGN.md "Layers").
public struct CostModel: Sendable {
    public let tables: CostTables
    public let scaling: TechnologyScaling
    public let calibration: Calibration
    public let sram: SRAMModel
    public let dram: DRAMModel
    public let wire: WireModel

    /// Tables that can anchor absolute energies (those with fitted energy entries), and "auto".
    public static let anchors = ["auto", "horowitz-45nm", "jouppi-7nm", "bitmod-28nm", "aladdin-40nm"]

    public init(tables: CostTables, anchor: String = Calibration.anchorTable) throws {
        guard Self.anchors.contains(anchor), anchor != "auto" else {
            throw CostModelError("unknown energy anchor \"\(anchor)\" (use one of \(Self.anchors.joined(separator: ", ")))")
        }
        self.tables = tables
        scaling = try TechnologyScaling(tables.scaling)
        calibration = try Calibration.fit(tables, scaling: scaling, anchor: anchor)
        sram = try SRAMModel(tables: tables, scaling: scaling)
        dram = DRAMModel(tables: tables)
        wire = try WireModel(tables: tables)
    }

    static func build(_ anchor: String) -> Result<CostModel, CostModelError> {
        do { return .success(try CostModel(tables: try CostTables.standard(), anchor: anchor)) } catch let e as CostModelError {
            return .failure(e)
        } catch { return .failure(CostModelError("\(error)")) }
    }

    private static let horowitz = build("horowitz-45nm")
    private static let jouppi = build("jouppi-7nm")

    /// The broad primitive tables `auto` chooses between, with their nodes.
    public static let autoAnchors: [(table: String, node: Double)] = [("horowitz-45nm", 45), ("jouppi-7nm", 7)]

    /// The anchor for a target node: `requested` unless it is nil or "auto", in which case the
    /// broad primitive table nearest in log(node) (Horowitz 45 nm above about 18 nm, Jouppi 7 nm
    /// below), so absolute energies are scaled over the shortest span of technology.
    public static func anchor(forNodeNM node: Double, requested: String?) -> String {
        if let requested, requested != "auto" { return requested }
        return autoAnchors.min { abs(Foundation.log($0.node / node)) < abs(Foundation.log($1.node / node)) }!.table
    }

    /// The model built from the shipped tables with the given anchor (Horowitz by default, and
    /// for "auto" when there is no target node; the Horowitz and Jouppi models are built once
    /// per process).
    public static func standard(anchor: String? = nil) throws -> CostModel {
        switch anchor ?? Calibration.anchorTable {
        case "horowitz-45nm", "auto": return try horowitz.get()
        case "jouppi-7nm": return try jouppi.get()
        case let other: return try build(other).get()
        }
    }

    /// The model for a target node (`requested` nil or "auto": nearest anchor).
    public static func forTarget(nodeNM: Double, requested: String?) throws -> CostModel {
        try standard(anchor: anchor(forNodeNM: nodeNM, requested: requested))
    }

    /// The calibrated cell library at a technology.
    public func library(at t: Technology) throws -> CellLibrary {
        try calibration.library.scaled(to: t, with: scaling)
    }

    /// The spread of the fitted per-source energy factors: how far absolute energies could move
    /// if another source were the anchor (reports print it next to every energy).
    public var energyUncertainty: String {
        let f = calibration.energyLibraryFactors.sorted { $0.value < $1.value }
        guard let lo = f.first, let hi = f.last else { return "" }
        return "absolute energies are anchored to \(calibration.anchor) and scaled by Stillmaker-Baas; the calibration sources' own library factors span "
            + "\(lo.value.formatted(significantDigits: 2))x (\(lo.key)) to \(hi.value.formatted(significantDigits: 2))x (\(hi.key)) of that anchor (--energy-anchor picks another)"
    }
}
