/// DRAM reads of a GEMM's two operands behind on-chip buffers (BitMoD's simulator's rule,
/// bitmod.md §8.3, used by the LUT, PE-array and FPGA engines): each operand is read once when
/// either fits its buffer; otherwise the cheaper of re-reading all weights once per buffer-full
/// of activations, or all activations once per buffer-full of weights.
public enum OperandRefetch {
    /// Bytes read from DRAM and which operand is refetched (a report line).
    public static func dramReads(weightBytes: Double, activationBytes: Double, weightBuffer: Double, activationBuffer: Double,
                                 bufferName: String = "buffer") -> (bytes: Double, refetch: String) {
        guard weightBytes > weightBuffer && activationBytes > activationBuffer else {
            return (weightBytes + activationBytes, "none: an operand fits its \(bufferName)")
        }
        let byWeights = weightBytes * (activationBytes / activationBuffer).rounded(.up) + activationBytes
        let byActivations = activationBytes * (weightBytes / weightBuffer).rounded(.up) + weightBytes
        return byWeights <= byActivations
            ? (byWeights, "weights, once per \(bufferName) of activations")
            : (byActivations, "activations, once per \(bufferName) of weights")
    }
}
