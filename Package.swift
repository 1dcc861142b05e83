// swift-tools-version:6.0
import PackageDescription


// Dependencies point one way: PartaCore <- PartaStore <- PartaBundle <- PartaApp <- PartaDashboard <- PartaHTTP <- PartaCLI,
// and PartaStore <- PartaRecords <- PartaApp (Parta's schema and every query of its tables).
// The core and the store carry no server dependency, so their tests build in seconds.
let package = Package(
    name: "Parta",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parta", targets: ["PartaCLI"]),
        .executable(name: "parta-bench", targets: ["PartaBench"]),
        .executable(name: "book-loans", targets: ["BookLoans"]),
        .executable(name: "parta-fuzz", targets: ["PartaFuzz"]),
        .executable(name: "parta-fuzz-docx", targets: ["PartaFuzzDocx"]),
        .library(name: "PartaCore", targets: ["PartaCore"]),
        .library(name: "PartaStore", targets: ["PartaStore"]),
        .library(name: "PartaBundle", targets: ["PartaBundle"]),
        .library(name: "PartaRecords", targets: ["PartaRecords"]),
        .library(name: "PartaResolution", targets: ["PartaResolution"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already resolved through Hummingbird; named for NIOHTTPTypes (the request-head deadline).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already resolved through HummingbirdTesting: the client of `parta sync` (issue 18).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Through AsyncHTTPClient; named for the trust roots of `SSL_CERT_FILE`.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The one wrapper of the system zlib: streaming deflate/inflate (zlib, raw, gzip framing), CRC-32.
        .target(name: "PartaZlib", dependencies: ["CZlib"]),
        .target(
            name: "PartaCore",
            dependencies: ["PartaZlib", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "PartaStore", dependencies: ["PartaCore", "CSQLite"]),
        // Resolution importer: Russian council resolutions (text, .docx, PDF) into structured tasks.
        // Foundation and the system libz (through PartaZlib) only, so its tests build in seconds.
        .target(name: "PartaResolution", dependencies: ["PartaZlib"]),
        // Parta's tables (replicated and local) and every query of them, in named types returning typed rows:
        // the only SQL outside the store (.ci/check-sql). No server dependency.
        .target(name: "PartaRecords", dependencies: ["PartaCore", "PartaStore"]),
        .target(name: "PartaBundle", dependencies: ["PartaCore", "PartaStore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "PartaApp", dependencies: ["PartaZlib", "PartaCore", "PartaStore", "PartaRecords", "PartaBundle", "PartaResolution", .product(name: "Crypto", package: "swift-crypto")]),
        // The hub's web dashboard apart from HTTP: staff accounts, sessions, pages, SVG charts. No NIO, so its tests build fast.
        .target(name: "PartaDashboard", dependencies: [
            "PartaApp",
            "PartaRecords",
            "PartaResolution",
            "PartaZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // HTTP transport: the hub's server (Hummingbird) and the school's client (AsyncHTTPClient).
        .target(name: "PartaHTTP", dependencies: [
            "PartaApp",
            "PartaDashboard",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .executableTarget(
            name: "PartaCLI",
            dependencies: ["PartaApp", "PartaHTTP", "PartaDashboard", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "PartaBench",
            dependencies: ["PartaApp", "PartaHTTP", "PartaDashboard", "PartaTesting", "CSQLite", "CZlib"]
        ),
        // A corpus replayer in a normal build; a libFuzzer target when built by Tests/Fuzz/run-fuzzer.sh.
        .executableTarget(name: "PartaFuzz", dependencies: ["PartaCore", .product(name: "Crypto", package: "swift-crypto")]),
        // The same for the resolution reader (.docx, text); apart from PartaFuzz so that its fuzzing build needs no swift-crypto.
        .executableTarget(name: "PartaFuzzDocx", dependencies: ["PartaResolution"]),
        .executableTarget(
            name: "BookLoans",
            dependencies: ["PartaStore", "PartaBundle"],
            path: "Examples/BookLoans"
        ),
        .target(name: "PartaTesting", dependencies: ["PartaCore", "PartaStore", "PartaBundle", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "PartaCoreTests", dependencies: ["PartaCore"]),
        .testTarget(name: "PartaResolutionTests", dependencies: ["PartaResolution", "PartaZlib"], exclude: ["Fixtures", "Documents"]),
        .testTarget(name: "PartaStoreTests", dependencies: ["PartaCore", "PartaStore", "PartaTesting", "CSQLite"]),
        .testTarget(name: "PartaBundleTests", dependencies: ["PartaStore", "PartaBundle", "PartaTesting"]),
        .testTarget(name: "PartaAppTests", dependencies: ["PartaCore", "PartaStore", "PartaBundle", "PartaResolution", "PartaApp", "PartaTesting"]),
        .testTarget(name: "PartaDashboardTests", dependencies: ["PartaCore", "PartaResolution", "PartaApp", "PartaDashboard", "PartaTesting"]),
        // The hub's routes through Hummingbird's router test mode (no sockets).
        .testTarget(name: "PartaHTTPTests", dependencies: [
            "PartaCore", "PartaStore", "PartaBundle", "PartaApp", "PartaHTTP", "PartaTesting",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "PartaCLITests", dependencies: ["PartaCore", "PartaStore", "PartaResolution", "PartaApp", "PartaTesting", "CSQLite", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "BookLoansTests", dependencies: ["BookLoans", "PartaCore", "PartaStore", "PartaBundle", "PartaTesting"]),
    ],
    // Every target, tests and tools included, in Swift 6 language mode: concurrency the compiler checks.
    swiftLanguageModes: [.v6]
)
