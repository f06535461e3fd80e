import ArchitectureSpec
import EngineKit
import Formats
import LUTEngine
import DSPChainEngine
import PEArrayEngine
import TensorCoreEngine
import Workloads

/// The checks that make `simulate validate` accept exactly what `run` and `mma` execute
/// (docs/architecture.md, "Validation"): beyond the schema's rules, every format an instruction
/// or unit lists must build the engine's datapath, and a GPU document with SM and memory
/// sections must have a threadblock tiling for each instruction at each of its input widths.
enum Executability {
    /// Element formats of the block-scaled formats (OCP MX v1.0, NVFP4).
    static let blockScaledElements = ["e5m2", "e4m3", "e3m2", "e2m3", "e2m1"]

    static func diagnostics(_ document: ArchitectureDocument) -> [SpecDiagnostic] {
        switch document.body {
        case .tensorCoreGPU(let gpu): return tensorCore(gpu, name: document.name)
        case .lutTensorCore(let spec): return lut(spec, name: document.name)
        case .peArray(let spec): return peArray(spec, name: document.name)
        case .fpgaDSP(let spec): return fpga(spec, name: document.name)
        }
    }

    static func tensorCore(_ gpu: TensorCoreGPUSpec, name: String) -> [SpecDiagnostic] {
        var out: [SpecDiagnostic] = []
        let machine = GPUMachine(name: name, gpu: gpu)
        for (i, instruction) in gpu.mmaInstructions.enumerated() {
            let path = "mma_instructions[\(i)]"
            guard gpu.numericsProfiles.contains(where: { $0.name == instruction.numerics }) else { continue }
            let profile = gpu.profile(for: instruction)
            for input in instruction.inputFormats {
                // A block-scaled MMA runs the OCP MX / NVFP4 element formats only: `run` names
                // them mxfp8e4m3, mxfp8e5m2, mxfp6e3m2, mxfp6e2m3, mxfp4 and nvfp4.
                if instruction.scaleFormat != nil, !Self.blockScaledElements.contains(input) {
                    out.append(SpecDiagnostic(path: path + ".input_formats", location: nil,
                                              message: "\(instruction.name) scales its operands by \(instruction.scaleFormat!), but \(input) is not a block-scaled element format",
                                              fix: "list element formats of MX or NVFP4 blocks: \(Self.blockScaledElements.joined(separator: ", "))"))
                    continue
                }
                for accumulator in instruction.accumulatorFormats {
                    do {
                        _ = try MMAUnit(instruction: instruction, profile: profile, aFormat: input, bFormat: input, accumulatorFormat: accumulator)
                    } catch {
                        out.append(SpecDiagnostic(path: path + ".input_formats", location: nil,
                                                  message: "\(instruction.name) with \(input) -> \(accumulator): \(error)",
                                                  fix: "list only formats this instruction's numerics profile can run"))
                    }
                }
                if let machine, let bits = FormatCatalog.parse(input)?.elementFormat?.bitWidth {
                    let bytes = Double(bits) / 8
                    let traffic = GEMMTraffic(m: 1024, n: 1024, k: 1024, aBytes: bytes, bBytes: bytes, cBytes: 4, dBytes: 4, readsC: false)
                    if GPUCycleModel(machine: machine, instruction: instruction).candidateTilings(traffic).isEmpty {
                        out.append(SpecDiagnostic(
                            path: path, location: nil,
                            message: "no threadblock tiling fits \(instruction.name) (m\(instruction.shapeM)n\(instruction.shapeN)k\(instruction.shapeK)) with \(input) operands in \(gpu.sm!.sharedMemoryKiB) KiB of shared memory",
                            fix: "use an instruction shape that divides a 64-256 x 32-256 tile, or more sm.shared_memory_kib"))
                    }
                }
            }
        }
        return out
    }

    static func lut(_ spec: LUTTensorCoreSpec, name: String) -> [SpecDiagnostic] {
        let engine = LUTTensorCoreEngine(name: name, spec: spec)
        let u = spec.unit
        let request = GEMMRequest(shape: GEMMShape(m: u.tileM, n: u.tileN, k: u.tileK), aFormat: u.tableFormat.isInteger ? "int8" : "fp16",
                                  bFormat: "uint\(u.maxWeightBits)", quantization: .perChannel)
        return runs(engine, request, path: "unit", what: "the unit cannot run \(request.aFormat) x \(request.bFormat)")
    }

    /// A PE array must plan and time its PE type's native GEMM (docs/pe-array.md).
    static func peArray(_ spec: PEArraySpec, name: String) -> [SpecDiagnostic] {
        let engine = PEArrayEngine(name: name, spec: spec)
        let (a, b): (String, String)
        switch spec.pe.type {
        case .bitmod, .fp16Int: (a, b) = ("fp16", "int8")
        case .fp16MAC, .lmul: (a, b) = ("fp16", "fp16")
        case .intMAC: (a, b) = ("int8", "int8")
        }
        let request = GEMMRequest(shape: GEMMShape(m: spec.array.rows, n: spec.array.columns, k: spec.pe.groupSize), aFormat: a, bFormat: b,
                                  quantization: nil)
        return runs(engine, request, path: "pe", what: "the array cannot run \(a) x \(b)")
    }

    /// An FPGA design must map its native GEMM onto the device (chains, fabric, RAM).
    static func fpga(_ spec: FPGADSPSpec, name: String) -> [SpecDiagnostic] {
        let engine = DSPChainEngine(name: name, spec: spec)
        let request = FPGAExecutability.nativeRequest(spec)
        return runs(engine, request, path: "datapath", what: "the design cannot run \(request.aFormat) x \(request.bFormat) on \(spec.device.part)")
    }

    /// No diagnostic when the engine plans and times `request` (a document's native GEMM),
    /// else one at `path` saying `what` and why.
    static func runs<E: GEMMEngine>(_ engine: E, _ request: GEMMRequest, path: String, what: String) -> [SpecDiagnostic] {
        do {
            _ = try engine.timing(try engine.plan(request), shape: request.shape)
            return []
        } catch {
            return [SpecDiagnostic(path: path, location: nil, message: "\(what): \(error)")]
        }
    }
}
