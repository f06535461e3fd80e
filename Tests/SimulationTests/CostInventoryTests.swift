import ArchitectureSpec
import CostModel
import Simulation
import Foundation
import Testing
import Workloads

@Suite("Cost inventories of the tensor-core presets")
struct CostInventoryTests {
    static let directory = "/" + RunTests.repository + "/Architectures"
    static let all = ["nvidia-v100-sxm2", "nvidia-t4", "nvidia-a100-sxm4-80gb", "nvidia-a2", "nvidia-rtx1000-ada", "nvidia-l40s",
                      "nvidia-h100-sxm", "nvidia-h200-sxm", "nvidia-b200", "amd-mi300x"]

    @Test("Every preset has priced tensor-core modes; presets with SM and memory sections size every component", arguments: all)
    func inventory(_ name: String) throws {
        let inv = try TensorCoreInventory.load(path: Self.directory + "/" + name + ".json")
        let tensor = try #require(inv.component("tensor"))
        #expect(!tensor.actions.isEmpty && tensor.actions.allSatisfy { $0.energy_pj > 0 && $0.energy_pj < 5 })
        let document = try ArchitectureLoader.load(path: Self.directory + "/" + name + ".json")
        guard case .tensorCoreGPU(let gpu) = document.body else { return }
        if gpu.sm != nil {
            #expect((tensor.area_um2_per_instance ?? 0) > 0)
            for c in ["rf", "smem"] { #expect((inv.component(c)?.area_mm2 ?? 0) > 0, "\(name): \(c)") }
        }
        if gpu.memory != nil {
            #expect((inv.component("l2")?.area_mm2 ?? 0) > 0)
            #expect((inv.component("dram")?.actions.first?.energy_pj ?? 0) > 20)
        }
        #expect(inv.technology.node_nm == gpu.chip.processNodeNM)
        #expect(inv.scaling.contains("Stillmaker-Baas"))
    }

    @Test("Per-FMA energy orders the formats as the datapaths do: INT8 < FP8 < FP16 < TF32 on H100")
    func formatOrder() throws {
        let tensor = try #require(try TensorCoreInventory.load(path: Self.directory + "/nvidia-h100-sxm.json").component("tensor"))
        func e(_ action: String) throws -> Double { try #require(tensor.actions.first { $0.action == action }).energy_pj }
        let int8 = try e("fma.int8_uint8.int32.wgmma"), fp8 = try e("fma.e4m3_e5m2.fp32.wgmma")
        let fp16 = try e("fma.fp16_bf16.fp32.wgmma"), tf32 = try e("fma.tf32.fp32.wgmma")
        #expect(int8 < fp8 && fp8 < fp16 && fp16 < tf32)
        // FP8 through mma.sync runs on the FP16 datapath (tensor-cores.md: FP16 emulation), so it costs FP16 energy.
        #expect(try abs(e("fma.e4m3_e5m2.fp32.mma.sync") / fp16 - 1) < 0.05)
    }

    @Test("The same datapath costs less at a newer node (one FP16 dot-product unit at 12, 7 and 4 nm, one anchor)")
    func nodeOrder() throws {
        let model = try CostModel.standard(anchor: "jouppi-7nm")
        let unit = DotProductUnit(products: 16, a: .float(exponentBits: 5, mantissaBits: 10), b: .float(exponentBits: 5, mantissaBits: 10),
                                  keptFractionBits: 25, accumulator: .float(exponentBits: 8, mantissaBits: 23))
        let energies = try [12.0, 7, 4].map { try model.library(at: Technology(nodeNM: $0, vddV: 0.8)).energy(unit.cells) }
        let areas = try [12.0, 7, 4].map { try model.library(at: Technology(nodeNM: $0, vddV: 0.8)).area(unit.cells) }
        #expect(energies[0] > energies[1] && energies[1] > energies[2])
        #expect(areas[0] > areas[1] && areas[1] > areas[2])
    }

    @Test("Every DRAM technology an architecture document may name has a priced entry")
    func dramCoverage() throws {
        let dram = DRAMModel(tables: try CostTables.standard())
        for t in MemorySpec.DRAMTechnology.allCases {
            let p = try dram.price(t.rawValue)
            #expect(p.picojoulesPerBit > 1 && p.picojoulesPerBit < 100)
            #expect(!p.source.isEmpty)
        }
    }

    @Test("Published comparisons: every estimate is compared or says why not; ratios are stated, not fitted")
    func comparisons() throws {
        let rows = try CostComparison.rows(directory: Self.directory)
        #expect(rows.count == 7)
        for r in rows {
            if let ratio = r.ratio {
                #expect(ratio > 0.001 && ratio < 100, "\(r.id): \(ratio)")
            } else {
                #expect(r.how.hasPrefix("not compared"))
            }
        }
        // Whole-run energy per MAC of a large FP16 GEMM within a factor 3 of the measured A100 and GH200 figures.
        for id in ["pub.a100.fp16_tensor_gemm_total", "pub.gh200.fp16_tensor_gemm_total"] {
            let r = try #require(rows.first { $0.id == id }?.ratio)
            #expect(r > 1.0 / 3 && r < 3, "\(id): \(r)")
        }
    }

    @Test("A document without a process node runs and says why it has no cost")
    func missingNode() throws {
        let path = NSTemporaryDirectory() + "quantsim-no-node-\(getpid()).json"
        let text = try String(contentsOfFile: Self.directory + "/nvidia-h100-sxm.json", encoding: .utf8)
            .replacingOccurrences(of: "\"process_node_nm\": 4,", with: "")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try Simulator.run(RunRequest(architecturePath: path, shape: GEMMShape(m: 32, n: 32, k: 32), aFormat: "fp16",
                                                      bFormat: "fp16", dFormat: "fp32", instruction: nil, quantization: nil,
                                                      dataA: .synthetic(.gaussian), dataB: .synthetic(.gaussian), seed: 1, recheckCount: 8)).report
        #expect(report.cost.status.contains("chip.process_node_nm is needed"))
        #expect(report.cost.breakdown == nil)
    }
}
