import Reference
import Testing

@Suite("Exact integer arithmetic")
struct ExactIntegerTests {
    @Test("Wrap-around and saturation to N bits")
    func wrapAndSaturate() {
        #expect(ExactInteger.wrapped(Int128(Int32.max) + 1, toBits: 32) == Int128(Int32.min))
        #expect(ExactInteger.wrapped(-129, toBits: 8) == 127)
        #expect(ExactInteger.wrapped(256, toBits: 8) == 0)
        #expect(ExactInteger.saturated(Int128(Int32.max) + 5, toBits: 32) == Int128(Int32.max))
        #expect(ExactInteger.saturated(-1 << 40, toBits: 32) == Int128(Int32.min))
        for bits in 1...16 {
            for v in -70_000...70_000 where v % 97 == 0 {
                let w = ExactInteger.wrapped(Int128(v), toBits: bits)
                let modulus = 1 << bits
                #expect((Int(w) - v) % modulus == 0)
                #expect(w >= -Int128(modulus / 2) && w < Int128(modulus / 2))
            }
        }
    }

    @Test("Exact dot product; overflow of Int128 is reported, not wrapped")
    func dot() throws {
        let d = try #require(ExactInteger.dot([127, -128], [127, -128], addend: 5))
        #expect(d == Int128(127 * 127 + 128 * 128 + 5))
        let huge = [Int64.max, Int64.max, Int64.max, Int64.max]
        #expect(ExactInteger.dot(huge, huge) == nil)
    }
}
