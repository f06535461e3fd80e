/// "Did you mean" suggestions: the closest candidate by Levenshtein distance, accepted when the
/// distance is at most a third of the longer name (and at least 1 edit is tolerated).
public enum EditDistance {
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(1, max(name.count, best.0.count) / 3)
        if best.1 <= limit { return best.0 }
        // A key that contains the candidate (or vice versa), e.g. a missing unit suffix.
        if let contained = candidates.first(where: { $0.hasPrefix(name) || name.hasPrefix($0) }) { return contained }
        return nil
    }
}
