import EngineKit
import Formats
import Foundation
import Testing

@Suite("Engine protocol building blocks")
struct EngineKitTests {
    @Test("The binding limit is the largest; ties bind to the first listed")
    func bindingLimit() {
        let b = CycleBreakdown(totalCycles: 10, limits: [(.compute, 5), (.dram, 9), (.sram, 9)])
        #expect(b.bindingLimit == .dram)
        #expect(b[.sram] == 9 && b[.l2] == 0)
        let scaled = b.scaled(by: 3)
        #expect(scaled.totalCycles == 30 && scaled[.dram] == 27)
        #expect(CycleBreakdown(totalCycles: 0, limits: []).bindingLimit == .compute)
    }

    @Test("--quantize grammar", arguments: [
        ("none", QuantizationChoice.none), ("per-tensor", .perTensor), ("per-channel", .perChannel), ("group:32", .group(32)),
    ])
    func quantization(_ text: String, _ expected: QuantizationChoice) {
        #expect(QuantizationChoice(parsing: text) == expected)
        #expect(QuantizationChoice(parsing: text)?.description == text)
    }

    @Test("Malformed --quantize values are refused", arguments: ["group:", "group:0", "group:-4", "group:+4", "group:04", "tensor", ""])
    func badQuantization(_ text: String) { #expect(QuantizationChoice(parsing: text) == nil) }

    @Test("Report values round-trip through JSON in the engine's order")
    func reportValues() throws {
        let entries = [ReportEntry("b", .int(3)), ReportEntry("a", .object([ReportEntry("x", .number(0.5)), ReportEntry("y", .flag(true))])),
                       ReportEntry("c", .list([.text("p"), .int(1)]))]
        let data = try JSONEncoder().encode(ReportValue.object(entries))
        let back = try JSONDecoder().decode(ReportValue.self, from: data)
        guard case .object(let decoded) = back else { Issue.record("not an object"); return }
        // JSON objects are unordered: decoding sorts keys; values survive exactly.
        #expect(decoded.map(\.key) == ["a", "b", "c"])
        #expect(decoded[1].value == .int(3))
        #expect(decoded[0].value == .object([ReportEntry("x", .number(0.5)), ReportEntry("y", .flag(true))]))
        #expect(ReportSection(name: "s", title: "S", entries: entries)["c"] == .list([.text("p"), .int(1)]))
    }

    @Test("Operand preparation: direct rounding, per-channel scales, groups, asymmetric zero points")
    func preparation() throws {
        let lines: [[Double]] = [[1, -2, 3, 0.5], [0.25, 8, -8, 1]]
        let fp16 = try #require(FormatCatalog.parse("fp16"))
        let direct = OperandPlan(format: fp16, element: fp16.elementFormat!, scheme: nil, groupSize: nil, needsTensorAmax: false,
                                 description: "direct")
        let d = QuantizedOperand.prepare(plan: direct, lines: 2, k: 4, tensorAmax: 0, seed: 1) { lines[$0] }
        #expect(d.codes[0] == 0x3C00 && d.scales == [1, 1] && d.dequantized[5] == ExactValue(8.0))
        #expect(d.codes(line: 1, in: 1..<3).count == 2 && d.codes(in: 2..<4).count == 4)
        let int4 = try #require(FormatCatalog.parse("int4"))
        let perRow = OperandPlan(format: int4, element: int4.elementFormat!, scheme: QuantizationScheme(format: int4, granularity: .perRow),
                                 groupSize: nil, needsTensorAmax: false, description: "per-row")
        let q = QuantizedOperand.prepare(plan: perRow, lines: 2, k: 4, tensorAmax: 0, seed: 1) { lines[$0] }
        // Absmax scales amax / 7 stored in binary32; -2 / (3/7) = -4.67 rounds to code -5.
        #expect(q.scales.count == 2 && abs(q.scales[0] - 3.0 / 7) < 1e-7 && abs(q.scales[1] - 8.0 / 7) < 1e-7)
        #expect(q.scales.allSatisfy { Double(Float($0)) == $0 })
        #expect(q.dequantized[1].approximateDouble == -5 * q.scales[0])
        let uint4 = try #require(FormatCatalog.parse("uint4"))
        let asym = OperandPlan(format: uint4, element: uint4.elementFormat!,
                               scheme: QuantizationScheme(format: uint4, granularity: .perGroup(size: 2, alongRows: true), asymmetric: true),
                               groupSize: 2, needsTensorAmax: false, description: "asymmetric")
        let z = QuantizedOperand.prepare(plan: asym, lines: 2, k: 4, tensorAmax: 0, seed: 1) { lines[$0] }
        #expect(z.groups == 2 && z.scales.count == 4 && z.zeroPoints.count == 4)
        // Every dequantised value lies within half a step of its original (no clipping here).
        for l in 0..<2 {
            for c in 0..<4 {
                let step = z.scales[l * 2 + c / 2]
                #expect(abs(z.dequantized[l * 4 + c].approximateDouble - lines[l][c]) <= step / 2 + 1e-12)
            }
        }
    }
}
