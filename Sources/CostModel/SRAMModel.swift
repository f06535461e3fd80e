import Foundation

/// SRAM read/write energy, area and leakage as a function of capacity and access width: a
/// log-quadratic fit to the CACTI 7.0 sweep at 45 nm and CACTI's 1.0 V (`sram-cacti7.json`,
/// itrs-hp), moved to other nodes and voltages with the Stillmaker-Baas factors (leakage like
/// energy, per array). Validated
/// against CACTI's own 28 and 22 nm results and the published Horowitz and Jouppi read energies
/// (`validation`).
public struct SRAMModel: Sendable {
    /// One bank access.
    public struct Cost: Sendable, Hashable, Codable {
        public let readPJ: Double
        public let writePJ: Double
        public let areaUM2: Double
        public let leakageMW: Double
        /// Set when the request was outside the fitted range and was mapped into it.
        public let note: String?
    }

    /// Fitted range (CACTI sweep): 8 KiB-8 MiB, 64-256-bit ports.
    public static let capacityRange = 8192...8_388_608
    public static let widthRange = 64...256

    let coefficients: [CostEntry.Quantity: [Double]]
    public let reference: Technology
    public let validation: [Calibration.Row]
    /// Largest |log(estimate / CACTI)| over the 45 nm fit points, per quantity, as a factor.
    public let fitErrorFactor: [String: Double]

    static func features(_ capacity: Double, _ width: Double) -> [Double] {
        let c = Foundation.log(capacity / 8192), w = Foundation.log(width / 64)
        return [1, c, w, c * w, c * c]
    }

    public init(tables: CostTables, scaling: TechnologyScaling) throws {
        let cacti = tables.tables.first { $0.table == "sram-cacti7" }?.entries ?? []
        // The sweep's 45 nm points are the fit's reference technology, at CACTI's own supply.
        guard let vdd45 = cacti.first(where: { $0.node_nm == 45 })?.vdd_v else {
            throw CostModelError("sram-cacti7.json: the 45 nm points need their supply voltage")
        }
        let reference = Technology(nodeNM: 45, vddV: vdd45)
        self.reference = reference
        var coefficients: [CostEntry.Quantity: [Double]] = [:]
        var fitError: [String: Double] = [:]
        for q in [CostEntry.Quantity.readEnergy, .writeEnergy, .area, .leakage] {
            let points = cacti.filter { $0.quantity == q && $0.node_nm == reference.node_nm && $0.use == .calibration }
            guard points.count >= 8 else { throw CostModelError("sram-cacti7.json: too few 45 nm \(q.rawValue) points") }
            var ata = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 5)
            var aty = [Double](repeating: 0, count: 5)
            for p in points {
                guard let c = p.structure.capacity_bytes, let w = p.structure.width_bits else {
                    throw CostModelError("\(p.id): an SRAM entry needs capacity_bytes and width_bits")
                }
                let f = Self.features(Double(c), Double(w)), y = Foundation.log(p.value)
                for a in 0..<5 {
                    aty[a] += f[a] * y
                    for b in 0..<5 { ata[a][b] += f[a] * f[b] }
                }
            }
            guard let beta = LinearSolve.solve(ata, aty) else { throw CostModelError("SRAM fit is singular for \(q.rawValue)") }
            coefficients[q] = beta
            fitError[q.rawValue] = Foundation.exp(points.map { p in
                Swift.abs(zip(Self.features(Double(p.structure.capacity_bytes!), Double(p.structure.width_bits!)), beta)
                    .reduce(0) { $0 + $1.0 * $1.1 } - Foundation.log(p.value))
            }.max() ?? 0)
        }
        self.coefficients = coefficients
        fitErrorFactor = fitError

