import Foundation

/// The calibration of the cell library against the published syntheses (issue: "each estimator
/// is calibrated against the published syntheses"): one energy and one area per `CellKind` at
/// the reference technology, plus one library factor per source table (a source's corner,
/// timing target and cell library move all its numbers together; Horowitz 45 nm is the anchor
/// with factor 1). Fitted by Levenberg-Marquardt on log(estimate / published) over every
/// `calibration` entry, after scaling each estimate to the entry's node and voltage.
public struct Calibration: Sendable {
    /// The stated tolerances: every calibration point's estimate is within these factors of the
    /// published value. Justification (docs/cost-model.md, "Calibration"): the same operation from two
    /// sources, after Stillmaker-Baas scaling, differs by factors of 1.1-21 in energy (FP16
    /// multiplier: Horowitz vs BitMoD 1.1x, vs Jouppi 4.0x; FP32 multiplier vs Jouppi 4.6x; FP32
    /// adder: Horowitz vs Aladdin 21x) and of 1.1-2.6 in area (32-bit adder: Aladdin vs Horowitz
    /// 2.6x); a single structural model cannot be closer to all sources than they are to each
    /// other, and these bounds are tighter than the sources' own spread.
    public static let energyTolerance = 2.1
    public static let areaTolerance = 2.5
    /// The anchor table whose library factor is 1.
    public static let anchorTable = "horowitz-45nm"

    public struct Row: Sendable, Codable, Hashable {
        public let id: String
        public let table: String
        public let component: String
        public let quantity: String
        public let published: Double
        public let unit: String
        public let node_nm: Double
        public let estimate: Double
        /// estimate / published.
        public let ratio: Double
        public let use: String
        /// The factor the test holds this point to (nil for points that are shown, not held).
        public let tolerance: Double?
        public let note: String?

        public var withinTolerance: Bool {
            guard let tolerance else { return true }
            return ratio <= tolerance && ratio >= 1 / tolerance
        }
    }

    public let library: CellLibrary
    /// Fitted library factor per source table, energy and area.
    public let energyLibraryFactors: [String: Double]
    public let areaLibraryFactors: [String: Double]
    public let rows: [Row]
    public let rmsLogErrorEnergy: Double
    public let rmsLogErrorArea: Double
    /// The table whose energy library factor is 1.
    public let anchor: String

    struct Point {
        let entry: CostEntry
        let table: String
        let cells: [Double]
        let scale: Double
    }

    /// Fits the library to the shipped tables. `anchor` is the table whose library factor is 1
    /// (Horowitz by default; tests refit with another anchor to hold Horowitz's ratios out).
    public static func fit(_ tables: CostTables, scaling: TechnologyScaling, anchor: String = anchorTable,
                           excluding excluded: Set<String> = []) throws -> Calibration {
        let reference = scaling.reference
        func points(_ quantity: CostEntry.Quantity, uses: Set<CostEntry.Use>) throws -> [Point] {
            try tables.tables.filter { !excluded.contains($0.table) }.flatMap { table in
                try table.entries.filter { $0.quantity == quantity && uses.contains($0.use) && $0.structure.isLogic }.map { e in
                    guard let node = e.node_nm else { throw CostModelError("\(e.id): a calibration entry needs node_nm") }
                    let tech = Technology(nodeNM: node, vddV: e.vdd_v ?? scaling.defaultVdd)
                    let scale = quantity == .area ? try scaling.areaFactor(from: reference.node_nm, to: node)
                        : try scaling.energyFactor(from: reference, to: tech)
                    return Point(entry: e, table: table.table, cells: try e.structure.cells().vector, scale: scale)
                }
            }
        }
        let energyPoints = try points(.energy, uses: [.calibration])
        let areaPoints = try points(.area, uses: [.calibration])
        let energyFit = try LogFit(energyPoints, initialCell: 0.003, anchor: anchor)
        // The energy anchor moves energies only; areas always keep the Horowitz/Dally 45 nm anchor
        // (when it is in the fit).
        let areaAnchor = areaPoints.contains { $0.table == anchorTable } ? anchorTable : anchor
        let areaFit = try LogFit(areaPoints, initialCell: 4, anchor: areaAnchor)

        // Logic leakage density: Aladdin's leakage over its area for the same component, moved
        // to the reference technology like any leakage (energy / area factors).
        var logDensity: [Double] = []
        for table in tables.tables {
            for leak in table.entries where leak.use == .leakage {
                guard let area = table.entries.first(where: { $0.quantity == .area && $0.structure == leak.structure }),
                      let node = leak.node_nm else { continue }
                let tech = Technology(nodeNM: node, vddV: leak.vdd_v ?? scaling.defaultVdd)
                let density = leak.value / area.value * (try scaling.energyFactor(from: tech, to: reference))
                    / (try scaling.areaFactor(from: node, to: reference.node_nm))
                logDensity.append(Foundation.log(density))
            }
        }
        guard !logDensity.isEmpty else { throw CostModelError("no leakage entries with a matching area entry") }
        let leakage = Foundation.exp(logDensity.reduce(0, +) / Double(logDensity.count))

        let library = CellLibrary(energyPJ: energyFit.cells, areaUM2: areaFit.cells, leakageMWPerUM2: leakage, technology: reference)
        var rows: [Row] = []
        func addRows(_ quantity: CostEntry.Quantity, _ fit: LogFit, tolerance: Double) throws {
            let all = try points(quantity, uses: [.calibration, .heldOut])
            for p in all {
                let estimate = (fit.factors[p.table] ?? 1) * p.scale * zip(fit.cells, p.cells).reduce(0) { $0 + $1.0 * $1.1 }
                rows.append(Row(id: p.entry.id, table: p.table, component: p.entry.component, quantity: quantity.rawValue,
                                published: p.entry.value, unit: p.entry.unit, node_nm: p.entry.node_nm ?? 0, estimate: estimate,
                                ratio: estimate / p.entry.value, use: p.entry.use.rawValue,
                                tolerance: p.entry.use == .calibration ? tolerance : nil, note: p.entry.note))
            }
        }
        try addRows(.energy, energyFit, tolerance: energyTolerance)
        try addRows(.area, areaFit, tolerance: areaTolerance)
        return Calibration(library: library, energyLibraryFactors: energyFit.factors, areaLibraryFactors: areaFit.factors, rows: rows,
                           rmsLogErrorEnergy: energyFit.rmsLogError, rmsLogErrorArea: areaFit.rmsLogError, anchor: anchor)
    }

