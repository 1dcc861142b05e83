import Foundation
import Testing
import PartaApp
import PartaStore
import PartaTesting
import PartaBundle

@Suite struct BackupRestoreTests {
    @Test func aSchoolRestoredFromAnOldBackupCatchesUpAndLosesNothingTheHubHad() throws {
        let dir = TemporaryDirectory("parta-restore"); defer { dir.remove() }
        var now = testMilliseconds(year: 2020, month: 9, day: 1)
        func tick() -> UInt64 { now += 60_000; return now }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: now)
        let code = try #require(try hub.addSchool(id: "s1", name: "School", now: tick()))
        try hub.addTask(.init(title: "A"), assignTo: ["s1"], now: tick())
        try hub.addTask(.init(title: "B"), assignTo: ["s1"], now: tick())
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: tick())
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("pc"), fromBundle: stick, code: code, name: "PC", now: tick())
        try school.backup(to: dir.file("pc-backup.sqlite"))
        #expect { try school.backup(to: dir.file("pc-backup.sqlite")) } throws: { ($0 as? StoreError)?.code == .alreadyExists }

        // After the backup: a report reaches the hub, then the PC's disk dies.
        try school.report(task: "t1", status: .done, progress: nil, comment: "сделано", now: tick())
        _ = try school.exportForHub(to: stick, now: tick())
        _ = try hub.importBundles(at: stick, now: tick())

        // A restored computer is a new node of the school: it needs a new code, like any new computer.
        #expect { _ = try PartaNode.restore(backup: dir.file("pc-backup.sqlite"), into: dir.file("pc-nocode"), name: "PC", code: nil, now: tick()) }
            throws: { ($0 as? PartaError)?.message.en.contains("enrollment code") == true }
        let newCode = try hub.issueEnrollmentCode(school: "s1", now: tick())
        let restored = try PartaNode.restore(backup: dir.file("pc-backup.sqlite"), into: dir.file("pc-new"), name: "PC (restored)",
                                             code: newCode, now: tick()).asSchool()
        #expect(restored.replica.nodeID != school.replica.nodeID && restored.school == "s1")
        #expect(try restored.tasks(today: "2020-09-02").first { $0.id.hasPrefix("t1-") }?.status == "new")   // the old state

        // One round trip (the restored node introduces itself, the hub answers) brings back what
        // the hub had, and the restored node goes on working.
        _ = try restored.exportForHub(to: stick, now: tick())
        _ = try hub.importBundles(at: stick, now: tick())
        _ = try hub.exportForSchools(to: stick, now: tick())
        _ = try restored.importBundles(at: stick, now: tick())
        #expect(try restored.tasks(today: "2020-09-02").first { $0.id.hasPrefix("t1-") }?.status == "done")
        try restored.report(task: "t2", status: .inProgress, progress: 30, comment: nil, now: tick())
        _ = try restored.exportForHub(to: stick, now: tick())
        let outcomes = try hub.importBundles(at: stick, now: tick())
        #expect(outcomes.allSatisfy { if case .failed = $0.status { return false } else { return true } })
        _ = try hub.exportForSchools(to: stick, now: tick())
        _ = try restored.importBundles(at: stick, now: tick())
        #expect(try restored.replica.canonicalDump() == hub.replica.canonicalDump(partition: "s1"))
        #expect(try hub.conflicts().isEmpty)
    }

    @Test func restoringNeverOverwritesAnExistingNode() throws {
        let dir = TemporaryDirectory("parta-restore"); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: 1_600_000_000_000)
        try hub.backup(to: dir.file("hub.bak"))
        #expect { _ = try PartaNode.restore(backup: dir.file("hub.bak"), into: dir.file("hub"), name: "x", code: nil, now: 1_600_000_000_000) }
            throws: { ($0 as? PartaError)?.code == .alreadyInitialised }
        let back = try PartaNode.restore(backup: dir.file("hub.bak"), into: dir.file("hub2"), name: "x", code: nil, now: 1_600_000_000_000)
        #expect(back.replica.nodeID == hub.replica.nodeID)   // schools trust the hub's id
        #expect(try back.replica.vectorClock()[back.replica.nodeID] > 1 << 32)   // its counters never repeat
    }
}

@Suite struct NodeKeysTests {
    @Test func everyNodeGetsOwnerOnlyKeysAndPublishesItsPublicKeys() throws {
        let dir = TemporaryDirectory("parta-keys"); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: 1_600_000_000_000)
        for name in ["signing.key", "sealing.key"] {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.file("hub/keys/\(name)"))[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        let record = try hub.replica.database.rows("SELECT signing_key, sealing_key FROM nodes WHERE id = ?", [.text(hub.replica.nodeID)])
        let keys = try NodeKeys.load(from: dir.file("hub"))
        #expect(record == [[.text(keys.publicKeys.signingBase64), .text(keys.publicKeys.sealingBase64)]])
    }

    @Test func aKeyReadableByOthersStopsParta() throws {
        let dir = TemporaryDirectory("parta-keys"); defer { dir.remove() }
        _ = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: 1_600_000_000_000)
        chmod(dir.file("hub/keys/signing.key"), 0o644)
        #expect { _ = try PartaNode.openHub(directory: dir.file("hub")) } throws: { error in
            (error as? BundleError)?.message.en.contains("chmod 600") == true
        }
    }

    @Test func aRestoredHubKeepsTheKeysItsSchoolsTrust() throws {
        let dir = TemporaryDirectory("parta-keys"); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: 1_600_000_000_000)
        try hub.backup(to: dir.file("hub.bak"))
        let restored = try PartaNode.restore(backup: dir.file("hub.bak"), into: dir.file("hub2"), name: "x", code: nil, now: 1_600_000_000_000)
        #expect(try NodeKeys.load(from: dir.file("hub2")).publicKeys == NodeKeys.load(from: dir.file("hub")).publicKeys)
        #expect(try restored.replica.database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'parta_backup_keys'") == 0)
    }
}
