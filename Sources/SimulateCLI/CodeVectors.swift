import Formats

/// The vector-file loop `simulate mma` shares between the accelerator engines: lines of
/// A_CODES<TAB>W_CODES[<TAB>EXTRA...][<TAB>D_HEX] (hex codes, comma separated), one raw
/// datapath result per line; with `check`, the expected D in the last column.
struct CodeVectors {
    let vectors: String
    let check: Bool
    let show: Int
    /// Names of the single-value hex columns between W and D (e.g. "group scale").
    let extraColumns: [(name: String, bits: Int)]
    let activationBits: Int
    let weightBits: Int
    /// Hex digits of the raw result.
    let digits: Int
    /// Matches line for the summary: "(LUT unit, profile)".
    let label: () -> String
    /// The raw result and its format for one line's codes and extra values.
    let compute: (_ a: [UInt64], _ w: [UInt64], _ extra: [UInt64], _ place: String) throws -> (raw: UInt64, format: ScalarFormat)

    func run() throws {
        var outputs: [String] = [], mismatches: [String] = []
        var matches = 0, total = 0
        let columns = 2 + extraColumns.count
        let layout = (["A codes", "W codes"] + extraColumns.map(\.name)).joined(separator: ", ")
        for (number, line) in try readLines(vectors).enumerated() where !line.isEmpty {
            let place = "\(vectors) line \(number + 1)"
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == columns || fields.count == columns + 1 else {
                throw CLIError.usage("\(place): expected \(columns) or \(columns + 1) tab-separated columns (\(layout)[, expected D]), got \(fields.count)")
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
            let a = try hexList(fields[0], "A", bits: activationBits), w = try hexList(fields[1], "W", bits: weightBits)
            guard a.count == w.count else { throw CLIError.usage("\(place): A has \(a.count) codes, W has \(w.count)") }
            var extra: [UInt64] = []
            for (i, column) in extraColumns.enumerated() {
                let v = try hexList(fields[2 + i], column.name, bits: column.bits)
                guard v.count == 1 else { throw CLIError.usage("\(place): one \(column.name) per line") }
                extra.append(v[0])
            }
            let (d, format) = try compute(a, w, extra, place)
            let text = String(d, radix: 16).leftPadded(to: digits)
            outputs.append(text)
            if check {
                guard fields.count == columns + 1 else { throw CLIError.usage("\(place): --check needs the expected D in column \(columns + 1)") }
                let expected = try hexList(fields[columns], "expected D", bits: format.bitWidth)
                guard expected.count == 1 else { throw CLIError.usage("\(place): one expected D per line") }
                total += 1
                if expected[0] == d { matches += 1 } else if mismatches.count < show {
                    mismatches.append("\(place): expected \(String(expected[0], radix: 16).leftPadded(to: digits)) "
                                      + "(\(format.decode(expected[0]))) got \(text) (\(format.decode(d)))")
                }
            }
        }
        if check {
            guard total > 0 else { throw CLIError.usage("\(vectors) holds no vector lines to check") }
            StandardStreams.output((["\(matches)/\(total) match \(label())"] + mismatches).joined(separator: "\n"))
            if matches != total { throw CLIError.runtime("\(total - matches) mismatches") }
        } else if !outputs.isEmpty {
            StandardStreams.output(outputs.joined(separator: "\n"))
        }
    }
}

extension CodeVectors {
    /// `--types ACTIVATION,WEIGHT` for a non-GPU unit: the two names and their scalar formats, or
    /// a usage error naming the unit, an example and `hint`.
    static func typePair(_ types: String, unit: String, example: String, hint: String = "") throws
        -> (names: [String], activation: ScalarFormat, weight: ScalarFormat) {
        let names = types.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        guard names.count == 2, let a = FormatCatalog.parse(names[0])?.elementFormat, let w = FormatCatalog.parse(names[1])?.elementFormat else {
            throw CLIError.usage("--types for \(unit) takes ACTIVATION,WEIGHT (two scalar format names, e.g. \(example)\(hint)), got \(types)")
        }
        return (names, a, w)
    }
}