    private static let loaded: Result<Calibration, CostModelError> = {
        do {
            let tables = try CostTables.standard()
            return .success(try fit(tables, scaling: try TechnologyScaling(tables.scaling)))
        } catch let e as CostModelError { return .failure(e) } catch { return .failure(CostModelError("\(error)")) }
    }()

    /// The calibration of the shipped tables (fitted once per process, deterministically).
    public static func standard() throws -> Calibration { try loaded.get() }
}

/// Levenberg-Marquardt fit of log(L_table * scale * sum_k exp(phi_k) cells_k) to log(value).
struct LogFit {
    let cells: [Double]
    let factors: [String: Double]
    let rmsLogError: Double

    init(_ points: [Calibration.Point], initialCell: Double, anchor: String) throws {
        let kinds = CellKind.allCases.count
        let tables = Array(Set(points.map(\.table)).subtracting([anchor])).sorted()
        guard points.contains(where: { $0.table == anchor }) else {
            throw CostModelError("the calibration needs points from the anchor table \(anchor)")
        }
        let tableIndex = Dictionary(uniqueKeysWithValues: tables.enumerated().map { ($1, kinds + $0) })
        let unknowns = kinds + tables.count
        var x = [Double](repeating: Foundation.log(initialCell), count: kinds) + [Double](repeating: 0, count: tables.count)

        func residuals(_ x: [Double]) -> [Double] {
            points.map { p in
                var sum = 0.0
                for k in 0..<kinds { sum += Foundation.exp(x[k]) * p.cells[k] }
                let factor = tableIndex[p.table].map { x[$0] } ?? 0
                return factor + Foundation.log(p.scale * sum) - Foundation.log(p.entry.value)
            }
        }
        func cost(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }

        var mu = 1e-3
        var r = residuals(x)
        for _ in 0..<1000 {
            // Jacobian: d r_i / d phi_k = exp(phi_k) c_ik / sum_j exp(phi_j) c_ij; d r_i / d lambda_t = [table_i == t].
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: unknowns), count: unknowns)
            var jtr = [Double](repeating: 0, count: unknowns)
            for (i, p) in points.enumerated() {
                var row = [Double](repeating: 0, count: unknowns)
                var sum = 0.0
                for k in 0..<kinds { sum += Foundation.exp(x[k]) * p.cells[k] }
                for k in 0..<kinds { row[k] = Foundation.exp(x[k]) * p.cells[k] / sum }
                if let t = tableIndex[p.table] { row[t] = 1 }
                for a in 0..<unknowns where row[a] != 0 {
                    jtr[a] += row[a] * r[i]
                    for b in 0..<unknowns where row[b] != 0 { jtj[a][b] += row[a] * row[b] }
                }
            }
            var system = jtj
            for a in 0..<unknowns { system[a][a] += mu * jtj[a][a] + 1e-12 }
            guard let step = LinearSolve.solve(system, jtr.map { -$0 }) else { mu *= 10; continue }
            let trial = zip(x, step).map(+)
            let rt = residuals(trial)
            if cost(rt) < cost(r) {
                let change = step.map(Swift.abs).max() ?? 0
                x = trial
                r = rt
                mu = Swift.max(mu / 3, 1e-12)
                if change < 1e-12 { break }
            } else {
                mu *= 3
                if mu > 1e12 { break }
            }
        }
        cells = x.prefix(kinds).map(Foundation.exp)
        factors = Dictionary(uniqueKeysWithValues: tables.map { ($0, Foundation.exp(x[tableIndex[$0]!])) })
            .merging([anchor: 1]) { a, _ in a }
        rmsLogError = (cost(r) / Double(Swift.max(1, r.count))).squareRoot()
    }
}

/// Gaussian elimination with partial pivoting for the small normal-equation systems here.
enum LinearSolve {
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var v = b
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { Swift.abs(m[$0][col]) < Swift.abs(m[$1][col]) }), Swift.abs(m[pivot][col]) > 1e-300
            else { return nil }
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let f = m[row][col] / m[col][col]
                if f == 0 { continue }
                for c in col..<n { m[row][c] -= f * m[col][c] }
                v[row] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = v[row]
            for c in (row + 1)..<n { s -= m[row][c] * x[c] }
            x[row] = s / m[row][row]
        }
        return x
    }
}
