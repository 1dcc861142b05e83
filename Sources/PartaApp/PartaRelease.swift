import PartaCore
import PartaStore

/// This release of Parta and the versions of what it reads and writes, as `parta --version`
/// prints them and packages are named (`parta_<version>_<arch>.deb`).
///
/// The release number is the one place a package's version comes from: `packaging/deb/build.sh`
/// reads it from the built binary, so a package can never claim another release than it holds.
public enum PartaRelease {
    /// Semantic version of the program. Release 2 reads seen sets and the `indicators` table.
    public static let version = "2.0.0"

    /// The lines `parta --version` prints: `parta` and the program's version first (what scripts read), then
    /// the protocol, bundle format and replica schema it speaks.
    public static var versionText: String {
        """
        parta \(version)
        protocol: sync-http-v1, replication-v1 (reads features \(ReadFeatures.current.rawValue))
        bundle format: \(ChangeSetFormat.version) (Protocol/bundle-format-v2.md)
        replica schema: \(Replica.schemaVersion)
        """
    }
}
