import Foundation
import Testing

/// `simulate mma` as a built binary: hand-worked block-scaled lines (including a line shorter
/// than the instruction, zero-padded with unit scales), and the vector-file errors.
@Suite("simulate mma (binary)")
struct MMACommandTests {
    static let b200 = ["mma", "--arch", "Architectures/nvidia-b200.json", "--types", "e2m1,e2m1,f32,f32", "--instruction", "tcgen05.mxf4",
                       "--vectors", "-"]
    /// `count` E2M1 ones (code 0x2 = 1.0).
    static func ones(_ count: Int) -> String { Array(repeating: "2", count: count).joined(separator: ",") }

    /// 64 products of 1 x 1 with unit scales (E8M0 0x7f = 1) sum to 64 = 0x42800000; 32 of them,
    /// padded to the instruction's K = 64, give 32; an A scale of 0x80 = 2 doubles that.
    @Test("Block-scaled lines worked by hand, with padding to the instruction's K")
    func handWorked() throws {
        let lines = "\(Self.ones(64))\t\(Self.ones(64))\t0\t7f,7f\t7f,7f\n"
            + "\(Self.ones(32))\t\(Self.ones(32))\t0\t7f\t7f\n"
            + "\(Self.ones(32))\t\(Self.ones(32))\t0\t80\t7f\t42800000\n"
        let r = try CLI.run(Self.b200, stdin: lines)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "42800000\n42000000\n42800000\n")
        let checked = try CLI.run(Self.b200 + ["--check"], stdin: "\(Self.ones(32))\t\(Self.ones(32))\t0\t80\t7f\t42800000\n")
        #expect(checked.status == 0 && checked.stdout.hasPrefix("1/1 match"), "\(checked.stdout) \(checked.stderr)")
    }

    @Test("Vector-file errors exit 2 naming the line and the fix", arguments: [
        ("\(ones(64))\t\(ones(64))\t0\t7f\t7f\n", "need 2 scale codes per operand"),
        ("\(ones(32))\t\(ones(32))\t0\t7f,7f\t7f,7f\n", "need 1 scale codes per operand"),
        ("\(ones(32))\t\(ones(32))\t0\t17f\t7f\n", "a scale code exceeds 8 bits"),
        ("\(ones(32))\t\(ones(32))\t100000000\t7f\t7f\n", "exceeds the 32-bit accumulator format"),
        ("\(ones(32))\t\(ones(32))\t0\t7f\n", "expected 5 or 6 tab-separated columns"),
        ("2,,\(ones(30))\t\(ones(32))\t0\t7f\t7f\n", "an empty item"),
        ("+2,\(ones(31))\t\(ones(32))\t0\t7f\t7f\n", "is not hex"),
        ("\(ones(32))\t\(ones(32))\t0\t7f,\t7f\n", "an empty item"),
    ])
    func vectorErrors(_ input: String, _ message: String) throws {
        let r = try CLI.run(Self.b200, stdin: input)
        #expect(r.status == 2, "\(message): status \(r.status)")
        #expect(r.stderr.contains("line 1") && r.stderr.contains(message), "\(r.stderr)")
    }

    /// kind::f8f6f4 mixes element types: each operand's codes are checked against its own width.
    @Test("Mixed A/B types: B codes checked against B's width")
    func mixedWidths() throws {
        let mixed = ["mma", "--arch", "Architectures/nvidia-b200.json", "--types", "e2m1,e4m3,f32,f32", "--instruction", "tcgen05",
                     "--vectors", "-"]
        let ok = try CLI.run(mixed, stdin: "2\t38\t0\n")  // 1.0 x 1.0
        #expect(ok.status == 0 && ok.stdout == "3f800000\n", "\(ok.stdout) \(ok.stderr)")
        let wide = try CLI.run(mixed, stdin: "12\t38\t0\n")
        #expect(wide.status == 2 && wide.stderr.contains("an A code exceeds 4 bits"), "\(wide.stderr)")
        let reversed = try CLI.run(["mma", "--arch", "Architectures/nvidia-b200.json", "--types", "e4m3,e2m1,f32,f32", "--instruction",
                                    "tcgen05", "--vectors", "-"], stdin: "38\tff\t0\n")
        #expect(reversed.status == 2 && reversed.stderr.contains("a B code exceeds 4 bits"), "\(reversed.stderr)")
    }

    @Test("CRLF vector files are read; an empty file cannot pass --check; --types needs four names")
    func filesAndTypes() throws {
        let path = NSTemporaryDirectory() + "quantsim-mma-\(getpid()).tsv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let h100 = ["mma", "--arch", "Architectures/nvidia-h100-sxm.json", "--types", "e4m3,e4m3,f32,f32", "--vectors", path]
        try "04\t04\t3f800000\r\n04\t04\t3f800000\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        let crlf = try CLI.run(h100)
        #expect(crlf.status == 0 && crlf.stdout.split(separator: "\n").count == 2, "\(crlf.stderr)")
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        let empty = try CLI.run(h100 + ["--check"])
        #expect(empty.status == 2 && empty.stderr.contains("no vector lines"))
        let three = try CLI.run(["mma", "--arch", "Architectures/nvidia-h100-sxm.json", "--types", "e4m3,e4m3,f32", "--vectors", path])
        #expect(three.status == 2 && three.stderr.contains("four format names"))
    }
}

extension MMACommandTests {
    @Test("A negative --show is a usage error")
    func negativeShow() throws {
        let r = try CLI.run(Self.b200 + ["--check", "--show=-1"], stdin: "")
        #expect(r.status == 2 && r.stderr.contains("--show -1"), "\(r.stderr)")
    }
}

extension MMACommandTests {
    /// Vector input that is not text, or a device, is refused with a message, not read to
    /// exhaustion or cut at a NUL byte.
    @Test("A NUL byte in vector input, or invalid UTF-8, is a usage error naming the line")
    func nulAndBinary() throws {
        let nul = try CLI.run(Self.b200, stdin: "3c00\t3c00\t0\u{0}\t7f\t7f\n")
        #expect(nul.status == 2 && nul.stderr.contains("line 1 holds a NUL byte"), "\(nul.stderr)")
        let second = try CLI.run(Self.b200, stdin: "00\t00\t0\t7f\t7f\n\u{0}\n")
        #expect(second.status == 2 && second.stderr.contains("line 2 holds a NUL byte"), "\(second.stderr)")
        let device = try CLI.run(Self.b200 + ["--vectors", "/dev/zero"])
        #expect(device.status == 2 && device.stderr.contains("NUL byte"), "\(device.stderr)")
    }
}
