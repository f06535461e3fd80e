import Foundation
import Testing

/// `simulate mma` on PE-array documents and `simulate scalesim`, as a built binary.
@Suite("simulate mma / scalesim on PE arrays (binary)")
struct PEArrayCommandTests {
    static let bitmod = ["mma", "--arch", "Architectures/bitmod-28nm.json", "--types", "fp16,int8", "--vectors", "-"]

    /// 1.0 x 3 with group scale 5 = 15 (0x41700000); 1.0 x 1 + 2^-14 x 1: the small product is
    /// truncated away by the 14-bit aligner, leaving 1.0 (0x3f800000), which --check accepts.
    @Test("BitMoD PE lines worked by hand; --check passes and fails as it should")
    func bitmodLines() throws {
        let r = try CLI.run(Self.bitmod, stdin: "3c00,0,0,0\t3,0,0,0\t5\n3c00,400\t1,1\t1\n")
        #expect(r.status == 0 && r.stdout == "41700000\n3f800000\n", "\(r.stderr)")
        let ok = try CLI.run(Self.bitmod + ["--check"], stdin: "3c00,400\t1,1\t1\t3f800000\n")
        #expect(ok.status == 0 && ok.stdout.hasPrefix("1/1 match (PE, pe-bitmod-fp32)"))
        let bad = try CLI.run(Self.bitmod + ["--check"], stdin: "3c00,400\t1,1\t1\t3f800400\n")
        #expect(bad.status == 1 && bad.stdout.contains("0/1 match"))
    }

    @Test("L-Mul and INT MAC PEs from codes")
    func otherPEs() throws {
        // e4m3 1.0 x 1.0 under L-Mul (m = 3, l = 3): 1 + 1/8 = 1.125 (0x3f900000).
        let l = try CLI.run(["mma", "--arch", "Architectures/lmul-array-28nm.json", "--types", "e4m3,e4m3", "--vectors", "-"], stdin: "38\t38\n")
        #expect(l.status == 0 && l.stdout == "3f900000\n", "\(l.stderr)")
        // INT8: -128 x -128 + 127 x 127 = 32513 (0x00007f01).
        let i = try CLI.run(["mma", "--arch", "Architectures/int8-systolic-32x32.json", "--types", "int8,int8", "--vectors", "-"], stdin: "80,7f\t80,7f\n")
        #expect(i.status == 0 && i.stdout == "00007f01\n", "\(i.stderr)")
    }

    @Test("Bad vector lines name the line and the fix; exit 2")
    func badLines() throws {
        for (input, expected) in [("3c00\t3\n", "expected 3 or 4 tab-separated columns (A codes, W codes, group scale[, expected D])"),
                                  ("3c00\t3\t100\n", "group scale code 100 exceeds 8 bits"),
                                  ("3c00,3c00\t3\t1\n", "A has 2 codes, W has 1"),
                                  ("zz\t3\t1\n", "A item \"zz\" is not hex")] {
            let r = try CLI.run(Self.bitmod, stdin: input)
            #expect(r.status == 2 && r.stderr.contains("line 1") && r.stderr.contains(expected), "\(input): \(r.stderr)")
        }
        let mixture = try CLI.run(["mma", "--arch", "Architectures/bitmod-28nm.json", "--types", "fp16,bitmod4", "--vectors", "-"], stdin: "3c00\t1\t1\n")
        #expect(mixture.status == 2 && mixture.stderr.contains("name the member"))
    }

    static let config = """
        [general]
        run_name = cli32

        [architecture_presets]
        ArrayHeight:    32
        ArrayWidth:     32
        IfmapSramSzkB:    256
        FilterSramSzkB:   256
        OfmapSramSzkB:    128
        Bandwidth : 10
        Dataflow : os
        MemoryBanks:   1

        """

    @Test("scalesim: a config and topology give SCALE-Sim's compute cycles (recorded golden g256_os_32x32 = 20351)")
    func scalesim() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quantsim-scalesim-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("c.cfg").path, topology = directory.appendingPathComponent("t.csv").path
        try Self.config.write(toFile: config, atomically: true, encoding: .utf8)
        try "Layer,M,N,K,\ng256,256,256,256,\n".write(toFile: topology, atomically: true, encoding: .utf8)
        let emitted = directory.appendingPathComponent("arch.json").path
        let r = try CLI.run(["scalesim", "--config", config, "--topology", topology, "--output", "csv", "--emit-architecture", emitted])
        #expect(r.status == 0, "\(r.stderr)")
        let row = r.stdout.split(separator: "\n")[1].split(separator: ",")
        #expect(row[0] == "g256" && row[4] == "20351" && row[5].hasPrefix("80.5071"))
        let v = try CLI.run(["validate", emitted])
        #expect(v.status == 0 && v.stdout.contains("pe_array"))
        // A config without Dataflow names the file, the section and the fix.
        try Self.config.replacingOccurrences(of: "Dataflow : os\n", with: "").write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["scalesim", "--config", config, "--topology", topology])
        #expect(bad.status == 2 && bad.stderr.contains("[architecture_presets] Dataflow is missing"), "\(bad.stderr)")
    }
}
