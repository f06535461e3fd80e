import Formats
import Foundation
import Testing
import Workloads

@Suite("Seeded matrix generators and matrix files")
struct GeneratorTests {
    static func moments(_ d: MatrixDistribution, role: MatrixDistribution.Role = .b) -> (mean: Double, variance: Double, kurtosis: Double) {
        var values: [Double] = []
        for r in 0..<200 { values += d.row(r, columns: 1000, role: role, seed: 7) }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let fourth = values.reduce(0) { $0 + pow($1 - mean, 4) } / n
        return (mean, variance, fourth / (variance * variance))
    }

    @Test("Gaussian, Laplace and Student-t have their moments (2e5 samples, 5-sigma bounds)")
    func moments() {
        let g = Self.moments(.gaussian)
        #expect(Swift.abs(g.mean) < 5 / 447.0 && Swift.abs(g.variance - 1) < 0.02 && Swift.abs(g.kurtosis - 3) < 0.1)
        let l = Self.moments(.laplace)
        #expect(Swift.abs(l.mean) < 5 / 447.0 && Swift.abs(l.variance - 1) < 0.03 && Swift.abs(l.kurtosis - 6) < 0.5)
        let t = Self.moments(.studentT(nu: 8))  // variance nu/(nu-2) = 4/3, kurtosis 3 + 6/(nu-4) = 4.5
        #expect(Swift.abs(t.variance - 4.0 / 3) < 0.05 && Swift.abs(t.kurtosis - 4.5) < 0.6)
    }

    @Test("Same seed, same rows; rows are independent of each other; LLM outlier channels")
    func determinism() {
        let d = MatrixDistribution.llmOutliers(outlierFraction: 0.01)
        #expect(d.row(5, columns: 64, role: .a, seed: 3) == d.row(5, columns: 64, role: .a, seed: 3))
        #expect(d.row(5, columns: 64, role: .a, seed: 3) != d.row(6, columns: 64, role: .a, seed: 3))
        let channels = MatrixDistribution.outlierChannels(columns: 1000, fraction: 0.01, seed: 3)
        #expect(channels.count == 10 && channels.allSatisfy { $0.1 >= 20 && $0.1 <= 100 })
        var outlierSum = 0.0, normalSum = 0.0
        for r in 0..<400 {
            let row = d.row(r, columns: 1000, role: .a, seed: 3)
            outlierSum += abs(row[channels[0].0])
            normalSum += abs(row[(channels[0].0 + 1) % 1000])
        }
        #expect(outlierSum / normalSum > 15)
        // Weights (B) have no outliers.
        #expect(d.row(0, columns: 1000, role: .b, seed: 3).map(abs).max()! < 8)
        #expect(MatrixDistribution(parsing: "student-t:3") == .studentT(nu: 3))
        #expect(MatrixDistribution(parsing: "student-t:0") == nil)
    }

    func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = NSTemporaryDirectory() + "quantsim-\(getpid())-\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func npy(descr: String, fortran: Bool, shape: String, payload: [UInt8]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + payload
    }

    @Test(".npy float16/32/64 in C and Fortran order; errors name the file")
    func npyFiles() throws {
        let f32: [Float] = [1, 2, 3, 4, 5, 6]
        let c = write(npy(descr: "<f4", fortran: false, shape: "(2, 3)", payload: f32.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }), "c.npy")
        let m = try MatrixFile.load(c)
        #expect(m.rows == 2 && m.columns == 3 && m.values == [1, 2, 3, 4, 5, 6])
        let fortran = write(npy(descr: "<f8", fortran: true, shape: "(2, 3)", payload: [1.0, 4, 2, 5, 3, 6].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }), "f.npy")
        #expect(try MatrixFile.load(fortran).values == [1, 2, 3, 4, 5, 6])
        let half = write(npy(descr: "<f2", fortran: false, shape: "(1, 2)", payload: [0x00, 0x3C, 0x00, 0xC0]), "h.npy")
        #expect(try MatrixFile.load(half).values == [1, -2])
        let bad = write(npy(descr: "<i4", fortran: false, shape: "(1, 1)", payload: [0, 0, 0, 0]), "i.npy")
        #expect { try MatrixFile.load(bad) } throws: { "\($0)".contains("unsupported element type") && "\($0)".contains(bad) }
        let threeD = write(npy(descr: "<f4", fortran: false, shape: "(2, 2, 2)", payload: [UInt8](repeating: 0, count: 32)), "3d.npy")
        #expect { try MatrixFile.load(threeD) } throws: { "\($0)".contains("expected a 2-D array") }
        #expect { try MatrixFile.load("/nonexistent.npy") } throws: { "\($0)".contains("cannot read") }
    }

    func npy(header raw: String, payload: [UInt8]) -> [UInt8] {
        var header = raw
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + payload
    }

    /// The header dict is parsed as numpy writes it; loose variants are refused (one of them,
    /// a duplicated fortran_order, numpy reads as the transpose of what a loose reader took).
    @Test(".npy headers: malformed dicts are refused with the reason", arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'fortran_order': True, 'shape': (2, 2), }", "given twice"),
        ("{'descr': '<f4', 'fortran_order': 'True', 'shape': (2, 2), }", "True or False"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), ", "expected"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), } garbage", "text after the dict"),
        ("{'descr': '<f4', 'shape': (2, 2), }", "needs descr, fortran_order and shape"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'extra': 1, }", "unknown key"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -2), }", "not a non-negative integer"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2x), }", "expected"),
        ("{'descr': '<f4, 'fortran_order': False, 'shape': (2, 2), }", "expected"),
    ])
    func npyHeaders(_ header: String, _ reason: String) {
        let path = write(npy(header: header, payload: [UInt8](repeating: 0, count: 16)), "hdr-\(abs(header.hashValue)).npy")
        #expect { try MatrixFile.load(path) } throws: { "\($0)".contains(reason) && "\($0)".contains("malformed .npy header") }
        // The well-formed spellings numpy writes (with and without the trailing comma) read.
        let good = write(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}", payload: [UInt8](repeating: 0, count: 16)), "good.npy")
        #expect((try? MatrixFile.load(good))?.rows == 2)
    }

    @Test(".safetensors tensors by name; unknown names get suggestions")
    func safetensors() throws {
        let header = #"{"__metadata__":{"format":"pt"},"layer.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"layer.bias":{"dtype":"BF16","shape":[1,2],"data_offsets":[16,20]}}"#
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8)
        bytes += [Float(1), 2, 3, 4].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        bytes += [0x80, 0x3F, 0x00, 0xC0]  // bf16 1.0, -2.0
        let path = write(bytes, "m.safetensors")
        #expect(try MatrixFile.load(path + ":layer.weight").values == [1, 2, 3, 4])
        #expect(try MatrixFile.load(path + ":layer.bias").values == [1, -2])
        #expect { try MatrixFile.load(path + ":layer.weigth") } throws: { "\($0)".contains("no tensor") }
    }
}
