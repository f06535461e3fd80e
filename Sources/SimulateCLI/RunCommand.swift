import ArgumentParser
import CostModel
import EngineKit
import Formats
import Simulation
import Workloads

/// `simulate run`: a GEMM or a whole workload on any architecture document, bit-exact, with
/// cycles, accuracy, a reference re-check, energy and area.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a quantized GEMM or a whole workload on an architecture: cycles, accuracy, reference re-check, energy and area.",
        discussion: """
            One GEMM: --gemm MxNxK. A workload: --model NAME --phase prefill:T|decode:ctx=C [--batch B] (built-in models: \
            \(ModelCatalog.all.map(\.name).joined(separator: ", "))), or --layers FILE (a SCALE-Sim topology CSV, or a JSON list \
            of {name, m, n, k, repeat, a_role, b_role}). \
            Data: gaussian, laplace, student-t:NU, llm-outliers[:FRACTION] (seeded), or a file: A.npy (MxK) or \
            FILE.safetensors:TENSOR (single GEMMs only); --b-data for B (KxN; default: --data's distribution, or gaussian for \
            files). Quantization defaults: none for fp16/bf16/tf32/fp32, per-tensor for 8-bit and narrower formats; \
            MX/NVFP4 formats carry their own block scales. Exit 1 if the re-check finds a mismatch.
            """)

    @Argument(help: "Architecture document (Architectures/*.json).") var architecture: String
    @Option(help: "GEMM shape MxNxK, e.g. 4096x4096x4096.") var gemm: String?
    @Option(help: "Built-in model (with --phase): \(ModelCatalog.all.map(\.name).joined(separator: ", ")).") var model: String?
    @Option(help: "prefill:T (T tokens) or decode:ctx=C (one token against a C-long KV cache).") var phase: String?
    @Option(help: "Sequences per batch (with --model).") var batch: Int = 1
    @Option(help: "A workload file: SCALE-Sim topology CSV (Layer,M,N,K,) or JSON list of layers.") var layers: String?
    @Option(name: .customLong("a-format"), help: "A format (fp16, bf16, tf32, e4m3, e5m2, int8, mxfp4, nvfp4, ...); activations in workloads.") var aFormat: String
    @Option(name: .customLong("b-format"), help: "B format; weights in workloads.") var bFormat: String
    @Option(name: .customLong("kv-format"), help: "KV-cache format of attention GEMMs in workloads (default: the A format).") var kvFormat: String?
    @Option(name: .customLong("c-format"), help: "C format (C is zero; must equal D).") var cFormat: String?
    @Option(name: .customLong("d-format"), help: "D (accumulator) format: fp32 (default), fp16, int32 (integer inputs).") var dFormat: String?
    @Option(name: .customLong("out-format"),
            help: "Format D is written in: fp16 or bf16 rounds the FP32 accumulator in the epilogue (RNE, as cuBLASLt does) and halves D's bytes; default: the accumulator (tensor-core GPUs only).")
    var outFormat: String?
    @Option(help: "MMA instruction name (default: the fastest dense path).") var instruction: String?
    @Option(help: "none | per-tensor | per-channel | group:G") var quantize: String?
    @Option(help: "gaussian | laplace | student-t:NU | llm-outliers[:F] | A.npy | FILE.safetensors:TENSOR") var data = "gaussian"
    @Option(name: .customLong("b-data"), help: "Data for B (same choices).") var bData: String?
    @Option(help: "Seed of every generator.") var seed: UInt64 = 1
    @Option(help: "auto | full | sampled | off: how much runs bit-exactly (auto: all when it fits the budgets).") var numerics = "auto"
    @Option(name: .customLong("numerics-layers"), help: "Workloads: layers run bit-exactly, 'all' or a count (seeded sample).") var numericsLayers = "all"
    @Option(name: .customLong("attention-on"), help: "Workloads: run attention GEMMs (B from the KV cache) on this design (default: the document's attention_architecture, or itself).") var attentionOn: String?
    @Option(name: .customLong("layer-grid"), help: "Workloads: rows and columns of the output grid simulated per layer.") var layerGrid = 32
    @Option(help: "table | json | csv") var output = "table"
    @Option(name: .customLong("output-file"), help: "Write the report here (atomically) instead of stdout.") var outputFile: String?
    @Option(help: "Also write what was simulated (operands, outputs) as .npy files with an index.json into this directory.") var save: String?
    @Option(name: .customLong("exact-memory-gib"), help: "Memory budget of the full bit-exact GEMM.") var exactMemoryGiB: Double = 4
    @Option(name: .customLong("exact-max-macs"), help: "MAC budget of the full bit-exact GEMM.") var exactMaxMACs: Double = 4e9
    @Option(help: "Outputs re-checked with the reference semantics (per simulated layer in workloads: default 32).") var recheck: Int?
    @Option(help: "Worker threads for the bit-exact GEMM.") var threads: Int = 2
    @Option(name: .customLong("ert"), help: "Also write the run's Accelergy energy reference table (YAML) here (single GEMMs).") var ert: String?
    @Option(name: .customLong("art"), help: "Also write the run's Accelergy area reference table (YAML) here (single GEMMs).") var art: String?
    @Option(name: .customLong("energy-anchor"), help: CostReports.energyAnchorHelp) var energyAnchor: String?
    @Option(help: "Also run the GEMM on this design on identical inputs (B dequantised), e.g. a tensor-core preset as the dequantise-then-MMA baseline of a LUT run.") var compare: String?
    @Option(name: .customLong("compare-formats"), help: "A,B formats of the --compare run (default: the A format, fp16).") var compareFormats: String?

    func run() throws {
        let sources = [gemm != nil, model != nil, layers != nil].filter { $0 }.count
        guard sources == 1 else { throw CLIError.usage("give exactly one of --gemm MxNxK, --model NAME --phase P, or --layers FILE") }
        if model != nil, phase == nil { throw CLIError.usage("--model needs --phase prefill:T or decode:ctx=C") }
        if model == nil, phase != nil { throw CLIError.usage("--phase applies to --model only") }
        guard ["table", "json", "csv"].contains(output) else { throw CLIError.usage("--output \(output): use table, json or csv") }
        guard let mode = RunRequest.NumericsMode(rawValue: numerics) else {
            throw CLIError.usage("--numerics \(numerics): use \(RunRequest.NumericsMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let shape: GEMMShape
        if let gemm {
            guard let s = GEMMShape(parsing: gemm) else { throw CLIError.usage("--gemm \"\(gemm)\": expected MxNxK with positive integers of at most 2^40 whose product fits 64 bits, e.g. 1024x1024x1024") }
            shape = s
        } else {
            shape = GEMMShape(m: 1, n: 1, k: 1)  // replaced per layer
        }
        var quantization: QuantizationChoice?
        if let q = quantize {
            guard let parsed = QuantizationChoice(parsing: q) else {
                throw CLIError.usage("--quantize \(q): use none, per-tensor, per-channel or group:G")
            }
            if case .group(let g) = parsed, gemm != nil, g > shape.k {
                throw CLIError.usage("--quantize \(q): a group of \(g) is longer than K = \(shape.k); use group:G with G <= K, or per-channel")
            }
            quantization = parsed
        }
        for (flag, name) in [("--a-format", aFormat), ("--b-format", bFormat), ("--kv-format", kvFormat ?? aFormat)]
            where FormatCatalog.parse(name) == nil {
            throw CLIError.usage("\(flag): unknown format \"\(name)\"; see `simulate formats list`")
        }
        let integerInputs: Bool = { if case .scalar(.integer)? = FormatCatalog.parse(aFormat) { return true }; return false }()
        if let c = cFormat, FormatCatalog.parse(c) != FormatCatalog.parse(dFormat ?? (integerInputs ? "int32" : "fp32")) {
            throw CLIError.usage("--c-format \(c) must equal --d-format \(dFormat ?? (integerInputs ? "int32" : "fp32")) (C is zero in simulate run)")
        }
        // Budgets are bounded so every derived count stays a finite Int (1 PiB, 10^18 MACs).
        if let recheck { guard recheck >= 0 else { throw CLIError.usage("--recheck \(recheck): must be >= 0") } }
        guard threads >= 1 else { throw CLIError.usage("--threads \(threads): must be >= 1") }
        guard exactMemoryGiB > 0, exactMemoryGiB <= 1_048_576 else {
            throw CLIError.usage("--exact-memory-gib \(exactMemoryGiB): must lie in (0, 1048576]")
        }
        guard exactMaxMACs >= 1, exactMaxMACs <= 1e18 else {
            throw CLIError.usage("--exact-max-macs \(exactMaxMACs): must lie in [1, 1e18]")
        }
        if let a = energyAnchor, !CostModel.anchors.contains(a) {
            throw CLIError.usage("--energy-anchor \(a): use one of \(CostModel.anchors.joined(separator: ", "))")
        }
        // Output paths are checked before the run, so a long run never ends in "cannot write".
        // An input file named as an output would be replaced: refused (a `FILE:TENSOR` data
        // source names FILE).
        func file(_ source: String?) -> String? {
            guard let source else { return nil }
            if source.hasSuffix(".npy") { return source }
            if let colon = source.lastIndex(of: ":"), source[..<colon].hasSuffix(".safetensors") { return String(source[..<colon]) }
            return nil
        }
        try FileText.checkWritable([("--output-file", outputFile), ("--ert", ert), ("--art", art)],
                                   inputs: [("architecture", architecture), ("--layers", layers), ("--compare", compare),
                                            ("--data", file(data)), ("--b-data", file(bData))])
        try SaveDirectory.check(save)
        let dataA = try Self.source(data)
        let dataB = try bData.map(Self.source) ?? { if case .file = dataA { return .synthetic(.gaussian) }; return dataA }()
        var request = RunRequest(architecturePath: architecture, shape: shape, aFormat: aFormat, bFormat: bFormat, dFormat: dFormat,
                                 instruction: instruction, quantization: quantization, dataA: dataA, dataB: dataB, seed: seed,
                                 numerics: mode, exactMemoryBudget: exactMemoryGiB * 1024 * 1024 * 1024, exactMACBudget: exactMaxMACs,
                                 threads: threads, energyAnchor: energyAnchor)
        if let recheck { request.recheckCount = recheck }
        request.outFormat = outFormat
        let showProgress = StandardStreams.errorIsTerminal && output != "json"
        let progress: (String) -> Void = { message in if showProgress { StandardStreams.error("simulate: " + message) } }
        if gemm != nil {
            try runSingle(request, progress: progress)
        } else {
            try runWorkload(request, progress: progress)
        }
    }

    func runSingle(_ request: RunRequest, progress: (String) -> Void) throws {
        var comparison: ComparisonRequest?
        if let compare {
            comparison = ComparisonRequest(architecturePath: compare)
            if let f = compareFormats {
                let names = f.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard names.count == 2, names.allSatisfy({ FormatCatalog.parse($0) != nil }) else {
                    throw CLIError.usage("--compare-formats \(f): give A,B, two known format names (e.g. fp16,fp16)")
                }
                comparison!.aFormat = names[0]
                comparison!.bFormat = names[1]
            }
        } else if compareFormats != nil {
            throw CLIError.usage("--compare-formats applies to --compare")
        }
        let result: RunResult
        var report: SimulationReport
        do {
            result = try Simulator.run(request, progress: progress)
            report = result.report
            if let comparison { report = try Simulator.compare(result, request: request, with: comparison, progress: progress) }
        } catch { throw CLIError.usage(error.description) }
        let text = output == "json" ? report.json() : (output == "csv" ? report.csv() : report.table())
        // The exports are rendered first; if they cannot be, the report is still written (a
        // failed export never loses the run) and the command then fails naming the export.
        var outputs: [(path: String, text: String)] = []
        var exportError: CLIError?
        if ert != nil || art != nil {
            if let inventory = result.inventory {
                do { outputs = try CostReports.accelergyOutputs(inventory, ert: ert, art: art) } catch let e as CLIError { exportError = e }
            } else {
                exportError = CLIError.runtime("--ert/--art: \(report.cost.status)")
            }
        }
        if let outputFile { outputs.insert((outputFile, text), at: 0) } else { StandardStreams.output(text) }
        try FileText.writeAll(outputs)
        if let save, let artifacts = result.artifacts {
            try SaveDirectory.write(save, files: RunArchive.files(artifacts, shape: request.shape, aFormat: request.aFormat,
                                                                   bFormat: request.bFormat, reportJSON: report.json()))
        } else if save != nil {
            throw CLIError.usage("--save: nothing was simulated bit-exactly (--numerics off)")
        }
        if let exportError { throw exportError }
        if let v = report.verification, v.mismatches > 0 {
            throw CLIError.runtime("\(v.mismatches) of \(v.outputs_rechecked) re-checked outputs differ from the reference semantics")
        }
        if let c = report.comparison, let m = c.mismatches, m > 0 {
            throw CLIError.runtime("\(m) of \(c.outputs_rechecked ?? 0) re-checked outputs of the --compare run differ from its reference semantics")
        }
    }

    func runWorkload(_ base: RunRequest, progress: (String) -> Void) throws {
        if ert != nil || art != nil { throw CLIError.usage("--ert/--art export one GEMM's design; use them with --gemm") }
        if compare != nil { throw CLIError.usage("--compare runs one GEMM on two designs; use it with --gemm") }
        for (flag, d) in [("--data", base.dataA), ("--b-data", base.dataB)] {
            if case .file = d { throw CLIError.usage("\(flag): a matrix file fits one GEMM; workloads take a distribution (gaussian, laplace, ...)") }
        }
        let workload: Workload
        var phaseText: String?
        do {
            if let model {
                guard let description = ModelCatalog.named(model) else {
                    throw CLIError.usage("--model \(model): unknown; built-in models are \(ModelCatalog.all.map(\.name).joined(separator: ", "))")
                }
                guard let phase, let p = ModelPhase(parsing: phase) else {
                    throw CLIError.usage("--phase \(phase ?? ""): use prefill:T or decode:ctx=C with T, C in 1...\(ModelPhase.maxLength)")
                }
                workload = try description.workload(phase: p, batch: batch)
                phaseText = p.description
            } else {
                let path = layers!
                workload = path.lowercased().hasSuffix(".json") ? try WorkloadFile.load(path: path) : try TopologyFile.load(path: path)
            }
        } catch let e as Workload.Error { throw CLIError.usage(e.description) }
        var numericsLayerCount: Int?
        if numericsLayers != "all" {
            guard let n = Int(numericsLayers), n >= 0 else { throw CLIError.usage("--numerics-layers \(numericsLayers): use all or a count >= 0") }
            numericsLayerCount = n
        }
        guard (1...4096).contains(layerGrid) else { throw CLIError.usage("--layer-grid \(layerGrid): must lie in 1...4096") }
        var base = base
        if numericsLayerCount == 0 { base.numerics = .off }
        var request = WorkloadRequest(base: base, workload: workload, kvFormat: kvFormat, numericsLayers: numericsLayerCount,
                                      layerGrid: layerGrid, layerRecheck: recheck ?? 32, phase: phaseText, batch: model != nil ? batch : nil)
        request.attentionPath = attentionOn
        let result: WorkloadResult
        do { result = try Simulator.run(request, progress: progress) } catch { throw CLIError.usage(error.description) }
        let report = result.report
        let text = output == "json" ? report.json() : (output == "csv" ? report.csv() : report.table())
        if let outputFile { try FileText.writeAll([(outputFile, text)]) } else { StandardStreams.output(text) }
        if let save {
            var files: [(path: String, bytes: [UInt8])] = [("workload.json", Array(report.json().utf8))]
            for (index, entry) in result.artifacts.enumerated() {
                let layer = report.layers.first { $0.name == entry.layer }!
                let shape = GEMMShape(m: layer.m, n: layer.n, k: layer.k)
                files += RunArchive.files(entry.artifacts, shape: shape, aFormat: layer.a_format, bFormat: layer.b_format,
                                          reportJSON: ReportText.json(layer), prefix: String(format: "%03d-", index) + Self.fileName(entry.layer) + "/")
            }
            try SaveDirectory.write(save, files: files)
        }
        if report.totals.mismatches > 0 {
            throw CLIError.runtime("\(report.totals.mismatches) of \(report.totals.outputs_rechecked) re-checked outputs differ from the reference semantics")
        }
    }

    /// A layer name as a directory name (letters, digits, '.', '-', '_').
    static func fileName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || ".-_".contains($0) ? $0 : "_" })
    }

    static func source(_ text: String) throws -> RunRequest.DataSource {
        if let d = MatrixDistribution(parsing: text) { return .synthetic(d) }
        if text.hasSuffix(".npy") || text.contains(".safetensors") {
            do { return .file(try MatrixFile.load(text)) } catch { throw CLIError.usage(error.description) }
        }
        throw CLIError.usage("--data \(text): use gaussian, laplace, student-t:NU (0.5 <= NU <= 1e6), llm-outliers[:F] (0 < F < 1), A.npy or FILE.safetensors:TENSOR")
    }
}
