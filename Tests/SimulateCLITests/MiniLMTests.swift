import Foundation
import Testing

/// The real MiniLM tensors (Sweeps/minilm.py, prepared by `make test` under Data/minilm).
@Suite("Real MiniLM tensors")
struct MiniLMTests {
    static var python: String? {
        let candidates = [ProcessInfo.processInfo.environment["QUANTSIM_SWEEPS_PYTHON"], CLI.repositoryRoot.path + "/.venv-sweeps/bin/python"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let data = CLI.repositoryRoot.path + "/Data/minilm"

    @Test("The numpy forward pass passes real-data.md §2.4's sanity checks on the recorded weights")
    func sanity() throws {
        let python = try #require(Self.python, "the sweep venv is missing: run make test")
        #expect(FileManager.default.fileExists(atPath: Self.data + "/index.json"), "run make test (it prepares Data/minilm)")
        let r = try CLI.runProgram(python, [CLI.repositoryRoot.path + "/Sweeps/minilm.py", "check", "--data", Self.data])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("\"cosine_3_4\": 0.5756") && r.stdout.contains("\"tokens\": 58") && r.stdout.contains("\"layers\": 36"))
    }

    /// Layer 0's FFN-down input has absmax/std near 80 (real-data.md §1.5): per-tensor INT8 spends
    /// its levels on the outliers, E4M3's logarithmic grid keeps the small values.
    @Test("A real layer through simulate run: FFN-down of layer 0 (heavy outliers), E4M3 beats per-tensor INT8 by more than 10 dB on H100")
    func realLayer() throws {
        let x = Self.data + "/layers/l0_output_dense_x.npy", w = Self.data + "/layers/l0_output_dense_w.npy"
        func sqnr(_ format: String) throws -> Double {
            let r = try CLI.run(["run", "Architectures/nvidia-h100-sxm.json", "--gemm", "58x384x1536", "--a-format", format, "--b-format", format,
                                 "--data", x, "--b-data", w, "--numerics", "full", "--output", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            #expect((report["verification"] as! [String: Any])["mismatches"] as! Int == 0)
            return (report["accuracy"] as! [String: Any])["sqnr_db"] as! Double
        }
        let fp8 = try sqnr("e4m3"), int8 = try sqnr("int8")
        #expect(fp8 > int8 + 10, "e4m3 \(fp8) dB, int8 \(int8) dB")
    }
}
