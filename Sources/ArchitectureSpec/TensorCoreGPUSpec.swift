/// The body of a `tensor_core_gpu` document: the chip and its streaming multiprocessors.
/// Later sections (memory hierarchy, MMA instructions, numerics profiles) extend it.
public struct TensorCoreGPUSpec: SpecObject, Sendable {
    public let vendor: String
    public let microarchitecture: String
    public let computeCapability: String
    public let chip: ChipSpec

    static let vendorField = Field<String>.required("vendor", "Vendor, e.g. \"NVIDIA\".")
    static let microarchitectureField = Field<String>.required(
        "microarchitecture", "Microarchitecture name as the vendor writes it (\"Volta\", \"Hopper\", ...).")
    static let computeCapabilityField = Field<String>.required(
        "compute_capability", "PTX target of the chip, e.g. \"sm_90\".")
    static let chipField = Field<ChipSpec>.required("chip", "Chip-level resources.")

    public static var schema: ObjectSchema {
        ObjectSchema(name: "tensor_core_gpu", doc: "A GPU with tensor cores.", fields: [
            vendorField.erased, microarchitectureField.erased, computeCapabilityField.erased, chipField.erased,
        ])
    }

    public init(from reader: ObjectReader) {
        vendor = reader[Self.vendorField]
        microarchitecture = reader[Self.microarchitectureField]
        computeCapability = reader[Self.computeCapabilityField]
        chip = reader[Self.chipField]
    }
}

/// Chip-level resources of a GPU.
public struct ChipSpec: SpecObject, Sendable {
    public let smCount: Int
    public let clockMHz: Double

    static let smCountField = Field<Int>.required("sm_count", "Streaming multiprocessors enabled on the product.",
                                                  rule: .inRange(1...1024))
    static let clockField = Field<Double>.required("clock_mhz", unit: .megahertz,
                                                   "Tensor-core clock used for peak rates (vendor boost clock).",
                                                   rule: .positive)

    public static var schema: ObjectSchema {
        ObjectSchema(name: "chip", doc: "Chip-level resources.", fields: [smCountField.erased, clockField.erased])
    }

    public init(from reader: ObjectReader) {
        smCount = reader[Self.smCountField]
        clockMHz = reader[Self.clockField]
    }
}
