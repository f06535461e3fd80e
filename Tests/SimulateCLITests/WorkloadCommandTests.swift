import Foundation
import Testing

/// `simulate run` on whole workloads and `--save`, as a built binary.
@Suite("simulate run: workloads and --save (binary)")
struct WorkloadCommandTests {
    func scratch(_ name: String) throws -> String {
        let directory = NSTemporaryDirectory() + "quantsim-wl-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("The issue's example: Llama-2-7B prefill:256 on H100 in E4M3, JSON per layer and totals")
    func llamaJSON() throws {
        let r = try CLI.run(["run", "Architectures/nvidia-h100-sxm.json", "--model", "llama-2-7b", "--phase", "prefill:256", "--a-format",
                             "e4m3", "--b-format", "e4m3", "--output", "json", "--numerics-layers", "2", "--layer-grid", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(o["report"] as? String == "workload" && o["schema_version"] as? Int == 3)
        let layers = o["layers"] as! [[String: Any]]
        #expect(layers.map { $0["name"] as! String } == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
                                                         "attn_qk", "attn_v", "lm_head"])
        #expect(layers[4]["n"] as? Int == 11008 && layers[4]["k"] as? Int == 4096 && layers[4]["m"] as? Int == 256)
        let totals = o["totals"] as! [String: Any]
        #expect(totals["mismatches"] as? Int == 0 && totals["layers_with_numerics"] as? Int == 2)
        #expect((totals["time_s"] as? Double ?? 0) > 0 && (totals["energy_pj"] as? Double ?? 0) > 0)
    }

    @Test("Workload table matches its golden file (MiniLM prefill of 32 tokens on A100)")
    func tableGolden() throws {
        let r = try CLI.run(["run", "Architectures/nvidia-a100-sxm4-80gb.json", "--model", "all-minilm-l6-v2", "--phase", "prefill:32",
                             "--a-format", "bf16", "--b-format", "bf16", "--layer-grid", "4", "--recheck", "4"])
        #expect(r.status == 0, "\(r.stderr)")
        CLI.expectGolden(r.stdout, "run-a100-minilm-prefill32.txt")
    }

    @Test("A topology CSV runs; CSV output has one row per layer and a TOTAL row")
    func topologyCSV() throws {
        let dir = try scratch("topology")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "Layer,M,N,K,\ngemm256,256,256,256,\nffn,128,1536,384,\n".write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "Architectures/nvidia-h100-sxm.json", "--layers", dir + "/t.csv", "--a-format", "fp16", "--b-format",
                             "fp16", "--output", "csv", "--layer-grid", "4"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines[1].contains(",gemm256,") && lines[3].contains(",TOTAL,"))
    }

    @Test("Workload usage errors exit 2 with the reason", arguments: [
        (["--model", "llama-2-7b"], "--model needs --phase"),
        (["--model", "llama-9", "--phase", "prefill:8"], "unknown; built-in models are"),
        (["--model", "llama-2-7b", "--phase", "decode:8"], "--phase decode:8"),
        (["--model", "all-minilm-l6-v2", "--phase", "decode:ctx=8"], "has no decode phase"),
        (["--gemm", "8x8x8", "--model", "llama-2-7b", "--phase", "prefill:8"], "exactly one of"),
        (["--layers", "/nonexistent.csv"], "cannot read the topology file"),
        (["--model", "llama-2-7b", "--phase", "prefill:8", "--numerics-layers", "-1"], "--numerics-layers"),
        (["--model", "llama-2-7b", "--phase", "prefill:8", "--ert", "/tmp/e.yaml"], "use them with --gemm"),
        (["--gemm", "8x8x8", "--numerics", "exact"], "--numerics exact"),
        (["--gemm", "8x8x8", "--numerics", "off", "--save", "/tmp/quantsim-never"], "nothing was simulated"),
    ])
    func errors(_ extra: [String], _ message: String) throws {
        let r = try CLI.run(["run", "Architectures/nvidia-h100-sxm.json", "--a-format", "fp16", "--b-format", "fp16"] + extra)
        #expect(r.status == 2, "\(extra): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
    }

    /// The `--save` directory loads in numpy (the test venv's, made by `make test`), and what it
    /// holds checks out independently: shapes as indexed, FP32 raw outputs equal to the values,
    /// and the values close to numpy's own product of the dequantised operands.
    @Test("--save writes .npy files and an index.json that numpy loads and checks")
    func saveLoadsInNumpy() throws {
        let dir = try scratch("save")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["run", "Architectures/nvidia-a100-sxm4-80gb.json", "--gemm", "24x20x96", "--a-format", "bf16", "--b-format",
                             "bf16", "--save", dir + "/run", "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let python = try #require(CLI.python, "no Python with numpy: run the tests with make test (it makes .venv-test)")
        let script = """
            import json, sys, numpy as np
            d = sys.argv[1]
            ix = json.load(open(d + "/index.json"))
            a = np.load(d + "/" + ix["a"]["values"]); b = np.load(d + "/" + ix["b"]["values"])
            assert a.shape == (24, 96) and b.shape == (20, 96), (a.shape, b.shape)
            assert np.load(d + "/" + ix["a"]["codes"]).dtype == np.uint64
            raw = np.load(d + "/" + ix["output"]["raw"]); vals = np.load(d + "/" + ix["output"]["values"])
            assert raw.shape == (1, 24, 20) and ix["output"]["raw_format"] == "fp32"
            assert np.array_equal(raw[0].astype(np.uint32).view(np.float32).astype(np.float64), vals)
            ref = a @ b.T
            assert np.max(np.abs(vals - ref)) <= 1e-5 * np.max(np.abs(ref)), np.max(np.abs(vals - ref))
            assert list(np.load(d + "/" + ix["rows"])) == list(range(24))
            rep = json.load(open(d + "/" + ix["report"]))
            assert rep["numerics"]["outputs_simulated"] == 480
            print("ok")
            """
        let check = try CLI.runProgram(python, ["-c", script, dir + "/run"])
        #expect(check.status == 0 && check.stdout == "ok\n", "\(check.stderr)")
        // A second --save replaces the directory whole; a foreign directory is refused.
        let again = try CLI.run(["run", "Architectures/nvidia-a100-sxm4-80gb.json", "--gemm", "8x8x32", "--a-format", "bf16", "--b-format",
                                 "bf16", "--save", dir + "/run"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: dir + "/run/index.json", encoding: .utf8).contains("\"m\" : 8"))
        try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
        try "x".write(toFile: dir + "/other/notes.txt", atomically: true, encoding: .utf8)
        let foreign = try CLI.run(["run", "Architectures/nvidia-a100-sxm4-80gb.json", "--gemm", "8x8x32", "--a-format", "bf16", "--b-format",
                                   "bf16", "--save", dir + "/other"])
        #expect(foreign.status == 2 && foreign.stderr.contains("an earlier --save did not write"))
    }
}
