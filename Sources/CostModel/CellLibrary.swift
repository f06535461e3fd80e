/// Energy per activation and area of each `CellKind` at one technology: what the calibration
/// produces at the reference technology, and what `scaled(to:)` turns into any node.
public struct CellLibrary: Sendable, Codable, Hashable {
    /// pJ per cell activation, in `CellKind.allCases` order.
    public let energyPJ: [Double]
    /// um^2 per cell, in `CellKind.allCases` order.
    public let areaUM2: [Double]
    /// Leakage power per um^2 of logic (mW/um^2).
    public let leakageMWPerUM2: Double
    public let technology: Technology

    public init(energyPJ: [Double], areaUM2: [Double], leakageMWPerUM2: Double, technology: Technology) {
        precondition(energyPJ.count == CellKind.allCases.count && areaUM2.count == CellKind.allCases.count)
        self.energyPJ = energyPJ
        self.areaUM2 = areaUM2
        self.leakageMWPerUM2 = leakageMWPerUM2
        self.technology = technology
    }

    /// Energy of one activation of every cell of a block (pJ).
    public func energy(_ c: LogicCells) -> Double { zip(c.vector, energyPJ).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Area of a block (um^2).
    public func area(_ c: LogicCells) -> Double { zip(c.vector, areaUM2).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Leakage power of a block (mW).
    public func leakage(_ c: LogicCells) -> Double { area(c) * leakageMWPerUM2 }

    /// The library at another technology (Stillmaker-Baas area and energy factors; leakage per
    /// device scales like energy per operation, as Accelergy's `scale_leak` does, so leakage per
    /// area scales by energy / area).
    public func scaled(to t: Technology, with s: TechnologyScaling) throws -> CellLibrary {
        let fa = try s.areaFactor(from: technology.node_nm, to: t.node_nm)
        let fe = try s.energyFactor(from: technology, to: t)
        return CellLibrary(energyPJ: energyPJ.map { $0 * fe }, areaUM2: areaUM2.map { $0 * fa },
                           leakageMWPerUM2: leakageMWPerUM2 * fe / fa, technology: t)
    }
}
