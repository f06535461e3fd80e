import Foundation

/// `--save DIR`: a directory of files written all or nothing. The files are written into a
/// staging directory beside DIR, which then replaces DIR in one rename (a DIR left by an
/// earlier `--save` is moved aside first and removed after).
enum SaveDirectory {
    /// Refuses, before any work, a DIR that is a file, a non-empty directory that no earlier
    /// `--save` wrote, or one whose parent is missing or not writable.
    static func check(_ path: String?) throws {
        guard let path else { return }
        guard !path.isEmpty else { throw CLIError.usage("--save needs a directory path, got an empty one") }
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw CLIError.usage("--save \(path) is a file; give a directory path") }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            guard contents.isEmpty || contents.contains("index.json") else {
                throw CLIError.usage("--save \(path) is a directory that an earlier --save did not write; choose a new or empty directory")
            }
        }
        let parent = FileText.parentDirectory(FileText.resolved(path))
        guard access(parent, W_OK) == 0 else {
            throw CLIError.usage("--save \(path): directory \(parent) does not exist or is not writable")
        }
    }

    static func write(_ path: String, files: [(path: String, bytes: [UInt8])]) throws {
        let target = FileText.resolved(path)
        let staging = target + ".tmp-\(getpid())"
        let manager = FileManager.default
        try? manager.removeItem(atPath: staging)
        do {
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: false)
            for f in files {
                let url = URL(fileURLWithPath: staging).appendingPathComponent(f.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.bytes).write(to: url)
            }
        } catch {
            try? manager.removeItem(atPath: staging)
            throw CLIError.runtime("--save \(path): \(error.localizedDescription); nothing was written")
        }
        let old = target + ".old-\(getpid())"
        let existed = manager.fileExists(atPath: target)
        if existed, rename(target, old) != 0 {
            try? manager.removeItem(atPath: staging)
            throw CLIError.runtime("--save \(path): cannot move the earlier contents aside: \(String(cString: strerror(errno)))")
        }
        guard rename(staging, target) == 0 else {
            let reason = String(cString: strerror(errno))
            if existed { _ = rename(old, target) }
            try? manager.removeItem(atPath: staging)
            throw CLIError.runtime("--save \(path): \(reason); nothing was written")
        }
        if existed { try? manager.removeItem(atPath: old) }
    }
}
