import SimulateCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(await SimulateMain.run(Array(CommandLine.arguments.dropFirst())))
