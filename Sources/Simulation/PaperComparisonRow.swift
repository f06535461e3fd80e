/// One line of a paper comparison (`simulate costs lut-paper`, `simulate costs bitmod-paper`):
/// QuantSim's first-principles figure next to the published one, with the inputs that produced
/// it. Nothing is fitted to the published values.
public struct PaperComparisonRow: Codable, Sendable {
    public let comparison: String
    public let quantsim: Double
    public let paper: Double?
    public let unit: String
    /// quantsim / paper.
    public let ratio: Double?
    public let inputs: String
    public let paper_source: String

    public init(comparison: String, quantsim: Double, paper: Double?, unit: String, inputs: String, paper_source: String) {
        self.comparison = comparison
        self.quantsim = quantsim
        self.paper = paper
        self.unit = unit
        ratio = paper.map { quantsim / $0 }
        self.inputs = inputs
        self.paper_source = paper_source
    }
}
