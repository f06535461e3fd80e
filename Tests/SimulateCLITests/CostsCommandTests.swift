import Foundation
import Testing

/// `simulate costs` and the cost output of `simulate run` as a built binary.
@Suite("simulate costs (binary)")
struct CostsCommandTests {
    @Test("costs calibrate prints the fitted library, the tolerances and every point; markdown and JSON forms")
    func calibrate() throws {
        let r = try CLI.run(["costs", "calibrate"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Tolerance: energy within 2.1x, area within 2.5x"))
        #expect(r.stdout.contains("h45.fp16_mult.energy") && r.stdout.contains("held_out"))
        #expect(!r.stdout.contains("(OUT)"))
        let md = try CLI.run(["costs", "calibrate", "--format", "markdown"])
        #expect(md.status == 0 && md.stdout.contains("| point | component | node |"))
        let j = try CLI.run(["costs", "calibrate", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect((object?["points"] as? [Any])?.count == 49)
        #expect(try CLI.run(["costs", "calibrate", "--format", "xml"]).status == 2)
    }

    @Test("costs show prints the priced inventory and writes Accelergy ERT/ART files")
    func show() throws {
        let dir = NSTemporaryDirectory() + "quantsim-costs-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--ert", dir + "/ERT.yaml", "--art", dir + "/ART.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("fma.e4m3_e5m2.fp32.wgmma") && r.stdout.contains("technology  4 nm, 0.8 V"))
        let ert = try String(contentsOfFile: dir + "/ERT.yaml", encoding: .utf8)
        #expect(ert.contains("ERT:") && ert.contains("version: '0.4'") && ert.contains("name: NVIDIA_H100_SXM5_80_GB.tensor[1..528]"))
        let art = try String(contentsOfFile: dir + "/ART.yaml", encoding: .utf8)
        #expect(art.contains("ART:") && art.contains("area:"))
        // A numerics-only document still gets its per-mode energies; a missing file is a usage error.
        let mi300 = try CLI.run(["costs", "show", "Architectures/amd-mi300x.json", "--format", "json"])
        #expect(mi300.status == 0 && mi300.stdout.contains("fma.fp16_bf16.fp32.mfma"))
        let anchored = try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--energy-anchor", "jouppi-7nm"])
        #expect(anchored.status == 0 && anchored.stdout.contains("anchored to jouppi-7nm"))
        #expect(try CLI.run(["costs", "show", "Architectures/nvidia-h100-sxm.json", "--energy-anchor", "x"]).status == 2)
        #expect(try CLI.run(["run", "Architectures/nvidia-h100-sxm.json", "--gemm", "8x8x8", "--a-format", "fp16", "--b-format", "fp16",
                             "--energy-anchor", "x"]).status == 2)
        let missing = try CLI.run(["costs", "show", "nope.json"])
        #expect(missing.status == 2 && missing.stderr.contains("nope.json"))
    }

    @Test("costs compare sets the presets against published estimates with ratios")
    func compare() throws {
        let r = try CLI.run(["costs", "compare", "--format", "markdown"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("pub.a100.fp16_tensor_gemm_total") && r.stdout.contains("pub.turing.tensor_area_per_sm"))
    }

    @Test("run --ert/--art export the run's inventory; the JSON report carries the breakdown")
    func runExports() throws {
        let dir = NSTemporaryDirectory() + "quantsim-run-ert-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["run", "Architectures/nvidia-a100-sxm4-80gb.json", "--gemm", "64x64x64", "--a-format", "int8", "--b-format", "int8",
                             "--output", "json", "--ert", dir + "/ERT.yaml", "--art", dir + "/ART.yaml", "--recheck", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let cost = try #require(object?["cost"] as? [String: Any])
        #expect(cost["status"] as? String == "modelled")
        let breakdown = try #require(cost["breakdown"] as? [String: Any])
        #expect((breakdown["energy_pj"] as? Double ?? 0) > 0 && (breakdown["area_mm2"] as? Double ?? 0) > 0)
        let ert = try String(contentsOfFile: dir + "/ERT.yaml", encoding: .utf8)
        #expect(ert.contains("name: fma_issued"))
    }
}
