import ArchitectureSpec
import EngineKit
import Formats
import Workloads

/// The tensor-core GPU as a `GEMMEngine`: MMA instructions with their numerics profiles
/// (`MMAUnit`), the epilogue that applies scales outside the MMA, and the GPU cycle model.
public struct TensorCoreGPUEngine: GEMMEngine {
    public static let family = "tensor_core"
    public static let title = "Tensor core"

    public let name: String
    public let gpu: TensorCoreGPUSpec
    public let machine: GPUMachine

    /// A GPU document with `sm` and `memory` sections (documents with numerics only serve
    /// `simulate mma`, not runs).
    public init(name: String, gpu: TensorCoreGPUSpec) throws(EngineRefusal) {
        guard let machine = GPUMachine(name: name, gpu: gpu) else {
            let missing = [gpu.sm == nil ? "\"sm\"" : nil, gpu.memory == nil ? "\"memory\"" : nil].compactMap { $0 }
            throw EngineRefusal("the document carries numerics only (no \(missing.joined(separator: " or ")) section); "
                                + "simulate run needs both \"sm\" and \"memory\": see `simulate describe tensor_core_gpu`")
        }
        self.name = name
        self.gpu = gpu
        self.machine = machine
    }

    public var hardware: HardwareSummary {
        HardwareSummary(name: name, kind: ArchitectureKind.tensorCoreGPU.rawValue, clockMHz: gpu.chip.clockMHz,
                        units: "\(gpu.chip.smCount) SMs")
    }
}

/// The tensor core's plan: the operand quantisation, the chosen instruction variant and the
/// MMA unit that runs its numerics.
public struct TensorCorePlan: EnginePlan {
    public let a: OperandPlan
    public let b: OperandPlan
    public let instruction: MMAInstructionSpec
    public let unit: MMAUnit
    /// Why this instruction (the fastest dense path, or chosen by name).
    public let instructionWhy: String
    /// The format D is written in when it is not the accumulator (`--out-format`).
    public let outFormat: (name: String, format: MiniFloatFormat)?

    public var numerics: NumericsDescription {
        let p = unit.profile
        let summary: String
        switch p.algorithm {
        case .blockFMA:
            summary = "block FMA, n = \(p.blockWidth), F = \(p.keptFractionBits)" + (p.fp32OutputSignificandBits < 24 ? ", e8m13 accumulator" : "")
        case .fp8ViaF16Steps: summary = "FP8 via two FP16 HMMA steps (n = 16, F = 25) and a late RNE add of C"
        case .blockScaled:
            summary = "block-scaled, F = \(p.keptFractionBits)" + (p.scaleGroupSize > 0 ? ", exact 16-element group sums" : ", scales in the product exponents")
        case .integer: summary = "exact integer, \(p.accumulatorBits)-bit accumulator, \(p.integerOverflow.rawValue)"
        case .amdCDNA3: summary = "AMD CDNA3: truncation at F = \(p.keptFractionBits), floored partial sums, RNE"
        }
        let accumulator = TensorCoreGPUEngine.elementName(unit.accumulatorFormat) ?? "\(unit.accumulatorFormat)"
        return NumericsDescription(profile: p.name, summary: summary + (outFormat.map { ", D rounded to \($0.name) (RNE) in the epilogue" } ?? ""),
                                   source: p.source, outputFormat: outFormat?.name ?? accumulator)
    }

    public var brief: String { "\(instruction.name) m\(instruction.shapeM)n\(instruction.shapeN)k\(instruction.shapeK)" }

    public var details: [ReportEntry] {
        [ReportEntry("instruction", .object([
            ReportEntry("name", .text(instruction.name)),
            ReportEntry("ptx", .text(instruction.ptx)),
            ReportEntry("shape", .text("m\(instruction.shapeM)n\(instruction.shapeN)k\(instruction.shapeK)")),
            ReportEntry("fma_per_sm_per_cycle", .number(instruction.fmaPerSMPerCycle)),
            ReportEntry("latency_cycles", .int(instruction.latencyCycles)),
            ReportEntry("why", .text(instructionWhy)),
        ]))]
    }
}
