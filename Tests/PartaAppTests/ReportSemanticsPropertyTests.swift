import Foundation
import Testing
import PartaApp
import PartaStore
import PartaTesting

/// Report semantics over random schedules (replication-v1 §8.1, issue 15 item 6): a school's two
/// computers report status, progress and indicators at random, crossing each other, and exchange
/// through the hub by stick in random order, while their clocks jump ahead or behind and are put
/// right. Afterwards every replica shows the same report;
/// "done" reads as 100 % wherever it is shown and in the hub's average; and every indicator any
/// computer reported is shown, with a value some computer wrote for it.
@Suite struct ReportSemanticsPropertyTests {
    static let schedules = max(1, (Int(ProcessInfo.processInfo.environment["PARTA_PROPERTY_SCHEDULES"] ?? "") ?? 1000) / 20)

    @Test func reportsReadTheSameEverywhereDoneReadsAsFullAndNoIndicatorIsLost() throws {
        for seed in 1...UInt64(Self.schedules) {
            var rng = SeededGenerator(seed: seed &* 7_877)
            let dir = TemporaryDirectory("parta-semantics"); defer { dir.remove() }
            var now = testMilliseconds(year: 2020, month: 9, day: 1)
            func tick() -> UInt64 { now += UInt64.random(in: 1_000...120_000, using: &rng); return now }
            let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: now)
            let code = try #require(try hub.addSchool(id: "s1", name: "School", now: tick()))
            let task = try hub.addTask(.init(title: "A"), assignTo: ["s1"], now: tick())
            let second = try hub.issueEnrollmentCode(school: "s1", now: tick())
            _ = try hub.exportForSchools(to: dir.file("stick"), now: tick())
            let pcs = [try PartaNode.createSchoolNode(directory: dir.file("pc0"), fromBundle: dir.file("stick"), code: code, name: "PC0", now: tick()).0,
                       try PartaNode.createSchoolNode(directory: dir.file("pc1"), fromBundle: dir.file("stick"), code: second, name: "PC1", now: tick()).0]
            var written: [String: Set<Double>] = [:]
            // Each computer's clock: right, days ahead or behind, or minutes off (§9, §9.1).
            var skew: [Int64] = [0, 0]
            func at(_ i: Int) -> UInt64 { UInt64(Int64(tick()) + skew[i]) }
            for _ in 0..<Int.random(in: 5...25, using: &rng) {
                let i = Int.random(in: 0..<pcs.count, using: &rng)
                let pc = pcs[i]
                func pcNow() -> UInt64 { at(i) }   // the hub's clock stays right
                switch Int.random(in: 0..<11, using: &rng) {
                case 10:   // its clock jumps, or is put right (as the next command's open does)
                    if skew[i] != 0 {
                        skew[i] = 0
                        _ = try pc.replica.repairClock(now: pcNow())
                    } else {
                        let day: Int64 = 86_400_000, minute: Int64 = 60_000
                        skew[i] = [Int64.random(in: 2...5, using: &rng) * day, -Int64.random(in: 2...400, using: &rng) * day,
                                   Int64.random(in: -59...59, using: &rng) * minute].randomElement(using: &rng)!
                    }
                case 0..<6:   // a report: any of status, progress, indicators
                    let status = Bool.random(using: &rng) ? ReportStatus.allCases.randomElement(using: &rng) : nil
                    let progress = Bool.random(using: &rng) ? Int.random(in: 0...100, using: &rng) : nil
                    var indicators: [String: Double] = [:]
                    for _ in 0..<Int.random(in: 0...2, using: &rng) {
                        let name = ["охват", "лагерей", "путёвок"].randomElement(using: &rng)!
                        indicators[name] = Double(Int.random(in: 0...200, using: &rng))
                    }
                    for (name, value) in indicators { written[name, default: []].insert(value) }
                    try pc.report(task: task, status: status, progress: progress, comment: nil, indicators: indicators, now: pcNow())
                case 6..<8:
                    _ = try pc.exportForHub(to: dir.file("stick"), now: pcNow())
                    _ = try hub.importBundles(at: dir.file("stick"), now: tick())
                default:
                    _ = try hub.exportForSchools(to: dir.file("stick"), now: tick())
                    _ = try pc.importBundles(at: dir.file("stick"), now: pcNow())
                }
            }
            for i in pcs.indices where skew[i] != 0 {
                skew[i] = 0
                _ = try pcs[i].replica.repairClock(now: at(i))
            }
            for _ in 0..<2 {
                for pc in pcs {
                    _ = try pc.exportForHub(to: dir.file("stick"), now: tick())
                    _ = try hub.importBundles(at: dir.file("stick"), now: tick())
                }
                _ = try hub.exportForSchools(to: dir.file("stick"), now: tick())
                for pc in pcs { _ = try pc.importBundles(at: dir.file("stick"), now: tick()) }
            }

            let shown = try ([hub] + pcs).map { try #require(try $0.showTask(task, today: "2020-09-02").reports.first) }
            for report in shown.dropFirst() {
                #expect(report.status == shown[0].status && report.progress == shown[0].progress && report.indicators == shown[0].indicators,
                        "seed \(seed): \(report) differs from the hub's \(shown[0])")
            }
            let report = shown[0]
            if report.status == ReportStatus.done.rawValue { #expect(report.progress == 100, "seed \(seed): done but \(report.progress) %") }
            let average = try #require(try hub.hubReport(today: "2020-09-02").tasks.first { $0.id == task }?.averageProgress)
            #expect(average == Double(report.progress), "seed \(seed): the hub averages \(average), shows \(report.progress)")
            #expect(Set(report.indicators.keys) == Set(written.keys), "seed \(seed): indicators \(report.indicators), written \(written)")
            for (name, value) in report.indicators {
                #expect(written[name]?.contains(value) == true, "seed \(seed): \(name) = \(value) was never written")
            }
        }
    }
}
