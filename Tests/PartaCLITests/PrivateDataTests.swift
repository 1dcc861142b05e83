import Foundation
import Testing
import PartaTesting

/// Rows 5 and 6 of issue 14: a node's data, codes and backups are owner-only whatever the umask.
@Suite struct PrivateDataTests {
    @Test func underUmask000TheDataFolderDatabaseKeysCodesAndBackupsAreOwnerOnly() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        let data = f.dir.file("open-hub")
        #expect(try f.runInShell("umask 000", ["hub", "init", "--name", "H", "--data", data]).status == 0)
        #expect(try f.runInShell("umask 000", ["hub", "school", "add", "s9", "--name", "s9", "--data", data]).status == 0)
        #expect(try f.runInShell("umask 000", ["hub", "report", "--data", data]).status == 0)
        #expect(f.mode(data) == 0o700)
        for file in ["replica.sqlite", "keys/signing.key", "keys/sealing.key"] + ["-wal", "-shm"].map({ "replica.sqlite" + $0 })
            where FileManager.default.fileExists(atPath: data + "/" + file) {
            #expect(f.mode(data + "/" + file) == 0o600, "\(file): \(String(f.mode(data + "/" + file), radix: 8))")
        }
        #expect(f.mode(data + "/keys") == 0o700 && f.mode(data + "/codes") == 0o700)
        let codes = try FileManager.default.contentsOfDirectory(atPath: data + "/codes")
        #expect(!codes.isEmpty && codes.allSatisfy { f.mode(data + "/codes/" + $0) == 0o600 })

        let backup = f.dir.file("backup.sqlite")
        #expect(try f.runInShell("umask 000", ["backup", "--to", backup, "--data", data]).status == 0)
        #expect(f.mode(backup) == 0o600)
        // Never through a link: the victim stays as it was.
        let linked = f.dir.file("linked-backup.sqlite")
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: f.victim)
        let refused = try f.parta.run(["backup", "--to", linked, "--data", data], language: "en")
        #expect(refused.status == 1 && refused.stderr.contains(linked), "\(refused.stderr)")
        #expect(f.victimIsUnchanged)
    }

    @Test func aDataFolderThatIsTheOwnersLinkStillWorksAndItsTargetIsMadePrivate() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        let target = f.dir.file("srv-parta"), link = f.dir.file("data-link")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        chmod(target, 0o755)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let r = try f.parta.run(["hub", "init", "--name", "H", "--data", link], language: "en")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(f.mode(target) == 0o700 && f.mode(target + "/replica.sqlite") == 0o600)
    }

    @Test func doctorNamesTheChmodForAnOpenDataFolderAndOpeningTightensIt() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        let data = f.dir.file("hub"), database = f.dir.file("hub/replica.sqlite")
        chmod(data, 0o755)
        chmod(database, 0o644)
        let doctor = try f.parta.run(["doctor", "--data", data], language: "en")
        #expect(doctor.status == 1, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("chmod 700 \(data)") && doctor.stdout.contains("chmod 600 \(database)"), "\(doctor.stdout)")
        #expect(f.mode(data) == 0o755, "the doctor reports, it does not change")
        #expect(try f.parta.run(["hub", "nodes"] + f.hub).status == 0)
        #expect(f.mode(data) == 0o700 && f.mode(database) == 0o600)
        let healthy = try f.parta.run(["doctor", "--data", data], language: "en")
        #expect(healthy.status == 0 && healthy.stdout.contains("✓ permissions"), "\(healthy.stdout)")
    }
}
