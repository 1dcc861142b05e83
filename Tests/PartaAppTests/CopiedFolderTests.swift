import Foundation
import Testing
import PartaApp
import PartaBundle
import PartaStore
import PartaTesting

/// A school computer's data folder copied or moved (replication-v1 §10b): a copy is another
/// database file and is found by the first command that opens it, before it writes; a rename on
/// the same disk is the same computer; a hub keeps its id wherever its folder goes.
@Suite struct CopiedFolderTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)

    /// A hub with school `s1`, one task assigned to it, and a school computer set up in `s1`.
    func hubAndSchool(_ dir: TemporaryDirectory) throws -> (hub: HubNode, school: SchoolNode) {
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
        try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day)
        try hub.addTask(.init(title: "A"), assignTo: ["s1"], now: day)
        _ = try hub.exportForSchools(to: dir.file("stick"), now: day + 1)
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: dir.file("stick/s1"),
                                                         code: try hub.replica.openEnrollmentCodes(partition: "s1")[0], name: "PC", now: day + 2)
        return (hub, school)
    }

    @Test func aCopiedFolderBecomesANewComputerBeforeItWritesAndKeepsWhatItHolds() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (_, school) = try hubAndSchool(dir)
        try school.report(task: "t1", status: nil, progress: 40, comment: "до копии", now: day + 3)
        let original = school.replica.nodeID
        try FileManager.default.copyItem(atPath: dir.file("s1"), toPath: dir.file("laptop"))
        #expect(try school.becomeSuccessorIfCopied(now: day + 4) == nil, "the original is the file it recorded")

        let copy = try PartaNode.open(directory: dir.file("laptop"))
        let succession = try #require(try copy.becomeSuccessorIfCopied(now: day + 4))
        #expect(succession.cause == .copiedOrMoved && succession.predecessor == original && succession.carriedOver == 0)
        #expect(copy.replica.nodeID == succession.successor && copy.replica.nodeID != original)
        // What it holds stays as the original wrote it: the same change, not a new one.
        let report = try #require(try copy.replica.canonicalDump(partition: "s1").first { $0.contains("до копии") })
        #expect(report.contains(original), "\(report)")
        // Once is enough: it recorded its own file.
        #expect(try PartaNode.open(directory: dir.file("laptop")).becomeSuccessorIfCopied(now: day + 5) == nil)
    }

    @Test func aFolderRenamedOnItsDiskIsTheSameComputer() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (_, school) = try hubAndSchool(dir)
        let id = school.replica.nodeID
        school.replica.database.close()
        try FileManager.default.moveItem(atPath: dir.file("s1"), toPath: dir.file("school-1"))
        let moved = try PartaNode.open(directory: dir.file("school-1"))
        #expect(try moved.becomeSuccessorIfCopied(now: day + 4) == nil)
        #expect(moved.replica.nodeID == id)
    }

    @Test func aHubsCopiedFolderKeepsItsIdAndAFolderFromAnEarlierReleaseIsTakenAsItIs() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, school) = try hubAndSchool(dir)
        try FileManager.default.copyItem(atPath: dir.file("hub"), toPath: dir.file("hub-moved"))
        let moved = try PartaNode.open(directory: dir.file("hub-moved"))
        #expect(try moved.becomeSuccessorIfCopied(now: day + 4) == nil)
        #expect(moved.replica.nodeID == hub.replica.nodeID)
        // An earlier release recorded no file: the first command records it and changes nothing.
        try school.replica.database.run("DELETE FROM parta_meta WHERE key = 'file_identity'")
        try FileManager.default.copyItem(atPath: dir.file("s1"), toPath: dir.file("s1-upgraded"))
        let upgraded = try PartaNode.open(directory: dir.file("s1-upgraded"))
        #expect(try upgraded.becomeSuccessorIfCopied(now: day + 4) == nil)
        #expect(try upgraded.replica.recordedFileIdentity() == FileIdentity.of(dir.file("s1-upgraded/replica.sqlite")))
    }
}
