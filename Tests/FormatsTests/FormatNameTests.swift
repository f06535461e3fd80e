import Formats
import Testing

/// The format-name grammar: generic minifloat biases are bounded, BitMoD members are
/// addressable, and malformed names are refused rather than trapping.
@Suite("Format names")
struct FormatNameTests {
    @Test("Generic e<E>m<M>b<bias>: a bias within +-4096 parses, beyond it is refused")
    func bias() {
        guard case .scalar(.float(let f))? = FormatCatalog.parse("e4m3b9") else { Issue.record("e4m3b9"); return }
        #expect(f.bias == 9)
        #expect(FormatCatalog.parse("e5m2b-4096") != nil && FormatCatalog.parse("e5m2b4096") != nil)
        for name in ["e4m3b9223372036854775807", "e4m3b-9223372036854775808", "e4m3b4097", "e4m3b", "e4m3bx"] {
            #expect(FormatCatalog.parse(name) == nil, "\(name)")
        }
    }

    @Test("BitMoD members parse as bitmod-<member>; the mixture stays a mixture")
    func bitmodMembers() {
        for family in [BitMoDFamily.bitmod3, .bitmod4] {
            for member in family.members {
                guard case .scalar(.codebook(let c))? = FormatCatalog.parse("bitmod-" + member.name) else {
                    Issue.record("bitmod-\(member.name) does not parse"); continue
                }
                #expect(c.name == member.name && c.values.count == member.values.count)
            }
        }
        guard case .mixture? = FormatCatalog.parse("bitmod4") else { Issue.record("bitmod4"); return }
        #expect(FormatCatalog.parse("bitmod-fp4-zz") == nil)
    }
}
