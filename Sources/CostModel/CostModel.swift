/// The cost model: shipped tables, technology scaling, the calibrated cell library, SRAM and
/// DRAM models. It never imports an engine; engines never import it (DESIGN.md "Layers").
public struct CostModel: Sendable {
    public let tables: CostTables
    public let scaling: TechnologyScaling
    public let calibration: Calibration
    public let sram: SRAMModel
    public let dram: DRAMModel
    public let wire: WireModel

    public init(tables: CostTables) throws {
        self.tables = tables
        scaling = try TechnologyScaling(tables.scaling)
        calibration = try Calibration.fit(tables, scaling: scaling)
        sram = try SRAMModel(tables: tables, scaling: scaling)
        dram = DRAMModel(tables: tables)
        wire = try WireModel(tables: tables)
    }

    private static let loaded: Result<CostModel, CostModelError> = {
        do { return .success(try CostModel(tables: try CostTables.standard())) } catch let e as CostModelError { return .failure(e) } catch {
            return .failure(CostModelError("\(error)"))
        }
    }()

    /// The model built from the shipped tables (once per process).
    public static func standard() throws -> CostModel { try loaded.get() }

    /// The calibrated cell library at a technology.
    public func library(at t: Technology) throws -> CellLibrary {
        try calibration.library.scaled(to: t, with: scaling)
    }

    /// The spread of the fitted per-source energy factors: how far absolute energies could move
    /// if another source were the anchor (reports print it next to every energy).
    public var energyUncertainty: String {
        let f = calibration.energyLibraryFactors.sorted { $0.value < $1.value }
        guard let lo = f.first, let hi = f.last else { return "" }
        return "absolute energies are anchored to Horowitz 45 nm scaled by Stillmaker-Baas; the calibration sources' own library factors span "
            + "\(lo.value.formatted(significantDigits: 2))x (\(lo.key)) to \(hi.value.formatted(significantDigits: 2))x (\(hi.key)) of that anchor"
    }
}
