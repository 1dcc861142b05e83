import Foundation
import Testing
import PartaApp
import PartaCore
import PartaTesting

/// `parta --version`, which packages and support read: the release first, then what it speaks.
@Suite struct VersionTests {
    @Test func versionNamesTheReleaseTheProtocolTheBundleFormatAndTheSchema() throws {
        let parta = try PartaBinary()
        let run = try parta.run(["--version"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // packaging/deb/build.sh takes the second word of the first line as the package's version.
        #expect(lines.first == "parta \(PartaRelease.version)")
        #expect(lines.contains { $0.hasPrefix("protocol: sync-http-v1, replication-v1") })
        #expect(lines.contains("bundle format: \(ChangeSetFormat.version) (Protocol/bundle-format-v2.md)"))
        #expect(lines.contains { $0.hasPrefix("replica schema: ") })
        #expect(PartaRelease.version.split(separator: ".").count == 3 && PartaRelease.version.allSatisfy { $0.isNumber || $0 == "." })
    }
}
