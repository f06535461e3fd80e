import ArgumentParser

/// The `simulate` root command. Subcommands are thin: they parse, call a library, print.
public struct SimulateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Bit-exact, cycle-level simulation of quantized GEMMs on tensor cores, LUT units, bit-serial PEs and FPGA DSP chains.",
        discussion: """
            Exit codes: 0 success, 1 runtime failure (including a failed --check), \
            2 usage or validation error.
            """,
        subcommands: [
            ValidateCommand.self,
            DescribeCommand.self,
            FormatsCommand.self,
            MMACommand.self,
            RunCommand.self,
            CostsCommand.self,
            ScaleSimCommand.self,
            SweepCommand.self,
            CalibrateCommand.self,
        ]
    )

    public init() {}
}

/// Errors the commands raise, with the exit code each maps to.
public enum CLIError: Error, CustomStringConvertible {
    /// Bad arguments or input (exit 2).
    case usage(String)
    /// One or more documents failed validation; the diagnostics were already printed (exit 2).
    case invalidDocuments(count: Int)
    /// The command ran but failed (exit 1).
    case runtime(String)

    public var exitCode: Int32 {
        switch self {
        case .usage, .invalidDocuments: return 2
        case .runtime: return 1
        }
    }

    public var description: String {
        switch self {
        case .usage(let m): return m
        case .invalidDocuments(let n): return "\(n) document\(n == 1 ? "" : "s") failed validation"
        case .runtime(let m): return m
        }
    }
}

/// Entry point used by the one-file `simulate` executable: parses, runs, maps errors to the
/// documented exit codes (argument-parser's own usage errors become 2, not 64).
public enum SimulateMain {
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try SimulateCommand.parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as CLIError {
            StandardStreams.error("simulate: error: \(error)")
            return error.exitCode
        } catch {
            let code = SimulateCommand.exitCode(for: error)
            let message = SimulateCommand.fullMessage(for: error)
            if code == .success {
                StandardStreams.output(message)
                return 0
            }
            StandardStreams.error(message)
            return code == .validationFailure ? 2 : (code.rawValue == 0 ? 0 : (code.rawValue == 64 ? 2 : 1))
        }
    }
}
