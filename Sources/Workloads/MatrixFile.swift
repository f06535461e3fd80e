import Foundation

/// A matrix read from a file: row-major values as binary64 (exact for float16/32/64 inputs).
public struct MatrixFile: Sendable {
    public let rows: Int
    public let columns: Int
    public let values: [Double]
    public let source: String

    /// A row-major `rows` x `columns` matrix held in memory (`source` names it in reports).
    public init(rows: Int, columns: Int, values: [Double], source: String) {
        precondition(rows > 0 && columns > 0 && values.count == rows * columns, "values must fill rows x columns")
        (self.rows, self.columns, self.values, self.source) = (rows, columns, values, source)
    }

    /// Problems reading a matrix file, each naming the file and the fix.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads `path` (a `.npy` file), or `path:tensor` from a `.safetensors` file. The array must
    /// be 2-D (a leading dimension of 1 is dropped) of float16, float32 or float64 (safetensors
    /// also BF16), little-endian.
    public static func load(_ specification: String) throws(ReadError) -> MatrixFile {
        if let range = specification.range(of: ".safetensors:") {
            let path = String(specification[..<range.lowerBound]) + ".safetensors"
            let tensor = String(specification[range.upperBound...])
            return try Safetensors.read(path: path, tensor: tensor)
        }
        if specification.hasSuffix(".safetensors") {
            throw ReadError(description: "\(specification): name the tensor, as \(specification):NAME (see the tensor list with python -c 'import safetensors')")
        }
        guard specification.hasSuffix(".npy") else {
            throw ReadError(description: "\(specification): expected a .npy file or FILE.safetensors:TENSOR")
        }
        return try NPY.read(path: specification)
    }

    static func readBytes(_ path: String) throws(ReadError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "\(path): cannot read the file (check the path)")
        }
        return [UInt8](data)
    }

    /// Converts little-endian element bytes to Doubles.
    static func decode(_ bytes: ArraySlice<UInt8>, dtype: String, count: Int, path: String) throws(ReadError) -> [Double] {
        let width: Int
        switch dtype {
        case "f2", "F16", "BF16": width = 2
        case "f4", "F32": width = 4
        case "f8", "F64": width = 8
        default:
            throw ReadError(description: "\(path): unsupported element type \(dtype); use float16, float32 or float64 (safetensors also BF16)")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, bytes.count >= needed else {
            throw ReadError(description: "\(path): data section holds \(bytes.count) bytes, the shape needs "
                                         + (overflow ? "more than any file can hold" : "\(needed)"))
        }
        var out = [Double](repeating: 0, count: count)
        let base = bytes.startIndex
        for i in 0..<count {
            var raw: UInt64 = 0
            for b in 0..<width { raw |= UInt64(bytes[base + i * width + b]) << UInt64(8 * b) }
            switch dtype {
            case "f2", "F16": out[i] = Double(Float16(bitPattern: UInt16(raw)))
            case "BF16": out[i] = Double(Float(bitPattern: UInt32(raw) << 16))
            case "f4", "F32": out[i] = Double(Float(bitPattern: UInt32(raw)))
            default: out[i] = Double(bitPattern: raw)
            }
        }
        return out
    }

    /// The (rows, columns) of a shape, or an error naming the file.
    static func matrixShape(_ shape: [Int], path: String) throws(ReadError) -> (Int, Int) {
        var s = shape
        while s.count > 2, s.first == 1 { s.removeFirst() }
        guard s.count == 2 else {
            throw ReadError(description: "\(path): expected a 2-D array, got shape \(shape)")
        }
        guard s[0] > 0, s[1] > 0 else {
            throw ReadError(description: "\(path): shape \(shape) is empty or negative; a GEMM operand needs at least one row and column")
        }
        // The element count must be an Int (the payload check then finds a short file).
        guard !s[0].multipliedReportingOverflow(by: s[1]).overflow else {
            throw ReadError(description: "\(path): shape \(shape) holds more elements than any file can")
        }
        return (s[0], s[1])
    }
}