        // Validation: CACTI at other nodes and the published read energies.
        var rows: [Calibration.Row] = []
        let model = Self(coefficients: coefficients, reference: reference, validation: [], fitErrorFactor: fitError)
        for table in tables.tables {
            for e in table.entries where e.structure.block == "sram" && (e.use == .reference || e.use == .calibration) {
                guard let c = e.structure.capacity_bytes, let w = e.structure.width_bits, let node = e.node_nm else { continue }
                let tech = Technology(nodeNM: node, vddV: e.vdd_v ?? scaling.defaultVdd)
                let est = try model.estimate(capacityBytes: c, widthBits: w, at: tech, scaling: scaling)
                let value: Double
                switch e.quantity {
                case .readEnergy: value = est.readPJ
                case .writeEnergy: value = est.writePJ
                case .area: value = est.areaUM2 / 1e6
                case .leakage: value = est.leakageMW
                default: continue
                }
                rows.append(Calibration.Row(id: e.id, table: table.table, component: e.component, quantity: e.quantity.rawValue,
                                            published: e.value, unit: e.unit, node_nm: node, estimate: value, ratio: value / e.value,
                                            use: e.use.rawValue, tolerance: nil, note: e.note))
            }
        }
        validation = rows
    }

    init(coefficients: [CostEntry.Quantity: [Double]], reference: Technology, validation: [Calibration.Row],
         fitErrorFactor: [String: Double]) {
        self.coefficients = coefficients
        self.reference = reference
        self.validation = validation
        self.fitErrorFactor = fitErrorFactor
    }

    func evaluate(_ q: CostEntry.Quantity, _ capacity: Double, _ width: Double) -> Double {
        Foundation.exp(zip(Self.features(capacity, width), coefficients[q] ?? []).reduce(0) { $0 + $1.0 * $1.1 })
    }

    /// An SRAM of `capacityBytes` with a `widthBits` port at a technology. Outside the fitted
    /// range: ports wider than 256 bits are that many 256-bit sub-arrays side by side, narrower
    /// than 64 bits cost a 64-bit access, banks below 8 KiB cost an 8 KiB bank and above 8 MiB
    /// are split into 8 MiB banks of which one is accessed (the note says which applied).
    /// `banks` splits the capacity into equal banks of which one serves an access (area and
    /// leakage count all of them).
    public func estimate(capacityBytes: Int, widthBits: Int, banks requestedBanks: Int = 1, at t: Technology,
                         scaling: TechnologyScaling) throws -> Cost {
        guard capacityBytes > 0, widthBits > 0, requestedBanks > 0 else {
            throw CostModelError("an SRAM needs a positive capacity, width and bank count")
        }
        var notes: [String] = []
        var width = Double(widthBits), capacity = Double(capacityBytes) / Double(requestedBanks), copies = 1.0
        var banks = Double(requestedBanks)
        if widthBits > Self.widthRange.upperBound {
            copies = width / Double(Self.widthRange.upperBound)
            capacity /= copies
            width = Double(Self.widthRange.upperBound)
            notes.append("\(widthBits)-bit port priced as \(copies.formatted(significantDigits: 3)) 256-bit sub-arrays")
        } else if widthBits < Self.widthRange.lowerBound {
            width = Double(Self.widthRange.lowerBound)
            notes.append("\(widthBits)-bit port priced as a 64-bit access")
        }
        if capacity > Double(Self.capacityRange.upperBound) {
            banks *= capacity / Double(Self.capacityRange.upperBound)
            capacity = Double(Self.capacityRange.upperBound)
            notes.append("split into \(banks.formatted(significantDigits: 3)) banks of 8 MiB")
        } else if capacity < Double(Self.capacityRange.lowerBound) {
            notes.append("\(Int(capacity)) B bank priced as 8 KiB")
            capacity = Double(Self.capacityRange.lowerBound)
        }
        let fe = try scaling.energyFactor(from: reference, to: t)
        let fa = try scaling.areaFactor(from: reference.node_nm, to: t.node_nm)
        return Cost(readPJ: copies * evaluate(.readEnergy, capacity, width) * fe,
                    writePJ: copies * evaluate(.writeEnergy, capacity, width) * fe,
                    areaUM2: copies * banks * evaluate(.area, capacity, width) * 1e6 * fa,
                    leakageMW: copies * banks * evaluate(.leakage, capacity, width) * fe,
                    note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }
}
