import Foundation
import ArchitectureSpec
import Formats
import Reference
import TensorCoreEngine

/// Test helpers: repository paths, documents, units and their references.
enum Support {
    static let repository = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/")).withLeadingSlash
    static let captures = repository + "/Tests/TensorCoreEngineTests/Captures"

    static func gpu(_ file: String) -> TensorCoreGPUSpec {
        let document = try! ArchitectureLoader.load(path: repository + "/Architectures/" + file)
        guard case .tensorCoreGPU(let gpu) = document.body else { fatalError("\(file) is not a GPU") }
        return gpu
    }

    /// The unit and its MPFR reference for one instruction and type triple.
    static func unitAndReference(_ file: String, instruction: String?, a: String, b: String, c: String) -> (MMAUnit, ReferenceMMA) {
        let (unit, reference) = unitAndOptionalReference(file, instruction: instruction, a: a, b: b, c: c)
        return (unit, reference!)
    }

    /// As above; the reference is `nil` for integer MMA (checked with ExactInteger instead).
    static func unitAndOptionalReference(_ file: String, instruction: String?, a: String, b: String,
                                         c: String) -> (MMAUnit, ReferenceMMA?) {
        let g = gpu(file)
        guard let chosen = g.instructions(input: a, accumulator: c, named: instruction).first else {
            fatalError("\(file) has no \(instruction ?? "default") instruction for \(a) -> \(c)")
        }
        let unit = try! MMAUnit(instruction: chosen, profile: g.profile(for: chosen), aFormat: a, bFormat: b, accumulatorFormat: c)
        guard case .float(let fa) = unit.aFormat, case .float(let fb) = unit.bFormat,
              case .float(let fc) = unit.accumulatorFormat else { return (unit, nil) }
        let scale = chosen.scaleFormat.flatMap { n -> MiniFloatFormat? in
            if case .scalar(.float(let f))? = FormatCatalog.parse(n) { return f }
            return nil
        }
        let reference = ReferenceMMA(profile: unit.profile, inputA: fa, inputB: fb, output: fc, instructionK: chosen.shapeK,
                                     scaleBlock: chosen.scaleBlock, scaleFormat: scale)
        return (unit, reference)
    }

    /// Lines of a capture file: (a codes, b codes, c, d).
    static func captureLines(_ name: String) -> [([UInt64], [UInt64], UInt64, UInt64)] {
        let text = try! String(contentsOfFile: captures + "/" + name, encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let f = line.split(separator: "\t")
            let list = { (s: Substring) in s.split(separator: ",").map { UInt64($0, radix: 16)! } }
            return (list(f[0]), list(f[1]), UInt64(f[2], radix: 16)!, UInt64(f[3], radix: 16)!)
        }
    }

    /// Hex of an output code at the container width.
    static func hex(_ code: UInt64, _ bits: Int) -> String {
        let s = String(code, radix: 16)
        return String(repeating: "0", count: Swift.max(0, bits / 4 - s.count)) + s
    }
}

extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}
