import ArgumentParser
import CostModel
import Formats
import Simulation
import Workloads

/// `simulate run`: a GEMM on a tensor-core GPU, bit-exact, with cycles, accuracy and a re-check.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a quantized GEMM bit-exactly on an architecture; report cycles, accuracy and an MPFR re-check.",
        discussion: """
            Data: gaussian, laplace, student-t:NU, llm-outliers[:FRACTION] (seeded), or a file: A.npy (MxK) or \
            FILE.safetensors:TENSOR; --b-data for B (KxN; default: --data's distribution, or gaussian for files). \
            Quantization defaults: none for fp16/bf16/tf32/fp32, per-tensor for 8-bit and narrower formats; \
            MX/NVFP4 formats carry their own block scales. Exit 1 if the re-check finds a mismatch.
            """)

    @Argument(help: "Architecture document (Architectures/*.json).") var architecture: String
    @Option(help: "GEMM shape MxNxK, e.g. 4096x4096x4096.") var gemm: String
    @Option(name: .customLong("a-format"), help: "A format (fp16, bf16, tf32, e4m3, e5m2, int8, mxfp4, nvfp4, ...).") var aFormat: String
    @Option(name: .customLong("b-format"), help: "B format.") var bFormat: String
    @Option(name: .customLong("c-format"), help: "C format (C is zero; must equal D).") var cFormat: String?
    @Option(name: .customLong("d-format"), help: "D (accumulator) format: fp32 (default), fp16, int32 (integer inputs).") var dFormat: String?
    @Option(help: "MMA instruction name (default: the fastest dense path).") var instruction: String?
    @Option(help: "none | per-tensor | per-channel | group:G") var quantize: String?
    @Option(help: "gaussian | laplace | student-t:NU | llm-outliers[:F] | A.npy | FILE.safetensors:TENSOR") var data = "gaussian"
    @Option(name: .customLong("b-data"), help: "Data for B (same choices).") var bData: String?
    @Option(help: "Seed of every generator.") var seed: UInt64 = 1
    @Option(help: "table | json | csv") var output = "table"
    @Option(name: .customLong("output-file"), help: "Write the report here (atomically) instead of stdout.") var outputFile: String?
    @Option(name: .customLong("exact-memory-gib"), help: "Memory budget of the full bit-exact GEMM.") var exactMemoryGiB: Double = 4
    @Option(name: .customLong("exact-max-macs"), help: "MAC budget of the full bit-exact GEMM.") var exactMaxMACs: Double = 4e9
    @Option(help: "Outputs re-checked with the MPFR reference.") var recheck: Int = 256
    @Option(help: "Worker threads for the bit-exact GEMM.") var threads: Int = 2
    @Option(name: .customLong("ert"), help: "Also write the run's Accelergy energy reference table (YAML) here.") var ert: String?
    @Option(name: .customLong("art"), help: "Also write the run's Accelergy area reference table (YAML) here.") var art: String?
    @Option(name: .customLong("energy-anchor"), help: CostReports.energyAnchorHelp) var energyAnchor: String?

    func run() throws {
        guard let shape = GEMMShape(parsing: gemm) else { throw CLIError.usage("--gemm \"\(gemm)\": expected MxNxK with positive integers of at most 2^40 whose product fits 64 bits, e.g. 1024x1024x1024") }
        guard ["table", "json", "csv"].contains(output) else { throw CLIError.usage("--output \(output): use table, json or csv") }
        let quantization: RunRequest.Quantization?
        if let q = quantize {
            guard let parsed = RunRequest.Quantization(parsing: q) else {
                throw CLIError.usage("--quantize \(q): use none, per-tensor, per-channel or group:G")
            }
            if case .group(let g) = parsed, g > shape.k {
                throw CLIError.usage("--quantize \(q): a group of \(g) is longer than K = \(shape.k); use group:G with G <= K, or per-channel")
            }
            quantization = parsed
        } else {
            quantization = nil
        }
        for name in [aFormat, bFormat] where FormatCatalog.parse(name) == nil {
            throw CLIError.usage("unknown format \"\(name)\"; see `simulate formats list`")
        }
        let integerInputs: Bool = { if case .scalar(.integer)? = FormatCatalog.parse(aFormat) { return true }; return false }()
        let d = dFormat ?? (integerInputs ? "int32" : "fp32")
        if let c = cFormat, FormatCatalog.parse(c) != FormatCatalog.parse(d) {
            throw CLIError.usage("--c-format \(c) must equal --d-format \(d) (C is zero in simulate run)")
        }
        // Budgets are bounded so every derived count stays a finite Int (1 PiB, 10^18 MACs).
        guard recheck >= 0 else { throw CLIError.usage("--recheck \(recheck): must be >= 0") }
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
        try FileText.checkWritable([("--output-file", outputFile), ("--ert", ert), ("--art", art)])
        let dataA = try Self.source(data)
        let dataB = try bData.map(Self.source) ?? { if case .file = dataA { return .synthetic(.gaussian) }; return dataA }()
        let request = RunRequest(architecturePath: architecture, shape: shape, aFormat: aFormat, bFormat: bFormat, dFormat: d,
                                 instruction: instruction, quantization: quantization, dataA: dataA, dataB: dataB, seed: seed,
                                 exactMemoryBudget: exactMemoryGiB * 1024 * 1024 * 1024, exactMACBudget: exactMaxMACs,
                                 recheckCount: recheck, threads: threads, energyAnchor: energyAnchor)
        let showProgress = StandardStreams.errorIsTerminal && output != "json"
        let report: SimulationReport
        do {
            report = try TensorCoreRun.run(request) { message in if showProgress { StandardStreams.error("simulate: " + message) } }
        } catch {
            throw CLIError.usage(error.description)
        }
        let text = output == "json" ? report.json() : (output == "csv" ? report.csv() : report.table())
        // The exports are rendered first; if they cannot be, the report is still written (a
        // failed export never loses the run) and the command then fails naming the export.
        var outputs: [(path: String, text: String)] = []
        var exportError: CLIError?
        if ert != nil || art != nil {
            do {
                let inventory = try TensorCoreInventory.load(path: architecture, instruction: report.instruction.name,
                                                             ptx: report.instruction.ptx, anchor: energyAnchor)
                outputs = try CostReports.accelergyOutputs(inventory, ert: ert, art: art)
            } catch let e as CLIError { exportError = e } catch {
                exportError = CLIError.runtime("--ert/--art: \(error)")
            }
        }
        if let outputFile { outputs.insert((outputFile, text), at: 0) } else { StandardStreams.output(text) }
        try FileText.writeAll(outputs)
        if let exportError { throw exportError }
        if report.verification.mismatches > 0 {
            throw CLIError.runtime("\(report.verification.mismatches) of \(report.verification.outputs_rechecked) re-checked outputs differ from the MPFR reference")
        }
    }

    static func source(_ text: String) throws -> RunRequest.DataSource {
        if let d = MatrixDistribution(parsing: text) { return .synthetic(d) }
        if text.hasSuffix(".npy") || text.contains(".safetensors") {
            do { return .file(try MatrixFile.load(text)) } catch { throw CLIError.usage(error.description) }
        }
        throw CLIError.usage("--data \(text): use gaussian, laplace, student-t:NU (0.5 <= NU <= 1e6), llm-outliers[:F] (0 < F < 1), A.npy or FILE.safetensors:TENSOR")
    }
}
