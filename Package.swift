// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Descent",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "descent", targets: ["DescentCLI"]),
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
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "DescentCLI",
            dependencies: [
                "DescentCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "DescentCLITests",
            dependencies: ["DescentCLI", "DescentCore"]
        ),
        .testTarget(
            name: "DescentCoreTests",
            dependencies: ["DescentCore"],
            exclude: ["Fixtures"]
        ),
    ]
)
