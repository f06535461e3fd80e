import ArchitectureSpec
import EngineKit

/// A systolic array of processing elements as a `GEMMEngine` (bitmod.md; docs/pe-array.md):
/// BitMoD's bit-serial PE, FP16 MAC, FP16 x integer (ANT/OliVe-style), INT MAC and L-Mul PEs,
/// each bit-exact, in an output-stationary array (or SCALE-Sim's dataflows for INT MAC arrays)
/// with buffers and DRAM.
public struct PEArrayEngine: GEMMEngine {
    public static let family = "pe_array"
    public static let title = "PE array"

    public let name: String
    public let spec: PEArraySpec

    public init(name: String, spec: PEArraySpec) {
        self.name = name
        self.spec = spec
    }

    public var hardware: HardwareSummary {
        let a = spec.array
        return HardwareSummary(name: name, kind: ArchitectureKind.peArray.rawValue, clockMHz: a.clockMHz,
                               units: "\(a.rows) x \(a.columns) \(spec.pe.type.rawValue) PEs (\(a.tileRows) x \(a.tileColumns) tiles of \(a.peRows) x \(a.peColumns))")
    }

    /// PEs in the array.
    public var peCount: Int { spec.array.rows * spec.array.columns }
}
