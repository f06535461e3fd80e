import Testing
import Workloads

/// SCALE-Sim topology CSVs (GEMM and convolution rows) and JSON workload lists, with their errors.
@Suite("Workload files")
struct WorkloadFileTests {
    @Test("SCALE-Sim GEMM topology: header, trailing commas, optional dense sparsity")
    func gemmTopology() throws {
        let w = try TopologyFile.parse("Layer,M,N,K,\ngemm256,256,256,256,\n q , 128, 384, 384, 1:1,\n\n", file: "t.csv")
        #expect(w.layers.map(\.name) == ["gemm256", "q"])
        #expect(w.layers[1].shape == GEMMShape(m: 128, n: 384, k: 384))
        #expect(w.layers.allSatisfy { $0.repeatCount == 1 && $0.roleB == .weight })
    }

    @Test("SCALE-Sim convolution topology lowers to GEMMs as SCALE-Sim does")
    func convolutionTopology() throws {
        // ResNet-18 conv1: 224x224x3 input, 7x7 filters, 64 of them, stride 2 (no padding).
        let w = try TopologyFile.parse("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nconv1,224,224,7,7,3,64,2,\n", file: "c.csv")
        let oh = (224 - 7) / 2 + 1
        #expect(w.layers[0].shape == GEMMShape(m: oh * oh, n: 64, k: 7 * 7 * 3))
    }

    @Test("Topology errors name the file, the line and the fix", arguments: [
        ("Layer,M,N,K,\ngemm,1,2,3\n", "t.csv:2: row does not end with a comma"),
        ("gemm,1,2,3,\n", "t.csv:1: the first row must be the header"),
        ("Layer,M,N,K,\ngemm,1,x,3,\n", "t.csv:2: M, N and K must be integers"),
        ("Layer,M,N,K,\ngemm,1,2,0,\n", "t.csv:2: M, N, K = 1, 2, 0"),
        ("Layer,M,N,K,\ngemm,1,2,3,2:4,\n", "sparsity \"2:4\" is not modelled"),
        ("Layer,M,N,K,\ngemm,1,2,\n", "expected 4 fields"),
        ("Layer,M,N,K,\n", "no layers"),
        ("Layer,M,N,K,\ngemm,3037000499,3037000499,2,\n", "must fit 64 bits"),
    ])
    func topologyErrors(_ text: String, _ message: String) {
        #expect { try TopologyFile.parse(text, file: "t.csv") } throws: { "\($0)".contains(message) }
    }

    @Test("JSON workload: object or array, defaults, roles")
    func jsonWorkload() throws {
        let w = try WorkloadFile.parse("""
            {"name": "mine", "layers": [{"name": "q", "m": 8, "n": 16, "k": 32, "repeat": 4},
                                         {"name": "qk", "m": 8, "n": 8, "k": 16, "b_role": "kv_cache"}]}
            """, file: "w.json")
        #expect(w.name == "mine" && w.layers.count == 2)
        #expect(w.layers[0].repeatCount == 4 && w.layers[1].repeatCount == 1 && w.layers[1].roleB == .kvCache)
        #expect(w.multiplyAccumulates == Double(4 * 8 * 16 * 32 + 8 * 8 * 16))
        let bare = try WorkloadFile.parse(#"[{"name": "x", "m": 1, "n": 2, "k": 3}]"#, file: "b.json")
        #expect(bare.layers[0].shape == GEMMShape(m: 1, n: 2, k: 3))
    }

    @Test("JSON workload errors name the path and line", arguments: [
        (#"[{"name": "x", "m": 1, "n": 2, "k": 3, "reapeat": 2}]"#, "w.json:1:40: [0].reapeat: unknown key"),
        (#"[{"name": "x", "m": 1, "n": 2}]"#, "[0]: missing \"k\""),
        (#"[{"name": "x", "m": 1.5, "n": 2, "k": 3}]"#, "[0].m: expected a positive integer"),
        (#"[{"name": "x", "m": 1, "n": 2, "k": 3, "b_role": "bias"}]"#, "[0].b_role: expected one of"),
        (#"{"layers": []}"#, "layers is empty"),
        (#"{"layers": [1]}"#, "layers[0]: expected an object"),
        (#"[{"name": "", "m": 1, "n": 2, "k": 3}]"#, "[0].name: expected a non-empty string"),
        ("[", "invalid JSON"),
    ])
    func jsonErrors(_ text: String, _ message: String) {
        #expect { try WorkloadFile.parse(text, file: "w.json") } throws: { "\($0)".contains(message) }
    }

    @Test("Files are read with a size bound: a device is refused")
    func bounded() {
        #expect { try TopologyFile.load(path: "/dev/zero") } throws: { "\($0)".contains("larger than") }
        #expect { try WorkloadFile.load(path: "/nonexistent.json") } throws: { "\($0)".contains("cannot read") }
    }
}
