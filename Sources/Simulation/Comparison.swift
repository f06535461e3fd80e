import ArchitectureSpec
import EngineKit
import Formats
import Workloads

/// `--compare ARCH.json`: the same GEMM on a second design, on identical inputs (docs/cli.md):
/// A from the same unquantised rows; B from the first run's *dequantised* operand (so a
/// low-bit weight is what the baseline sees, converted into its format), with accuracy still
/// measured against the unquantised FP64 product. The baseline runs every stage of the
/// pipeline (its numerics re-checked by its own oracle, its cycles and cost).
public struct ComparisonRequest: Sendable {
    public var architecturePath: String
    public var aFormat: String?
    public var bFormat: String
    public var quantization: QuantizationChoice?

    public init(architecturePath: String, aFormat: String? = nil, bFormat: String = "fp16", quantization: QuantizationChoice? = nil) {
        self.architecturePath = architecturePath
        self.aFormat = aFormat
        self.bFormat = bFormat
        self.quantization = quantization
    }
}

extension Simulator {
    /// Runs the baseline of `compare` on the operands `first` simulated and returns the run's
    /// report with its `comparison` section.
    public static func compare(_ first: RunResult, request r: RunRequest, with compare: ComparisonRequest,
                               progress: (String) -> Void = { _ in }) throws(RunError) -> SimulationReport {
        guard let x = first.artifacts else { throw RunError("--compare needs bit-exact numerics (not --numerics off)") }
        struct Baseline: BindingVisitor {
            let x: RunArtifacts
            let request: RunRequest
            let compare: ComparisonRequest
            let progress: (String) -> Void
            func visit<B: EngineBinding>(_ binding: B) throws(RunError) -> SimulationReport {
                var r = request
                r.architecturePath = compare.architecturePath
                r.aFormat = compare.aFormat ?? request.aFormat
                r.bFormat = compare.bFormat
                r.dFormat = nil
                r.instruction = nil
                r.quantization = compare.quantization
                let plan: B.Engine.Plan
                do { plan = try binding.engine.plan(r.gemmRequest) } catch {
                    throw RunError("--compare \(compare.architecturePath): \(error) (choose formats with --compare-formats A,B)")
                }
                progress("baseline: cycle model")
                let timing: EngineTiming
                do { timing = try binding.engine.timing(plan, shape: r.shape) } catch { throw RunError("\(compare.architecturePath): \(error)") }
                let k = r.shape.k
                let a = QuantizedOperand.prepare(plan: plan.a, lines: x.rows.count, k: k, tensorAmax: amax(x.a.originals), seed: r.seed) {
                    Array(x.a.originals[($0 * k)..<(($0 + 1) * k)])
                }
                let dequantized = x.b.dequantized.map(\.approximateDouble)
                let b = QuantizedOperand.prepare(plan: plan.b, lines: x.columns.count, k: k, tensorAmax: amax(dequantized), seed: r.seed ^ 1) {
                    Array(dequantized[($0 * k)..<(($0 + 1) * k)])
                }.withOriginals(x.b.originals)
                progress("baseline: \(x.rows.count * x.columns.count) outputs bit-exactly (\(plan.numerics.profile))")
                let output = binding.engine.execute(plan, a: a, b: b, threads: r.threads)
                let accuracy = AccuracyMeasurement.measure(result: output, a: a, b: b, limit: r.accuracyOutputs, seed: r.seed, threads: r.threads)
                let verification = Verification.recheck(oracle: binding.oracle(for: plan), output: output, a: a, b: b, count: r.recheckCount,
                                                        seed: r.seed)
                let (cost, _) = RunPipeline.price(binding, plan, timing: timing, usefulMACs: Double(r.shape.multiplyAccumulates),
                                                  anchor: r.energyAnchor)
                let selection = NumericsSelection(mode: x.rows.count * x.columns.count == r.shape.m * r.shape.n ? "full" : "sampled",
                                                  rows: x.rows, columns: x.columns,
                                                  reason: "the first run's simulated rows and columns, its dequantised B converted to \(r.bFormat)")
                return ReportAssembly.single(binding: binding, request: r, plan: plan, timing: timing, selection: selection,
                                             clipped: a.clipped + b.clipped, events: output.events, accuracy: accuracy,
                                             verification: verification, cost: cost)
            }

            func amax(_ v: [Double]) -> Double { v.reduce(0) { $1.isFinite ? Swift.max($0, Swift.abs($1)) : $0 } }
        }
        let baseline = try withoutActuallyEscaping(progress) { (p) throws(RunError) in
            try dispatch(compare.architecturePath, Baseline(x: x, request: r, compare: compare, progress: p))
        }
        return first.report.with(comparison: SimulationReport.Comparison(baseline))
    }
}
