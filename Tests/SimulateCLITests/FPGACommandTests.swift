import Foundation
import Testing

/// `simulate mma` and `validate` on FPGA DSP-chain documents, as a built binary.
@Suite("simulate mma / validate on FPGA documents (binary)")
struct FPGACommandTests {
    static let u280 = ["mma", "--arch", "Architectures/fpga-alveo-u280-int8.json", "--types", "int8,int8", "--vectors", "-"]

    /// Eight products of (-128)(-128) = 2^17 leave the 18-bit lower lane (it reads -2^17, and the
    /// borrow corrupts the upper lane); eight of (-127)(-127) = 129,032 fit.
    @Test("The worked overflow example: full range overflows at chain length 8, [-127, 127] does not")
    func workedExample() throws {
        let full = "80,80,80,80,80,80,80,80;1,2,3,4,5,6,7,8\t80,80,80,80,80,80,80,80\n"
        let narrow = "81,81,81,81,81,81,81,81;1,2,3,4,5,6,7,8\t81,81,81,81,81,81,81,81\n"
        let r = try CLI.run(Self.u280, stdin: full + narrow)
        #expect(r.status == 0 && r.stdout == "fffe0000!,ffffee01!\n0001f808,ffffee24\n", "\(r.stdout)\(r.stderr)")
        let check = try CLI.run(Self.u280 + ["--check"], stdin: narrow.dropLast() + "\t0001f808,ffffee24\n")
        #expect(check.status == 0 && check.stdout.hasPrefix("1/1 match"))
    }

    @Test("validate prints the safe chain lengths of packed INT8")
    func validateNotes() throws {
        let r = try CLI.run(["validate", "Architectures/fpga-alveo-u280-int8.json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("full-range INT8 [-128, 127]: at most 7 products fit the 18-bit lower lane; chain_length 8: can overflow"))
        #expect(r.stdout.contains("INT8 in [-127, 127]: at most 8 products fit the 18-bit lower lane; chain_length 8: safe"))
    }

    @Test("Bad FPGA vector lines and documents name the place and the fix")
    func errors() throws {
        let lanes = try CLI.run(Self.u280, stdin: "80\t80\n")
        #expect(lanes.status == 2 && lanes.stderr.contains("takes 2 activation lane(s) and 1 weight lane(s)"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quantsim-fpga-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var text = try String(contentsOfFile: CLI.repositoryRoot.path + "/Architectures/fpga-alveo-u280-int8.json", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"mode\": \"int8_packed2\"", with: "\"mode\": \"int8_dot3\"")
        let file = directory.appendingPathComponent("bad.json").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let v = try CLI.run(["validate", file])
        #expect(v.status == 2 && v.stderr.contains("datapath: mode int8_dot3 does not run on dsp48e2 DSPs"), "\(v.stderr)")
        text = text.replacingOccurrences(of: "\"mode\": \"int8_dot3\"", with: "\"mode\": \"int8_packed2\"").replacingOccurrences(of: "\"chain_length\": 8", with: "\"chain_length\": 1000")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let fit = try CLI.run(["validate", file])
        #expect(fit.status == 2 && fit.stderr.contains("flip-flops, above the device's 2607360 (fix:"), "\(fit.stderr)")
    }
}
