/// Pareto fronts over a sweep's records (docs/sweeps.md, "Pareto fronts"): objectives to minimise
/// or maximise; a point is on the front when no other valid point is at least as good in every
/// objective and better in one. Points whose objectives are missing or NaN, and failed points,
/// are never on the front and are marked invalid; points with identical objective vectors do not
/// dominate each other (ties stay on the front together).
public enum ParetoFront {
    public struct Objective: Sendable, Hashable, CustomStringConvertible {
        public let metric: String
        public let maximise: Bool
        public init(metric: String, maximise: Bool) { (self.metric, self.maximise) = (metric, maximise) }

        /// `min:NAME` or `max:NAME`.
        public init?(parsing text: String) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["min", "max"].contains(parts[0]), !parts[1].isEmpty else { return nil }
            self.init(metric: parts[1], maximise: parts[0] == "max")
        }

        public var description: String { (maximise ? "max:" : "min:") + metric }
    }

    public enum Status: String, Sendable { case front, dominated, invalid }

    /// Each record's status, in the records' order.
    public static func classify(_ records: [SweepRecord], objectives: [Objective]) -> [Status] {
        // Costs to minimise (maximised objectives negated); nil when a value is missing or NaN.
        let costs: [[Double]?] = records.map { r in
            guard r.status == "ok" else { return nil }
            var v: [Double] = []
            for o in objectives {
                guard let x = r.metrics[o.metric], !x.isNaN else { return nil }
                v.append(o.maximise ? -x : x)
            }
            return v
        }
        func dominates(_ a: [Double], _ b: [Double]) -> Bool {
            var strictly = false
            for (x, y) in zip(a, b) {
                if x > y { return false }
                if x < y { strictly = true }
            }
            return strictly
        }
        return costs.indices.map { i in
            guard let c = costs[i] else { return .invalid }
            for j in costs.indices where j != i {
                if let d = costs[j], dominates(d, c) { return .dominated }
            }
            return .front
        }
    }
}
