/// Which family of hardware an architecture document describes. The one exhaustive switch over
/// kinds lives in the simulation layer (style.md lesson 12); here each kind names its schema.
public enum ArchitectureKind: String, SpecEnum, Sendable {
    /// A GPU with tensor cores (NVIDIA, AMD matrix cores): `TensorCoreGPUSpec`.
    case tensorCoreGPU = "tensor_core_gpu"
    /// LUT Tensor Core units (lut-tensor-core.md): `LUTTensorCoreSpec`.
    case lutTensorCore = "lut_tensor_core"
    /// A systolic array of processing elements (bitmod.md): `PEArraySpec`.
    case peArray = "pe_array"
    /// DSP-chain GEMM engines on an FPGA (fpga-dsp.md): `FPGADSPSpec`.
    case fpgaDSP = "fpga_dsp"

    /// The kind-specific fields, listed after the common envelope fields.
    public var bodySchema: ObjectSchema {
        switch self {
        case .tensorCoreGPU: return TensorCoreGPUSpec.schema
        case .lutTensorCore: return LUTTensorCoreSpec.schema
        case .peArray: return PEArraySpec.schema
        case .fpgaDSP: return FPGADSPSpec.schema
        }
    }

    public var summary: String {
        switch self {
        case .tensorCoreGPU: return "GPU with tensor cores: chip, SM, memory hierarchy and MMA instructions with their numerics profiles"
        case .lutTensorCore: return "LUT Tensor Core: table-lookup units for low-bit weights, their tables, precompute and memories"
        case .peArray: return "PE array: a systolic array of bit-serial or bit-parallel processing elements, its buffers and DRAM"
        case .fpgaDSP: return "FPGA DSP chains: packed INT8/INT4, DSP58 and tensor-block dot products, minifloat MACs; device resources and power"
        }
    }
}
