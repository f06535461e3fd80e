import CostModel
import EngineKit
import Formats
import Workloads

/// What a workload run produced: the report and, per simulated layer, its operands and outputs
/// (for `--save`).
public struct WorkloadResult: Sendable {
    public let report: WorkloadReport
    public let artifacts: [(layer: String, artifacts: RunArtifacts)]
}

/// Runs a workload through one engine: every layer is planned, timed and priced (identical
/// layers once, times their repeat count); a seeded sample of layers also runs bit-exactly on a
/// seeded grid of outputs, with accuracy and the reference re-check, through the same stages
/// as a single GEMM.
/// The attention layers of a workload on the design that runs them.
struct AttentionLayers: BindingVisitor {
    let w: WorkloadRequest
    let indices: [Int]
    let chosen: Set<Int>
    let progress: (String) -> Void
    func visit<A: EngineBinding>(_ binding: A) throws(RunError) -> WorkloadRun.Part {
        try WorkloadRun.runLayers(binding, w, indices: indices, chosen: chosen, progress: progress)
    }
}

enum WorkloadRun {
    /// What one design contributed: the rows of the layers it ran (by layer index), their
    /// artifacts, energies by kind, approximations and cost status.
    struct Part {
        var rows: [Int: WorkloadReport.Layer] = [:]
        var artifacts: [(Int, String, RunArtifacts)] = []
        var energyByKind: [String: Double] = [:]
        var approximations: [String] = []
        var costStatus = "modelled"
    }

    static func run<B: EngineBinding>(_ binding: B, _ w: WorkloadRequest, progress: (String) -> Void) throws(RunError) -> WorkloadResult {
        let layers = w.workload.layers
        let chosen = numericsLayers(w)
        // Attention GEMMs (B from the KV cache) run on the attention design when one is named.
        let attention = w.attentionPath ?? binding.attentionArchitecture
        let routed = attention == nil ? [] : layers.indices.filter { layers[$0].roleB == .kvCache }
        var part = try runLayers(binding, w, indices: layers.indices.filter { !routed.contains($0) }, chosen: chosen, progress: progress)
        if let attention, !routed.isEmpty {
            let other = try withoutActuallyEscaping(progress) { (p) throws(RunError) in
                try Simulator.dispatch(attention, AttentionLayers(w: w, indices: routed, chosen: chosen, progress: p))
            }
            part.rows.merge(other.rows) { a, _ in a }
            part.artifacts += other.artifacts
            for (k, e) in other.energyByKind { part.energyByKind[k, default: 0] += e }
            for a in other.approximations where !part.approximations.contains(a) { part.approximations.append(a) }
            if part.costStatus == "modelled" { part.costStatus = other.costStatus }
            part.approximations.insert("attention GEMMs (B from the KV cache) run on \(attention)", at: 0)
        }
        let rows = layers.indices.map { part.rows[$0]! }
        let artifacts = part.artifacts.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        return WorkloadResult(report: report(binding, w, rows: rows, energyByKind: part.energyByKind, costStatus: part.costStatus,
                                             chosen: chosen, approximations: part.approximations),
                              artifacts: artifacts)
    }

