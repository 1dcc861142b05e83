import Foundation
import Testing
import PartaApp
import PartaBundle
import PartaCore
import PartaStore
import PartaTesting

/// Enrollment codes are not kept in clear (issue 14, "secrets at rest"): a copy of a data folder's
/// database, without its keys, must not let anyone enrol a computer.
@Suite struct EnrollmentCodesAtRestTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)

    /// Every file of a data folder but the printable code slips in `codes/` and the keys.
    func storedFiles(_ folder: String) throws -> [String] {
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return files.filter { !$0.hasPrefix("codes") && !$0.hasPrefix("keys") }.map { folder + "/" + $0 }
            .filter { (try? FileManager.default.attributesOfItem(atPath: $0)[.type] as? FileAttributeType) == .typeRegular }
    }

    func holdsInClear(_ code: EnrollmentCode, in folder: String) throws -> [String] {
        try storedFiles(folder).filter { path in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            return [code.normalized, code.description].contains { bytes.range(of: Data($0.utf8)) != nil }
        }
    }

    @Test func neitherTheHubNorANewComputerKeepsACodeInClear() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
        let code = try #require(try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day))
        let second = try hub.issueEnrollmentCode(school: "s1", now: day + 1)
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: day + 2)
        // The school's computer holds its code until the hub has enrolled it.
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick + "/s1", code: code, name: "PC", now: day + 3)
        #expect(school.replica.awaitsEnrollment)
        #expect(try school.replica.enrollmentCode() == code)
        #expect(try holdsInClear(code, in: dir.file("hub")).isEmpty)
        #expect(try holdsInClear(second, in: dir.file("hub")).isEmpty)
        #expect(try holdsInClear(code, in: dir.file("s1")).isEmpty)
        // Yet the hub still seals to both open codes and recognises them.
        #expect(Set(try hub.replica.openEnrollmentCodes(partition: "s1")) == [code, second])
    }

    @Test func aUsedCodeLeavesOnlyItsFingerprint() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
        let code = try #require(try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day))
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: day + 1)
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick + "/s1", code: code, name: "PC", now: day + 2)
        _ = try school.exportForHub(to: stick, now: day + 3)
        _ = try hub.importBundles(at: stick + "/s1", now: day + 4)
        let issued = try #require(try hub.replica.issuedEnrollmentCodes(partition: "s1").first)
        #expect(issued.usedBy == school.replica.nodeID)
        #expect(issued.code == nil)
        #expect(issued.fingerprint == EnrollmentCodeVault(keys: hub.replica.keys).fingerprint(code))
        // Withdrawing it is still answered by what the hub knows of it.
        #expect { try hub.withdrawEnrollmentCode(code.description, now: day + 5) } throws: {
            ($0 as? StoreError)?.message.en.contains("already used by computer \(school.replica.nodeID)") == true
        }
    }

    @Test func codesKeptInClearByAnEarlierVersionAreSealedWhenTheHubOpensAndStillEnrol() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
        let code = try #require(try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day))
        // As an earlier Parta stored it: the code itself, nothing sealed.
        try hub.replica.database.run("UPDATE parta_enrollment SET code = ?, sealed = NULL", [.text(code.normalized)])
        try hub.replica.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        #expect(try holdsInClear(code, in: dir.file("hub")) == [dir.file("hub") + "/replica.sqlite"])
        hub.replica.database.close()
        let reopened = try PartaNode.openHub(directory: dir.file("hub"))
        #expect(try reopened.replica.openEnrollmentCodes(partition: "s1") == [code])
        #expect(try holdsInClear(code, in: dir.file("hub")).isEmpty)
        let stick = dir.file("stick")
        _ = try reopened.exportForSchools(to: stick, now: day + 1)
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick + "/s1", code: code, name: "PC", now: day + 2)
        // The computer's own code, kept in clear by an earlier Parta, is sealed when it opens too.
        try school.replica.database.run("UPDATE parta_meta SET value = ? WHERE key = 'enrollment_code'", [.text(code.normalized)])
        school.replica.database.close()
        let reopenedSchool = try PartaNode.openSchool(directory: dir.file("s1"))
        #expect(try reopenedSchool.replica.enrollmentCode() == code)
        #expect(try holdsInClear(code, in: dir.file("s1")).isEmpty)
        _ = try reopenedSchool.exportForHub(to: stick, now: day + 3)
        let outcomes = try reopened.importBundles(at: stick + "/s1", now: day + 4)
        #expect(outcomes.allSatisfy { if case .failed = $0.status { false } else { true } })
        #expect(try reopened.replica.enrolledNode(reopenedSchool.replica.nodeID) != nil)
    }

    @Test func aVaultOpensOnlyWhatItsOwnNodeSealed() {
        let code = EnrollmentCode.generate()
        let mine = EnrollmentCodeVault(keys: NodeKeys.generate()), theirs = EnrollmentCodeVault(keys: NodeKeys.generate())
        let sealed = mine.seal(code)
        #expect(mine.open(sealed) == code)
        #expect(theirs.open(sealed) == nil)
        #expect(mine.seal(code) != sealed, "a fresh nonce each time")
        #expect(mine.fingerprint(code) == mine.fingerprint(EnrollmentCode(code.description.lowercased())!))
        #expect(mine.fingerprint(code) != theirs.fingerprint(code))
        #expect(mine.open(code.normalized) == code, "a code stored in clear by an earlier version")
        #expect(mine.open("not a code") == nil)
    }
}
