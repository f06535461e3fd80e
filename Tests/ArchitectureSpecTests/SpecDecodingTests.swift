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
                && messages.contains { $0.contains("chip.clock_mhz: must lie in 1.0...10000.0") }
        }
    }

    /// What `run` and `mma` could not execute is rejected by validation, naming the instruction.
    @Test("Instructions must fit their profile's algorithm", arguments: [
        ("\"block_width\": 16", "\"block_width\": 256", "block_width 256 does not divide the instruction's shape_k 16"),
        ("\"input_formats\": [\"fp16\"]", "\"input_formats\": [\"int8\"]", "block_fma takes floating-point inputs"),
        ("\"accumulator_formats\": [\"fp32\"]", "\"accumulator_formats\": [\"int32\"]", "accumulates in fp32 or fp16"),
        ("\"algorithm\": \"block_fma\"", "\"algorithm\": \"block_scaled\"", "block_scaled needs a scale_format"),
        ("\"algorithm\": \"block_fma\"", "\"algorithm\": \"integer\"", "integer MMA takes integer inputs"),
        ("\"clock_mhz\": 1830", "\"clock_mhz\": 1e308", "chip.clock_mhz: must lie in"),
        ("\"fma_per_sm_per_cycle\": 2048", "\"fma_per_sm_per_cycle\": 1e308", "fma_per_sm_per_cycle: must lie in"),
        ("\"source\": \"test\"", "\"source\": \"test\", \"min_alignment_exponent\": 9223372036854775807", "min_alignment_exponent"),
        ("\"issue_scope\": \"warpgroup\"", "\"issue_scope\": \"warpgroup\", \"scale_block\": 16", "apply to block_scaled profiles only"),
        ("\"algorithm\": \"block_fma\", \"block_width\": 16,", "\"algorithm\": \"block_scaled\", \"scale_group_size\": 0,",
         "block_scaled needs a scale_format"),
    ])
    func instructionProfileConsistency(_ from: String, _ to: String, _ message: String) {
        let text = valid.replacingOccurrences(of: from, with: to)
        #expect(text != valid)
        #expect {
            _ = try ArchitectureLoader.decode(text, file: "t.json")
        } throws: { error in
            (error as? SpecValidationError)?.description.contains(message) ?? false
        }
    }

    @Test("Block-scaled instructions: one scale pair per instruction with group size 0, whole groups per block otherwise")
    func blockScaledShapes() {
        let scaled = valid
            .replacingOccurrences(of: "\"algorithm\": \"block_fma\", \"block_width\": 16,", with: "\"algorithm\": \"block_scaled\", \"scale_group_size\": 0,")
            .replacingOccurrences(of: "\"issue_scope\": \"warpgroup\"", with: "\"issue_scope\": \"warpgroup\", \"scale_format\": \"e8m0\", \"scale_block\": 8")
        #expect(scaled != valid)
        #expect {
            _ = try ArchitectureLoader.decode(scaled, file: "t.json")
        } throws: { error in
            (error as? SpecValidationError)?.description.contains("scale_block must equal shape_k 16") ?? false
        }
        let fixed = scaled.replacingOccurrences(of: "\"scale_block\": 8", with: "\"scale_block\": 16")
        #expect(throws: Never.self) { _ = try ArchitectureLoader.decode(fixed, file: "t.json") }
        // Exact 16-element group sums are defined for E2M1 only; scale formats are floats.
        let grouped = fixed.replacingOccurrences(of: "\"scale_group_size\": 0,", with: "\"scale_group_size\": 16,")
        #expect {
            _ = try ArchitectureLoader.decode(grouped, file: "t.json")
        } throws: { error in
            (error as? SpecValidationError)?.description.contains("sums E2M1 groups exactly") ?? false
        }
        let intScale = fixed.replacingOccurrences(of: "\"scale_format\": \"e8m0\"", with: "\"scale_format\": \"int8\"")
        #expect {
            _ = try ArchitectureLoader.decode(intScale, file: "t.json")
        } throws: { error in
            (error as? SpecValidationError)?.description.contains("not a floating-point scale format") ?? false
        }
    }

    @Test("A byte-order mark and an integer beyond 64 bits get messages that say so")
    func encodingAndRange() {
        #expect {
            _ = try ArchitectureLoader.decode("\u{FEFF}" + valid, file: "t.json")
        } throws: { error in "\(error)".contains("byte-order mark") }
        let big = valid.replacingOccurrences(of: "\"sm_count\": 132", with: "\"sm_count\": 99999999999999999999")
        #expect {
            _ = try ArchitectureLoader.decode(big, file: "t.json")
        } throws: { error in "\(error)".contains("beyond the 64-bit integer range") }
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

/// Documents that are not regular files, too large, or not UTF-8 are refused with a located
/// message, never read to exhaustion or decoded with replacement characters.
@Suite("Reading architecture documents")
struct DocumentReadingTests {
    static func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = NSTemporaryDirectory() + "quantsim-read-\(getpid())-\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test("A device, a directory and a missing file are refused")
    func notRegular() {
        for path in ["/dev/zero", "/tmp", "/nonexistent.json"] {
            #expect { try ArchitectureLoader.load(path: path) } throws: { "\($0)".contains(path) }
        }
        #expect { try ArchitectureLoader.load(path: "/dev/zero") } throws: { "\($0)".contains("not a regular file") }
    }

    @Test("A byte that is not UTF-8 is reported at its line and column")
    func notUTF8() {
        let text = Array("{\n  \"schema_version\": 1,\n  \"name\": \"ab".utf8) + [0xFF] + Array("\",\n  \"kind\": \"tensor_core_gpu\"\n}\n".utf8)
        let path = Self.write(text, "bad-utf8.json")
        #expect { try ArchitectureLoader.load(path: path) } throws: { "\($0)".contains("0xFF is not UTF-8") && "\($0)".contains("3:14") }
        // Valid multi-byte text is fine, and later columns count characters.
        let fine = Self.write(Array("{\"schema_version\": 1, \"name\": \"é\", \"kind\": 7}".utf8), "ok-utf8.json")
        #expect { try ArchitectureLoader.load(path: fine) } throws: { !"\($0)".contains("UTF-8") }
    }

    @Test("A document over the size limit is refused before it is read")
    func tooLarge() {
        let path = NSTemporaryDirectory() + "quantsim-read-\(getpid())-large.json"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = FileHandle(forWritingAtPath: path)!
        try? handle.truncate(atOffset: UInt64(ArchitectureLoader.maximumBytes + 1))
        try? handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try ArchitectureLoader.load(path: path) } throws: { "\($0)".contains("MiB") }
    }
}

extension DocumentReadingTests {
    @Test("Without a valid kind, keys that no kind knows are still reported")
    func unknownKeysWithoutKind() {
        for kind in ["", "\"kind\": \"tensor_gpu\", "] {
            let path = Self.write(Array("{\"schema_version\": 1, \(kind)\"name\": \"x\", \"sourcez\": [\"a\"], \"sm\": {}}".utf8),
                                  "nokind-\(kind.count).json")
            #expect { try ArchitectureLoader.load(path: path) } throws: {
                "\($0)".contains("unknown key \"sourcez\"") && "\($0)".contains("did you mean \"sources\"") && !"\($0)".contains("unknown key \"sm\"")
            }
        }
    }
}
