import Formats
import Workloads

/// Everything `simulate run` needs, parsed and validated.
public struct RunRequest: Sendable {
    public enum Quantization: Sendable, Hashable, CustomStringConvertible {
        /// Direct rounding to the format (FP16/BF16/TF32/FP32 inputs by default).
        case none
        case perTensor
        /// One scale per row of A and per column of B (per output channel).
        case perChannel
        /// Groups of G elements along K.
        case group(Int)

        public init?(parsing text: String) {
            switch text {
            case "none": self = .none
            case "per-tensor": self = .perTensor
            case "per-channel": self = .perChannel
            default:
                guard text.hasPrefix("group:"), let g = Int(text.dropFirst(6)), g > 0 else { return nil }
                self = .group(g)
            }
        }

        public var description: String {
            switch self {
            case .none: return "none"
            case .perTensor: return "per-tensor"
            case .perChannel: return "per-channel"
            case .group(let g): return "group:\(g)"
            }
        }
    }

    /// Where a matrix comes from.
    public enum DataSource: Sendable, CustomStringConvertible {
        case synthetic(MatrixDistribution)
        case file(MatrixFile)

        public var description: String {
            switch self {
            case .synthetic(let d): return d.description
            case .file(let f): return f.source
            }
        }
    }

    public var architecturePath: String
    public var shape: GEMMShape
    public var aFormat: String
    public var bFormat: String
    public var dFormat: String
    public var instruction: String?
    public var quantization: Quantization?
    public var dataA: DataSource
    public var dataB: DataSource
    public var seed: UInt64
    /// Memory the bit-exact datapath may use for the full GEMM, bytes.
    public var exactMemoryBudget: Double
    /// Multiply-accumulates the bit-exact datapath may spend on the full GEMM.
    public var exactMACBudget: Double
    /// Outputs recomputed with the MPFR reference.
    public var recheckCount: Int
    /// Outputs over which accuracy is measured when the GEMM is larger (a seeded sample).
    public var accuracyOutputs: Int
    /// Rows and columns of the output grid simulated when the GEMM exceeds the budgets.
    public var sampleRows: Int
    public var sampleColumns: Int
    public var threads: Int
    /// Cost-model table anchoring absolute energies (nil: the default, Horowitz 45 nm).
    public var energyAnchor: String?

    public init(architecturePath: String, shape: GEMMShape, aFormat: String, bFormat: String, dFormat: String,
                instruction: String?, quantization: Quantization?, dataA: DataSource, dataB: DataSource, seed: UInt64,
                exactMemoryBudget: Double = 4 * 1024 * 1024 * 1024, exactMACBudget: Double = 4e9, recheckCount: Int = 256,
                accuracyOutputs: Int = 65536, sampleRows: Int = 256, sampleColumns: Int = 256, threads: Int = 2,
                energyAnchor: String? = nil) {
        self.energyAnchor = energyAnchor
        self.architecturePath = architecturePath
        self.shape = shape
        self.aFormat = aFormat
        self.bFormat = bFormat
        self.dFormat = dFormat
        self.instruction = instruction
        self.quantization = quantization
        self.dataA = dataA
        self.dataB = dataB
        self.seed = seed
        self.exactMemoryBudget = exactMemoryBudget
        self.exactMACBudget = exactMACBudget
        self.recheckCount = recheckCount
        self.accuracyOutputs = accuracyOutputs
        self.sampleRows = sampleRows
        self.sampleColumns = sampleColumns
        self.threads = threads
    }
}

/// A run that cannot proceed: the message names what to change (exit 2 in the CLI).
public struct RunError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
