import ArchitectureSpec
import DSPChainEngine
import EngineKit
import Formats
import Workloads

/// `simulate mma` on an `fpga_dsp` document: one chain pass per line. Lines:
/// `A_CODES<TAB>W_CODES[<TAB>D_LIST]`; for the INT8 two-lane mode the A column holds the two
/// lanes' activations separated by `;` (they share the weights), for the INT4 four-lane mode the
/// W column holds four lanes' weights separated by `;` (they share the activations). Output: the
/// raw lane results (hex, comma separated), each followed by `!` when it differs from the exact
/// sum (a lane overflow).
struct FPGAVectors {
    let arch: String
    let spec: FPGADSPSpec
    let types: String
    let vectors: String
    let check: Bool
    let show: Int

    func run() throws {
        let (names, fa, fb) = try CodeVectors.typePair(types, unit: "an FPGA design", example: "int8,int8")
        let engine = DSPChainEngine(name: arch, spec: spec)
        let mode = spec.datapath.mode
        var outputs: [String] = [], mismatches: [String] = []
        var matches = 0, total = 0
        for (number, line) in try readLines(vectors).enumerated() where !line.isEmpty {
            let place = "\(vectors) line \(number + 1)"
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 3 else {
                throw CLIError.usage("\(place): expected 2 or 3 tab-separated columns (A codes, W codes[, expected lane results]), got \(fields.count)")
            }
            func lanes(_ f: Substring, _ what: String, bits: Int) throws -> [[UInt64]] {
                try f.split(separator: ";", omittingEmptySubsequences: false).map { lane in
                    try lane.split(separator: ",", omittingEmptySubsequences: false).map { item in
                        let t = item.trimmingCharacters(in: " ")
                        guard !t.isEmpty, t.allSatisfy(\.isHexDigit), let v = UInt64(t, radix: 16) else {
                            throw CLIError.usage("\(place): \(what) item \"\(item)\" is not hex")
                        }
                        guard v < 1 << UInt64(bits) else { throw CLIError.usage("\(place): \(what) code \(t) exceeds \(bits) bits") }
                        return v
                    }
                }
            }
            let a = try lanes(fields[0], "A", bits: fa.bitWidth), w = try lanes(fields[1], "W", bits: fb.bitWidth)
            let wantA = mode == .int8Packed2 ? 2 : 1, wantW = mode == .int4Packed4 ? 4 : 1
            guard a.count == wantA, w.count == wantW else {
                throw CLIError.usage("\(place): \(mode.rawValue) takes \(wantA) activation lane(s) and \(wantW) weight lane(s) (lanes separated by ';'), got \(a.count) and \(w.count)")
            }
            let k = a[0].count
            guard (a + w).allSatisfy({ $0.count == k }) else { throw CLIError.usage("\(place): every lane needs the same number of codes") }
            let plan: DSPPlan
            do {
                plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: wantA, n: wantW, k: k), aFormat: names[0], bFormat: names[1], quantization: QuantizationChoice.none))
            } catch { throw CLIError.usage("\(arch): \(error)") }
            let results = engine.chainPass(plan, activations: a, weights: w)
            let digits = plan.rawFormat.bitWidth / 4
            let text = results.map { String($0.raw, radix: 16).leftPadded(to: digits) + ($0.exact ? "" : "!") }.joined(separator: ",")
            outputs.append(text)
            if check {
                guard fields.count == 3 else { throw CLIError.usage("\(place): --check needs the expected lane results in the third column") }
                total += 1
                let expected = fields[2].split(separator: ",").map { $0.trimmingCharacters(in: " ").replacingOccurrences(of: "!", with: "") }
                let got = results.map { String($0.raw, radix: 16).leftPadded(to: digits) }
                if expected == got { matches += 1 } else if mismatches.count < show {
                    mismatches.append("\(place): expected \(expected.joined(separator: ",")) got \(got.joined(separator: ","))")
                }
            }
        }
        if check {
            guard total > 0 else { throw CLIError.usage("\(vectors) holds no vector lines to check") }
            StandardStreams.output((["\(matches)/\(total) match (FPGA chain, \(mode.rawValue))"] + mismatches).joined(separator: "\n"))
            if matches != total { throw CLIError.runtime("\(total - matches) mismatches") }
        } else if !outputs.isEmpty {
            StandardStreams.output(outputs.joined(separator: "\n"))
        }
    }
}
