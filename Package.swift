// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Descent",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "descent", targets: ["DescentCLI"]),
        .executable(name: "descent-fuzz", targets: ["DescentFuzz"]),
        .library(name: "DescentCore", targets: ["DescentCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Optimizer, objectives, runs and scenario files: no terminal code.
        .target(
            name: "DescentCore",
            dependencies: ["CLapack", "CKernels", .product(name: "Yams", package: "Yams")]
        ),
        // The SGD step's loop in C, compiled for the baseline and for AVX2 and AVX-512 (function attributes),
        // chosen at run time by cpuid; no fused multiply-adds, so every path gives the same bits.
        // Optimized in every build, so the tests (a debug build) check the vectorized loops that a release runs.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // LAPACK (Debian: liblapack-dev) for symmetric eigenvalues; the shim declares the Fortran entry points.
        .systemLibrary(name: "CLapack"),
        // The explorer's state, update and render into a grid of cells: no terminal code.
        .target(
            name: "DescentExplorer",
            dependencies: ["DescentCore", "CTextWidth"]
        ),
        // wcwidth in a UTF-8 locale: how many columns a character takes, as ncurses measures it.
        .target(name: "CTextWidth"),
        // ncursesw (Debian: libncurses-dev), with a shim for what Swift cannot import (macros, unsafe globals).
        // No pkgConfig: its cflags (-D_DEFAULT_SOURCE, -D_XOPEN_SOURCE=600) make SwiftPM warn on every build,
        // and the shim sets what the header needs itself; the module map links ncursesw and tinfo.
        .systemLibrary(name: "CNcurses"),
        // The terminal sink: copies the explorer's grid out, reads keys in.
        .target(
            name: "NcursesTerminal",
            dependencies: ["CNcurses", "DescentExplorer"]
        ),
        // The commands (argument parsing, the headless runner, the explorer's driver): a library, so the
        // fuzzer runs argument vectors through them in-process.
        .target(
            name: "DescentCommands",
            dependencies: [
                "DescentCore",
                "DescentExplorer",
                "NcursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `descent`: the commands, and the exit status they give.
        .executableTarget(
            name: "DescentCLI",
            dependencies: ["DescentCommands"]
        ),
        // Fuzz targets (scenario decoder, CSV reader, formula parser, explorer update), shared by the libFuzzer
        // executable and the tests that replay what fuzzing found.
        .target(
            name: "DescentFuzzing",
            dependencies: ["DescentCore", "DescentExplorer", "DescentCommands"]
        ),
        // `descent-fuzz`: libFuzzer's entry points (see README, Fuzzing), or a replayer when built plainly.
        .executableTarget(
            name: "DescentFuzz",
            dependencies: ["DescentFuzzing"]
        ),
        .testTarget(
            name: "DescentFuzzingTests",
            dependencies: ["DescentFuzzing", "DescentCore"],
            exclude: ["Crashes"]
        ),
        .testTarget(
            name: "DescentExplorerTests",
            dependencies: ["DescentExplorer", "DescentCore"],
            exclude: ["Screens"]
        ),
        .testTarget(
            name: "NcursesTerminalTests",
            dependencies: ["NcursesTerminal", "DescentExplorer"]
        ),
        .testTarget(
            name: "DescentCLITests",
            dependencies: ["DescentCLI", "DescentCommands", "DescentCore", "DescentExplorer"]
        ),
        .testTarget(
            name: "DescentCoreTests",
            dependencies: ["DescentCore"],
            exclude: ["Fixtures"]
        ),
    ]
)
