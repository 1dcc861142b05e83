import Foundation
import Testing
import PartaTesting

/// A district on a bad network, end to end: twenty schools, each its own data folder, sync at once
/// through the real `parta` binary with a real `parta hub serve` on loopback, behind a proxy that
/// cuts 35% of connections at random bytes (seeded) in either direction and delays every piece
/// by 2–30 ms. Small pieces
/// (`PARTA_CHUNK_BYTES`) make every school's bundle and every answer a resumable transfer.
@Suite struct FaultyLinkDistrictTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    @Test func twentySchoolsSyncAtOnceThroughALinkCutAtRandomBytesAndEverythingArrivesOnce() throws {
        let schools = (1...20).map { String(format: "s%02d", $0) }
        let district = try District(parta, label: "parta-faulty-district", schools: schools)
        defer { district.remove() }
        let chunk = "1024"
        let hub = try parta.serve(data: district.hubFolder, environment: ["PARTA_CHUNK_BYTES": chunk])
        defer { hub.stop() }
        let proxy = try FaultyProxy(to: hub.port, faults: .init(dropRate: 0.35, cutWithin: 1400, latencyMs: 2...30), seed: 20_261_124, lifetime: 150, idleTimeout: 30)
        defer { proxy.stop() }
        // Tries in a row without progress: at a 35% cut rate, twelve in a row all cut is out of reach.
        let env = ["PARTA_CHUNK_BYTES": chunk, "PARTA_SYNC_BACKOFF_MS": "10", "PARTA_SYNC_ATTEMPTS": "12"]

        // A task whose text makes every school's answer several pieces long; a report per school
        // that makes its bundle several pieces long.
        let bigTitle = noisyText(2500, seed: 77)
        try district.ok(["hub", "task", "add", "--title", bigTitle, "--assign-all"] + district.hub)
        let comments = Dictionary(uniqueKeysWithValues: schools.enumerated().map { ($1, noisyText(2000, seed: 1000 + UInt64($0))) })
        for result in concurrently(schools, { [district] school in
            try district.parta.run(["report", "t1", "--status", "in_progress", "--comment", comments[school]!] + district.data(school), timeout: 120)
        }) {
            #expect(try result.get().status == 0)
        }

        func syncAll(_ round: Int) throws -> [[String: Any]] {
            let runs = concurrently(schools) { [district, proxy] school in
                try district.parta.run(["sync", proxy.url, "--json"] + district.data(school), environment: env, timeout: 120)
            }
            var outcomes: [[String: Any]] = []
            for (school, result) in zip(schools, runs) {
                let run = try result.get()
                #expect(run.status == 0, "round \(round), \(school): sync failed (\(run.status)): \(run.stderr)")
                #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Backtrac"), "\(school): \(run.stderr)")
                outcomes.append((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:])
            }
            return outcomes
        }

        let first = try syncAll(1)
        #expect(first.allSatisfy { $0["chunked"] as? Bool == true && ($0["sent"] as? Int ?? 0) > 0 }, "\(first)")
        let resumes = first.reduce(0) { $0 + (($1["resumedFrom"] as? [Int])?.count ?? 0) }
        let retries = first.reduce(0) { $0 + ($1["attempts"] as? Int ?? 1) - 1 }
        #expect(first.allSatisfy { $0["answerByReference"] as? Bool == true }, "every answer is larger than a piece")
        #expect(proxy.stats.cuts > 0 && resumes > 0 && retries > 0, "cuts \(proxy.stats.cuts), resumes \(resumes), retries \(retries)")
        print("FaultyLinkDistrict round 1: \(proxy.stats.connections) connections, \(proxy.stats.cuts) cut, \(retries) retries, \(resumes) uploads resumed")

        // The hub writes again; every school finishes its report (a small bundle: one POST).
        try district.ok(["hub", "task", "add", "--title", "Вторая задача", "--assign-all"] + district.hub)
        for result in concurrently(schools, { [district] school in
            try district.parta.run(["report", "t1", "--status", "done"] + district.data(school), timeout: 120)
        }) {
            #expect(try result.get().status == 0)
        }
        let second = try syncAll(2)
        #expect(second.allSatisfy { ($0["received"] as? Int ?? 0) > 0 }, "\(second)")

        // Every school's report is at the hub, each value once in its history.
        let reports = try district.reports("t1", district.hub)
        let history = try district.json(["log", "--limit", "100000"] + district.hub) as? [[String: Any]] ?? []
        for school in schools {
            #expect(reports[school] == ["done", "100", comments[school]!], "\(school): \(reports[school] ?? [])")
            #expect(history.filter { $0["field"] as? String == "comment" && $0["value"] as? String == comments[school] }.count == 1, "\(school)")
        }
        // Every school got both of the hub's tasks.
        let titles = concurrently(schools) { [district] school in
            (try district.json(["tasks"] + district.data(school)) as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        }
        for (school, result) in zip(schools, titles) {
            let seen = try result.get()
            #expect(seen.contains(bigTitle) && seen.contains("Вторая задача"), "\(school): \(seen.map { $0.prefix(20) })")
        }
        // Nothing is left in staging: uploads completed, answers released by their schools.
        let staging = ["uploads", "answers"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: district.dir.file("hub/staging/\(folder)"))) ?? []).map { "\(folder)/\($0)" }
        }
        #expect(staging.isEmpty, "\(staging)")
        let log = hub.stop()
        #expect(!log.contains("status=500"), "\(log)")
    }
}
