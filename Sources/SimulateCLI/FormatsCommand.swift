import ArgumentParser
import Formats
import Reference

/// `simulate formats ...`: the number-format library on the command line (also used by other
/// tools to cross-check it; the output formats are stable).
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List, decode, encode and block-quantize number formats.",
        subcommands: [FormatsList.self, FormatsDecode.self, FormatsEncode.self, FormatsQuantize.self])
}

/// Resolves a format name or fails with a usage error (exit 2) naming the known names.
func resolveFormat(_ name: String) throws -> NumberFormat {
    if let f = FormatCatalog.parse(name) { return f }
    let known = FormatCatalog.named.map(\.name)
    let hint = known.first { $0.hasPrefix(name.lowercased().prefix(3)) }.map { " (did you mean \"\($0)\"?)" } ?? ""
    throw CLIError.usage("unknown format \"\(name)\"\(hint); see `simulate formats list` for names and the generic syntaxes")
}

func hexCode(_ code: UInt64) -> String { "0x" + String(code, radix: 16) }

/// Parses one input value: hex float, `nan`, `inf`, or decimal (exactly, via MPFR, rounded to
/// odd at 62 bits so the later rounding to the format is correct).
func parseValue(_ text: Substring) -> ExactValue? {
    let trimmed = text.trimmingCharacters(in: " \t\r")
    guard !trimmed.isEmpty else { return nil }
    if let (v, _) = HexFloat.parse(Substring(trimmed)) { return v }
    return BigFloat.parseRoundedToOdd(String(trimmed))
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}

/// Reads all of standard input as lines.
/// Standard input's lines (bounded, text only: `FileText.readText`).
func readStandardInputLines() throws -> [Substring] {
    let text = try FileText.readText(descriptor: 0, what: "standard input")
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
}

struct FormatsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Every named format with its bit layout, range, special values and source.")

    func run() throws {
        var lines = ["name         layout            bias  max                min normal   min subnormal  specials  source"]
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        for entry in FormatCatalog.named {
            switch entry.format {
            case .scalar(.float(let f)):
                let layout = "\(f.isSigned ? "s1" : "s0") e\(f.exponentBits) m\(f.mantissaBits) (\(f.bitWidth) bits)"
                let minSub = f.underflow == .subnormal ? f.decode(1).description : "none"
                let minNormal = f.decode(f.underflow == .noZero ? 0 : UInt64(1) << UInt64(f.mantissaBits)).description
                let specials = f.specials.rawValue + (f.underflow == .noZero ? ",no-zero" : "")
                lines.append(pad(entry.name, 13) + pad(layout, 18) + pad(String(f.bias), 6)
                             + pad(f.decode(f.maxFiniteMagnitudeCode).description, 19) + pad(minNormal, 13)
                             + pad(minSub, 15) + pad(specials, 10) + entry.source)
            case .scalar(let s):
                lines.append(pad(entry.name, 13) + pad("\(s.bitWidth)-bit codes", 18) + pad("-", 6)
                             + pad(s.maxMagnitude.description, 19) + pad("-", 13) + pad("-", 15) + pad("none", 10) + entry.source)
            case .blockScaled(let b):
                let layout = "\(b.element.bitWidth)b x \(b.blockSize) + \(b.scale.bitWidth)b"
                lines.append(pad(entry.name, 13) + pad(layout, 18) + pad("-", 6) + pad(b.element.maxMagnitude.description, 19)
                             + pad("-", 13) + pad("-", 15) + pad("scale:" + b.rule.rawValue, 10) + entry.source)
            case .mixture(let m):
                lines.append(pad(entry.name, 13) + pad("\(m.members[0].bitWidth)b x \(m.groupSize) + 8b", 18) + pad("-", 6)
                             + pad(m.members.map(\.maximum).max { $0.approximateDouble < $1.approximateDouble }?.description ?? "", 19) + pad("-", 13) + pad("-", 15)
                             + pad("mixture", 10) + entry.source)
            }
        }
        lines.append("")
        lines.append("Also: int<n> uint<n> symint<n> smint<n> bipolar<n> (n = 1...32), e<E>m<M>[b<bias>][fn|fnuz|nosp] (IEEE specials unless suffixed),")
        lines.append("      bfp<E>m<M>[x<block>] (block floating point, block 32 by default), <mx-name>-ceil (amax-ceil scale rule),")
        lines.append("      and bitmod-<member> for one BitMoD member type (bitmod-fp3-er+ ... bitmod-fp4-ea-); bias within +-4096.")
        StandardStreams.output(lines.joined(separator: "\n"))
    }
}

