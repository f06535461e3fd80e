import Foundation
import ArchitectureSpec
import Formats
import Reference
import TensorCoreEngine
import Testing

/// Every real-GPU capture (Captures/, 1000 samples per file): the datapath and the MPFR reference
/// both reproduce every captured D bit for bit.
@Suite("Real-GPU captures")
struct CaptureTests {
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let arch: String
        let instruction: String
        let a: String
        let c: String
        var description: String { file }
    }

    static let cases: [Case] = {
        var list: [Case] = []
        let gpus = [("v100", "nvidia-v100-sxm2.json"), ("a100", "nvidia-a100-sxm4-80gb.json"), ("a2", "nvidia-a2.json"),
                    ("ada", "nvidia-rtx1000-ada.json"), ("h100", "nvidia-h100-sxm.json"), ("h200", "nvidia-h200-sxm.json"),
                    ("b200", "nvidia-b200.json")]
        let files = try! FileManager.default.contentsOfDirectory(atPath: Support.captures).filter { $0.hasSuffix(".tsv") }.sorted()
        for file in files {
            let parts = file.dropLast(4).split(separator: "-").map(String.init)
            let gpu = gpus.first { $0.0 == parts[0] }!.1
            let mmaSync = parts[1] == "mmasync"
            let input = mmaSync ? parts[2] : parts[1]
            let output = (mmaSync ? parts[3] : parts[2]) == "f16" ? "fp16" : "fp32"
            let instruction: String
            if input.hasPrefix("e") {
                // FP8 captures: mma.sync m16n8k32, except H100/H200 FP32 output (wgmma).
                instruction = (parts[0] == "h100" || parts[0] == "h200") && !mmaSync && output == "fp32" ? "wgmma" : "mma.sync"
            } else {
                instruction = "wmma"
            }
            list.append(Case(file: file, arch: gpu, instruction: instruction, a: input, c: output))
        }
        return list
    }()

    @Test("Datapath and MPFR reference reproduce every captured sample", arguments: cases)
    func capture(_ c: Case) {
        let (unit, reference) = Support.unitAndReference(c.arch, instruction: c.instruction, a: c.a, b: c.a, c: c.c)
        let bits = unit.accumulatorFormat.bitWidth
        var datapathMismatches = 0, referenceMismatches = 0
        let lines = Support.captureLines(c.file)
        for (index, (a, b, cc, d)) in lines.enumerated() {
            let subject = unit.dot(a, b, c: cc)
            if subject != d {
                datapathMismatches += 1
                if datapathMismatches <= 3 {
                    Issue.record("\(c.file) line \(index + 1): datapath \(Support.hex(subject, bits)) captured \(Support.hex(d, bits))")
                }
            }
            let r = reference.dot(a, b, c: cc)
            if r.hexString != unit.accumulatorFormat.decode(d).description {
                referenceMismatches += 1
                if referenceMismatches <= 3 {
                    Issue.record("\(c.file) line \(index + 1): reference \(r.hexString) captured \(unit.accumulatorFormat.decode(d))")
                }
            }
        }
        #expect(lines.count == 1000)
        #expect(datapathMismatches == 0)
        #expect(referenceMismatches == 0)
    }
}
