import ArchitectureSpec
import DSPChainEngine
import EngineKit
import Formats
import Workloads

enum DSPSupport {
    static func engine(family: String, mode: String, chain: Int = 8, correction: String = "sign_bit", kulischTerms: Int = 16) throws -> DSPChainEngine {
        let text = """
            {"schema_version": 1, "name": "test", "kind": "fpga_dsp", "sources": ["test"],
             "device": {"part": "TEST", "family": "\(family)", "speed_grade": "-2", "dsp": 9024, "lut": 1303680, "ff": 2607360, "bram36": 2016,
                        "uram": 960, "dsp_fmax_mhz": 775, "memory_technology": "hbm2", "memory_bandwidth_gb_s": 460, "process_node_nm": 16,
                        "core_voltage_v": 0.85},
             "datapath": {"mode": "\(mode)", "chain_length": \(chain), "lane_correction": "\(correction)", "kulisch_terms": \(kulischTerms)},
             "mapping": {"clock_mhz": 300},
             "power": {}}
            """
        guard case .fpgaDSP(let s) = try ArchitectureLoader.decode(text, file: "test.json").body else { fatalError("not fpga_dsp") }
        return DSPChainEngine(name: "test", spec: s)
    }

    static func plan(_ e: DSPChainEngine, _ a: String, _ b: String, m: Int = 1, n: Int = 1, k: Int) throws -> DSPPlan {
        try e.plan(GEMMRequest(shape: GEMMShape(m: m, n: n, k: k), aFormat: a, bFormat: b, quantization: QuantizationChoice.none))
    }

    static func int(_ f: String, _ code: UInt64) -> Int64 {
        guard case .integer(let i) = FormatCatalog.parse(f)!.elementFormat! else { fatalError() }
        return i.integer(ofCode: code)
    }

    static func code(_ f: String, _ value: Int64) -> UInt64 {
        guard case .integer(let i) = FormatCatalog.parse(f)!.elementFormat! else { fatalError() }
        return UInt64(bitPattern: value) & ((1 << UInt64(i.bitWidth)) - 1)
    }
}
