import Workloads

/// Lines of a GEMM operand from its data source: rows of A (M x K) and columns of B (K x N).
struct OperandSource {
    let data: RunRequest.DataSource
    let k: Int
    let role: MatrixDistribution.Role
    let seed: UInt64
    /// Columns of B (true) or rows of A.
    let isColumn: Bool

    /// Line `index`: row of A, or column of B (row `index` of B transposed).
    func line(_ index: Int) -> [Double] {
        switch data {
        case .synthetic(let d): return d.row(index, columns: k, role: role, seed: seed)
        case .file(let f):
            if isColumn { return (0..<k).map { f.values[$0 * f.columns + index] } }
            return Array(f.values[(index * f.columns)..<(index * f.columns + k)])
        }
    }

    /// The largest finite magnitude over `lines` lines.
    func amax(lines: Int) -> Double {
        var m = 0.0
        for i in 0..<lines { for v in line(i) where v.isFinite { m = Swift.max(m, Swift.abs(v)) } }
        return m
    }
}
