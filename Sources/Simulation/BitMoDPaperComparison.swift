import Foundation
import Workloads

/// QuantSim's Llama-2-7B runs of the BitMoD paper's five designs (Chen et al., HPCA 2025,
/// arXiv:2411.11745, Figs. 7-8: FP16 baseline, ANT, OliVe, BitMoD lossless and lossy) next to
/// the paper's values, which come from the authors' plotting notebooks (the notebooks' cycle and
/// energy arrays, reproduced by re-running their paper-era simulator; docs/pe-array.md lists
/// the provenance). Every QuantSim number comes from the shipped documents, the formats and the
/// workload shapes; none is fitted. The cost settings follow BitMoD's simulator where the issue
/// asks for it: energies anchored to the BitMoD 28 nm syntheses, a 1.5 place-and-route factor
/// on PE energy, DRAM at 18.75 pJ/bit; leakage is left out of the totals, as the paper's are.
public enum BitMoDPaperComparison {
    struct Design {
        let name: String
        let document: String
        let prefillWeights: String
        let decodeWeights: String
        let kvFormat: String
        /// Paper (notebook) values: cycles of the 256-token prefill and of one decode step at
        /// context 256; energy (uJ) on chip and DRAM for each.
        let prefillCycles: Double, decodeCycles: Double
        let prefillOnChip: Double, prefillDRAM: Double, decodeOnChip: Double, decodeDRAM: Double
        let paperBits: String
    }

    static let designs = [
        Design(name: "FP16 baseline", document: "bitmod-fp16-baseline-28nm.json", prefillWeights: "fp16", decodeWeights: "fp16", kvFormat: "fp16",
               prefillCycles: 3_156_574_208, decodeCycles: 413_518_608, prefillOnChip: 2_928_682, prefillDRAM: 12_582_538,
               decodeOnChip: 129_318, decodeDRAM: 1_984_299, paperBits: "16 / 16"),
        Design(name: "ANT", document: "ant-fp16-int8-28nm.json", prefillWeights: "int5", decodeWeights: "int5", kvFormat: "int8",
               prefillCycles: 1_949_564_928, decodeCycles: 129_497_936, prefillOnChip: 2_035_862, prefillDRAM: 5_391_050,
               decodeOnChip: 111_292, decodeDRAM: 621_590, paperBits: "5.5 / 5"),
        Design(name: "OliVe", document: "olive-fp16-int8-28nm.json", prefillWeights: "olive4", decodeWeights: "olive4", kvFormat: "int8",
               prefillCycles: 1_768_062_976, decodeCycles: 97_236_816, prefillOnChip: 2_192_068, prefillDRAM: 4_706_147,
               decodeOnChip: 115_455, decodeDRAM: 466_737, paperBits: "4.5 / 3.75"),
        Design(name: "BitMoD lossless", document: "bitmod-28nm.json", prefillWeights: "int6", decodeWeights: "int6", kvFormat: "int8",
               prefillCycles: 1_649_680_384, decodeCycles: 156_919_888, prefillOnChip: 1_410_390, prefillDRAM: 5_776_309,
               decodeOnChip: 78_882, decodeDRAM: 753_215, paperBits: "6.0625 / 6.0625"),
        Design(name: "BitMoD lossy", document: "bitmod-28nm.json", prefillWeights: "bitmod4", decodeWeights: "bitmod3", kvFormat: "int8",
               prefillCycles: 1_202_921_472, decodeCycles: 79_493_200, prefillOnChip: 981_870, prefillDRAM: 4_406_501,
               decodeOnChip: 52_631, decodeDRAM: 381_567, paperBits: "4.0625 / 3.0625"),
    ]

    static let source = "BitMoD (HPCA 2025) Figs. 7-8 data: abdelfattah-lab/BitMoD-HPCA-25 bitmod_sim/plot/{speedup,energy}_plot.ipynb @ e445a5f (Llama-2-7B)"
    static let generatedTokens = 20.0

