import ArchitectureSpec
import EngineKit
import Foundation
import Formats
import Simulation
import Testing
import Workloads

/// `validate` accepts exactly what `run` executes: seeded mutations of every shipped document
/// (fields at the bounds of their types, formats of every kind, removed and duplicated list
/// items); whenever `Simulator.validate` accepts one, a small GEMM with every format an
/// instruction (or unit) lists runs without error and without a trap.
@Suite("Validation accepts exactly what runs")
struct ValidationPropertyTests {
    static let repository = "/" + String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))

    static func shipped(kind: String) -> [(String, Any)] {
        let directory = repository + "/Architectures"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".json") }.sorted() ?? []
        return files.compactMap { f in
            guard let data = FileManager.default.contents(atPath: directory + "/" + f),
                  let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any],
                  dictionary["kind"] as? String == kind else { return nil }
            return (f, object)
        }
    }

    static var numbers: [Any] { [0, 1, -1, 2, 3, 4, 7, 8, 13, 16, 24, 31, 32, 33, 64, 128, 1000, 1024, 4096, 65536, 1e6, 1e9, 2147483648,
                                 0.5, 1.5, 1e308, -1e9] }
    static var strings: [Any] { ["", " ", "fp64", "fp32", "fp16", "bf16", "tf32", "e4m3", "e5m2", "e3m2", "e2m3", "e2m1", "e8m0", "ue4m3",
                                 "int32", "int16", "int8", "uint8", "int4", "uint4", "int2", "uint1", "ternary", "binary", "nf4",
                                 "mxfp4", "nvfp4", "bitmod4", "e11m52", "e5m10", "warp", "warpgroup", "cta", "block_fma", "integer",
                                 "block_scaled", "fp8_via_f16_steps", "amd_cdna3", "x", "int8", "fp16", "int32"] }

    /// Every path to a value in a JSON tree.
    static func paths(_ v: Any, _ prefix: [Any] = []) -> [[Any]] {
        var out: [[Any]] = [prefix]
        if let d = v as? [String: Any] { for (k, x) in d.sorted(by: { $0.key < $1.key }) { out += paths(x, prefix + [k]) } }
        if let a = v as? [Any] { for (i, x) in a.enumerated() { out += paths(x, prefix + [i]) } }
        return out
    }

    static func mutate(_ v: Any, at path: ArraySlice<Any>, _ rng: inout SeededGenerator) -> Any {
        guard let head = path.first else {
            let r = Int(rng.next() % 100)
            if v is Bool { return !(v as! Bool) }
            if v is NSNumber || v is Int || v is Double { return numbers[Int(rng.next() % UInt64(numbers.count))] }
            if v is String { return strings[Int(rng.next() % UInt64(strings.count))] }
            if var a = v as? [Any] {
                if a.isEmpty || r < 20 { return [Any]() }
                let i = Int(rng.next() % UInt64(a.count))
                if r < 60 { a.remove(at: i) } else { a.append(a[i]) }
                return a
            }
            if var d = v as? [String: Any], !d.isEmpty {
                let key = d.keys.sorted()[Int(rng.next() % UInt64(d.count))]
                if r < 70 { d[key] = nil } else { d[key + "x"] = 1 }
                return d
            }
            return v
        }
        if var d = v as? [String: Any], let k = head as? String { d[k] = mutate(d[k]!, at: path.dropFirst(), &rng); return d }
        if var a = v as? [Any], let i = head as? Int { a[i] = mutate(a[i], at: path.dropFirst(), &rng); return a }
        return v
    }

    /// The MX / NVFP4 name `simulate run` takes for a block-scaled instruction's element format.
    static func runFormat(_ input: String, _ instruction: MMAInstructionSpec) -> String {
        guard let scale = instruction.scaleFormat else { return input }
        if FormatCatalog.parse(scale) == FormatCatalog.parse("ue4m3") { return "nvfp4" }
        let names: [String: String] = ["e4m3": "mxfp8e4m3", "e5m2": "mxfp8e5m2", "e3m2": "mxfp6e3m2", "e2m3": "mxfp6e2m3", "e2m1": "mxfp4"]
        return names[input] ?? input
    }

    func request(_ path: String, a: String, b: String, d: String?, instruction: String?, k: Int) -> RunRequest {
        var r = RunRequest(architecturePath: path, shape: GEMMShape(m: 16, n: 16, k: k), aFormat: a, bFormat: b, dFormat: d, instruction: instruction,
                           quantization: nil, dataA: .synthetic(.gaussian), dataB: .synthetic(.gaussian), seed: 1, recheckCount: 8)
        r.threads = 1
        return r
    }

    @Test("10^4 mutated documents per kind: validate's verdict matches run's", arguments: ["tensor_core_gpu", "lut_tensor_core", "pe_array", "fpga_dsp"])
    func property(_ kind: String) throws {
        let bases = Self.shipped(kind: kind)
        #expect(!bases.isEmpty)
        var rng = SeededGenerator(seed: ["tensor_core_gpu": 16, "lut_tensor_core": 61, "pe_array": 11, "fpga_dsp": 12][kind]!)
        let file = NSTemporaryDirectory() + "quantsim-mutant-\(getpid())-\(kind).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var accepted = 0, runs = 0, disagreements: [String] = []
        for trial in 0..<10_000 {
            let (name, base) = bases[trial % bases.count]
            var document = base
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let all = Self.paths(document)
                document = Self.mutate(document, at: all[Int(rng.next() % UInt64(all.count))][...], &rng)
            }
            guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]),
                  let text = String(data: data, encoding: .utf8) else { continue }
            guard let valid = try? Simulator.validate(text: text, file: name) else { continue }
            accepted += 1
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            var attempts: [RunRequest] = []
            switch valid.body {
            case .tensorCoreGPU(let gpu):
                guard gpu.sm != nil && gpu.memory != nil else { continue }  // numerics only: `mma` (checked by MMAUnit in validate)
                let instruction = gpu.mmaInstructions[Int(rng.next() % UInt64(gpu.mmaInstructions.count))]
                for input in instruction.inputFormats {
                    let f = Self.runFormat(input, instruction)
                    attempts.append(request(file, a: f, b: f, d: instruction.accumulatorFormats[0], instruction: instruction.name, k: 2 * instruction.shapeK))
                }
            case .lutTensorCore(let spec):
                let activation = spec.unit.tableFormat.isInteger ? "int8" : "fp16"
                for bits in 1...spec.unit.maxWeightBits {
                    attempts.append(request(file, a: activation, b: "uint\(bits)", d: nil, instruction: nil, k: 3 * spec.unit.tileK + 1))
                }
            case .peArray(let spec):
                let pairs: [(String, String)]
                switch spec.pe.type {
                case .bitmod: pairs = [("fp16", "int8"), ("fp16", "bitmod4"), ("fp16", "int6")]
                case .fp16Int: pairs = [("fp16", "int8"), ("fp16", "flint4")]
                case .fp16MAC: pairs = [("fp16", "fp16")]
                case .intMAC: pairs = [("int8", "int8"), ("int4", "int4")]
                case .lmul: pairs = [("fp16", "fp16"), ("e4m3", "e4m3")]
                }
                for (a, b) in pairs { attempts.append(request(file, a: a, b: b, d: nil, instruction: nil, k: 2 * spec.pe.groupSize + 3)) }
            case .fpgaDSP(let spec):
                let pairs: [(String, String)]
                switch spec.datapath.mode {
                case .int8Packed2, .int8Single, .int8Dot3: pairs = [("int8", "int8"), ("uint8", "int8")]
                case .int8Tensor: pairs = [("int8", "int8")]
                case .int4Packed4: pairs = [("uint4", "int4"), ("int4", "int4")]
                case .dspfp32: pairs = [("fp16", "fp16"), ("fp32", "fp32")]
                case .minifloatKulisch: pairs = [("e4m3", "e4m3"), ("e2m1", "e2m1")]
                }
                for (a, b) in pairs { attempts.append(request(file, a: a, b: b, d: nil, instruction: nil, k: 3 * spec.datapath.passLength + 1)) }
            }
            for r in attempts {
                runs += 1
                do {
                    let report = try Simulator.run(r).report
                    if report.verification?.mismatches ?? 0 > 0 { disagreements.append("\(name) trial \(trial) \(r.aFormat): re-check mismatches") }
                } catch {
                    if disagreements.count < 10 { disagreements.append("\(name) trial \(trial) \(r.aFormat): validate accepted, run refused: \(error)\n\(text)") }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n\n"))")
        // The mutations must leave a good share of documents valid, or the property says little.
        #expect(accepted >= 1000, "only \(accepted) valid mutants")
        #expect(runs >= 1000, "only \(runs) runs")
    }

    @Test("The issue's example: fp64 inputs on V100 exit validation with the path and reason")
    func fp64() throws {
        var text = try String(contentsOfFile: Self.repository + "/Architectures/nvidia-v100-sxm2.json", encoding: .utf8)
        let first = text.range(of: "\"input_formats\": [")!
        let close = text[first.upperBound...].firstIndex(of: "]")!
        text.replaceSubrange(first.upperBound..<close, with: "\"fp64\"")
        #expect { try Simulator.validate(text: text, file: "v100.json") } throws: {
            "\($0)".contains("mma_instructions[0].input_formats") && "\($0)".contains("fp64 is not a tensor-core input format")
        }
    }

    @Test("Masks of every width 0...64 (no shift traps at 64)")
    func masks() {
        for bits in 0...64 {
            let m = BitMask.low(bits)
            #expect(m.nonzeroBitCount == bits && (bits == 64 || m >> UInt64(bits) == 0))
        }
        for position in 0..<64 { #expect(BitMask.bit(position).trailingZeroBitCount == position) }
    }
}
