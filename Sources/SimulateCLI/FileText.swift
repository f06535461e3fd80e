#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and all-or-nothing writes: every output of a command is written to a
/// temporary file next to its destination first, and only when all of them are complete are
/// they renamed into place, so a failed run never leaves a half-written output or half of a
/// set of outputs.
enum FileText {
    /// Input text (vector files, stdin) is read up to this many bytes; beyond it the command
    /// stops with a message instead of reading a device or a runaway pipe to exhaustion.
    static let inputLimit = 256 << 20

    /// All of descriptor `fd` as text: at most `inputLimit` bytes, no NUL bytes, valid UTF-8;
    /// `what` names the input in messages.
    static func readText(descriptor fd: Int32, what: String) throws -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw CLIError.usage("\(what): cannot read (\(String(cString: strerror(errno))))") }
            if n == 0 { break }
            if let nul = buffer[0..<n].firstIndex(of: 0) {  // checked per chunk: /dev/zero fails at once
                let line = data.filter { $0 == 0x0A }.count + buffer[0..<nul].filter { $0 == 0x0A }.count + 1
                throw CLIError.usage("\(what): line \(line) holds a NUL byte; vector lines are text")
            }
            data.append(contentsOf: buffer[0..<n])
            guard data.count <= inputLimit else {
                throw CLIError.usage("\(what): more than \(inputLimit >> 20) MiB of input; split the vectors into smaller files")
            }
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw CLIError.usage("\(what): the input is not UTF-8 text")
        }
        return text
    }

    /// A file's text through `readText` (a regular file, a device or a pipe alike).
    static func readText(path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CLIError.usage("cannot read \(path)") }
        defer { close(fd) }
        return try readText(descriptor: fd, what: path)
    }


    /// Where an output path leads.
    enum Destination: Equatable {
        /// This process's stdout or stderr (`/dev/stdout`, or the file the shell redirected it
        /// to): written through the open descriptor, never truncated or replaced.
        case stream(Int32)
        /// An existing device, FIFO or socket (`/dev/null`, a named pipe): written directly.
        case special(String)
        /// A regular file (existing or new), by its resolved path: staged and renamed.
        case regular(String)
    }

    static func destination(_ path: String) -> Destination {
        var target = stat()
        if stat(path, &target) == 0 {
            for descriptor: Int32 in [1, 2] {
                var open = stat()
                if fstat(descriptor, &open) == 0, open.st_dev == target.st_dev, open.st_ino == target.st_ino {
                    return .stream(descriptor)
                }
            }
        }
        let key = resolved(path)
        return isSpecialFile(key) ? .special(key) : .regular(key)
    }

    /// Checks, before any work is done, that output paths are distinct, that none of them is
    /// one of the command's input files (writing would replace the input), and that each one's
    /// directory exists and is writable. `paths` and `inputs` pair an option name with its path
    /// (nil: the option was not given).
    static func checkWritable(_ paths: [(option: String, path: String?)], inputs: [(option: String, path: String?)] = []) throws {
        var seen: [String: String] = [:]
        var read: [String: (option: String, path: String)] = [:]
        for case let (option, path?) in inputs where !path.isEmpty {
            if case .regular(let key) = destination(path) { read[key] = (option, path) }
        }
        for case let (option, path?) in paths {
            guard !path.isEmpty else { throw CLIError.usage("\(option) needs a file path, got an empty one") }
            guard case .regular(let key) = destination(path) else { continue }  // streams, /dev/null, pipes
            if let other = seen[key] {
                throw CLIError.usage("\(option) \(path) is also the \(other) file; give each output its own path")
            }
            seen[key] = option
            if let input = read[key] {
                throw CLIError.usage("\(option) \(path) is the \(input.option) input \(input.path); writing the output would replace it "
                                     + "(fix: give the output another path)")
            }
            var target = stat()
            if stat(key, &target) == 0, (target.st_mode & S_IFMT) == S_IFDIR {
                throw CLIError.usage("\(option) \(path) is a directory; give a file path")
            }
            let directory = parentDirectory(key)
            var info = stat()
            guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw CLIError.usage("\(option) \(path): directory \(directory) does not exist; create it or choose another path")
            }
            guard access(directory, W_OK) == 0 else {
                throw CLIError.usage("\(option) \(path): directory \(directory) is not writable; choose another path")
            }
        }
    }

    /// Writes every (path, text) or none: regular files are staged as temporaries and renamed
    /// once all are complete; then streams and special files are written directly. Symbolic
    /// links are followed (the link's final target is replaced, the links kept).
    static func writeAll(_ outputs: [(path: String, text: String)]) throws {
        try writeAll(bytes: outputs.map { ($0.path, Array($0.text.utf8)) })
    }

    /// As `writeAll(_:)` for binary contents.
    static func writeAll(bytes outputs: [(path: String, bytes: [UInt8])]) throws {
        let targets = outputs.map { (path: $0.path, bytes: $0.bytes, to: destination($0.path)) }
        var staged: [(temporary: String, destination: String, shown: String)] = []
        func discard() { for s in staged { unlink(s.temporary) } }
        for (path, bytes, to) in targets {
            guard case .regular(let destination) = to else { continue }
            let temporary = destination + ".tmp-\(getpid())"
            guard let f = fopen(temporary, "wb") else {
                let reason = String(cString: strerror(errno))
                discard()
                throw CLIError.runtime("cannot write \(path): \(reason); check that its directory exists and is writable")
            }
            let written = fwrite(bytes, 1, bytes.count, f)
            let writeError = ferror(f) != 0 ? errno : 0
            let closed = fclose(f)
            staged.append((temporary, destination, path))
            guard written == bytes.count, writeError == 0, closed == 0 else {
                let reason = String(cString: strerror(writeError != 0 ? writeError : errno))
                discard()
                throw CLIError.runtime("cannot write \(path): \(reason); nothing was written")
            }
        }
        for (index, s) in staged.enumerated() where rename(s.temporary, s.destination) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in staged[index...] { unlink(rest.temporary) }
            throw CLIError.runtime("cannot move the finished \(s.shown) into place: \(reason)"
                                   + (index > 0 ? " (\(staged[..<index].map(\.shown).joined(separator: ", ")) already written)" : ""))
        }
        for (path, bytes, to) in targets {
            switch to {
            case .regular: continue
            case .stream(let descriptor): StandardStreams.write(String(decoding: bytes, as: UTF8.self), to: descriptor)
            case .special(let device):
                guard let f = fopen(device, "wb") else {
                    throw CLIError.runtime("cannot write \(path): \(String(cString: strerror(errno)))")
                }
                let written = fwrite(bytes, 1, bytes.count, f)
                let flushed = fflush(f)
                let reason = String(cString: strerror(errno))
                fclose(f)
                guard written == bytes.count, flushed == 0 else { throw CLIError.runtime("cannot write \(path): \(reason)") }
            }
        }
    }

    /// The absolute path a write to `path` lands on: symbolic links followed to their final
    /// target (also dangling ones, up to 40 links as the kernel allows), and a file that does
    /// not exist yet named under its resolved directory, so that different spellings of one
    /// file compare equal.
    static func resolved(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            if let real = realpath(current, nil) {
                defer { free(real) }
                return String(cString: real)
            }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { break }  // not a link: a new file
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : parentDirectory(current) + "/" + target
        }
        let name = current.split(separator: "/").last.map(String.init) ?? current
        guard let directory = realpath(parentDirectory(current), nil) else { return current }
        defer { free(directory) }
        let base = String(cString: directory)
        return (base == "/" ? "" : base) + "/" + name
    }

    /// An existing file that is not a regular file or directory (device, FIFO, socket).
    static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
