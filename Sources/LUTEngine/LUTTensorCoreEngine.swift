import ArchitectureSpec
import EngineKit
import Formats

/// The LUT Tensor Core as a `GEMMEngine` (lut-tensor-core.md; docs/lut-tensor-core.md): tables
/// of signed activation sums per row and K-group, bit-serial weight planes looked up LSB first
/// into the configured accumulator, scales and the {0,1} -> {-1,+1} correction in a binary32
/// epilogue; the cycle model of LMMA tiles, table precompute and memories.
public struct LUTTensorCoreEngine: GEMMEngine {
    public static let family = "lut_tensor_core"
    public static let title = "LUT tensor core"

    public let name: String
    public let spec: LUTTensorCoreSpec

    public init(name: String, spec: LUTTensorCoreSpec) {
        self.name = name
        self.spec = spec
    }

    public var hardware: HardwareSummary {
        let a = spec.array
        let units = a.smCount.map { "\($0) SMs x \(a.unitsPerSM ?? 1) LUT units" } ?? "\(a.totalUnits) LUT unit\(a.totalUnits == 1 ? "" : "s")"
        let u = spec.unit
        return HardwareSummary(name: name, kind: ArchitectureKind.lutTensorCore.rawValue, clockMHz: a.clockMHz,
                               units: units + " (M\(u.tileM) N\(u.tileN) K\(u.tileK))")
    }
}