struct FormatsDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Print code,value lines (value as a C99 hex float).")

    @Argument(help: "Element format name (fp16, e4m3, int4, nf4, ...).") var format: String
    @Flag(help: "Every code of the format (formats of at most 16 bits).") var all = false
    @Argument(help: "Codes in hex (0x7e) or decimal.") var codes: [String] = []

    func run() throws {
        let resolved = try resolveFormat(format)
        guard case .scalar(let f) = resolved else {
            throw CLIError.usage(Self.notElementMessage("decode", format, resolved))
        }
        var list: [UInt64] = []
        if all {
            guard f.bitWidth <= 16 else { throw CLIError.usage("--all is limited to formats of at most 16 bits") }
            list = Array(0..<(UInt64(1) << UInt64(f.bitWidth)))
        }
        for text in codes {
            let parsed = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            guard let c = parsed, c >> UInt64(f.bitWidth) == 0 else {
                throw CLIError.usage("code \"\(text)\" is not a \(f.bitWidth)-bit code of \(format)")
            }
            list.append(c)
        }
        guard !list.isEmpty else { throw CLIError.usage("give codes or --all") }
        StandardStreams.output(list.map { "\(hexCode($0)),\(f.decode($0))" }.joined(separator: "\n"))
    }
}

struct FormatsEncode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Read one value per line on stdin (decimal or hex float) and print one hex code per line.")

    @Argument(help: "Element format name.") var format: String
    @Option(help: "nearest-even | nearest-away | toward-zero | up | down | to-odd | stochastic:N") var rounding = "nearest-even"
    @Option(help: "saturate | infinity | nan (minifloats); integers: saturate or wrap") var overflow = "saturate"
    @Option(help: "Seed of the stochastic-rounding generator.") var seed: UInt64 = 0

    func run() throws {
        let resolved = try resolveFormat(format)
        guard case .scalar(let f) = resolved else {
            throw CLIError.usage(Self.notElementMessage("encode", format, resolved))
        }
        guard let rule = RoundingRule(cliName: rounding) else {
            throw CLIError.usage("unknown rounding \"\(rounding)\"; use nearest-even, nearest-away, toward-zero, up, down, to-odd or stochastic:N (N random bits, 1...32)")
        }
        let policy = OverflowPolicy(rawValue: overflow)
        let integerPolicy = IntegerOverflow(rawValue: overflow)
        guard policy != nil || integerPolicy != nil else {
            throw CLIError.usage("unknown overflow \"\(overflow)\"; use saturate, infinity, nan or (integers) wrap")
        }
        var generator = SeededGenerator(seed: seed)
        var out: [String] = []
        for (number, line) in try readStandardInputLines().enumerated() {
            guard let v = parseValue(line) else {
                throw CLIError.usage("stdin line \(number + 1): \"\(line.prefix(40))\" is not a decimal or hex-float number")
            }
            let r: EncodeResult
            switch f {
            case .float(let m):
                guard let policy else { throw CLIError.usage("--overflow \(overflow) does not apply to \(format)") }
                r = m.encode(v, rule: rule, overflow: policy) { generator.next() }
            case .integer(let i):
                guard let integerPolicy else { throw CLIError.usage("--overflow \(overflow) does not apply to \(format): use saturate or wrap") }
                // Decimal inputs are held to 62 significant bits (rounded to odd), enough for a
                // correct rounding but not for the low bits a wrap keeps of a larger value.
                if integerPolicy == .wrap, let binade = v.binade, binade >= 62 {
                    throw CLIError.usage("stdin line \(number + 1): --overflow wrap needs the exact integer, and values of 2^62 "
                                         + "and more are not held exactly; reduce the value modulo 2^\(i.bitWidth) first")
                }
                r = i.encode(v, rule: rule, overflow: integerPolicy) { generator.next() }
            case .codebook(let c):
                guard overflow == "saturate" else { throw CLIError.usage("--overflow \(overflow) does not apply to \(format): codebooks saturate") }
                r = c.encode(v, rule: rule) { generator.next() }
            }
            out.append(hexCode(r.code))
        }
        if !out.isEmpty { StandardStreams.output(out.joined(separator: "\n")) }
    }
}

