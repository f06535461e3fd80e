// swift-tools-version: 6.0
// QuantSim: bit-exact, cycle-level models of quantized-GEMM hardware.
// Layering and dependency rules: see README.md ("Architecture") and DESIGN.md.

import PackageDescription

// Release and benchmark builds pass `-Xswiftc -target-cpu -Xswiftc native` from the Makefile;
// the manifest itself stays portable.

let package = Package(
    name: "QuantSim",
    products: [
        .executable(name: "simulate", targets: ["simulate"]),
        .library(name: "Formats", targets: ["Formats"]),
        .library(name: "Reference", targets: ["Reference"]),
        // The bit-exact GEMM kernels as a library (MMAUnit.gemm, the LUT, PE-array and DSP
        // engines' execute), so that a benchmark or another package can call them.
        .library(name: "QuantSimEngines", targets: ["EngineKit", "TensorCoreEngine", "LUTEngine", "PEArrayEngine", "DSPChainEngine"]),
    ],
    // Package.resolved stays out of git, so the ranges are narrow: patch releases only. A new
    // minor release of argument-parser or Yams may change help/error text or YAML quoting that
    // the CLI goldens pin; widen a range deliberately, with the goldens re-recorded.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/apple/swift-numerics", .upToNextMinor(from: "1.1.1")),
        .package(url: "https://github.com/jpsim/Yams", .upToNextMinor(from: "6.2.2")),
    ],
    targets: [
        // MARK: - System libraries

        .systemLibrary(
            name: "CMPFR",
            pkgConfig: "mpfr",
            providers: [.apt(["libmpfr-dev"])]
        ),

        // MARK: - Libraries (dependency order: Formats <- ArchitectureSpec <- EngineKit; Reference)

        .target(name: "Formats"),
        .target(name: "Reference", dependencies: ["CMPFR", "Formats", "ArchitectureSpec"]),
        .target(name: "ArchitectureSpec", dependencies: ["Formats"]),
        .target(name: "EngineKit", dependencies: ["Formats", "ArchitectureSpec", "Workloads"]),
        .target(name: "TensorCoreEngine", dependencies: ["Formats", "ArchitectureSpec", "EngineKit", "Workloads"]),
        .target(name: "LUTEngine", dependencies: ["Formats", "ArchitectureSpec", "EngineKit", "Workloads"]),
        .target(name: "PEArrayEngine", dependencies: ["Formats", "ArchitectureSpec", "EngineKit", "Workloads"]),
        .target(name: "DSPChainEngine", dependencies: ["Formats", "ArchitectureSpec", "EngineKit", "Workloads"]),
        .target(
            name: "CostModel",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.process("Tables")]
        ),
        .target(name: "Workloads", dependencies: ["Formats", "ArchitectureSpec", .product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "Simulation",
            dependencies: [
                "Formats", "Reference", "ArchitectureSpec", "EngineKit", "TensorCoreEngine", "LUTEngine", "PEArrayEngine", "DSPChainEngine", "Workloads", "CostModel",
                .product(name: "RealModule", package: "swift-numerics"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "SimulateCLI",
            dependencies: [
                "Formats", "Reference", "ArchitectureSpec", "EngineKit", "TensorCoreEngine", "LUTEngine", "PEArrayEngine", "DSPChainEngine", "Workloads", "Simulation", "CostModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "simulate", dependencies: ["SimulateCLI"]),

        // MARK: - Benchmarks (run with `make bench`; never part of `make test`)

        .target(
            name: "CBaseline",
            path: "Benchmarks/CBaseline",
            cSettings: [.unsafeFlags(["-O3", "-march=native"])],
            linkerSettings: [.linkedLibrary("mpfr"), .linkedLibrary("gmp")]
        ),
        .executableTarget(
            name: "quantsim-bench",
            dependencies: ["Formats", "Reference", "EngineKit", "TensorCoreEngine", "CBaseline", "Simulation", "Workloads"],
            path: "Benchmarks/QuantSimBench"
        ),

        // MARK: - Tests

        .testTarget(name: "FormatsTests", dependencies: ["Formats"]),
        .testTarget(name: "ReferenceTests", dependencies: ["Reference", "Formats"]),
        .testTarget(name: "FormatsConformanceTests", dependencies: ["Formats", "Reference"]),
        .testTarget(name: "ArchitectureSpecTests", dependencies: ["ArchitectureSpec"]),
        .testTarget(name: "EngineKitTests", dependencies: ["EngineKit", "Formats"]),
        .testTarget(
            name: "TensorCoreEngineTests",
            dependencies: ["TensorCoreEngine", "Reference", "ArchitectureSpec", "Formats"],
            exclude: ["Captures"]
        ),
        .testTarget(name: "LUTEngineTests", dependencies: ["LUTEngine", "Reference", "ArchitectureSpec", "Formats", "EngineKit", "Workloads"]),
        .testTarget(name: "PEArrayEngineTests", dependencies: ["PEArrayEngine", "Reference", "ArchitectureSpec", "Formats", "EngineKit", "Workloads"],
                    exclude: ["ScaleSim"]),
        .testTarget(name: "DSPChainEngineTests", dependencies: ["DSPChainEngine", "Reference", "ArchitectureSpec", "Formats", "EngineKit", "Workloads"]),
        .testTarget(name: "SimulateCLITests", dependencies: ["SimulateCLI"], exclude: ["Fixtures"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Workloads", "ArchitectureSpec", "Formats", "CostModel", "EngineKit"]),
        .testTarget(name: "WorkloadsTests", dependencies: ["Workloads", "Formats"]),
        .testTarget(name: "CostModelTests", dependencies: ["CostModel", .product(name: "Yams", package: "Yams")]),
    ]
)
