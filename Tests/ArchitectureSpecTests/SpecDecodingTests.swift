import Foundation
import ArchitectureSpec
import Testing

@Suite("Strict decoding and validation")
struct SpecDecodingTests {
    let valid = """
        {"schema_version": 1, "name": "G", "kind": "tensor_core_gpu", "sources": ["s"],
         "vendor": "NVIDIA", "microarchitecture": "Hopper", "compute_capability": "sm_90",
         "chip": {"sm_count": 132, "clock_mhz": 1830},
         "numerics_profiles": [{"name": "f16", "algorithm": "block_fma", "block_width": 16,
                                "kept_fraction_bits": 25, "source": "test"}],
         "mma_instructions": [{"name": "wgmma", "ptx": "wgmma", "input_formats": ["fp16"],
                               "accumulator_formats": ["fp32"], "shape_m": 64, "shape_n": 256, "shape_k": 16,
                               "numerics": "f16", "fma_per_sm_per_cycle": 2048, "latency_cycles": 160,
                               "issue_scope": "warpgroup"}]}
        """

    @Test("A valid document decodes")
    func decodesValid() throws {
        let d = try ArchitectureLoader.decode(valid, file: "t.json")
        guard case .tensorCoreGPU(let gpu) = d.body else { return }
        #expect(gpu.chip.smCount == 132 && gpu.chip.clockMHz == 1830)
        #expect(d.summary == "")
    }

    @Test("All errors at once, sorted by position, with suggestions")
    func allErrors() {
        let text = valid.replacingOccurrences(of: "\"sm_count\": 132", with: "\"sm_cont\": 132")
            .replacingOccurrences(of: "\"clock_mhz\": 1830", with: "\"clock_mhz\": -1")
        #expect {
            _ = try ArchitectureLoader.decode(text, file: "t.json")
        } throws: { error in
            guard let e = error as? SpecValidationError else { return false }
            let messages = e.diagnostics.map(\.description)
            return e.diagnostics.count == 3
                && messages.contains { $0.contains("chip.sm_cont: unknown key") && $0.contains("did you mean \"sm_count\"") }
                && messages.contains { $0.contains("chip.sm_count: missing required field") }
                && messages.contains { $0.contains("chip.clock_mhz: must be positive") }
        }
    }

    @Test("Unknown kind gets a suggestion")
    func unknownKind() {
        let text = valid.replacingOccurrences(of: "tensor_core_gpu", with: "tensor_cor_gpu")
        #expect {
            _ = try ArchitectureLoader.decode(text, file: "t.json")
        } throws: { error in
            (error as? SpecValidationError)?.description.contains("did you mean \"tensor_core_gpu\"?") ?? false
        }
    }

    @Test("Every field with a unit carries the unit suffix; every schema has docs")
    func unitSuffixes() {
        func walk(_ s: ObjectSchema) {
            #expect(!s.doc.isEmpty)
            for f in s.fields {
                #expect(!f.doc.isEmpty, "\(s.name).\(f.key) has no description")
                if let u = f.unit { #expect(f.key.hasSuffix("_" + u.rawValue)) }
                if let n = f.nestedSchema { walk(n) }
            }
        }
        for kind in ArchitectureKind.allCases { walk(ArchitectureDocument.schema(for: kind)) }
    }

    @Test("Edit distance suggestions")
    func suggestions() {
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.suggestion(for: "clock", among: ["clock_mhz", "sm_count"]) == "clock_mhz")
        #expect(EditDistance.suggestion(for: "zzzz", among: ["clock_mhz", "sm_count"]) == nil)
    }
}
