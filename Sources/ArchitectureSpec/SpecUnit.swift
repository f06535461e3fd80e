/// Units of architecture-document fields. A field with a unit must end in `_<suffix>`
/// (`clock_mhz`, `bandwidth_gb_s`, `capacity_kib`): DESIGN.md "Architecture documents".
public enum SpecUnit: String, Sendable, CaseIterable {
    case megahertz = "mhz"
    case gigabytesPerSecond = "gb_s"
    case bytes = "bytes"
    case kibibytes = "kib"
    case mebibytes = "mib"
    case gibibytes = "gib"
    case bits = "bits"
    case cycles = "cycles"
    case bytesPerCycle = "bytes_per_cycle"
    case perCycle = "per_cycle"
    case nanometers = "nm"
    case squareMillimeters = "mm2"
    case picojoules = "pj"
    case picojoulesPerBit = "pj_per_bit"
    case watts = "w"
    case volts = "v"
    case microseconds = "us"

    /// The unit's symbol in `describe` output.
    public var symbol: String {
        switch self {
        case .megahertz: return "MHz"
        case .gigabytesPerSecond: return "GB/s (10^9 B/s)"
        case .bytes: return "B"
        case .kibibytes: return "KiB"
        case .mebibytes: return "MiB"
        case .gibibytes: return "GiB"
        case .bits: return "bit"
        case .cycles: return "cycles"
        case .bytesPerCycle: return "B/cycle"
        case .perCycle: return "1/cycle"
        case .nanometers: return "nm"
        case .squareMillimeters: return "mm^2"
        case .picojoules: return "pJ"
        case .picojoulesPerBit: return "pJ/bit"
        case .watts: return "W"
        case .volts: return "V"
        case .microseconds: return "µs"
        }
    }
}
