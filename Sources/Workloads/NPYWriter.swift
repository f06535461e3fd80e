/// Writes NumPy .npy files (format 1.0, numpy.lib.format): the magic, a little-endian header
/// length, a Python dict literal padded with spaces so the data starts on a 64-byte boundary,
/// then the raw little-endian data in C order.
public enum NPYWriter {
    /// Element types written: float64, uint64 and int64.
    public enum Element: String, Sendable {
        case float64 = "<f8"
        case uint64 = "<u8"
        case int64 = "<i8"
    }

    public static func bytes(shape: [Int], element: Element, raw: [UInt64]) -> [UInt8] {
        precondition(raw.count == shape.reduce(1, *), "the data fills the shape")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(element.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = header.utf8.count
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + raw.count * 8)
        for v in raw { for b in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * b))) } }
        return out
    }

    public static func float64(shape: [Int], _ values: [Double]) -> [UInt8] {
        bytes(shape: shape, element: .float64, raw: values.map(\.bitPattern))
    }

    public static func uint64(shape: [Int], _ values: [UInt64]) -> [UInt8] { bytes(shape: shape, element: .uint64, raw: values) }

    public static func int64(shape: [Int], _ values: [Int]) -> [UInt8] {
        bytes(shape: shape, element: .int64, raw: values.map { UInt64(bitPattern: Int64($0)) })
    }
}
