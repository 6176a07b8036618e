// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nmm",
    products: [
        .executable(name: "nmm", targets: ["nmm"]),
        .library(name: "NMMStages", targets: ["NMMStages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CFITSIO", pkgConfig: "cfitsio", providers: [.apt(["libcfitsio-dev"])]),
        .systemLibrary(name: "CXraylib", pkgConfig: "libxrl", providers: [.apt(["libxrl-dev"])]),
        .target(name: "NMMCore", dependencies: [
            "CGSL", "CFITSIO", "CXraylib",
            .product(name: "Yams", package: "Yams"),
            .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "NMMPhysics", dependencies: ["NMMCore"]),
        // The likelihood, fits, profile statistics, toy sampling and interval constructions.
        // The κ-only Poisson toy kernel's common-case bin loop in AVX2, chosen at run time
        // (bit-identical to the SSE2 Swift loop; KappaOnlyPoisson, ToyKernelsDispatch).
        .target(name: "CToyKernels"),
        .target(name: "NMMStatistics", dependencies: ["NMMCore", "CToyKernels"]),
        .target(name: "NMMPlot", dependencies: []),
        .target(name: "NMMStages", dependencies: [
            "NMMStatistics", "NMMPhysics", "NMMCore", "NMMPlot", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "nmm", dependencies: [
            "NMMStages", "NMMStatistics", "NMMCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Fuzzing of the FITS, CSV and config readers (make fuzz): the harness and seeded
        // mutator, a libFuzzer/standalone executable, and a short campaign in the tests.
        .target(name: "NMMFuzzKit", dependencies: ["NMMStages", "NMMStatistics", "NMMCore"]),
        .systemLibrary(name: "CFuzzer"),
        .executableTarget(name: "NMMFuzz", dependencies: ["NMMFuzzKit", "CFuzzer"]),
        .testTarget(name: "FuzzTests", dependencies: ["NMMFuzzKit", "NMMCore"]),
        .testTarget(name: "NMMCoreTests", dependencies: ["NMMCore", "CGSL", "CFITSIO"]),
        .testTarget(name: "NMMPhysicsTests", dependencies: ["NMMPhysics", "NMMCore"]),
        .testTarget(name: "NMMStagesTests", dependencies: ["NMMStages", "NMMStatistics", "NMMPhysics", "NMMCore", "NMMTestSupport"]),
        .target(name: "NMMTestSupport", path: "Tests/NMMTestSupport"),
        .testTarget(name: "NMMPlotTests", dependencies: ["NMMPlot", "NMMTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["NMMCore"]),
        .testTarget(name: "RegressionTests", dependencies: ["NMMStages", "NMMStatistics", "NMMPhysics", "NMMCore"]),
        // The exports judged by the tools they are for: pyhf and hepdata-validator, run from the
        // Python environment `make venv` makes (.venv); the Python scripts live in scripts/.
        .testTarget(name: "InteropTests", dependencies: ["NMMStages", "NMMStatistics", "NMMCore"], exclude: ["scripts"]),
    ]
)
