import Foundation
import Testing
import PartaApp
import PartaBundle
import PartaStore
import PartaTesting

/// Enrollment codes expire and can be withdrawn (issue 14, row 8): an open code is a standing
/// invitation, so it must not stand forever.
@Suite struct EnrollmentCodeLifetimeTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)
    let dayMs: UInt64 = 86_400_000

    func hub(_ dir: TemporaryDirectory, validDays: Int = 30) throws -> (HubNode, EnrollmentCode) {
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
        let code = try #require(try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day, codeValidDays: validDays))
        return (hub, code)
    }

    /// A new computer that starts from the hub's bundle with `code` and sends its first bundle at `sendAt`.
    func enrol(_ dir: TemporaryDirectory, _ hub: HubNode, code: EnrollmentCode, exportAt: UInt64, sendAt: UInt64) throws -> [ImportOutcome] {
        let stick = dir.file("stick-\(sendAt)")
        _ = try hub.exportForSchools(to: stick, now: exportAt)
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("s1-\(sendAt)"), fromBundle: stick + "/s1", code: code,
                                                         name: "PC", now: exportAt + 1)
        _ = try school.exportForHub(to: stick, now: sendAt)
        return try hub.importBundles(at: stick + "/s1", now: sendAt + 1)
    }

    func refusal(_ outcomes: [ImportOutcome]) -> BundleError? {
        for outcome in outcomes { if case .failed(let error) = outcome.status { return error } }
        return nil
    }

    @Test func aCodeIsOpenUntilItsDaysRunOutAndThenSaysItExpired() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, code) = try hub(dir, validDays: 3)
        #expect(try hub.replica.openEnrollmentCodes(partition: "s1", now: day + 3 * dayMs - 1) == [code])
        #expect(try hub.replica.openEnrollmentCodes(partition: "s1", now: day + 3 * dayMs).isEmpty)
        // The stick was written while the code was open; the computer's answer comes too late.
        let late = refusal(try enrol(dir, hub, code: code, exportAt: day + dayMs, sendAt: day + 4 * dayMs))
        #expect(late?.reasonCode == "notEnrolled")
        #expect(late?.message.en.contains("expired on 2020-09-04") == true)
        #expect(late?.message.ru.contains("истёк") == true)
        // A school without a computer and with no open code gets no bundle, rather than one nobody may open.
        let export = try hub.exportForSchools(to: dir.file("stick-after"), now: day + 5 * dayMs)
        #expect(export.schoolsWithoutComputers == ["s1"])
    }

    @Test func aCodeDefaultsToThirtyDaysAndAcceptsOneToThreeHundredSixtyFive() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, code) = try hub(dir)
        let issued = try #require(try hub.replica.issuedEnrollmentCodes(partition: "s1").first)
        #expect(issued.code == code && issued.expiresAt == day + 30 * dayMs)
        for bad in [0, -1, 366] {
            #expect { try hub.issueEnrollmentCode(school: "s1", now: day, validDays: bad) } throws: { ($0 as? PartaError)?.code == .invalidArgument }
        }
        #expect(try refusal(enrol(dir, hub, code: code, exportAt: day, sendAt: day + 29 * dayMs)) == nil)
    }

    @Test func aWithdrawnCodeEnrolsNobodyAndIsNoLongerSealedTo() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, code) = try hub(dir)
        // Written on the stick before the code was withdrawn (the paper with the code was lost).
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: day + 1)
        #expect(try hub.withdrawEnrollmentCode(code.description.lowercased(), now: day + 2) == "s1")
        #expect(try hub.replica.openEnrollmentCodes(partition: "s1", now: day + 3).isEmpty)
        let (school, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick + "/s1", code: code, name: "PC", now: day + 3)
        _ = try school.exportForHub(to: stick, now: day + 4)
        let before = try hub.replica.canonicalDump()
        let refused = refusal(try hub.importBundles(at: stick + "/s1", now: day + 5))
        #expect(refused?.reasonCode == "notEnrolled" && refused?.message.en.contains("withdrawn on 2020-09-01") == true)
        #expect(try hub.replica.canonicalDump() == before)
        #expect(try hub.exportForSchools(to: dir.file("stick-2"), now: day + 6).schoolsWithoutComputers == ["s1"])
    }

    @Test func withdrawingAnUnknownOrUsedCodeSaysWhatToDoInstead() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, code) = try hub(dir)
        #expect { try hub.withdrawEnrollmentCode("not a code", now: day) } throws: { ($0 as? PartaError)?.code == .invalidArgument }
        #expect { try hub.withdrawEnrollmentCode(EnrollmentCode.generate().description, now: day) } throws: { ($0 as? StoreError)?.code == .rowNotFound }
        #expect(try refusal(enrol(dir, hub, code: code, exportAt: day, sendAt: day + 10)) == nil)
        #expect { try hub.withdrawEnrollmentCode(code.description, now: day + 20) } throws: {
            ($0 as? StoreError)?.code == .rowNotFound && ($0 as? StoreError)?.message.en.contains("parta hub node revoke") == true
        }
    }
}