    /// Plans, times and prices the layers `indices` on one design; those in `chosen` also run
    /// bit-exactly.
    static func runLayers<B: EngineBinding>(_ binding: B, _ w: WorkloadRequest, indices: [Int], chosen: Set<Int>,
                                            progress: (String) -> Void) throws(RunError) -> Part {
        let engine = binding.engine
        let layers = w.workload.layers
        var timings: [String: EngineTiming] = [:]
        var designs: [String: PricedDesign?] = [:]
        var part = Part()
        for index in indices {
            let layer = layers[index]
            var r = w.base
            r.shape = layer.shape
            r.roleA = layer.roleA
            r.roleB = layer.roleB
            r.aFormat = w.format(for: layer.roleA, isA: true)
            r.bFormat = w.format(for: layer.roleB, isA: false)
            r.seed = w.base.seed &+ UInt64(index)
            let plan: B.Engine.Plan
            do { plan = try engine.plan(r.gemmRequest) } catch {
                throw RunError("layer \(layer.name) (\(layer.shape), \(r.aFormat) x \(r.bFormat)) on \(binding.file): \(error)"
                               + (layer.roleB == .kvCache ? " (run attention elsewhere with --attention-on ARCH.json)" : ""))
            }
            let key = "\(layer.shape)|\(r.aFormat)|\(r.bFormat)"
            let designKey = "\(r.aFormat)|\(r.bFormat)|\(plan.numerics.profile)"
            if designs[designKey] == nil {
                do { designs[designKey] = .some(try binding.inventory(for: plan, anchor: w.base.energyAnchor)) } catch {
                    designs[designKey] = .some(nil)
                    part.costStatus = "not modelled: \(error)"
                }
            }
            var timing: EngineTiming
            if let t = timings[key] { timing = t } else {
                do { timing = try engine.timing(plan, shape: layer.shape) } catch {
                    throw RunError("\(binding.file): layer \(layer.name): \(error)")
                }
                // The power-limited clock of this layer (GPU documents with a board section), as
                // in a single run; its operands' activity from a few sampled lines.
                if binding.hasPowerModel, let design = designs[designKey] ?? nil {
                    let cost = RunCost.price(design.inventory, actions: timing.actions.counts, seconds: timing.seconds,
                                             usefulMACs: Double(layer.shape.multiplyAccumulates))
                    let dram = cost.energy_pj_by_kind[EnergyKind.dram.rawValue] ?? 0
                    if let sustained = try binding.operatingPoint(plan: plan, shape: layer.shape, timing: timing,
                                                                  chipEnergyPJ: cost.energy_pj - cost.leakage_pj - dram, dramEnergyPJ: dram,
                                                                  activity: RunPipeline.sampledActivity(plan, r)) {
                        timing = sustained.timing
                    }
                }
                timings[key] = timing
            }
            timing = timing.sharingOverhead(among: layer.kernelBatch)
            for a in timing.approximations where !part.approximations.contains(a) { part.approximations.append(a) }
            let repeats = Double(layer.repeatCount)
            var energy: Double?
            if let design = designs[designKey] ?? nil {
                let cost = RunCost.price(design.inventory, actions: timing.actions.counts, seconds: timing.seconds,
                                         usefulMACs: Double(layer.shape.multiplyAccumulates))
                energy = cost.energy_pj * repeats
                for (kind, e) in cost.energy_pj_by_kind { part.energyByKind[kind, default: 0] += e * repeats }
                if !cost.unpriced_actions.isEmpty, part.costStatus == "modelled" {
                    part.costStatus = "partially modelled: unpriced \(cost.unpriced_actions.joined(separator: ", "))"
                }
                for note in cost.notes.map({ "cost: " + $0 }) where !part.approximations.contains(note) { part.approximations.append(note) }
            }
            var numerics: WorkloadReport.LayerAccuracy?
            if chosen.contains(index) {
                progress("layer \(layer.name): bit-exact numerics on a \(w.layerGrid) x \(w.layerGrid) grid")
                var sample = r
                sample.numerics = .sampled
                sample.sampleRows = w.layerGrid
                sample.sampleColumns = w.layerGrid
                let selection = try NumericsSelection.choose(sample)
                let (a, b) = try RunPipeline.prepare(plan, sample, rows: selection.rows, columns: selection.columns)
                let output = engine.execute(plan, a: a, b: b, threads: sample.threads)
                let accuracy = AccuracyMeasurement.measure(result: output, a: a, b: b, limit: sample.accuracyOutputs, seed: sample.seed, threads: sample.threads)
                let check = Verification.recheck(oracle: binding.oracle(for: plan), output: output, a: a, b: b, count: w.layerRecheck,
                                                 seed: sample.seed)
                numerics = .init(outputs_measured: accuracy.outputsMeasured, sqnr_db: accuracy.sqnrDB,
                                 relative_frobenius_error: accuracy.relativeFrobenius,
                                 quantization_only_sqnr_db: accuracy.quantizationSQNRDB, non_finite_outputs: accuracy.nonFiniteOutputs,
                                 outputs_rechecked: check.checked, mismatches: check.mismatches, first_mismatches: check.firstMismatches)
                part.artifacts.append((index, layer.name, RunArtifacts(rows: selection.rows, columns: selection.columns, a: a, b: b,
                                                                       aPlan: plan.a, bPlan: plan.b, output: output)))
            }
            let macs = layer.multiplyAccumulates
            part.rows[index] = .init(
                name: layer.name, architecture: binding.document.name, m: layer.shape.m, n: layer.shape.n, k: layer.shape.k,
                repeat_count: layer.repeatCount, a_role: layer.roleA.rawValue, b_role: layer.roleB.rawValue, a_format: r.aFormat,
                b_format: r.bFormat, d_format: plan.numerics.outputFormat, numerics_profile: plan.numerics.profile,
                cycles_each: timing.cycles.totalCycles, cycles: timing.cycles.totalCycles * repeats, time_s: timing.seconds * repeats,
                macs: macs, utilisation: Double(layer.shape.multiplyAccumulates) / timing.seconds / timing.peakMACsPerSecond,
                binding_limit: timing.cycles.bindingLimit.name, energy_pj: energy, energy_per_mac_pj: energy.map { $0 / macs },
                numerics: numerics, engine_summary: plan.brief + "; " + timing.brief)
        }
        return part
    }

