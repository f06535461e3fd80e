extension FormatCatalog {
    /// The catalogue name of a scalar format (`e4m3`, `int4`, `uint8`, a codebook's name), or nil
    /// for a format no name parses to.
    public static func name(of element: ScalarFormat) -> String? {
        if let entry = named.first(where: { if case .scalar(let s) = $0.format { return s == element }; return false }) {
            return entry.name
        }
        switch element {
        case .integer(let i) where i.scaleExponent == 0:
            let prefix: String
            switch i.encoding {
            case .unsigned: prefix = "uint"
            case .twosComplement: prefix = "int"
            case .symmetric: prefix = "symint"
            case .signMagnitude: prefix = "smint"
            case .bipolar: prefix = "bipolar"
            }
            return prefix + String(i.bitWidth)
        case .codebook(let c): return (BitMoDFamily.bitmod3.members + BitMoDFamily.bitmod4.members).contains(c) ? "bitmod-" + c.name : c.name
        default: return nil
        }
    }
}
