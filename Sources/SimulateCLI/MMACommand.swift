import ArchitectureSpec
import ArgumentParser
import Formats
import TensorCoreEngine

/// `simulate mma`: run MMA dot products bit for bit from hex vectors (the line format of the
/// real-GPU captures), optionally checking them against a fourth column.
struct MMACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mma",
        abstract: "Compute tensor-core dot products bit-exactly from hex vectors; --check compares with captured results.",
        discussion: """
            Tensor cores: input lines A_HEX_LIST<TAB>B_HEX_LIST<TAB>C_HEX[<TAB>D_HEX] (hex bit patterns in each operand's own \
            format, comma separated; TF32 operands as 32-bit FP32 patterns). Block-scaled instructions take two more \
            columns after C: the A and B scale codes, comma separated, one per scale block. A line longer than the \
            instruction's K is a sequence of instructions accumulating into D; a shorter one is zero-padded to K.
            Output: D_HEX per line (8 hex digits for fp32/int32, 4 for fp16). With --check: matches/total and the \
            first mismatches; exit 1 on any mismatch.
            The default instruction is the GPU's fastest dense path for the types (highest fma_per_sm_per_cycle in \
            the document; e.g. wgmma on H100 for e4m3, tcgen05 on B200).
            LUT tensor cores (--types ACTIVATION,WEIGHT, e.g. fp16,uint2): lines A_HEX_LIST<TAB>W_CODE_LIST[<TAB>D_HEX], \
            activation codes and weight codes (hex, in their formats) of one weight group; D is the raw accumulator of \
            the unit (table lookups of every weight plane, from C = 0), before scales and the zero-point correction.
            PE arrays (--types ACTIVATION,WEIGHT, e.g. fp16,int8, fp16,bitmod-fp4-er+, e4m3,e4m3): lines \
            A_HEX_LIST<TAB>W_CODE_LIST[<TAB>D_HEX] of one weight group; BitMoD PEs take the group's INT8 scale (hex) \
            as a third column before D. D is the PE's raw result (BitMoD: the dequantised group value as an FP32 \
            pattern; FP16 accumulators 4 hex digits; INT32 8), before channel and activation scales.
            FPGA DSP chains (--types ACTIVATION,WEIGHT): one chain pass per line, A_CODES<TAB>W_CODES[<TAB>D_LIST]; \
            the INT8 two-lane mode takes two activation lanes in A separated by ';', the INT4 four-lane mode four \
            weight lanes in W; the output lists the raw lane results, '!' marking a lane that overflowed.
            """)

    @Option(help: "Architecture document (tensor_core_gpu, lut_tensor_core, pe_array or fpga_dsp).") var arch: String
    @Option(help: "A,B,C,D formats, e.g. fp16,fp16,fp32,fp32 or e4m3,e4m3,f32,f32 (PTX spellings accepted).") var types: String
    @Option(help: "Instruction name (wmma, mma.sync, wgmma, tcgen05, ...); default: the fastest dense one.") var instruction: String?
    @Option(help: "Vector file, or - for stdin.") var vectors: String = "-"
    @Flag(help: "Compare with the fourth column; exit 1 on any mismatch.") var check = false
    @Option(help: "Mismatches to print with --check.") var show: Int = 5

    func run() throws {
        guard show >= 0 else { throw CLIError.usage("--show \(show): must be >= 0 (the number of mismatches to print)") }
        if case .lutTensorCore(let spec)? = try? ArchitectureLoader.load(path: arch).body {
            try LUTVectors(arch: arch, spec: spec, types: types, vectors: vectors, check: check, show: show).run()
            return
        }
        if case .fpgaDSP(let spec)? = try? ArchitectureLoader.load(path: arch).body {
            try FPGAVectors(arch: arch, spec: spec, types: types, vectors: vectors, check: check, show: show).run()
            return
        }
        if case .peArray(let spec)? = try? ArchitectureLoader.load(path: arch).body {
            try PEVectors(arch: arch, spec: spec, types: types, vectors: vectors, check: check, show: show).run()
            return
        }
        let unit = try Self.resolve(arch: arch, types: types, instruction: instruction)
        let lines = try readLines(vectors)
        let digits = unit.accumulatorFormat.bitWidth == 16 ? 4 : 8
        let scaled = unit.profile.algorithm == .blockScaled
        var outputs: [String] = []
        var matches = 0, total = 0
        var mismatches: [String] = []
        for (number, line) in lines.enumerated() where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let needed = scaled ? 5 : 3
            guard fields.count == needed || fields.count == needed + 1 else {
                throw CLIError.usage("\(vectors) line \(number + 1): expected \(needed) or \(needed + 1) tab-separated columns, got \(fields.count)")
            }
            func hex<S: StringProtocol>(_ text: S) -> UInt64? {
                // Hex digits only (UInt64(_:radix:) would also take a leading "+").
                guard !text.isEmpty, text.allSatisfy(\.isHexDigit) else { return nil }
                return UInt64(text, radix: 16)
            }
            func hexList(_ f: Substring, _ what: String) throws -> [UInt64] {
                try f.split(separator: ",", omittingEmptySubsequences: false).map { item in
                    guard let v = hex(item.trimmingCharacters(in: " ")) else {
                        throw CLIError.usage("\(vectors) line \(number + 1): \(what) item \"\(item)\" is not hex"
                                             + (item.trimmingCharacters(in: " ").isEmpty ? " (an empty item: check for doubled or trailing commas)" : ""))
                    }
                    return v
                }
            }
            let a = try hexList(fields[0], "A"), b = try hexList(fields[1], "B")
            guard a.count == b.count, !a.isEmpty else {
                throw CLIError.usage("\(vectors) line \(number + 1): A has \(a.count) values, B has \(b.count)")
            }
            guard a.allSatisfy({ $0 < UInt64(1) << UInt64(unit.inputContainerBits) }) else {
                throw CLIError.usage("\(vectors) line \(number + 1): an A code exceeds \(unit.inputContainerBits) bits")
            }
            guard b.allSatisfy({ $0 < UInt64(1) << UInt64(unit.inputContainerBitsB) }) else {
                throw CLIError.usage("\(vectors) line \(number + 1): a B code exceeds \(unit.inputContainerBitsB) bits")
            }
            let accumulatorBits = unit.accumulatorFormat.bitWidth
            func accumulatorCode(_ f: Substring, _ what: String) throws -> UInt64 {
                guard let v = hex(f.trimmingCharacters(in: " ")) else {
                    throw CLIError.usage("\(vectors) line \(number + 1): \(what) \"\(f)\" is not hex")
                }
                guard accumulatorBits >= 64 || v < UInt64(1) << UInt64(accumulatorBits) else {
                    throw CLIError.usage("\(vectors) line \(number + 1): \(what) \"\(f)\" exceeds the \(accumulatorBits)-bit accumulator format")
                }
                return v
            }
            let c = try accumulatorCode(fields[2], "C")
            var sa: [UInt64] = [], sb: [UInt64] = []
            if scaled {
                sa = try hexList(fields[3], "scale A")
                sb = try hexList(fields[4], "scale B")
                let wanted = unit.scalesNeeded(forLength: a.count)
                guard sa.count == wanted, sb.count == wanted else {
                    throw CLIError.usage("\(vectors) line \(number + 1): \(a.count) elements need \(wanted) scale codes per operand "
                                         + "(one per \(unit.instruction.scaleBlock)), got \(sa.count) for A and \(sb.count) for B")
                }
                let scaleBits = unit.scaleBitWidth
                guard (sa + sb).allSatisfy({ $0 < UInt64(1) << UInt64(scaleBits) }) else {
                    throw CLIError.usage("\(vectors) line \(number + 1): a scale code exceeds \(scaleBits) bits")
                }
            }
            let d = unit.dot(a, b, c: c, scalesA: sa, scalesB: sb)
            let text = String(d, radix: 16).leftPadded(to: digits)
            outputs.append(text)
            if check {
                guard fields.count == needed + 1 else {
                    throw CLIError.usage("\(vectors) line \(number + 1): --check needs the expected D in the last column")
                }
                let expected = try accumulatorCode(fields[needed], "expected D")
                total += 1
                if expected == d || (unit.accumulatorFormat.decode(expected).isNaN && unit.accumulatorFormat.decode(d).isNaN && expected == d) {
                    matches += 1
                } else if mismatches.count < show {
                    mismatches.append("line \(number + 1): expected \(String(expected, radix: 16).leftPadded(to: digits)) "
                                      + "(\(unit.accumulatorFormat.decode(expected))) got \(text) (\(unit.accumulatorFormat.decode(d)))")
                }
            }
        }
        if check {
            guard total > 0 else { throw CLIError.usage("\(vectors) holds no vector lines to check") }
            var report = ["\(matches)/\(total) match (\(unit.instruction.name), numerics \(unit.profile.name))"]
            report += mismatches
            StandardStreams.output(report.joined(separator: "\n"))
            if matches != total { throw CLIError.runtime("\(total - matches) mismatches") }
        } else if !outputs.isEmpty {
            StandardStreams.output(outputs.joined(separator: "\n"))
        }
    }

    /// Loads the document and builds the MMA unit for the types.
    static func resolve(arch: String, types: String, instruction: String?) throws -> MMAUnit {
        let document: ArchitectureDocument
        do { document = try ArchitectureLoader.load(path: arch) } catch {
            StandardStreams.error(error.description)
            throw CLIError.invalidDocuments(count: 1)
        }
        guard case .tensorCoreGPU(let gpu) = document.body else { throw CLIError.usage("\(arch) is not a tensor_core_gpu document") }
        let names = types.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        guard names.count == 4 else { throw CLIError.usage("--types takes A,B,C,D (four format names), got \(names.count)") }
        guard names[2] == names.last! || FormatCatalog.parse(names[2]) == FormatCatalog.parse(names.last!) else {
            throw CLIError.usage("C and D must have the same format (got \(names[2]) and \(names.last!))")
        }
        for n in names where FormatCatalog.parse(n) == nil { throw CLIError.usage("unknown format \"\(n)\" in --types") }
        let candidates = gpu.instructions(input: names[0], accumulator: names[2], named: instruction)
        guard gpu.instructions(input: names[1], accumulator: names[2], named: instruction).isEmpty == false,
              let chosen = candidates.first(where: { v in v.inputFormats.contains { FormatCatalog.parse($0) == FormatCatalog.parse(names[1]) } }) else {
            let available = Set(gpu.mmaInstructions.map { "\($0.name) [\($0.inputFormats.joined(separator: "|")) -> \($0.accumulatorFormats.joined(separator: "|"))]" })
            throw CLIError.usage("\(document.name) has no MMA instruction\(instruction.map { " named \($0)" } ?? "") for \(types); available: \(available.sorted().joined(separator: ", "))")
        }
        do {
            return try MMAUnit(instruction: chosen, profile: gpu.profile(for: chosen), aFormat: names[0], bFormat: names[1],
                               accumulatorFormat: names[2])
        } catch {
            throw CLIError.usage(error.description)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
    func trimmingCharacters(in set: String) -> String { String(Substring(self).trimmingCharacters(in: set)) }
}

/// Reads a file or stdin (`-`) as lines; a missing file is a usage error naming it.
func readLines(_ path: String) throws -> [Substring] {
    if path == "-" { return try readStandardInputLines() }
    let text = try FileText.readText(path: path)
    // "\r\n" is one Character in Swift, so split on any newline character, not on "\n".
    return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
}
