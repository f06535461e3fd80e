import ArchitectureSpec
import EngineKit
import Foundation

/// Board power and the clock a GPU sustains on a GEMM (docs/tensor-core.md, "Fidelity").
///
/// P(f) = P_idle + E_dram / t(f) + E_chip (1 + kappa tau) (f / f0)^2 / t(f)
///
/// - P_idle: the document's `board.idle_power_w` (static power and uncore at operating clocks);
/// - E_chip, E_dram: the cost model's dynamic energy of the run at the nominal clock f0 and its
///   voltage, on the chip (every priced action but DRAM; leakage is inside P_idle, not added
///   twice) and in DRAM (its own supply: no voltage scaling, no operand-activity term);
/// - tau in [0, 1]: the operands' bit activity, the mean fraction of bits that flip between
///   consecutive elements along K as they stream into the datapath, over that of random bits
///   (0.5): 0 for constant or all-zero data, about 0.8 for Gaussian FP16. Input values change
///   GEMM power by up to 40% (Gregersen et al., arXiv 2409.18324); kappa is
///   `board.data_power_factor`;
/// - (f / f0)^2: dynamic energy per operation at a lower clock, with the core voltage scaled in
///   proportion to the clock (the usual CMOS DVFS approximation, V ~ f in the DVFS range); t(f)
///   the run's time at clock f (compute-bound work stretches by f0 / f, DRAM-bound work not).
///
/// When P(f0) exceeds `chip.board_power_w`, the clock drops to the f at which P(f) equals the
/// limit (never below `board.min_clock_mhz`): the power-limit throttling real GPUs show on
/// random data (an A100 runs an 8192^3 FP16 GEMM at 295 TFLOP/s on zeros and 257 on random
/// values: Horace He, "Strangely, Matrix Multiplications on GPUs Run Faster When Given
/// 'Predictable' Data!", 2024).
struct GPUPowerModel {
    let idleW: Double
    let limitW: Double?
    let nominalClockHz: Double
    let minClockHz: Double
    let dataPowerFactor: Double

    init(board: BoardSpec, chip: ChipSpec) {
        idleW = board.idlePowerW
        limitW = board.powerLimitW ?? chip.boardPowerW
        nominalClockHz = chip.clockMHz * 1e6
        minClockHz = Swift.min(nominalClockHz, (board.minClockMHz ?? chip.clockMHz * 0.3) * 1e6)
        dataPowerFactor = board.dataPowerFactor
    }

    /// Board power (W) at clock `f` for a run whose dynamic energy at f0 is `dynamicJ`, with
    /// operand activity `activity`, taking `seconds` at f.
    func boardPower(clockHz f: Double, chipJ: Double, dramJ: Double, activity: Double, seconds: Double) -> Double {
        let v2 = (f / nominalClockHz) * (f / nominalClockHz)
        return idleW + (dramJ + chipJ * (1 + dataPowerFactor * activity) * v2) / Swift.max(seconds, 1e-30)
    }

    /// The sustained clock: f0 when P(f0) is within the limit, else the clock at which the
    /// board draws exactly its limit (bisection on `seconds(f)`, which is non-increasing in f),
    /// floored at the minimum clock.
    func sustainedClock(chipJ: Double, dramJ: Double, activity: Double, seconds: (Double) -> Double) -> Double {
        guard let limit = limitW else { return nominalClockHz }
        func over(_ f: Double) -> Bool { boardPower(clockHz: f, chipJ: chipJ, dramJ: dramJ, activity: activity, seconds: seconds(f)) > limit }
        guard over(nominalClockHz) else { return nominalClockHz }
        if over(minClockHz) { return minClockHz }
        var lo = minClockHz, hi = nominalClockHz
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            if over(mid) { hi = mid } else { lo = mid }
        }
        return lo
    }

    /// The run's time at clock f from its cycle breakdown at f0: SM-side limits (compute,
    /// shared memory, L2, the fixed overhead's cycles) stretch by f0 / f, DRAM keeps its
    /// seconds.
    static func seconds(at f: Double, breakdown: CycleBreakdown, nominalClockHz f0: Double) -> Double {
        let dram = breakdown[.dram] / f0
        let overhead = breakdown[.overhead] / f0
        let onChip = breakdown.limits.filter { $0.limit != .dram && $0.limit != .overhead }.map(\.cycles).max() ?? 0
        let bound = Swift.max(breakdown.totalCycles - breakdown[.overhead], onChip)
        // The SM timeline (which includes pipeline fill) binds unless DRAM does.
        let smSeconds = (dram >= bound / f0 ? onChip : bound) / f
        return Swift.max(smSeconds, dram) + overhead
    }

    /// Operand bit activity tau in [0, 1]: the mean fraction of an element's bits that differ
    /// from the previous element along K, over 0.5 (random bits), across every line.
    static func activity(_ codes: [UInt64], lines: Int, k: Int, bits: Int) -> Double {
        guard lines > 0, k > 1, bits > 0, codes.count >= lines * k else { return 0 }
        var flips = 0
        for l in 0..<lines {
            let base = l * k
            for i in 1..<k { flips += (codes[base + i] ^ codes[base + i - 1]).nonzeroBitCount }
        }
        let fraction = Double(flips) / (Double(lines) * Double(k - 1) * Double(bits))
        return Swift.min(1, fraction / 0.5)
    }
}

/// What a report says of the power and clock model.
struct GPUOperatingPoint: Sendable {
    let clockMHz: Double
    let nominalClockMHz: Double
    let throttled: Bool
    let boardPowerW: Double
    let idleW: Double
    let dynamicW: Double
    let activity: Double
    let limitW: Double?

    var entries: [ReportEntry] {
        [
            ReportEntry("clock_mhz", .number(clockMHz)),
            ReportEntry("nominal_clock_mhz", .number(nominalClockMHz)),
            ReportEntry("throttled", .flag(throttled)),
            ReportEntry("board_power_w", .number(boardPowerW)),
            ReportEntry("idle_power_w", .number(idleW)),
            ReportEntry("dynamic_power_w", .number(dynamicW)),
            ReportEntry("operand_bit_activity", .number(activity)),
        ] + (limitW.map { [ReportEntry("power_limit_w", .number($0))] } ?? [])
    }
}
