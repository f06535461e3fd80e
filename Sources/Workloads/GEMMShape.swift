/// A GEMM problem shape: D (M x N) = A (M x K) B (K x N) + C.
public struct GEMMShape: Sendable, Hashable, CustomStringConvertible {
    public let m: Int
    public let n: Int
    public let k: Int

    public init(m: Int, n: Int, k: Int) {
        precondition(m > 0 && n > 0 && k > 0)
        self.m = m
        self.n = n
        self.k = k
    }

    /// Parses "MxNxK" (e.g. "4096x4096x4096"); `nil` unless three positive integers of at most
    /// 2^40 whose product fits an Int.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 3, let m = parts[0], let n = parts[1], let k = parts[2],
              m > 0, n > 0, k > 0, max(m, n, k) <= Self.maxSide else { return nil }
        // M x N x K (the MAC count) must be an Int.
        let mn = m.multipliedReportingOverflow(by: n)
        guard !mn.overflow, !mn.partialValue.multipliedReportingOverflow(by: k).overflow else { return nil }
        self.init(m: m, n: n, k: k)
    }

    /// Largest M, N or K parsed (2^40): far beyond any real GEMM, and far from Int overflow in
    /// tile counts and round-up divisions.
    public static let maxSide = 1 << 40

    public var multiplyAccumulates: Int { m * n * k }
    public var description: String { "\(m)x\(n)x\(k)" }
}
