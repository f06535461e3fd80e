import Formats
import Testing

@Suite("BitMoD mixture-of-datatype selection")
struct BitMoDTests {
    /// Brute force written independently of `CodebookFormat.encode`: for each member, scale by
    /// the largest grid magnitude, map every weight to the value at least distance (ties to the
    /// lower value), sum squared errors; pick the least (first on ties).
    static func bruteForce(_ family: BitMoDFamily, _ group: [Double]) -> (Int, [Double]) {
        var best = (member: -1, error: Double.infinity, values: [Double]())
        for (m, book) in family.members.enumerated() {
            let grid = (0..<(1 << book.bitWidth)).compactMap { book.values[$0]?.approximateDouble }
            let gridMax = grid.map(Swift.abs).max()!
            let amax = group.map(Swift.abs).max()!
            let scale = amax > 0 ? amax / gridMax : 1
            var error = 0.0
            var chosen: [Double] = []
            for w in group {
                let t = w / scale
                var pick = grid[0]
                for g in grid {
                    let d = Swift.abs(g - t), dp = Swift.abs(pick - t)
                    if d < dp || (d == dp && g < pick) { pick = g }
                }
                chosen.append(pick)
                error += (pick * scale - w) * (pick * scale - w)
            }
            if error < best.error { best = (m, error, chosen) }
        }
        return (best.member, best.values)
    }

    @Test("Selection matches a brute-force MSE search on 2000 seeded groups", arguments: [BitMoDFamily.bitmod3, .bitmod4])
    func matchesBruteForce(_ family: BitMoDFamily) {
        var rng = SeededGenerator(seed: 2024)
        var mismatches = 0
        var usage = [Int](repeating: 0, count: family.members.count)
        for _ in 0..<2000 {
            let skew = Double(rng.next() % 1000) / 500 - 1  // shifts the distribution's asymmetry
            let group = (0..<family.groupSize).map { _ -> Double in
                let u = rng.nextUnitDouble() * 2 - 1
                return u * u * u + skew * 0.3 * rng.nextUnitDouble()
            }
            let subject = family.select(group: group)
            let (member, values) = Self.bruteForce(family, group)
            usage[subject.member] += 1
            let decoded = subject.codes.map { family.members[subject.member].decode($0).approximateDouble }
            if subject.member != member || decoded != values { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(usage.allSatisfy { $0 > 0 }, "every member should win some groups: \(usage)")
    }

    @Test("Special values replace the negative-zero code")
    func specialCodes() {
        let er = BitMoDFamily.bitmod4.members[0]
        #expect(er.decode(0b1000).description == "0x1.4p+3")  // +10
        #expect(BitMoDFamily.bitmod3.members[3].decode(0b100).description == "-0x1.8p+2")  // -6
        #expect(er.encode(ExactValue(5.0), rule: .toNearestOrEven).code == 0b0100)  // tie 4|6 -> lower (4)
    }
}
