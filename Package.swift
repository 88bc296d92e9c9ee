// swift-tools-version: 6.1
import PackageDescription

/// Settings every Catena target shares: Swift 6 mode plus the upcoming features the Swift server projects use.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Catena",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Catena", targets: ["Catena"]),
        .library(name: "CatenaTesting", targets: ["CatenaTesting"]),
        .executable(name: "catena-demo", targets: ["catena-demo"]),
        .executable(name: "catena-bench", targets: ["catena-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "Catena",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(name: "CatenaTesting", dependencies: ["Catena"], swiftSettings: strictSettings),
        .executableTarget(name: "catena-demo", dependencies: ["Catena", "CatenaTesting"], swiftSettings: strictSettings),
        .executableTarget(name: "catena-bench", dependencies: ["Catena", "CatenaTesting"], swiftSettings: strictSettings),
        .testTarget(
            name: "CatenaTests", dependencies: ["Catena", "CatenaTesting"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
