import EngineKit

/// Builds the engine-neutral report from the pipeline's stages.
enum ReportAssembly {
    static func single<B: EngineBinding>(binding: B, request r: RunRequest, plan: B.Engine.Plan, timing: EngineTiming,
                                         selection: NumericsSelection, clipped: Int, events: [String: Int],
                                         accuracy: AccuracyMeasurement?, verification: Verification?,
                                         cost: SimulationReport.Cost, layer: String? = nil) -> SimulationReport {
        let hardware = binding.engine.hardware
        let cycles = timing.cycles.totalCycles
        let time = timing.seconds
        let ops = 2 * Double(r.shape.multiplyAccumulates)
        let peakOps = 2 * timing.peakMACsPerSecond
        let numerics = plan.numerics
        return SimulationReport(
            engine: B.Engine.family,
            architecture: .init(file: r.architecturePath, name: hardware.name, kind: hardware.kind, units: hardware.units,
                                clock_mhz: hardware.clockMHz),
            problem: .init(layer: layer, m: r.shape.m, n: r.shape.n, k: r.shape.k, a_format: r.aFormat, b_format: r.bFormat,
                           d_format: numerics.outputFormat, a_role: r.roleA.rawValue, b_role: r.roleB.rawValue,
                           quantization_a: plan.a.description, quantization_b: plan.b.description,
                           data_a: r.dataA.description, data_b: r.dataB.description, seed: r.seed, clipped_elements: clipped),
            timing: .init(cycles: cycles, time_s: time, clock_mhz: timing.clockHz / 1e6, achieved_tops: ops / time / 1e12,
                          peak_tops: peakOps / 1e12, utilisation: ops / time / peakOps,
                          binding_limit: timing.cycles.bindingLimit.name,
                          limits: Dictionary(uniqueKeysWithValues: timing.cycles.limits.map { ($0.limit.name, $0.cycles) })),
            actions: timing.actions.counts,
            numerics: .init(mode: selection.mode, profile: numerics.profile, datapath: numerics.summary, source: numerics.source,
                            output_format: numerics.outputFormat, outputs_simulated: selection.rows.count * selection.columns.count,
                            rows_simulated: selection.rows.count, columns_simulated: selection.columns.count, reason: selection.reason,
                            events: events),
            accuracy: accuracy.map {
                .init(outputs_measured: $0.outputsMeasured, coverage: $0.sampled ? "seeded_sample" : "all", sqnr_db: $0.sqnrDB,
                      relative_frobenius_error: $0.relativeFrobenius, max_abs_error: $0.maxAbsoluteError,
                      max_ulp_error: $0.maxULP, mean_ulp_error: $0.meanULP, max_normwise_error: $0.maxNormwiseError,
                      quantization_only_sqnr_db: $0.quantizationSQNRDB, non_finite_outputs: $0.nonFiniteOutputs)
            },
            verification: verification.map {
                .init(outputs_rechecked: $0.checked, mismatches: $0.mismatches, reference: $0.reference, first_mismatches: $0.firstMismatches)
            },
            cost: cost,
            details: ReportSection(name: B.Engine.family, title: B.Engine.title, entries: plan.details + timing.details),
            approximations: timing.approximations + (cost.breakdown?.notes.map { "cost: " + $0 } ?? [])
                + powerNote(cost.breakdown?.average_power_w, limit: binding.powerLimitW))
    }

    /// The cycle model runs at the document's clock whatever the power: say so when the modelled
    /// power exceeds the design's limit (real parts would throttle).
    static func powerNote(_ power: Double?, limit: Double?) -> [String] {
        guard let power, let limit, power > limit else { return [] }
        return ["power: the modelled average power (\(ReportText.g(power)) W) exceeds board_power_w (\(ReportText.g(limit)) W); "
                + "the part would throttle its clock, which the cycle model does not"]
    }
}
