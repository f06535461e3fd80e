#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line-oriented writes to stdout and stderr.
public enum StandardStreams {
    public static func output(_ text: String) { write(text, to: 1) }

    public static func error(_ text: String) { write(text, to: 2) }

    /// Writes all bytes (retrying short and interrupted writes) followed by a newline when
    /// missing. A report that cannot be written to standard output (a full disk, `/dev/full`, a
    /// closed descriptor) is a runtime failure: the command says so on stderr and exits 1,
    /// never 0 with its output lost.
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
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                guard descriptor == 1 else { return }  // stderr itself failed: nothing left to tell
                let reason = n < 0 ? String(cString: strerror(errno)) : "no progress"
                write("error: cannot write to standard output: \(reason) (fix: free space on the device, or write the report "
                      + "elsewhere with --output-file where the command has it)", to: 2)
                exit(1)
            }
            offset += n
        }
    }

    /// Whether stderr is a terminal (progress output goes there only then).
    public static var errorIsTerminal: Bool { isatty(2) != 0 }
}
