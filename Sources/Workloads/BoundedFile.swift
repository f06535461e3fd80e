#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads input files with a size bound, so a device or a huge file is refused instead of
/// filling memory.
public enum BoundedFile {
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The bytes of `path`, at most `limit` of them.
    public static func bytes(path: String, limit: Int, what: String) throws(Error) -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw Error(description: "\(path): cannot read the \(what) (check the path)")
        }
        defer { fclose(f) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n > 0 {
                guard data.count + n <= limit else {
                    throw Error(description: "\(path): the \(what) is larger than \(limit >> 20) MiB (a device, or not a \(what)?)")
                }
                data.append(contentsOf: buffer[0..<n])
            }
            if n < buffer.count { break }
        }
        if ferror(f) != 0 { throw Error(description: "\(path): error reading the \(what)") }
        return data
    }

    /// The text of `path` (UTF-8; invalid bytes are an error), at most `limit` bytes.
    public static func text(path: String, limit: Int, what: String) throws(Workload.Error) -> String {
        let data: [UInt8]
        do { data = try bytes(path: path, limit: limit, what: what) } catch { throw Workload.Error(error.description) }
        guard let s = String(validating: data, as: UTF8.self) else {
            throw Workload.Error("\(path): the \(what) is not UTF-8 text")
        }
        return s
    }
}
