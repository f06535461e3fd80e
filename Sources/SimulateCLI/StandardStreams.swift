#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line-oriented writes to stdout and stderr.
public enum StandardStreams {
    public static func output(_ text: String) { write(text, to: 1) }

    public static func error(_ text: String) { write(text, to: 2) }

    /// Writes all bytes (retrying short writes) followed by a newline when missing.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.write(descriptor, raw.baseAddress, raw.count)
                #else
                Darwin.write(descriptor, raw.baseAddress, raw.count)
                #endif
            }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Whether stderr is a terminal (progress output goes there only then).
    public static var errorIsTerminal: Bool { isatty(2) != 0 }
}
