import Testing

/// `simulate formats ...` as a built binary, against golden files.
@Suite("simulate formats")
struct FormatsCommandTests {
    static let encodeInputs = """
        0
        -0
        1.0625
        464
        465
        -1e9
        0x1.2p-9
        0.1
        nan
        inf
        -inf
        448
        0x1.fp-10
        """

    @Test("formats list")
    func list() throws {
        let r = try CLI.run(["formats", "list"])
        #expect(r.status == 0)
        CLI.expectGolden(r.stdout, "formats-list.txt")
    }

    @Test("formats decode --all", arguments: ["e4m3", "e5m2", "e2m1", "e3m2", "e8m0", "int4", "nf4", "flint4", "bitmod-fp4-ea+"])
    func decodeAll(_ name: String) throws {
        let r = try CLI.run(["formats", "decode", name, "--all"])
        #expect(r.status == 0, "\(r.stderr)")
        CLI.expectGolden(r.stdout, "decode-\(name).txt")
    }

    /// Hex floats with exponents near Int.max used to trap; they are clamped to +-2^40, which
    /// rounds exactly as the written value in every format.
    @Test("Extreme inputs: huge hex exponents, wrap beyond 2^62, policies that do not apply")
    func extremeInputs() throws {
        let huge = try CLI.run(["formats", "encode", "fp32"], stdin: "0x11111111111111111p9223372036854775807\n0x0.1p-9223372036854775808\n-0x1p9223372036854775743\n")
        #expect(huge.status == 0 && huge.stdout == "0x7f7fffff\n0x0\n0xff7fffff\n", "\(huge.stdout) \(huge.stderr)")
        let int = try CLI.run(["formats", "encode", "int8"], stdin: "0x1p-9223372036854775808\n")
        #expect(int.status == 0 && int.stdout == "0x0\n")
        let wrap = try CLI.run(["formats", "encode", "int8", "--overflow", "wrap"], stdin: "300\n4611686018427387905\n")
        #expect(wrap.status == 2 && wrap.stderr.contains("line 2") && wrap.stderr.contains("2^62"), "\(wrap.stderr)")
        #expect(try CLI.run(["formats", "encode", "int8", "--overflow", "wrap"], stdin: "300\n").stdout == "0x2c\n")
        #expect(try CLI.run(["formats", "encode", "int8", "--overflow", "nan"], stdin: "1\n").status == 2)
        #expect(try CLI.run(["formats", "encode", "nf4", "--overflow", "wrap"], stdin: "1\n").status == 2)
        let block = try CLI.run(["formats", "quantize", "mxfp4", "--block"], stdin: "0x11111111111111111p9223372036854775807,1\n")
        #expect(block.status == 0, "\(block.stderr)")
    }

    @Test("A BitMoD mixture is not an element format: encode/decode/quantize name its members")
    func mixtureMessages() throws {
        for args in [["formats", "decode", "bitmod4", "0x1"], ["formats", "quantize", "bitmod4", "--block"]] {
            let r = try CLI.run(args, stdin: "1\n")
            #expect(r.status == 2)
            #expect(r.stderr.contains("BitMoD mixture") && r.stderr.contains("bitmod-fp4-ea+"), "\(r.stderr)")
        }
    }

    @Test("formats decode of single codes and bad codes")
    func decodeCodes() throws {
        let r = try CLI.run(["formats", "decode", "e4m3", "0x7e", "0x7f", "0x80", "56"])
        #expect(r.stdout == "0x7e,0x1.cp+8\n0x7f,nan\n0x80,-0x0p+0\n0x38,0x1p+0\n")
        #expect(try CLI.run(["formats", "decode", "e4m3", "0x100"]).status == 2)
        #expect(try CLI.run(["formats", "decode", "e9m9"]).status == 2)
    }

    @Test("formats encode under each rounding and overflow policy", arguments: [
        ("e4m3", "nearest-even", "saturate"), ("e4m3", "nearest-even", "nan"), ("e4m3", "toward-zero", "nan"),
        ("e4m3", "up", "saturate"), ("e4m3", "down", "saturate"), ("e4m3", "nearest-away", "saturate"),
        ("e4m3", "to-odd", "saturate"), ("e5m2", "nearest-even", "infinity"), ("e2m1", "nearest-even", "saturate"),
        ("int4", "nearest-even", "wrap"), ("fp16", "nearest-even", "infinity"),
    ])
    func encode(_ format: String, _ rounding: String, _ overflow: String) throws {
        let r = try CLI.run(["formats", "encode", format, "--rounding", rounding, "--overflow", overflow], stdin: Self.encodeInputs)
        #expect(r.status == 0, "\(r.stderr)")
        CLI.expectGolden(r.stdout, "encode-\(format)-\(rounding)-\(overflow).txt")
    }

    @Test("formats encode names the bad line and exits 2 without partial output")
    func encodeErrors() throws {
        let r = try CLI.run(["formats", "encode", "e4m3"], stdin: "1\n2\nbanana\n4\n")
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("stdin line 3"))
        #expect(try CLI.run(["formats", "encode", "e4m3", "--rounding", "sideways"], stdin: "1\n").status == 2)
    }

    @Test("formats quantize --block", arguments: ["mxfp4", "mxfp4-ceil", "mxfp8e4m3", "mxfp6e2m3", "mxint8", "nvfp4", "bfp8m7"])
    func quantize(_ format: String) throws {
        let blocks = """
            7,1,-0.5,3
            0,0,0,0
            1,nan,2
            0x1p-140,0x1p-135,0x1p-149
            448,-0.001,3.14159,2.71828,-100,0.5
            """
        let r = try CLI.run(["formats", "quantize", format, "--block"], stdin: blocks)
        #expect(r.status == 0, "\(r.stderr)")
        CLI.expectGolden(r.stdout, "quantize-\(format).txt")
    }
}
