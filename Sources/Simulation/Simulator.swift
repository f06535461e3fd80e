import ArchitectureSpec
import DSPChainEngine
import EngineKit
import Workloads
import CostModel

/// The entry point of `simulate run`: loads the document and dispatches on its kind to the
/// engine binding (`dispatch` holds the one exhaustive switch over kinds, style.md lesson 12);
/// every kind then runs through the same stages.
public enum Simulator {
    /// One GEMM.
    public static func run(_ r: RunRequest, progress: (String) -> Void = { _ in }) throws(RunError) -> RunResult {
        struct Single: BindingVisitor {
            let request: RunRequest
            let progress: (String) -> Void
            func visit<B: EngineBinding>(_ binding: B) throws(RunError) -> RunResult {
                try RunPipeline.run(binding, request, progress: progress)
            }
        }
        return try withoutActuallyEscaping(progress) { (p) throws(RunError) in
            try dispatch(r.architecturePath, Single(request: r, progress: p))
        }
    }

    /// A workload: every layer timed and priced, a seeded sample of layers simulated bit-exactly.
    public static func run(_ w: WorkloadRequest, progress: (String) -> Void = { _ in }) throws(RunError) -> WorkloadResult {
        struct Whole: BindingVisitor {
            let request: WorkloadRequest
            let progress: (String) -> Void
            func visit<B: EngineBinding>(_ binding: B) throws(RunError) -> WorkloadResult {
                try WorkloadRun.run(binding, request, progress: progress)
            }
        }
        return try withoutActuallyEscaping(progress) { (p) throws(RunError) in
            try dispatch(w.base.architecturePath, Whole(request: w, progress: p))
        }
    }

    /// A design's priced inventory (`simulate costs show`).
    public static func inventory(_ path: String, anchor: String?) throws(RunError) -> CostInventory {
        // A GPU document with numerics only (no SM or memory sections) has no engine to bind, but
        // its tensor-core datapaths still have a price.
        if case .tensorCoreGPU(let gpu)? = try? ArchitectureLoader.load(path: path).body, gpu.sm == nil || gpu.memory == nil {
            return try TensorCoreInventory.load(path: path, anchor: anchor)
        }
        struct Inventory: BindingVisitor {
            let anchor: String?
            func visit<B: EngineBinding>(_ binding: B) throws(RunError) -> CostInventory { try binding.designInventory(anchor: anchor) }
        }
        return try dispatch(path, Inventory(anchor: anchor))
    }

    /// Loads and validates a document: the schema's rules and the engine's executability
    /// (`Executability`), every problem with its JSON path (`simulate validate`).
    public static func validate(_ path: String) throws(SpecValidationError) -> ArchitectureDocument {
        try executable(ArchitectureLoader.load(path: path), file: path)
    }

    /// As `validate(_:)` for a document's text.
    public static func validate(text: String, file: String) throws(SpecValidationError) -> ArchitectureDocument {
        try executable(ArchitectureLoader.decode(text, file: file), file: file)
    }

    static func executable(_ document: ArchitectureDocument, file: String) throws(SpecValidationError) -> ArchitectureDocument {
        let problems = Executability.diagnostics(document)
        guard problems.isEmpty else { throw SpecValidationError(file: file, diagnostics: problems) }
        return document
    }

    /// What `simulate validate` adds about a valid document: for packed INT8 FPGA chains, the
    /// longest chain whose lanes cannot overflow, for full-range and narrow operands.
    public static func validationNotes(_ document: ArchitectureDocument) -> [String] {
        guard case .fpgaDSP(let spec) = document.body, spec.datapath.mode == .int8Packed2 else { return [] }
        let engine = DSPChainEngine(name: document.name, spec: spec)
        var notes: [String] = []
        for (format, range) in [("int8", "full-range INT8 [-128, 127]"), ("symint8", "INT8 in [-127, 127]"), ("uint8", "UINT8 activations")] {
            let request = GEMMRequest(shape: GEMMShape(m: 2, n: 1, k: spec.datapath.chainLength), aFormat: format,
                                      bFormat: format == "uint8" ? "int8" : format, quantization: QuantizationChoice.none)
            guard let plan = try? engine.plan(request), let safe = DSPChainEngine.safeChainLength(plan) else { continue }
            let verdict = spec.datapath.chainLength <= safe ? "safe" : "can overflow"
            notes.append("\(range): at most \(safe) products fit the 18-bit lower lane; chain_length \(spec.datapath.chainLength): \(verdict)")
        }
        return notes
    }

    /// Builds the binding of the document's kind and hands it to `visitor`.
    static func dispatch<V: BindingVisitor>(_ path: String, _ visitor: V) throws(RunError) -> V.Result {
        let document: ArchitectureDocument
        do { document = try validate(path) } catch { throw RunError(error.description) }
        switch document.body {
        case .tensorCoreGPU(let gpu):
            return try visitor.visit(TensorCoreBinding(document: document, gpu: gpu, file: path))
        case .lutTensorCore(let spec):
            return try visitor.visit(LUTBinding(document: document, spec: spec, file: path))
        case .peArray(let spec):
            return try visitor.visit(PEArrayBinding(document: document, spec: spec, file: path))
        case .fpgaDSP(let spec):
            return try visitor.visit(FPGABinding(document: document, spec: spec, file: path))
        }
    }
}

/// Something done with an engine binding, whatever its kind.
protocol BindingVisitor {
    associatedtype Result
    func visit<B: EngineBinding>(_ binding: B) throws(RunError) -> Result
}
