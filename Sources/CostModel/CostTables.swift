import Foundation

/// One published or tool-generated number with its provenance (cost-models.md §4.3: keep
/// every entry in (node, Vdd, width) form with its source). `node_nm`, `vdd_v` and
/// `clock_mhz` are null where the source does not apply or does not say (the entry's note says
/// which); `source` is never empty (a test holds every table to that).
public struct CostEntry: Codable, Sendable, Hashable {
    /// What a number measures.
    public enum Quantity: String, Codable, Sendable {
        case energy, area, leakage
        case readEnergy = "read_energy"
        case writeEnergy = "write_energy"
        case energyPerBit = "energy_per_bit"
        case energyPerMAC = "energy_per_mac"
        case areaPerSM = "area_per_sm"
        case energyPerBitMM = "energy_per_bit_mm"
    }

    /// How the cost model uses an entry.
    public enum Use: String, Codable, Sendable {
        /// Fitted: the estimators are calibrated against it and held within tolerance.
        case calibration
        /// Shown next to the estimate in the calibration table, not fitted (the note says why).
        case heldOut = "held_out"
        /// A data point used to validate a model (SRAM sizes, other nodes).
        case reference
        /// Priced directly (DRAM energy per bit).
        case pricing
        /// Leakage density data.
        case leakage
        /// A published estimate the presets are compared with in docs/cost-model.md.
        case comparison
    }

    public let id: String
    public let component: String
    public let quantity: Quantity
    public let value: Double
    public let unit: String
    public let node_nm: Double?
    public let vdd_v: Double?
    public let clock_mhz: Double?
    public let structure: StructureSpec
    public let use: Use
    public let note: String?
    public let source: String
}

/// A table file: `Tables/<name>.json`.
public struct CostTable: Codable, Sendable {
    public let table: String
    public let title: String
    public let entries: [CostEntry]
}

/// Errors of the cost model: missing resources, unsupported technology, unknown components.
public struct CostModelError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// All tables shipped with the package, loaded once.
public struct CostTables: Sendable {
    public static let tableNames = ["horowitz-45nm", "aladdin-40nm", "jouppi-7nm", "bitmod-28nm", "dram", "sram-cacti7",
                                    "published-estimates", "interconnect"]

    public let tables: [CostTable]
    public let scaling: ScalingTable

    public var entries: [CostEntry] { tables.flatMap(\.entries) }

    /// Raw bytes of a shipped table (tests check every entry's fields in the raw JSON).
    public static func resourceData(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw CostModelError("cost table \(name).json is missing from the CostModel resource bundle (rebuild the package)")
        }
        return try Data(contentsOf: url)
    }

    static func load() throws -> CostTables {
        let decoder = JSONDecoder()
        var tables: [CostTable] = []
        for name in tableNames {
            do {
                tables.append(try decoder.decode(CostTable.self, from: try resourceData(name)))
            } catch let e as CostModelError {
                throw e
            } catch {
                throw CostModelError("cost table \(name).json does not decode: \(error)")
            }
        }
        let scaling: ScalingTable
        do {
            scaling = try decoder.decode(ScalingTable.self, from: try resourceData("technology-scaling"))
        } catch let e as CostModelError {
            throw e
        } catch {
            throw CostModelError("cost table technology-scaling.json does not decode: \(error)")
        }
        return CostTables(tables: tables, scaling: scaling)
    }

    private static let loaded: Result<CostTables, CostModelError> = {
        do { return .success(try load()) } catch let e as CostModelError { return .failure(e) } catch {
            return .failure(CostModelError("\(error)"))
        }
    }()

    /// The shipped tables (decoded once per process).
    public static func standard() throws -> CostTables { try loaded.get() }
}