/// NumPy's .npy format v1-v3 (numpy.lib.format): magic, version, little-endian header length,
/// a Python dict literal with 'descr', 'fortran_order' and 'shape', then the raw data.
enum NPY {
    static func read(path: String) throws(MatrixFile.ReadError) -> MatrixFile {
        let bytes = try MatrixFile.readBytes(path)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw MatrixFile.ReadError(description: "\(path): not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = bytes[6]
        guard (1...3).contains(major) else {
            throw MatrixFile.ReadError(description: "\(path): .npy format version \(major).\(bytes[7]) is not one of 1.0-3.0; save it with numpy.save")
        }
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw MatrixFile.ReadError(description: "\(path): truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard bytes.count >= headerStart + headerLength else {
            throw MatrixFile.ReadError(description: "\(path): truncated header")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let fields: NPYHeader
        do { fields = try NPYHeader(parsing: Array(bytes[headerStart..<(headerStart + headerLength)])) } catch {
            throw MatrixFile.ReadError(description: "\(path): malformed .npy header (\(error.reason)): \(header.prefix(200)); save the array with numpy.save")
        }
        let dtype = fields.descr, shape = fields.shape
        guard dtype.hasPrefix("<") || dtype.hasPrefix("|") || dtype.hasPrefix("=") else {
            throw MatrixFile.ReadError(description: "\(path): big-endian data (\(dtype)); save it little-endian (arr.astype('<f4'))")
        }
        let (rows, columns) = try MatrixFile.matrixShape(shape, path: path)
        let data = bytes[(headerStart + headerLength)...]
        var values = try MatrixFile.decode(data, dtype: String(dtype.dropFirst()), count: rows * columns, path: path)
        if fields.fortranOrder {
            // Fortran (column-major) order: transpose into row-major.
            var t = [Double](repeating: 0, count: values.count)
            for c in 0..<columns { for r in 0..<rows { t[r * columns + c] = values[c * rows + r] } }
            values = t
        }
        return MatrixFile(rows: rows, columns: columns, values: values, source: path)
    }
}

/// The header dict of a .npy file, parsed strictly as numpy.lib.format writes it: a Python dict
/// literal with exactly the keys 'descr' (a string), 'fortran_order' (True or False) and 'shape'
/// (a tuple of non-negative integers), each once, an optional trailing comma, then only spaces
/// and the final newline. Anything else (a duplicated key, a string 'True', an unclosed dict,
/// trailing text, non-ASCII bytes) is refused: numpy itself refuses such headers, and a loose
/// reading could disagree with numpy about the array's layout.
struct NPYHeader {
    struct Malformed: Error { let reason: String }

    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    init(parsing bytes: [UInt8]) throws(Malformed) {
        var i = 0
        func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }
        func expect(_ c: UInt8, _ what: String) throws(Malformed) {
            skipSpaces()
            guard i < bytes.count, bytes[i] == c else { throw Malformed(reason: "expected \(what)") }
            i += 1
        }
        func quoted() throws(Malformed) -> String {
            skipSpaces()
            guard i < bytes.count, bytes[i] == 0x27 || bytes[i] == 0x22 else { throw Malformed(reason: "expected a quoted string") }
            let quote = bytes[i]
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != quote {
                guard bytes[i] >= 0x20, bytes[i] < 0x7F, bytes[i] != 0x5C else { throw Malformed(reason: "unexpected byte in a string") }
                i += 1
            }
            guard i < bytes.count else { throw Malformed(reason: "unclosed string") }
            i += 1
            return String(decoding: bytes[start..<(i - 1)], as: UTF8.self)
        }
        func word() -> String {
            skipSpaces()
            let start = i
            while i < bytes.count, (0x41...0x5A).contains(bytes[i]) || (0x61...0x7A).contains(bytes[i]) { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        func integer() throws(Malformed) -> Int {
            skipSpaces()
            let start = i
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
            guard i > start, i - start <= 18, let v = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                throw Malformed(reason: "a shape entry is not a non-negative integer")
            }
            return v
        }
        try expect(0x7B, "{")
        var seen: Set<String> = []
        while true {
            skipSpaces()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; break }
            let key = try quoted()
            guard ["descr", "fortran_order", "shape"].contains(key) else { throw Malformed(reason: "unknown key '\(key)'") }
            guard seen.insert(key).inserted else { throw Malformed(reason: "key '\(key)' given twice") }
            try expect(0x3A, ":")
            switch key {
            case "descr": descr = try quoted()
            case "fortran_order":
                switch word() {
                case "True": fortranOrder = true
                case "False": fortranOrder = false
                default: throw Malformed(reason: "fortran_order must be True or False")
                }
            default:
                try expect(0x28, "( opening the shape")
                skipSpaces()
                while i < bytes.count, bytes[i] != 0x29 {
                    shape.append(try integer())
                    skipSpaces()
                    if i < bytes.count, bytes[i] == 0x2C { i += 1; skipSpaces() } else { break }
                }
                try expect(0x29, ") closing the shape")
            }
            skipSpaces()
            if i < bytes.count, bytes[i] == 0x2C { i += 1; continue }
            try expect(0x7D, ", or } after '\(key)'")
            break
        }
        guard seen.count == 3 else { throw Malformed(reason: "the header needs descr, fortran_order and shape") }
        // numpy pads with spaces to an aligned length and ends the header with a newline.
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        if i < bytes.count, bytes[i] == 0x0A { i += 1 }
        guard i == bytes.count else { throw Malformed(reason: "text after the dict") }
    }
}

/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and data offsets, then the data (real-data.md §1.2).
enum Safetensors {
    static func read(path: String, tensor: String) throws(MatrixFile.ReadError) -> MatrixFile {
        let bytes = try MatrixFile.readBytes(path)
        guard bytes.count >= 8 else { throw MatrixFile.ReadError(description: "\(path): too short for a safetensors file") }
        let n = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << UInt64(8 * $1) }
        guard n < UInt64(bytes.count - 8) else { throw MatrixFile.ReadError(description: "\(path): header length \(n) exceeds the file") }
        let headerEnd = 8 + Int(n)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else {
            throw MatrixFile.ReadError(description: "\(path): the header is not a JSON object")
        }
        guard let entry = object[tensor] as? [String: Any] else {
            let names = object.keys.filter { $0 != "__metadata__" }.sorted()
            let close = names.filter { $0.contains(tensor) || tensor.contains($0) }.prefix(5)
            throw MatrixFile.ReadError(description: "\(path): no tensor \"\(tensor)\" (\(names.count) tensors; "
                                       + (close.isEmpty ? "e.g. \(names.prefix(5).joined(separator: ", "))" : "did you mean \(close.joined(separator: ", "))?") + ")")
        }
        guard let dtype = entry["dtype"] as? String, let shape = entry["shape"] as? [Int],
              let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
            throw MatrixFile.ReadError(description: "\(path): tensor \(tensor) lacks dtype, shape or data_offsets")
        }
        let (rows, columns) = try MatrixFile.matrixShape(shape, path: "\(path):\(tensor)")
        let begin = headerEnd + offsets[0], end = headerEnd + offsets[1]
        guard begin >= headerEnd, end <= bytes.count, begin <= end else {
            throw MatrixFile.ReadError(description: "\(path): tensor \(tensor) data offsets \(offsets) lie outside the file")
        }
        let values = try MatrixFile.decode(bytes[begin..<end], dtype: dtype, count: rows * columns, path: "\(path):\(tensor)")
        return MatrixFile(rows: rows, columns: columns, values: values, source: "\(path):\(tensor)")
    }
}
