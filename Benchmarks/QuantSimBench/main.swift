import Formats
import Reference
let clock = ContinuousClock()
for name in ["e4m3", "fp16", "int8", "bipolar4", "nf4", "int16"] {
    guard case .scalar(let s)? = FormatCatalog.parse(name) else { fatalError() }
    var rng = SeededGenerator(seed: 1)
    let start = clock.now
    var n = 0
    let mf: FormatReference.MiniFloat? = { if case .float(let f) = s { return FormatReference.MiniFloat(f) }; return nil }()
    let cb: FormatReference.Codebook? = { if case .codebook(let c) = s { return FormatReference.Codebook(c) }; return nil }()
    for _ in 0..<20000 {
        let x = ExactValue(negative: rng.next() & 1 == 1, significand: rng.next() | 1, exponent: -64 + Int(rng.next() % 8))
        let input = BigFloat(x)
        for rule in RoundingRule.deterministic {
            switch s {
            case .float: n += mf!.round(x, input, rule: rule, overflow: .saturate).flags.isEmpty ? 0 : 1
            case .integer(let i): n += FormatReference.round(x, to: i, rule: rule, overflow: .saturate).flags.isEmpty ? 0 : 1
            case .codebook: n += cb!.round(x, rule: rule).flags.isEmpty ? 0 : 1
            }
        }
    }
    print(name, (clock.now - start) / 120000, n)
}
