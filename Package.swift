// swift-tools-version: 6.2
import PackageDescription

/// Settings every target shares: strict, explicit imports and `any` spelled out.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "schedd",
    products: [
        .executable(name: "schedd", targets: ["schedd"]),
        .executable(name: "schedctl", targets: ["schedctl"]),
        .executable(name: "schedbench", targets: ["schedbench"]),
        .executable(name: "toml-test-decoder", targets: ["toml-test-decoder"]),
        .executable(name: "schedd-http-probe", targets: ["schedd-http-probe"]),
        .executable(name: "schedd-https-probe", targets: ["schedd-https-probe"]),
        .library(name: "SchedTime", targets: ["SchedTime"]),
        .library(name: "SchedCron", targets: ["SchedCron"]),
        .library(name: "TOML", targets: ["TOML"]),
        .library(name: "SchedCore", targets: ["SchedCore"]),
    ],
    targets: [
        // MARK: - Libraries
        .target(name: "SchedTime", swiftSettings: strictSettings),
        .target(name: "SchedCron", dependencies: ["SchedTime"], swiftSettings: strictSettings),
        .target(name: "TOML", swiftSettings: strictSettings),
        .target(
            name: "SchedCore",
            dependencies: ["SchedTime", "SchedCron", "TOML"],
            swiftSettings: strictSettings
        ),

        /// Linux headers Swift's Glibc module hides (epoll, timerfd, signalfd, pidfd, wait macros).
        .target(name: "CSchedLinux"),
        .target(
            name: "SchedRuntime",
            dependencies: ["SchedCore", "SchedTime", "CSchedLinux"],
            swiftSettings: strictSettings
        ),

        // MARK: - Executables
        .executableTarget(name: "schedd", dependencies: ["SchedRuntime"], swiftSettings: strictSettings),
        .executableTarget(
            name: "schedctl",
            dependencies: ["SchedCore", "SchedCron", "SchedTime", "SchedRuntime"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "schedbench",
            dependencies: ["SchedCore", "SchedCron", "SchedTime", "TOML", "SchedRuntime"],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "toml-test-decoder", dependencies: ["TOML"], swiftSettings: strictSettings),
        /// The HTTP health-check probe: plain HTTP on Glibc sockets; execs the HTTPS probe for https://.
        .executableTarget(
            name: "schedd-http-probe",
            dependencies: ["SchedCore", "SchedTime"],
            swiftSettings: strictSettings
        ),
        /// The HTTPS probe: FoundationNetworking, kept out of schedd and the plain probe.
        .executableTarget(
            name: "schedd-https-probe",
            dependencies: ["SchedCore", "SchedTime"],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests
        // Strict readers of the Prometheus text format and logfmt, shared by the test targets.
        .target(name: "SchedTestSupport", path: "Tests/SchedTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "SchedTimeTests", dependencies: ["SchedTime"], swiftSettings: strictSettings),
        .testTarget(name: "SchedCronTests", dependencies: ["SchedCron", "SchedTime"], swiftSettings: strictSettings),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"], swiftSettings: strictSettings),
        .testTarget(
            name: "SchedCoreTests",
            dependencies: ["SchedCore", "SchedCron", "SchedTime", "TOML", "SchedTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SchedRuntimeTests",
            dependencies: ["SchedRuntime", "SchedCore", "CSchedLinux", "SchedTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SchedctlTests",
            dependencies: ["schedctl", "SchedCore", "SchedTime"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SchedTime", "SchedCore", "SchedRuntime", "SchedTestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