    struct Measured {
        var prefillCycles = 0.0, decodeCycles = 0.0
        var prefillOnChip = 0.0, prefillDRAM = 0.0, decodeOnChip = 0.0, decodeDRAM = 0.0
    }

    /// The document with BitMoD's simulator's cost constants (P&R 1.5, DRAM 18.75 pJ/bit), in a
    /// temporary file.
    static func withSimulatorCosts(_ path: String, into directory: String) throws(RunError) -> String {
        guard let data = FileManager.default.contents(atPath: path),
              var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              var array = object["array"] as? [String: Any], var memory = object["memory"] as? [String: Any] else {
            throw RunError("\(path): cannot read the document")
        }
        array["place_and_route_factor"] = 1.5
        memory["dram_energy_pj_per_bit"] = 18.75
        object["array"] = array
        object["memory"] = memory
        let out = directory + "/" + (path as NSString).lastPathComponent
        guard let text = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
              FileManager.default.createFile(atPath: out, contents: text) else { throw RunError("\(out): cannot write") }
        return out
    }

    static func run(_ design: Design, architectures: String, directory: String) throws(RunError) -> Measured {
        let path = try withSimulatorCosts(architectures + "/" + design.document, into: directory)
        guard let llama = ModelCatalog.named("llama-2-7b") else { throw RunError("llama-2-7b is not in the model catalog") }
        var m = Measured()
        for (phase, weights) in [(ModelPhase.prefill(tokens: 256), design.prefillWeights), (.decode(context: 256), design.decodeWeights)] {
            let workload: Workload
            do { workload = try llama.workload(phase: phase, batch: 1) } catch { throw RunError(error.description) }
            var base = RunRequest(architecturePath: path, shape: workload.layers[0].shape, aFormat: "fp16", bFormat: weights, dFormat: nil,
                                  instruction: nil, quantization: nil, dataA: .synthetic(.gaussian), dataB: .synthetic(.gaussian), seed: 1,
                                  recheckCount: 0)
            base.numerics = .off
            base.energyAnchor = "bitmod-28nm"
            let request = WorkloadRequest(base: base, workload: workload, kvFormat: design.kvFormat, numericsLayers: 0, phase: phase.description, batch: 1)
            let totals = try Simulator.run(request).report.totals
            let byKind = totals.energy_pj_by_kind ?? [:]
            let dram = (byKind["dram"] ?? 0) / 1e6
            let onChip = ((totals.energy_pj ?? 0) - (byKind["dram"] ?? 0) - (byKind["leakage"] ?? 0)) / 1e6
            if case .prefill = phase {
                (m.prefillCycles, m.prefillOnChip, m.prefillDRAM) = (totals.cycles, onChip, dram)
            } else {
                (m.decodeCycles, m.decodeOnChip, m.decodeDRAM) = (totals.cycles, onChip, dram)
            }
        }
        return m
    }

    /// One markdown row per design (after a header): the weights (QuantSim's formats, the paper's
    /// bits, prefill / decode), prefill and decode-step cycles, the generative speedup and energy
    /// against FP16, each as QuantSim / paper.
    public static func summary(_ rows: [PaperComparisonRow]) -> [[String]] {
        func find(_ design: String, _ what: String) -> PaperComparisonRow? { rows.first { $0.comparison == "\(design): \(what)" } }
        func pair(_ r: PaperComparisonRow?, _ digits: Int = 3) -> String {
            guard let r, let p = r.paper else { return "1 / 1" }
            return "\(format(r.quantsim, digits)) / \(format(p, digits))"
        }
        var out = [["design", "QuantSim weights", "paper's weight bits", "prefill Mcycles", "decode-step Mcycles", "speedup vs FP16, prefill + 20 tokens", "energy vs FP16, prefill + 20 tokens"],
                   ["---", "---", "---", "---", "---", "---", "---"]]
        for d in designs {
            let quantsimBits = d.prefillWeights == d.decodeWeights ? d.prefillWeights : "\(d.prefillWeights) / \(d.decodeWeights)"
            let cycles: (String) -> String = { what in
                guard let r = find(d.name, what), let p = r.paper else { return "-" }
                return "\(format(r.quantsim / 1e6, 4)) / \(format(p / 1e6, 4))"
            }
            out.append([d.name, quantsimBits, d.paperBits, cycles("prefill cycles"), cycles("decode-step cycles"),
                        pair(find(d.name, "speedup vs FP16, prefill + 20 tokens")), pair(find(d.name, "energy vs FP16, prefill + 20 tokens"))])
        }
        return out
    }

