import Foundation
import Testing
import PartaApp
import PartaStore
import PartaTesting

@Suite struct PartaNodeTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)

    func hubWithSchools(_ dir: TemporaryDirectory) throws -> HubNode {
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
        try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day)
        try hub.addSchool(id: "s2", name: "МБОУ СОШ № 2", now: day)
        return hub
    }

    @Test func tasksAreFoundByIdOrByPrintedNumberAndAmbiguousNumbersAreRefused() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hubWithSchools(dir)
        var t = PartaNode.NewTask(title: "A"); t.number = "2.1"
        let a = try hub.addTask(t, now: day)
        #expect(try hub.resolveTask("2.1") == a)
        #expect(try hub.resolveTask(a) == a)
        try hub.addTask(t, now: day)
        #expect { try hub.resolveTask("2.1") } throws: { ($0 as? PartaError)?.code == .taskNotFound }
    }

    @Test func aDeadlineMustBeARealDate() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hubWithSchools(dir)
        for bad in ["2020-02-30", "01.09.2020", "2020-13-01"] {
            var t = PartaNode.NewTask(title: "A"); t.deadline = bad
            #expect { try hub.addTask(t, now: day) } throws: { ($0 as? PartaError)?.code == .invalidArgument }
        }
    }

    @Test func assigningToAnUnknownSchoolIsRefusedAndWritesNothing() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hubWithSchools(dir)
        #expect { try hub.addTask(.init(title: "A"), assignTo: ["s1", "nope"], now: day) } throws: { ($0 as? PartaError)?.code == .schoolNotFound }
        #expect(try hub.tasks(today: "2020-09-01").isEmpty)
    }

    @Test func theHubReportCountsStatusesAndOverdueSchoolsPerTask() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hubWithSchools(dir)
        var t = PartaNode.NewTask(title: "A"); t.deadline = "2020-09-10"
        try hub.addTask(t, assignTo: ["s1", "s2"], now: day)
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: day + 1)
        let (s1, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick + "/s1",
                                                     code: try hub.replica.openEnrollmentCodes(partition: "s1")[0], name: "PC", now: day + 2)
        try s1.report(task: "t1", status: .done, progress: nil, comment: "ok", now: day + 3)
        #expect(try s1.tasks(today: "2020-09-20").first?.progress == 100)
        _ = try s1.exportForHub(to: stick, now: day + 4)
        _ = try hub.importBundles(at: stick, now: day + 5)
        let report = try hub.hubReport(today: "2020-09-20")
        #expect(report.tasks.first?.byStatus == ["done": 1, "new": 1])
        #expect(report.tasks.first?.overdue == 1)
        #expect(report.tasks.first?.averageProgress == 50)
        #expect(report.schools.map(\.overdue) == [0, 1])
        #expect(report.schools.first?.lastHeardFrom == Int64(day + 4), "when the school made its bundle, not when it arrived")
    }

    @Test func aSchoolCannotReportOnATaskNotAssignedToIt() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hubWithSchools(dir)
        try hub.addTask(.init(title: "A"), assignTo: ["s1"], now: day)
        try hub.addTask(.init(title: "B"), assignTo: ["s2"], now: day)
        _ = try hub.exportForSchools(to: dir.file("stick"), now: day + 1)
        let (s1, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: dir.file("stick/s1"),
                                                     code: try hub.replica.openEnrollmentCodes(partition: "s1")[0], name: "PC", now: day + 2)
        #expect { try s1.report(task: "t2", status: .done, progress: nil, comment: nil, now: day + 3) } throws: { ($0 as? PartaError)?.code == .taskNotFound }
        #expect { try s1.report(task: "t1", status: nil, progress: 140, comment: nil, now: day + 3) } throws: { ($0 as? PartaError)?.code == .invalidArgument }
    }

    @Test func statusWordsAreAcceptedInEitherLanguage() {
        #expect(ReportStatus(userText: "in-progress") == .inProgress)
        #expect(ReportStatus(userText: "выполнено") == .done)
        #expect(ReportStatus(userText: "Done") == .done)
        #expect(ReportStatus(userText: "finished") == nil)
    }

    @Test func theDemoEndsWithEveryReplicaAgreeingAndOneConcurrentEditLogged() async throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        var lines: [String] = []
        let result = try await PartaDemo.run(in: dir.path, language: .en) { lines.append($0) }
        #expect(result.replicasAgree)
        #expect(result.revokedNodeRefused)
        #expect(result.conflicts == 2)   // comment and progress of one report
        #expect(result.reportsAtHub == 9)   // 7 from the first three schools, one each from the two added
    }
}
