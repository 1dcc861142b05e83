import Foundation
import Testing
import PartaApp
import PartaStore
import PartaResolution
import PartaTesting

/// `importResolution` and the assignment rules on a hub: stored once, updated field by field,
/// assigned by level, by type and by the schools the text names.
@Suite struct ResolutionImportTests {
    let day = testMilliseconds(year: 2020, month: 8, day: 27)
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../PartaResolutionTests/Fixtures/muchkap-2020.txt").standardizedFileURL.path

    func district(_ dir: TemporaryDirectory) throws -> HubNode {
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        try hub.addSchool(id: "muchkap", name: "МБОУ Мучкапская СОШ им. А.А. Гордеева", now: day)
        try hub.addSchool(id: "shapkino", name: "Шапкинский филиал МБОУ Мучкапской СОШ", now: day)
        try hub.addSchool(id: "lipovka", name: "МБДОУ детский сад «Липка»", now: day)
        return hub
    }

    func parsed(_ edit: (String) -> String = { $0 }) throws -> ParsedResolution {
        ResolutionReader.parse(text: edit(try String(contentsOfFile: Self.sample, encoding: .utf8)))
    }

    @Test func aDryRunShowsTheTasksAndWritesNothing() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try district(dir)
        let before = try hub.replica.canonicalDump()
        let result = try hub.importResolution(try parsed(), source: "muchkap-2020.txt", dryRun: true, now: day)
        #expect(result.dryRun && result.added == result.lines.count && result.lines.count > 30)
        #expect(result.lines.allSatisfy { $0.id.isEmpty })
        #expect(try hub.replica.canonicalDump() == before)
    }

    @Test func importingTheSameDocumentAgainChangesNothingAndAChangedOneOnlyWhatChanged() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try district(dir)
        let first = try hub.importResolution(try parsed(), source: "muchkap-2020.txt", dryRun: false, now: day)
        #expect(first.added == first.lines.count && first.missing.isEmpty)
        let stored = try hub.tasks(today: "2020-08-27")
        #expect(stored.count == first.lines.count)
        let task23 = try #require(stored.first { $0.number.hasPrefix("2.3") })
        #expect(task23.deadline == "2021-03-01" && task23.deadlineKind == "date" && task23.deadlineText == "до 01.03.2021" && task23.level == "municipal")

        let clock = try hub.replica.vectorClock()
        let again = try hub.importResolution(try parsed(), source: "muchkap-2020.txt", dryRun: false, now: day + 60_000)
        #expect(again.unchanged == first.lines.count && again.added == 0 && again.updated == 0)
        #expect(try hub.replica.vectorClock() == clock, "a re-import writes no change")

        // A corrected version: one deadline moved, one task dropped.
        let revised = try parsed {
            $0.replacingOccurrences(of: "2.3. Разработать муниципальные программы воспитания обучающихся.\n\nСрок: до 01.03.2021",
                                    with: "2.3. Разработать муниципальные программы воспитания обучающихся.\n\nСрок: до 01.04.2021")
              .replacingOccurrences(of: "5.3. Организовать работу по реализации", with: "Организовать работу по реализации")
        }
        func counters() throws -> [String: Int64] {
            Dictionary(uniqueKeysWithValues: try hub.replica.database.rows("SELECT id, _ctr FROM tasks").map { ($0[0].textValue ?? "", $0[1].integerValue ?? 0) })
        }
        let before = try counters()
        let third = try hub.importResolution(revised, source: "muchkap-2020-v2.txt", dryRun: false, now: day + 120_000)
        #expect(third.resolution == first.resolution, "the same document, corrected")
        #expect(third.lines.first { $0.task.number.hasPrefix("2.3") }?.change == .updated)
        #expect(try hub.tasks(today: "2020-08-27").first { $0.id == task23.id }?.deadline == "2021-04-01")
        #expect(third.updated >= 1 && third.updated <= 2 && third.unchanged >= first.lines.count - 3)
        let after = try counters()
        let rewritten = before.keys.filter { before[$0] != after[$0] }
        #expect(rewritten.count == third.updated, "only the changed tasks are written: \(rewritten)")
    }

    @Test func schoolTasksGoToTheChosenSchoolsAndNamedSchoolsGetTheirOwn() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try district(dir)
        let imported = try hub.importResolution(try parsed(), source: "muchkap-2020.txt", dryRun: false, now: day)
        // Section 4 is addressed to "МБОУ Мучканской СОШ" (sic): only that school gets it.
        let summary = try hub.assign(resolution: "latest", level: "school", to: .type("СОШ"), now: day)
        let named = summary.lines.filter(\.namedInText)
        #expect(!named.isEmpty && named.allSatisfy { $0.schools == ["muchkap"] && $0.number.hasPrefix("4.") })
        let general = summary.lines.filter { !$0.namedInText }
        #expect(!general.isEmpty && general.allSatisfy { $0.schools == ["muchkap", "shapkino"] }, "both names hold СОШ; the kindergarten does not")
        #expect(summary.assigned == named.count + 2 * general.count)
        let again = try hub.assign(resolution: imported.resolution, level: "school", to: .all, now: day)
        #expect(again.assigned == general.count, "only the kindergarten is new")

        // A per-task override: one municipal task also to one school.
        let override = try hub.assign(resolution: "latest", level: nil, to: .schools(["lipovka"]), onlyTasks: ["2.3"], now: day)
        #expect(override.lines.count == 1 && override.assigned == 1)
        #expect { try hub.assign(resolution: "latest", level: "school", to: .type("гимназия"), now: day) } throws: { ($0 as? PartaError)?.code == .invalidArgument }
        #expect { try hub.assign(resolution: "nope", level: "school", to: .all, now: day) } throws: { ($0 as? PartaError)?.code == .invalidArgument }
    }

    @Test func municipalTasksStayAtTheHubWithItsOwnStatus() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try district(dir)
        _ = try hub.importResolution(try parsed(), source: "muchkap-2020.txt", dryRun: false, now: day)
        try hub.report(task: "2.3", status: .inProgress, progress: 40, comment: "Проект программы готов", now: day)
        let task = try #require(try hub.tasks(today: "2020-08-27").first { $0.number.hasPrefix("2.3") })
        #expect(task.status == "in_progress" && task.progress == 40)
        #expect(try hub.tasks(today: "2021-05-01").first { $0.id == task.id }?.overdue == true)
        let untouched = try #require(try hub.tasks(today: "2020-08-27").first { $0.level == "school" })
        #expect(untouched.status == "", "a school-level task has no hub status")
    }
}
