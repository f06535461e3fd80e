import Foundation

/// Number and JSON rendering shared by every report (`simulate run`, `simulate costs`).
public enum ReportText {
    /// `%g` with `digits` significant digits; non-finite values as "nan", "inf", "-inf".
    public static func g(_ x: Double, _ digits: Int = 4) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        return String(format: "%.\(digits)g", x)
    }

    /// Pretty JSON with sorted keys; non-finite numbers as the strings "inf", "-inf", "nan".
    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n"
    }
}
