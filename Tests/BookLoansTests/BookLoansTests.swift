import Foundation
import PartaBundle
import PartaCore
import PartaStore
import Testing
import PartaTesting
@testable import BookLoans

/// A district library, two schools and a stick, all in a fresh temporary folder.
final class District {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("book-loans-test-\(UUID().uuidString)").path
    var stick: String { root + "/stick" }
    var clock: UInt64 = 1_750_000_000_000
    let hub: LibraryApp, north: LibraryApp, south: LibraryApp

    init() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        hub = try LibraryApp.createHub(at: root + "/district.sqlite", id: "district", now: clock)
        north = try LibraryApp.createSchool(at: root + "/north.sqlite", school: "north", hub: hub, now: clock)
        south = try LibraryApp.createSchool(at: root + "/south.sqlite", school: "south", hub: hub, now: clock)
        try hub.addBook("dune", title: "Dune", author: "Frank Herbert", now: tick())
        try hub.addBook("momo", title: "Momo", author: "Michael Ende", now: tick())
        try hub.addBook("hobbit", title: "The Hobbit", author: "J. R. R. Tolkien", now: tick())
        try hub.placeCopy("N-1", of: "dune", at: "north", now: tick())
        try hub.placeCopy("N-2", of: "momo", at: "north", now: tick())
        try hub.placeCopy("S-1", of: "dune", at: "south", now: tick())
        try hub.exportStick(to: stick, now: tick())
        for school in [north, south] {
            #expect(try school.importStick(from: stick, now: tick()).failures.isEmpty)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func tick() -> UInt64 { clock += 1_000; return clock }
}

@Suite struct BookLoansTests {
    @Test func booksReachOnlyTheSchoolsThatHoldACopy() throws {
        let d = try District()
        #expect(try d.north.booksHeld() == ["Dune", "Momo"])
        #expect(try d.south.booksHeld() == ["Dune"])
    }

    @Test func loansRecordedOfflineAtTwoSchoolsReachTheHubAndAddUp() throws {
        let d = try District()
        try d.north.lend(copy: "N-1", to: "Ann", due: "2025-06-01", now: d.tick())
        let bens = try d.north.lend(copy: "N-2", to: "Ben", due: "2025-06-08", now: d.tick())
        try d.north.giveBack(loan: bens, now: d.tick())
        try d.south.lend(copy: "S-1", to: "Cat", due: "2025-06-02", now: d.tick())
        try d.north.exportStick(to: d.stick, now: d.tick())
        try d.south.exportStick(to: d.stick, now: d.tick())

        let back = try d.hub.importStick(from: d.stick, now: d.tick())
        #expect(back.failures.isEmpty)
        #expect(back.applied.count == 2)
        let atHub = try d.hub.openLoans()
        #expect(atHub.map(\.copy) == ["N-1", "S-1"])
        #expect(atHub.first?.title == "Dune" && atHub.first?.reader == "Ann")
        #expect(atHub == (try d.north.openLoans() + d.south.openLoans()))
        #expect(try d.hub.replica.database.scalar("SELECT count(*) FROM loans")?.integerValue == 3)
        #expect(try d.hub.schools() == ["north", "south"])
    }

    @Test func aSchoolCannotWriteAnotherSchoolsLoans() throws {
        let d = try District()
        // The school's own replica refuses the write outright.
        let local = #expect(throws: StoreError.self) {
            try d.north.replica.write(table: "loans", row: "south/S-1/forged", partition: "south",
                                      values: ["copy": "S-1", "reader": "Eve", "due": "2025-07-01", "returned": 0], now: d.tick())
        }
        #expect(local?.code == .forbidden)

        // A tampered bundle: north's genuine loan relabelled as south's. The hub refuses it whole.
        try d.north.lend(copy: "N-1", to: "Ann", due: "2025-06-01", now: d.tick())
        try d.north.lend(copy: "N-2", to: "Eve", due: "2025-06-01", now: d.tick())
        var (header, changes) = try d.north.replica.outgoingChanges(for: .node("district"), now: d.tick(),
                                                                    bundleID: BundleExchange.newBundleID())
        let forged = try #require(changes.firstIndex { $0.table == "loans" && $0.row.contains("N-2") })
        for i in changes.indices where changes[i].row == changes[forged].row { changes[i].partition = "south" }
        let signed = try signedBundle(header, changes, from: d.north.replica, to: [d.hub.replica])
        try BundleFiles.writeAtomically(signed, to: d.stick + "/north/" + BundleExchange.bundleName(sender: "north-library"))

        let before = try d.hub.replica.canonicalDump()
        let result = try d.hub.importStick(from: d.stick, now: d.tick())
        #expect(result.applied.isEmpty)
        #expect(result.failures.map(\.code) == [.refused])
        #expect(result.failures.first?.reasonCode == StoreError.Code.forbidden.rawValue)
        #expect(try d.hub.replica.canonicalDump() == before)
        #expect(try d.hub.openLoans().isEmpty)
    }

    @Test func importingTheSameStickTwiceChangesNothing() throws {
        let d = try District()
        try d.north.lend(copy: "N-1", to: "Ann", due: "2025-06-01", now: d.tick())
        try d.north.exportStick(to: d.stick, now: d.tick())
        let first = try d.hub.importStick(from: d.stick, now: d.tick())
        #expect(first.applied.first?.applied ?? 0 > 0)
        let dump = try d.hub.replica.canonicalDump()
        let loans = try d.hub.openLoans()

        let again = try d.hub.importStick(from: d.stick, now: d.tick())
        #expect(again.failures.isEmpty)
        #expect(again.applied.map(\.applied) == [0])
        #expect(again.applied.first?.alreadyHad == first.applied.first?.applied)
        #expect(try d.hub.replica.canonicalDump() == dump)
        #expect(try d.hub.openLoans() == loans)

        // The same holds at a school re-reading the district's bundle.
        let schoolDump = try d.south.replica.canonicalDump()
        #expect(try d.south.importStick(from: d.stick, now: d.tick()).applied.map(\.applied) == [0])
        #expect(try d.south.replica.canonicalDump() == schoolDump)
    }
}
