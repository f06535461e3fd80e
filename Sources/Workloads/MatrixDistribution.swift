import Formats
import RealModule

/// Seeded synthetic matrix data. Every element is a pure function of (seed, matrix role, row,
/// column), so any row can be generated alone (sampled runs of huge GEMMs never materialise the
/// whole matrix) and the same seed always gives the same matrices.
public enum MatrixDistribution: Sendable, Hashable, CustomStringConvertible {
    /// N(0, 1).
    case gaussian
    /// Laplace(0, 1/sqrt(2)): unit variance, heavier tails than Gaussian.
    case laplace
    /// Student's t with `nu` degrees of freedom (nu > 0; heavy tails for small nu).
    case studentT(nu: Double)
    /// LLM activations with outlier channels (Dettmers et al., "LLM.int8()", NeurIPS 2022):
    /// Gaussian, except `outlierFraction` of the K channels (columns of A), chosen by the seed,
    /// scaled by a factor drawn uniformly from 20 to 100. For B (weights) this is Gaussian.
    case llmOutliers(outlierFraction: Double)
    /// Every element 0: the all-zero operands of benchmarks that never initialise their
    /// buffers (the power model's lowest bit activity).
    case zeros

    public var description: String {
        switch self {
        case .gaussian: return "gaussian"
        case .laplace: return "laplace"
        case .studentT(let nu): return "student-t:\(nu.formatted)"
        case .llmOutliers(let f): return "llm-outliers:\(f.formatted)"
        case .zeros: return "zeros"
        }
    }

    /// Parses `gaussian`, `laplace`, `zeros`, `student-t:NU` (0.5 <= NU <= 10^6: below that the samples
    /// overflow binary64), `llm-outliers[:FRACTION]` (default 0.005).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        switch parts[0] {
        case "gaussian" where parts.count == 1: self = .gaussian
        case "laplace" where parts.count == 1: self = .laplace
        case "zeros" where parts.count == 1: self = .zeros
        case "student-t":
            guard parts.count == 2, let nu = Double(parts[1]), nu >= 0.5, nu <= 1e6 else { return nil }
            self = .studentT(nu: nu)
        case "llm-outliers":
            // An empty parameter (`llm-outliers:`) is an error, not the default.
            let f = parts.count == 2 ? Double(parts[1]) : 0.005
            guard let f, f > 0, f < 1 else { return nil }
            self = .llmOutliers(outlierFraction: f)
        default: return nil
        }
    }

    /// Which operand a matrix is (the streams differ; outliers apply to activations only).
    public enum Role: UInt64, Sendable { case a = 1, b = 2, c = 3 }

    /// Row `row` (length `columns`) of the matrix with this seed and role.
    public func row(_ row: Int, columns: Int, role: Role, seed: UInt64) -> [Double] {
        if case .zeros = self { return [Double](repeating: 0, count: columns) }
        var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ role.rawValue &* 0xBF58_476D_1CE4_E5B9 &+ UInt64(row))
        var out = [Double](repeating: 0, count: columns)
        for j in 0..<columns {
            switch self {
            case .gaussian: out[j] = Self.gaussian(&rng)
            case .laplace:
                var u = rng.nextUnitDouble() - 0.5
                while u == -0.5 { u = rng.nextUnitDouble() - 0.5 }
                let b = 1 / 2.0.squareRoot()
                out[j] = -b * (u < 0 ? -1 : 1) * Double.log(1 - 2 * Swift.abs(u))
            case .studentT(let nu):
                let z = Self.gaussian(&rng)
                let v = Self.gamma(shape: nu / 2, &rng) * 2  // chi-square with nu degrees of freedom
                out[j] = z / (v / nu).squareRoot()
            case .llmOutliers:
                out[j] = Self.gaussian(&rng)
            case .zeros: break
            }
        }
        if case .llmOutliers(let fraction) = self, role == .a {
            for (channel, factor) in Self.outlierChannels(columns: columns, fraction: fraction, seed: seed) {
                out[channel] *= factor
            }
        }
        return out
    }

    /// The outlier channels (column index, scale factor) of an activation matrix: at least one,
    /// about `fraction` of the columns, the same for every row.
    public static func outlierChannels(columns: Int, fraction: Double, seed: UInt64) -> [(Int, Double)] {
        var rng = SeededGenerator(seed: seed ^ 0x0D1E_7735)
        let count = Swift.max(1, Int((Double(columns) * fraction).rounded()))
        var chosen: [Int: Double] = [:]
        while chosen.count < Swift.min(count, columns) {
            chosen[Int(rng.next() % UInt64(columns))] = 20 + 80 * rng.nextUnitDouble()
        }
        return chosen.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Box-Muller (one value per pair of uniforms, so each draw is independent of the next).
    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        var u = rng.nextUnitDouble()
        while u == 0 { u = rng.nextUnitDouble() }
        let v = rng.nextUnitDouble()
        return (-2 * Double.log(u)).squareRoot() * Double.cos(2 * Double.pi * v)
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang, "A simple method for generating gamma variables",
    /// ACM TOMS 26(3), 2000 (with the boost for shape < 1).
    static func gamma(shape: Double, _ rng: inout SeededGenerator) -> Double {
        if shape < 1 {
            var u = rng.nextUnitDouble()
            while u == 0 { u = rng.nextUnitDouble() }
            return gamma(shape: shape + 1, &rng) * Double.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = gaussian(&rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if u > 0, Double.log(u) < 0.5 * x * x + d * (1 - v + Double.log(v)) { return d * v }
        }
    }
}

extension Double {
    var formatted: String { self == rounded() && Swift.abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
