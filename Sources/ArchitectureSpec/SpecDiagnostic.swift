/// One problem found in an architecture document: where (JSON path, line and column), what, and
/// how to fix it.
public struct SpecDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let location: SourceLocation?
    public let message: String
    public let fix: String?

    public init(path: String, location: SourceLocation?, message: String, fix: String? = nil) {
        self.path = path
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String {
        let place = path.isEmpty ? "(document)" : path
        return "\(place): \(message)" + (fix.map { " (fix: \($0))" } ?? "")
    }

    /// `file:line:column: error: path: message (fix: ...)`, the compiler-style line the CLI
    /// prints.
    public func rendered(file: String) -> String {
        let prefix = location.map { "\(file):\($0.line):\($0.column)" } ?? file
        return "\(prefix): error: \(description)"
    }
}

/// Collects diagnostics during decoding and validation; decoding continues after an error so
/// that one run reports every problem.
public final class DiagnosticSink {
    public private(set) var diagnostics: [SpecDiagnostic] = []
    public init() {}

    public func report(_ path: SpecPath, _ location: SourceLocation?, _ message: String, fix: String? = nil) {
        diagnostics.append(SpecDiagnostic(path: path.description, location: location, message: message, fix: fix))
    }

    public var isEmpty: Bool { diagnostics.isEmpty }
}

/// Thrown when a document has problems; carries all of them, in file order.
public struct SpecValidationError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let diagnostics: [SpecDiagnostic]

    public init(file: String, diagnostics: [SpecDiagnostic]) {
        self.file = file
        self.diagnostics = diagnostics.sorted {
            ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
        }
    }

    public var description: String {
        diagnostics.map { $0.rendered(file: file) }.joined(separator: "\n")
    }
}

/// A JSON path such as `mma_instructions[2].shape.k`.
public struct SpecPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component] = []
    public init() {}

    public func appending(_ key: String) -> SpecPath {
        var p = self
        p.components.append(.key(key))
        return p
    }

    public func appending(index: Int) -> SpecPath {
        var p = self
        p.components.append(.index(index))
        return p
    }

    public var description: String {
        var text = ""
        for c in components {
            switch c {
            case .key(let k): text += text.isEmpty ? k : "." + k
            case .index(let i): text += "[\(i)]"
            }
        }
        return text
    }
}
