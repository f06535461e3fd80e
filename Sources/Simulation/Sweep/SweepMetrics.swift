import CostModel

/// The numbers a sweep records per point (docs/sweeps.md, "Metrics"): nothing wall-clock.
enum SweepMetrics {
    static func single(_ r: SimulationReport) -> [String: Double] {
        var m: [String: Double] = ["cycles": r.timing.cycles, "time_s": r.timing.time_s, "achieved_tops": r.timing.achieved_tops,
                                   "peak_tops": r.timing.peak_tops, "utilisation": r.timing.utilisation,
                                   "macs": Double(r.problem.m) * Double(r.problem.n) * Double(r.problem.k)]
        if let a = r.accuracy {
            m["sqnr_db"] = a.sqnr_db
            m["quantization_only_sqnr_db"] = a.quantization_only_sqnr_db
            m["relative_frobenius_error"] = a.relative_frobenius_error
            m["non_finite_outputs"] = Double(a.non_finite_outputs)
        }
        if let v = r.verification {
            m["outputs_rechecked"] = Double(v.outputs_rechecked)
            m["mismatches"] = Double(v.mismatches)
        }
        for (name, count) in r.numerics.events { m["event_" + name] = Double(count) }
        if let b = r.cost.breakdown { cost(b, into: &m) }
        if let e = r.cost.datapath_energy_per_mac_pj { m["datapath_energy_per_mac_pj"] = e }
        if let a = r.cost.datapath_area_mm2 { m["datapath_area_mm2"] = a }
        return m
    }

    static func cost(_ b: RunCost, into m: inout [String: Double]) {
        m["energy_pj"] = b.energy_pj
        m["energy_per_mac_pj"] = b.energy_per_mac_pj
        m["area_mm2"] = b.area_mm2
        m["average_power_w"] = b.average_power_w
        m["tops_per_w"] = b.tops_per_w
        for (kind, e) in b.energy_pj_by_kind { m["energy_\(kind)_pj"] = e }
        if let f = b.fpga_resources {
            m["fpga_dsp"] = f.dsp
            m["fpga_lut"] = f.lut
            m["fpga_ff"] = f.ff
            m["fpga_bram"] = f.bram
            m["fpga_uram"] = f.uram
        }
    }

    static func workload(_ r: WorkloadReport) -> [String: Double] {
        let t = r.totals
        var m: [String: Double] = ["cycles": t.cycles, "time_s": t.time_s, "macs": t.macs, "achieved_tops": t.achieved_tops,
                                   "outputs_rechecked": Double(t.outputs_rechecked), "mismatches": Double(t.mismatches),
                                   "layers": Double(r.layers.count)]
        if let e = t.energy_pj { m["energy_pj"] = e }
        if let e = t.energy_per_mac_pj { m["energy_per_mac_pj"] = e }
        if let p = t.average_power_w { m["average_power_w"] = p }
        for (kind, e) in t.energy_pj_by_kind ?? [:] { m["energy_\(kind)_pj"] = e }
        // Accuracy over the layers that ran bit-exactly: the MAC-weighted mean SQNR.
        let measured = r.layers.compactMap { l in l.numerics.map { (l.macs, $0.sqnr_db) } }.filter { $0.1.isFinite }
        if !measured.isEmpty {
            let weight = measured.reduce(0) { $0 + $1.0 }
            m["sqnr_db"] = measured.reduce(0) { $0 + $1.0 * $1.1 } / weight
        }
        return m
    }
}
