import ArchitectureSpec
import EngineKit
import Formats
import LUTEngine
import Workloads

/// `simulate mma` on a `lut_tensor_core` document: one raw LUT accumulator per line, from the
/// activation codes and weight codes of one weight group.
struct LUTVectors {
    let arch: String
    let spec: LUTTensorCoreSpec
    let types: String
    let vectors: String
    let check: Bool
    let show: Int

    func run() throws {
        let names = types.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        guard names.count == 2, let activation = FormatCatalog.parse(names[0])?.elementFormat,
              let weight = FormatCatalog.parse(names[1])?.elementFormat else {
            throw CLIError.usage("--types for a LUT unit takes ACTIVATION,WEIGHT (two known format names, e.g. fp16,uint2), got \(types)")
        }
        let engine = LUTTensorCoreEngine(name: arch, spec: spec)
        let digits = spec.unit.accumulatorFormat == .fp16 ? 4 : 8
        var outputs: [String] = [], mismatches: [String] = []
        var matches = 0, total = 0
        var planned: [Int: LUTPlan] = [:]
        for (number, line) in try readLines(vectors).enumerated() where !line.isEmpty {
            let place = "\(vectors) line \(number + 1)"
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 || fields.count == 3 else {
                throw CLIError.usage("\(place): expected 2 or 3 tab-separated columns (A codes, W codes[, expected D]), got \(fields.count)")
            }
            func hexList(_ f: Substring, _ what: String, bits: Int) throws -> [UInt64] {
                try f.split(separator: ",", omittingEmptySubsequences: false).map { item in
                    let t = item.trimmingCharacters(in: " ")
                    guard !t.isEmpty, t.allSatisfy(\.isHexDigit), let v = UInt64(t, radix: 16) else {
                        throw CLIError.usage("\(place): \(what) item \"\(item)\" is not hex")
                    }
                    guard bits >= 64 || v < 1 << UInt64(bits) else { throw CLIError.usage("\(place): \(what) code \(t) exceeds \(bits) bits") }
                    return v
                }
            }
            let a = try hexList(fields[0], "A", bits: activation.bitWidth), w = try hexList(fields[1], "W", bits: weight.bitWidth)
            guard a.count == w.count else { throw CLIError.usage("\(place): A has \(a.count) codes, W has \(w.count)") }
            let plan: LUTPlan
            if let p = planned[a.count] { plan = p } else {
                do {
                    plan = try engine.plan(GEMMRequest(shape: GEMMShape(m: 1, n: 1, k: a.count), aFormat: names[0], bFormat: names[1],
                                                       quantization: .perChannel))
                } catch { throw CLIError.usage("\(arch): \(error)") }
                planned[a.count] = plan
            }
            let out = engine.execute(plan, a: QuantizedOperand(lines: 1, k: a.count, codes: a, element: activation),
                                     b: QuantizedOperand(lines: 1, k: w.count, codes: w, element: weight), threads: 1)
            let d = out.raw[0]
            let text = String(d, radix: 16).leftPadded(to: digits)
            outputs.append(text)
            if check {
                guard fields.count == 3 else { throw CLIError.usage("\(place): --check needs the expected D in the third column") }
                let expected = try hexList(fields[2], "expected D", bits: out.rawFormat.bitWidth)
                guard expected.count == 1 else { throw CLIError.usage("\(place): one expected D per line") }
                total += 1
                if expected[0] == d { matches += 1 } else if mismatches.count < show {
                    mismatches.append("\(place): expected \(String(expected[0], radix: 16).leftPadded(to: digits)) "
                                      + "(\(out.rawFormat.decode(expected[0]))) got \(text) (\(out.rawFormat.decode(d)))")
                }
            }
        }
        if check {
            guard total > 0 else { throw CLIError.usage("\(vectors) holds no vector lines to check") }
            StandardStreams.output((["\(matches)/\(total) match (LUT unit, \(planned.values.first!.numerics.profile))"] + mismatches).joined(separator: "\n"))
            if matches != total { throw CLIError.runtime("\(total - matches) mismatches") }
        } else if !outputs.isEmpty {
            StandardStreams.output(outputs.joined(separator: "\n"))
        }
    }
}