    /// The layers that get bit-exact numerics: all, none, or a seeded sample of N.
    static func numericsLayers(_ w: WorkloadRequest) -> Set<Int> {
        let count = w.workload.layers.count
        if w.base.numerics == .off { return [] }
        guard let n = w.numericsLayers, n < count else { return Set(0..<count) }
        var rng = SeededGenerator(seed: w.base.seed ^ 0x1A7E_5A3C)
        var chosen = Set<Int>()
        while chosen.count < n { chosen.insert(Int(rng.next() % UInt64(count))) }
        return chosen
    }

    static func report<B: EngineBinding>(_ binding: B, _ w: WorkloadRequest, rows: [WorkloadReport.Layer],
                                         energyByKind: [String: Double], costStatus: String, chosen: Set<Int>,
                                         approximations: [String]) -> WorkloadReport {
        let hardware = binding.engine.hardware
        let cycles = rows.reduce(0) { $0 + $1.cycles }, time = rows.reduce(0) { $0 + $1.time_s }
        let macs = rows.reduce(0) { $0 + $1.macs }
        let priced = rows.allSatisfy { $0.energy_pj != nil }
        let energy = priced ? EnergyKind.allCases.reduce(0) { $0 + (energyByKind[$1.rawValue] ?? 0) } : nil
        let simulated = rows.compactMap(\.numerics)
        let numericsText: String
        if chosen.isEmpty {
            numericsText = "off: no layer runs bit-exactly (--numerics off); cycles, actions and cost cover every layer"
        } else {
            numericsText = "\(chosen.count) of \(rows.count) layers (\(chosen.count == rows.count ? "all" : "a seeded sample, seed \(w.base.seed)")) "
                + "run bit-exactly on a seeded \(w.layerGrid) x \(w.layerGrid) grid of outputs each (layer i uses seed \(w.base.seed) + i); "
                + "timing and cost cover every layer"
        }
        return WorkloadReport(
            schema_version: WorkloadReport.currentSchemaVersion, report: "workload", engine: B.Engine.family,
            architecture: .init(file: w.base.architecturePath, name: hardware.name, kind: hardware.kind, units: hardware.units,
                                clock_mhz: hardware.clockMHz),
            workload: .init(name: w.workload.name, source: w.workload.source, phase: w.phase, batch: w.batch, notes: w.workload.notes),
            formats: .init(activation: w.base.aFormat, weight: w.base.bFormat, kv_cache: w.kvFormat ?? w.base.aFormat,
                           quantization: w.base.quantization?.description ?? "engine default per format"),
            numerics: numericsText, cost_status: costStatus, layers: rows,
            totals: .init(cycles: cycles, time_s: time, macs: macs, achieved_tops: 2 * macs / time / 1e12, energy_pj: energy,
                          energy_pj_by_kind: priced ? energyByKind : nil, energy_per_mac_pj: energy.map { $0 / macs },
                          average_power_w: energy.map { $0 * 1e-12 / time }, layers_with_numerics: simulated.count,
                          outputs_rechecked: simulated.reduce(0) { $0 + $1.outputs_rechecked },
                          mismatches: simulated.reduce(0) { $0 + $1.mismatches }),
            approximations: ["layers run one after another: no overlap between GEMMs, no time for non-GEMM operators"] + approximations)
    }
}