    static func format(_ x: Double, _ digits: Int) -> String {
        let magnitude = x == 0 ? 0 : Int(Foundation.log10(Swift.abs(x)).rounded(.down))
        let decimals = Swift.max(0, digits - 1 - magnitude)
        return String(format: "%.\(decimals)f", x)
    }

    /// Every comparison row; `architectures` is the folder holding the shipped documents.
    public static func rows(architectures: String) throws(RunError) -> [PaperComparisonRow] {
        let directory = NSTemporaryDirectory() + "quantsim-bitmod-paper-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var measured: [Measured] = []
        for d in designs { measured.append(try run(d, architectures: architectures, directory: directory)) }
        let base = measured[0], paperBase = designs[0]
        func generative(_ prefill: Double, _ decode: Double) -> Double { prefill + generatedTokens * decode }
        var rows: [PaperComparisonRow] = []
        for (d, m) in zip(designs, measured) {
            let inputs = "\(d.document): weights \(d.prefillWeights) (prefill) / \(d.decodeWeights) (decode), FP16 activations, KV \(d.kvFormat); "
                + "paper: weights \(d.paperBits) bits, 16-bit attention; Llama-2-7B, batch 1, prefill 256 tokens, decode at context 256"
            func row(_ what: String, _ q: Double, _ p: Double, _ unit: String) {
                rows.append(PaperComparisonRow(comparison: "\(d.name): \(what)", quantsim: q, paper: p, unit: unit, inputs: inputs, paper_source: source))
            }
            row("prefill cycles", m.prefillCycles, d.prefillCycles, "cycles")
            row("decode-step cycles", m.decodeCycles, d.decodeCycles, "cycles")
            if d.name == paperBase.name {
                row("prefill energy on chip", m.prefillOnChip, d.prefillOnChip, "uJ")
                row("prefill energy DRAM", m.prefillDRAM, d.prefillDRAM, "uJ")
                continue
            }
            row("speedup vs FP16, prefill", base.prefillCycles / m.prefillCycles, paperBase.prefillCycles / d.prefillCycles, "x")
            row("speedup vs FP16, prefill + 20 tokens", generative(base.prefillCycles, base.decodeCycles) / generative(m.prefillCycles, m.decodeCycles),
                generative(paperBase.prefillCycles, paperBase.decodeCycles) / generative(d.prefillCycles, d.decodeCycles), "x")
            row("prefill energy on chip", m.prefillOnChip, d.prefillOnChip, "uJ")
            row("prefill energy DRAM", m.prefillDRAM, d.prefillDRAM, "uJ")
            let ours = generative(m.prefillOnChip + m.prefillDRAM, m.decodeOnChip + m.decodeDRAM)
            let oursBase = generative(base.prefillOnChip + base.prefillDRAM, base.decodeOnChip + base.decodeDRAM)
            let paper = generative(d.prefillOnChip + d.prefillDRAM, d.decodeOnChip + d.decodeDRAM)
            let paperTotal = generative(paperBase.prefillOnChip + paperBase.prefillDRAM, paperBase.decodeOnChip + paperBase.decodeDRAM)
            row("energy vs FP16, prefill + 20 tokens", ours / oursBase, paper / paperTotal, "x")
        }
        return rows
    }
}
