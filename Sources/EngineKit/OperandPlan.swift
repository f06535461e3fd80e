import Formats

/// How an engine quantises one operand (A or B), line by line: rows of A and columns of B,
/// each K long. Built by the engine from the user's request; carried out by
/// `QuantizedOperand.prepare`, the same code for every engine.
public struct OperandPlan: Sendable {
    /// The format as named (block-scaled formats keep their block structure here).
    public let format: NumberFormat
    /// The element format of the codes the datapath receives.
    public let element: ScalarFormat
    /// The quantiser (`nil`: direct rounding to nearest even with IEEE overflow, no scale).
    public let scheme: QuantizationScheme?
    /// Codes are stored shifted left by this many bits in the datapath's input container
    /// (TF32 in FP32 containers: 13).
    public let containerShift: Int
    /// Groups along K whose scales the engine applies outside the datapath (`nil`: one scale
    /// per line, or none).
    public let groupSize: Int?
    /// Whether quantising needs the amax of the whole operand (per-tensor scales, NVFP4's
    /// tensor scale), which is then generated or read in full.
    public let needsTensorAmax: Bool
    /// How the operand is quantised, in words (reports).
    public let description: String

    public init(format: NumberFormat, element: ScalarFormat, scheme: QuantizationScheme?, containerShift: Int = 0,
                groupSize: Int?, needsTensorAmax: Bool, description: String) {
        self.format = format
        self.element = element
        self.scheme = scheme
        self.containerShift = containerShift
        self.groupSize = groupSize
        self.needsTensorAmax = needsTensorAmax
        self.description = description
    }

    /// Block-scaled element format, if any.
    public var blockScaled: BlockScaledFormat? {
        if case .blockScaled(let b) = format { return b }
        return nil
    }
}
