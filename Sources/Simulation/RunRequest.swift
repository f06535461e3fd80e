import EngineKit
import Formats
import Workloads

/// Everything `simulate run` needs, parsed and validated.
public struct RunRequest: Sendable {
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

    /// How much of the GEMM runs through the bit-exact datapath.
    public enum NumericsMode: String, Sendable, CaseIterable {
        /// The whole GEMM when it fits the budgets, else a seeded grid of outputs.
        case auto
        /// The whole GEMM; refused when it exceeds the budgets.
        case full
        /// A seeded grid of `sampleRows` x `sampleColumns` outputs.
        case sampled
        /// No bit-exact numerics: cycles, actions and cost only.
        case off
    }

    public var architecturePath: String
    public var shape: GEMMShape
    public var aFormat: String
    public var bFormat: String
    /// Output (accumulator) format; nil: the engine's default.
    public var dFormat: String?
    /// A named variant of the engine's unit (`--instruction`).
    public var instruction: String?
    public var quantization: QuantizationChoice?
    public var dataA: DataSource
    public var dataB: DataSource
    public var seed: UInt64
    public var numerics: NumericsMode
    /// Memory the bit-exact datapath may use for the full GEMM, bytes.
    public var exactMemoryBudget: Double
    /// Multiply-accumulates the bit-exact datapath may spend on the full GEMM.
    public var exactMACBudget: Double
    /// Outputs recomputed with the MPFR reference.
    public var recheckCount: Int
    /// Outputs over which accuracy is measured when more are simulated (a seeded sample).
    public var accuracyOutputs: Int
    /// Rows and columns of the output grid simulated when the GEMM exceeds the budgets.
    public var sampleRows: Int
    public var sampleColumns: Int
    public var threads: Int
    /// Cost-model table anchoring absolute energies (nil: auto).
    public var energyAnchor: String?
    /// Operand roles (whole-model runs set them per layer).
    public var roleA: OperandRole = .activation
    public var roleB: OperandRole = .weight
    /// The format D is written in (`--out-format`): the epilogue rounds the accumulator's
    /// value into it; nil: D is the accumulator.
    public var outFormat: String?

    public init(architecturePath: String, shape: GEMMShape, aFormat: String, bFormat: String, dFormat: String?,
                instruction: String?, quantization: QuantizationChoice?, dataA: DataSource, dataB: DataSource, seed: UInt64,
                numerics: NumericsMode = .auto, exactMemoryBudget: Double = 4 * 1024 * 1024 * 1024, exactMACBudget: Double = 4e9,
                recheckCount: Int = 256, accuracyOutputs: Int = 65536, sampleRows: Int = 256, sampleColumns: Int = 256,
                threads: Int = 2, energyAnchor: String? = nil) {
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
        self.numerics = numerics
        self.exactMemoryBudget = exactMemoryBudget
        self.exactMACBudget = exactMACBudget
        self.recheckCount = recheckCount
        self.accuracyOutputs = accuracyOutputs
        self.sampleRows = sampleRows
        self.sampleColumns = sampleColumns
        self.threads = threads
        self.energyAnchor = energyAnchor
    }

    /// What the engine is asked to plan.
    var gemmRequest: GEMMRequest {
        var g = GEMMRequest(shape: shape, aFormat: aFormat, bFormat: bFormat, dFormat: dFormat, quantization: quantization,
                            variant: instruction, roleA: roleA, roleB: roleB)
        g.outFormat = outFormat
        return g
    }
}

/// A run that cannot proceed: the message names what to change (exit 2 in the CLI).
public struct RunError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