struct FormatsQuantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Block-quantize: read one block per line (comma- or space-separated values), print scale and element codes.",
        discussion: """
            Output per line: SCALE_CODE<TAB>CODE,CODE,... in hex. For nvfp4 the line is one tensor: the first field is \
            the binary32 tensor scale (amax / (448 * 6)) as a hex float, then the block scale and codes.
            """)

    @Argument(help: "Block-scaled format (mxfp8e4m3, mxfp4, mxint8, nvfp4, bfp8m7, mxfp4-ceil, ...).") var format: String
    @Flag(help: "Required: each line is one block.") var block = false

    func run() throws {
        guard block else { throw CLIError.usage("quantize needs --block (one block per line)") }
        let resolved = try resolveFormat(format)
        guard case .blockScaled(let b) = resolved else {
            if case .mixture(let family) = resolved {
                throw CLIError.usage("\(format) is a BitMoD mixture: each group of \(family.groupSize) picks one member type; "
                                     + "quantize needs a block-scaled format, and encode/decode take a member (\(Self.memberNames(family)))")
            }
            throw CLIError.usage("\(format) is not block-scaled; use `formats encode` for element formats")
        }
        var out: [String] = []
        for (number, line) in try readStandardInputLines().enumerated() {
            let fields = line.split { $0 == "," || $0 == " " || $0 == "\t" }
            var values: [Double] = []
            for field in fields {
                guard let v = parseValue(field) else {
                    throw CLIError.usage("stdin line \(number + 1): \"\(field.prefix(40))\" is not a number")
                }
                // Block quantizers take binary64 tensors: each value is rounded once to binary64
                // (nearest-even, overflowing to +-Inf), then quantized.
                let d = Double(bitPattern: StandardFormats.fp64.encode(v, rule: .toNearestOrEven, overflow: .infinity).code)
                values.append(d)
            }
            guard !values.isEmpty, values.count <= b.blockSize else {
                throw CLIError.usage("stdin line \(number + 1): \(values.count) values; a \(format) block holds 1...\(b.blockSize)")
            }
            var prefix = ""
            var tensorScale: Float = 1
            if b.rule == .nvfp4 {
                let amax = values.reduce(Float(0)) { $1.isFinite ? Swift.max($0, Float(Swift.abs($1))) : $0 }
                tensorScale = BlockScaledFormat.nvfp4TensorScale(amax: amax)
                prefix = "\(ExactValue(tensorScale))\t"
            }
            let q = b.quantize(values, tensorScale: tensorScale)
            out.append(prefix + hexCode(q.scaleCode) + "\t" + q.elementCodes.map(hexCode).joined(separator: ","))
        }
        if !out.isEmpty { StandardStreams.output(out.joined(separator: "\n")) }
    }
}

extension ParsableCommand {
    /// A BitMoD family's members by the names `formats` accepts (bitmod-fp4-ea+, ...).
    static func memberNames(_ family: BitMoDFamily) -> String {
        family.members.map { "bitmod-" + $0.name }.joined(separator: ", ")
    }

    /// Why a format is not an element format, and which command takes it.
    static func notElementMessage(_ verb: String, _ name: String, _ format: NumberFormat) -> String {
        if case .mixture(let family) = format {
            return "\(verb) takes an element format; \(name) is a BitMoD mixture (each group of \(family.groupSize) picks one "
                + "member type): \(verb) a member instead (\(memberNames(family)))"
        }
        return "\(verb) takes an element format; \(name) is block-scaled (use `formats quantize --block`)"
    }
}
