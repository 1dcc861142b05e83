// Attacks of issue 14 by an enrolled but hostile school computer (s1, signing with its genuine
// keys unless said otherwise), against the real `parta hub serve`. Bundles are written by
// Tests/Hostile/partaforge.py. Which test covers which row of issue 14:
//
//   row 1  (a school files another school's report: `<task>|s2` in partition s1) and its
//          neighbours (school field, task field, a task not assigned to s1, an id without `|`,
//          partition s2, hub-only tables)           -> aReportRowOutsideItsOwnSchoolIsRefused
//   row 2  (progress 2^63-1 and other values outside a report's declared types and ranges)
//                                                   -> valuesOutsideAReportsTypesAndRangesAreRefused
//   row 9  (a zip bomb: a small bundle that unpacks to tens of MiB)
//                                                   -> aZipBombIsRefusedUnreadAndTheHubDoesNotGrow
//   row 18 (what an unauthenticated POST learns about enrolled and revoked computers)
//                                                   -> everyUnauthenticatedSenderGetsTheSameAnswer
//   row 4  (POST bodies: an announced 100 MB body, an unknown sender trickling its body)
//                                                   -> aPostIsJudgedByItsHeadersAndBundleHeaderBeforeItsBody
//
// Every refusal is checked for its status and `Parta-Reason`, for leaving the hub as it was
// (its replica's canonical dump, `parta hub report --json`, `parta hub nodes --json`, `parta show
// TASK --json`), and each test ends with honest reports from s1 and s2 synced by `parta sync` and
// the hub's figures being exactly theirs.

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import PartaApp
import PartaTesting

/// One district per attack test: a hub served on a free port, schools s1 and s2 (with their
/// computers made by `parta init` from the hub's stick and enrolled by a real `parta sync`),
/// `task` assigned to both, `s2Only` assigned to s2 alone; optionally a second computer of s2 (`s2b`).
final class AttackedDistrict {
    let parta: PartaBinary
    let dir: TemporaryDirectory
    private(set) var server: RunningHub
    /// Assigned to s1 and s2.
    let task: String
    /// Assigned to s2 only.
    let s2Only: String
    var hubData: String { dir.file("hub") }
    var hub: [String] { ["--data", hubData] }
    var port: Int { server.port }
    func data(_ computer: String) -> String { dir.file(computer) }

    init(_ label: String, secondComputerOfS2: Bool = false) throws {
        let parta = try PartaBinary()
        let dir = TemporaryDirectory(label)
        self.parta = parta
        self.dir = dir
        let hub = ["--data", dir.file("hub")]
        func ok(_ arguments: [String]) throws -> String { try AttackedDistrict.ok(parta, arguments) }
        func taskID(_ arguments: [String]) throws -> String {
            let object = try JSONSerialization.jsonObject(with: Data(try ok(arguments + ["--json"]).utf8)) as? [String: Any]
            return try #require(object?["id"] as? String)
        }
        _ = try ok(["hub", "init", "--name", "Отдел образования"] + hub)
        var codes = ["s1": try parta.code(["hub", "school", "add", "s1", "--name", "Школа s1"] + hub),
                     "s2": try parta.code(["hub", "school", "add", "s2", "--name", "Школа s2"] + hub)]
        if secondComputerOfS2 { codes["s2b"] = try parta.code(["hub", "school", "code", "s2"] + hub) }
        task = try taskID(["hub", "task", "add", "--title", "Общая задача", "--assign-all"] + hub)
        s2Only = try taskID(["hub", "task", "add", "--title", "Только для s2"] + hub)
        _ = try ok(["hub", "task", "assign", s2Only, "--to", "s2"] + hub)
        _ = try ok(["hub", "export", "--to", dir.file("stick")] + hub)
        for computer in codes.keys.sorted() {
            _ = try ok(["init", "--from", dir.file("stick"), "--code", codes[computer]!, "--name", "ПК \(computer)", "--data", dir.file(computer)])
        }
        server = try parta.serve(data: dir.file("hub"))
        for computer in codes.keys.sorted() { _ = try ok(["sync", server.url, "--data", dir.file(computer)]) }
    }

    func remove() {
        server.stop()
        dir.remove()
    }

    /// Stops the server (for hub commands that should not race it) and starts it again.
    func restart(between work: () throws -> Void) throws {
        server.stop()
        try work()
        server = try parta.serve(data: hubData)
    }

    static func ok(_ parta: PartaBinary, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try parta.run(arguments, timeout: 120)
        #expect(r.status == 0, "parta \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try AttackedDistrict.ok(parta, arguments, sourceLocation: sourceLocation)
    }

    func json(_ arguments: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try ok(arguments + ["--json"]).utf8))
    }

    // MARK: What the hub holds

    struct State: Equatable {
        var dump: [String]
        var report: String
        var nodes: String
        var shown: [String]
    }

    /// Everything a refused bundle must leave as it was.
    func state() throws -> State {
        let dump = try PartaNode.openHub(directory: hubData).replica.canonicalDump()
        return State(dump: dump, report: try ok(["hub", "report", "--json"] + hub), nodes: try ok(["hub", "nodes", "--json"] + hub),
                     shown: [try ok(["show", task, "--json"] + hub), try ok(["show", s2Only, "--json"] + hub)])
    }

    /// Bytes of the hub's replica and its write-ahead log.
    func replicaBytes() -> Int {
        ["replica.sqlite", "replica.sqlite-wal"].reduce(0) { sum, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: dir.file("hub/" + name))[.size] as? NSNumber)?.intValue
            return sum + (size ?? 0)
        }
    }

    // MARK: Forged bundles

    /// The fields `parta report` writes for a report, in its order, with `overrides` replacing or adding some.
    func reportFields(school: String, task: String? = nil, _ overrides: [String: Any] = [:]) -> [(String, Any)] {
        var fields: [String: Any] = ["author": "ПК \(school)", "comment": "Подделка", "indicators": "{}", "progress": 40,
                                     "reported_at": Int(Date().timeIntervalSince1970 * 1000), "school": school,
                                     "status": "in_progress", "task": task ?? self.task]
        for (k, v) in overrides { fields[k] = v }
        return fields.keys.sorted().map { ($0, fields[$0]!) }
    }

    /// A report's changes on `row` in `partition`.
    func report(row: String, partition: String, _ fields: [(String, Any)]) -> [[String: Any]] {
        fields.map { ["table": "reports", "row": row, "partition": partition, "field": $0.0, "value": $0.1] }
    }

    /// A bundle from computer `from`'s data folder (its id, keys, hub, clock), with `extra` keys of
    /// the description (Tests/Hostile/README.md) on top.
    func forge(from computer: String = "s1", _ changes: [[String: Any]], _ extra: [String: Any] = [:]) throws -> [UInt8] {
        var description: [String: Any] = ["from": data(computer), "changes": changes]
        for (k, v) in extra { description[k] = v }
        return [UInt8](try Forge.bundle(description))
    }

    // MARK: Talking to the hub

    func post(_ bundle: [UInt8]) throws -> RawHTTP.Reply {
        try #require(try RawHTTP.request(port: port, "POST", "/v1/sync",
                                         headers: ["Content-Type": "application/vnd.parta.bundle", "Accept-Language": "en"],
                                         body: bundle, timeout: 20))
    }

    /// POSTs `bundle` and expects `status` with `reason` and the hub left as `before`.
    @discardableResult
    /// With `mentioning`, the answer (asked in English) must also name that rule: refused for the
    /// attack, not for some other fault of the forged bundle.
    func expectRefused(_ what: String, _ bundle: [UInt8], _ status: Int, _ reason: String, mentioning rule: String? = nil,
                       hubStays before: State, sourceLocation: SourceLocation = #_sourceLocation) throws -> RawHTTP.Reply {
        let reply = try post(bundle)
        #expect(reply.status == status && reply.headers["parta-reason"] == reason && rule.map(reply.text.contains) != false,
                "\(what): \(reply.status) \(reply.headers["parta-reason"] ?? "no Parta-Reason"): \(reply.text)", sourceLocation: sourceLocation)
        #expect(try state() == before, "\(what) changed the hub", sourceLocation: sourceLocation)
        return reply
    }

    /// After the attacks: s1 and s2 report honestly and sync with the real client; the hub then
    /// holds exactly these two reports (and no other report row), and its figures are theirs.
    func expectHonestSchoolsStillSync(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try ok(["report", task, "--status", "in_progress", "--progress", "40", "--comment", "Честно: s1"] + ["--data", data("s1")], sourceLocation: sourceLocation)
        try ok(["report", task, "--status", "done", "--progress", "100", "--comment", "Честно: s2"] + ["--data", data("s2")], sourceLocation: sourceLocation)
        for school in ["s1", "s2"] {
            let r = try parta.run(["sync", server.url, "--data", data(school)], timeout: 120)
            #expect(r.status == 0, "honest \(school) could not sync (\(r.status)): \(r.stderr)", sourceLocation: sourceLocation)
        }
        let reportRows = Set(try PartaNode.openHub(directory: hubData).replica.canonicalDump()
            .filter { $0.hasPrefix("reports|") }.map { $0.split(separator: "|").dropFirst().prefix(2).joined(separator: "|") })
        #expect(reportRows == ["\(task)|s1", "\(task)|s2"], "report rows at the hub: \(reportRows)", sourceLocation: sourceLocation)

        /// `parta show TASK --json` at the hub: status, progress, comment by school (a school
        /// assigned the task that has not reported is listed as `new`).
        func reports(_ task: String) throws -> [String: [String]] {
            let shown = try json(["show", task] + hub) as? [String: Any] ?? [:]
            var reports: [String: [String]] = [:]
            for r in shown["reports"] as? [[String: Any]] ?? [] {
                reports[r["school"] as? String ?? "?"] = ["\(r["status"] ?? "")", "\(r["progress"] ?? "")", "\(r["comment"] ?? "")"]
            }
            return reports
        }
        #expect(try reports(task) == ["s1": ["in_progress", "40", "Честно: s1"], "s2": ["done", "100", "Честно: s2"]], sourceLocation: sourceLocation)
        #expect(try reports(s2Only) == ["s2": ["new", "0", ""]], sourceLocation: sourceLocation)

        let summary = try json(["hub", "report"] + hub) as? [String: Any] ?? [:]
        let schools = summary["schools"] as? [[String: Any]] ?? []
        func byStatus(_ id: String) -> [String: Int] {
            (schools.first { $0["id"] as? String == id }?["byStatus"] as? [String: Int] ?? [:]).filter { $0.value != 0 }
        }
        #expect(byStatus("s1") == ["in_progress": 1], "\(summary)", sourceLocation: sourceLocation)
        #expect(byStatus("s2") == ["done": 1, "new": 1], "\(summary)", sourceLocation: sourceLocation)
        let tasks = summary["tasks"] as? [[String: Any]] ?? []
        func figures(_ id: String) -> [String] {
            let t = tasks.first { $0["id"] as? String == id }
            return ["\(t?["averageProgress"] ?? "?")", "\((t?["byStatus"] as? [String: Int] ?? [:]).filter { $0.value != 0 }.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))"]
        }
        #expect(figures(task) == ["70", "done=1,in_progress=1"], "\(summary)", sourceLocation: sourceLocation)
        #expect(figures(s2Only) == ["0", "new=1"], "\(summary)", sourceLocation: sourceLocation)
    }
}

extension HostileNodeTests {
    /// Issue 14 row 1 and neighbours: rows whose id, fields or partition say another school, or
    /// a task s1 was not given, or a table only the hub writes.
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func aReportRowOutsideItsOwnSchoolIsRefused() throws {
        let d = try AttackedDistrict("parta-attack-rows")
        defer { d.remove() }
        let (t, s2Only) = (d.task, d.s2Only)
        let before = try d.state()

        try d.expectRefused("row \(t)|s2 in partition s1, school s1",
                            try d.forge(d.report(row: "\(t)|s2", partition: "s1", d.reportFields(school: "s1"))), 422, "invalidChange", mentioning: "the id must be <task>|s1", hubStays: before)
        try d.expectRefused("row \(t)|s2 in partition s1, school s2",
                            try d.forge(d.report(row: "\(t)|s2", partition: "s1", d.reportFields(school: "s2"))), 422, "invalidChange", mentioning: "the id must be <task>|s1", hubStays: before)
        try d.expectRefused("row \(t)|s1 with school s2",
                            try d.forge(d.report(row: "\(t)|s1", partition: "s1", d.reportFields(school: "s2"))), 422, "invalidChange", mentioning: "school must be the row's partition s1", hubStays: before)
        try d.expectRefused("row \(t)|s1 with task \(s2Only)",
                            try d.forge(d.report(row: "\(t)|s1", partition: "s1", d.reportFields(school: "s1", task: s2Only))), 422, "invalidChange", mentioning: "task must be \(t), as the id says", hubStays: before)
        try d.expectRefused("a report on \(s2Only), not assigned to s1",
                            try d.forge(d.report(row: "\(s2Only)|s1", partition: "s1", d.reportFields(school: "s1", task: s2Only))), 422, "invalidChange", mentioning: "there is no assignments record \(s2Only)|s1", hubStays: before)
        try d.expectRefused("row \(t) without |",
                            try d.forge(d.report(row: t, partition: "s1", d.reportFields(school: "s1"))), 422, "invalidChange", mentioning: "the id must be <task>|s1", hubStays: before)
        try d.expectRefused("row \(t)|s2 in partition s2",
                            try d.forge(d.report(row: "\(t)|s2", partition: "s2", d.reportFields(school: "s2"))), 403, "forbidden", mentioning: "may not write record \(t)|s2 of reports", hubStays: before)
        try d.expectRefused("the schools row of s1",
                            try d.forge([["table": "schools", "row": "s1", "partition": "s1", "field": "name", "value": "Лучшая школа"]]),
                            403, "forbidden", mentioning: "only the hub writes schools", hubStays: before)
        try d.expectRefused("an assignment of \(s2Only) to s1",
                            try d.forge([["table": "assignments", "row": "\(s2Only)|s1", "partition": "s1", "field": "school", "value": "s1"],
                                         ["table": "assignments", "row": "\(s2Only)|s1", "partition": "s1", "field": "task", "value": s2Only]]),
                            403, "forbidden", mentioning: "only the hub writes assignments", hubStays: before)
        // One bad row among honest ones: the whole bundle is refused.
        try d.expectRefused("an honest report plus row \(t)|s2",
                            try d.forge(d.report(row: "\(t)|s1", partition: "s1", d.reportFields(school: "s1"))
                                        + d.report(row: "\(t)|s2", partition: "s1", d.reportFields(school: "s2"))), 422, "invalidChange", mentioning: "the id must be <task>|s1", hubStays: before)

        try d.expectHonestSchoolsStillSync()
    }

    /// Issue 14 row 2 and neighbours: a report with one field outside its type or range.
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func valuesOutsideAReportsTypesAndRangesAreRefused() throws {
        let d = try AttackedDistrict("parta-attack-values")
        defer { d.remove() }
        let before = try d.state()
        let row = "\(d.task)|s1"
        let cases: [(String, [String: Any], String)] = [
            ("progress 2^63-1", ["progress": Int64.max], "an integer from 0 to 100"),
            ("progress -1", ["progress": -1], "an integer from 0 to 100"),
            ("progress 101", ["progress": 101], "an integer from 0 to 100"),
            ("progress as the text \"50\"", ["progress": "50"], "of type INTEGER"),
            ("progress as the real 50.0", ["progress": ["type": "real", "bits": "4049000000000000"]], "of type INTEGER"),
            ("status finished", ["status": "finished"], "one of new, in_progress, done, blocked"),
            ("reported_at -1", ["reported_at": -1], "an integer from 0 to"),
            ("comment of 70,000 bytes", ["comment": ["type": "text", "fill": "A", "length": 70_000] as [String: Any]], "at most 65536 bytes"),
            ("author of 2,000 bytes", ["author": ["type": "text", "fill": "A", "length": 2_000] as [String: Any]], "at most 1024 bytes"),
        ]
        for (what, override, rule) in cases {
            try d.expectRefused(what, try d.forge(d.report(row: row, partition: "s1", d.reportFields(school: "s1", override))),
                                422, "invalidChange", mentioning: rule, hubStays: before)
        }
        // A lone progress change on no report at all (no other field to lean on).
        try d.expectRefused("a lone progress 2^63-1", try d.forge(d.report(row: row, partition: "s1", [("progress", Int64.max)])),
                            422, "invalidChange", mentioning: "an integer from 0 to 100", hubStays: before)

        // The dashboard and the summary are still there.
        let overview = try #require(try RawHTTP.request(port: d.port, "GET", "/", timeout: 10))
        #expect([200, 303].contains(overview.status), "GET / answered \(overview.status)")
        let summary = try d.parta.run(["hub", "report"] + d.hub, timeout: 60)
        #expect(summary.status == 0, "\(summary.stderr)")
        try d.expectHonestSchoolsStillSync()
    }
}

extension HostileNodeTests {
    /// Issue 14 row 9: zip bombs, tens of MiB of one letter in a bundle of tens of KiB, declared
    /// honestly (refused unread) or under a lie (refused while inflating, at the declared size):
    /// at once, and nothing of them lands in the replica.
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func aZipBombIsRefusedUnreadAndTheHubDoesNotGrow() throws {
        let d = try AttackedDistrict("parta-attack-bomb")
        defer { d.remove() }
        let before = try d.state()
        let bytesBefore = d.replicaBytes()

        let oneComment = try d.forge(d.report(row: "\(d.task)|s1", partition: "s1",
                                              d.reportFields(school: "s1", ["comment": ["type": "text", "fill": "A", "length": 60_000_000] as [String: Any]])))
        // The row of issue 14 as first found: 80 rows of 1 MiB texts each (every one within the format's text bound).
        let bombRows: [[String: Any]] = (0..<80).map { n in
            ["table": "reports", "row": "bomb-\(n)|s1", "partition": "s1", "field": "comment",
             "value": ["type": "text", "fill": "A", "length": 1 << 20] as [String: Any]] as [String: Any]
        }
        let manyRows = try d.forge(bombRows)
        // The same bombs under a lie: a declared payload within 32 times the packed size, so only
        // inflating can tell; the hub must stop at the declared size (413) or at the first text
        // over the format's 1 MiB bound (400 malformed), whichever comes first.
        let lyingComment = try d.forge(d.report(row: "\(d.task)|s1", partition: "s1",
                                                d.reportFields(school: "s1", ["comment": ["type": "text", "fill": "A", "length": 60_000_000] as [String: Any]])),
                                       ["forge": ["payloadLength": 1_000_000]])
        let lyingRows = try d.forge(bombRows, ["forge": ["payloadLength": 2_000_000]])
        let payloadTooLarge = [(413, "payloadTooLarge"), (413, "tooLarge")]
        let bombs: [(String, [UInt8], [(Int, String)])] = [
            ("one 60 MB comment", oneComment, payloadTooLarge),
            ("80 rows bomb-N|s1 of 1 MiB each", manyRows, payloadTooLarge),
            ("one 60 MB comment declared as 1 MB", lyingComment, payloadTooLarge + [(400, "malformed")]),
            ("80 rows of 1 MiB declared as 2 MB", lyingRows, payloadTooLarge),
        ]
        for (what, bomb, answers) in bombs {
            #expect(bomb.count < 1 << 20, "\(what): the bomb is \(bomb.count) bytes on the wire")
            let started = Date()
            let reply = try d.post(bomb)
            let seconds = Date().timeIntervalSince(started)
            #expect(answers.contains { $0 == (reply.status, reply.headers["parta-reason"] ?? "") },
                    "\(what): \(reply.status) \(reply.headers["parta-reason"] ?? "no Parta-Reason"): \(reply.text)")
            #expect(seconds < 2, "\(what): refused after \(seconds) s")
            #expect(try d.state() == before, "\(what) changed the hub")
        }
        let grown = d.replicaBytes() - bytesBefore
        #expect(grown < 4 << 20, "the hub's replica and WAL grew by \(grown) bytes")
        try d.expectHonestSchoolsStillSync()
    }

    /// A made-up id under a computer's genuine keys is that computer's successor (replication-v1
    /// §10b, a copied-back folder): it may write what the computer may, nothing more, and falls
    /// with the computer's revocation, as does every id under those keys.
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func aMadeUpIdUnderAComputersKeysHasItsRightsAndFallsWithItsRevocation() throws {
        let d = try AttackedDistrict("parta-attack-successor")
        defer { d.remove() }
        let keys = try PartaNode.open(directory: d.data("s1")).replica.keys.publicKeys
        func record(_ id: String) -> [[String: Any]] {
            [("name", "ПК s1 (копия)"), ("partition", "s1"), ("role", "member"), ("sealing_key", keys.sealingBase64), ("signing_key", keys.signingBase64)]
                .map { ["table": "nodes", "row": id, "partition": "s1", "field": $0.0, "value": $0.1] }
        }
        var before = try d.state()
        // Its own record and s2's report: outside s1's rights, refused whole.
        _ = try d.expectRefused("a successor of s1 writing s2's report",
                                try d.forge(record("node-preemnik1") + d.report(row: "\(d.task)|s2", partition: "s2", d.reportFields(school: "s2")),
                                            ["sender": "node-preemnik1"]), 403, "forbidden", hubStays: before)
        // Without its own record its changes have no known writer (as a new computer's without one).
        _ = try d.expectRefused("a successor of s1 without its record",
                                try d.forge(d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1")), ["sender": "node-preemnik2"]),
                                401, "unknownNode", hubStays: before)
        // With its record and s1's report: s1's own rights, accepted.
        let accepted = try d.post(try d.forge(record("node-preemnik3") + d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1")),
                                              ["sender": "node-preemnik3"]))
        #expect(accepted.status == 200, "\(accepted.status) \(accepted.text)")
        // s1's computer is revoked: the successor falls with it, and so does any new id under its keys.
        let s1Node = try PartaNode.open(directory: d.data("s1")).replica.nodeID
        try d.restart { _ = try d.ok(["hub", "node", "revoke", s1Node] + d.hub) }
        before = try d.state()
        _ = try d.expectRefused("the successor after s1's revocation",
                                try d.forge(d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1", ["comment": "после отзыва"])),
                                            ["sender": "node-preemnik3"]), 401, "notEnrolled", hubStays: before)
        _ = try d.expectRefused("a new id under the revoked keys",
                                try d.forge(record("node-preemnik4") + d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1")),
                                            ["sender": "node-preemnik4"]), 401, "notEnrolled", hubStays: before)
        let s2 = try d.parta.run(["sync", d.server.url, "--data", d.data("s2")], timeout: 120)
        #expect(s2.status == 0, "\(s2.stderr)")
    }

    /// Issue 14 row 18: a stranger, s1's id under another key, and a revoked computer's id under
    /// another key all get the same 401 and learn nothing; only the revoked key's holder hears 403.
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func everyUnauthenticatedSenderGetsTheSameAnswer() throws {
        let d = try AttackedDistrict("parta-attack-auth", secondComputerOfS2: true)
        defer { d.remove() }
        let nodes = try d.json(["hub", "nodes"] + d.hub) as? [[String: Any]] ?? []
        let lost = try #require(nodes.first { $0["name"] as? String == "ПК s2b" }?["id"] as? String, "\(nodes)")
        try d.restart { _ = try d.ok(["hub", "node", "revoke", lost] + d.hub) }
        let revokedAt = try #require((try d.json(["hub", "nodes"] + d.hub) as? [[String: Any]] ?? [])
            .first { $0["id"] as? String == lost }?["revokedAt"] as? String, "no revocation date")
        let before = try d.state()

        let otherSeed = randomKeyHex()
        let otherSealing = randomKeyHex()
        // A stranger holds no enrolled computer's keys. (A made-up id under s1's genuine keys is
        // s1's computer itself, a successor by §10b: see aMadeUpIdUnderAComputersKeysHasItsRightsAndFallsWithItsRevocation.)
        let strangerKeys: [String: Any] = ["signingSeed": otherSeed, "sealingPrivate": otherSealing]
        let s1Report = d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1"))
        let s2Report = d.report(row: "\(d.task)|s2", partition: "s2", d.reportFields(school: "s2"))
        let attempts: [(String, [UInt8])] = [
            ("a made-up node", try d.forge(s1Report, ["sender": "node-vydumka01", "keys": strangerKeys])),
            ("s1's id signed by another key", try d.forge(s1Report, ["forge": ["signWithSeed": otherSeed]])),
            ("s1's id signed with s2's keys", try d.forge(s1Report, ["keys": ["data": d.data("s2")]])),
            ("revoked \(lost)'s id signed by another key", try d.forge(from: "s2b", s2Report, ["forge": ["signWithSeed": otherSeed]])),
            ("revoked \(lost)'s id signed with s1's keys", try d.forge(from: "s2b", s2Report, ["keys": ["data": d.data("s1")]])),
        ]
        var bodies: [String: Set<String>] = [:]
        for (what, bundle) in attempts {
            let reply = try d.expectRefused(what, bundle, 401, "notEnrolled", hubStays: before)
            bodies[reply.text, default: []].insert(what)
            for secret in ["ПК s2b", String(revokedAt.prefix(10)), "revoked", "отозван"] {
                #expect(!reply.text.contains(secret), "\(what): the answer gives away '\(secret)': \(reply.text)")
            }
        }
        #expect(bodies.count == 1, "different answers to unauthenticated senders: \(bodies)")

        // The revoked computer itself, with its own key, may know.
        let own = try d.expectRefused("revoked \(lost) with its own key", try d.forge(from: "s2b", s2Report), 403, "revoked", hubStays: before)
        #expect(own.text.contains(lost), "\(own.text)")
        try d.expectHonestSchoolsStillSync()
    }

    /// Issue 14 row 4: a POST is refused from its headers (an announced 100 MB body) or from its
    /// bundle's header (an unknown sender), before the body arrives.
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func aPostIsJudgedByItsHeadersAndBundleHeaderBeforeItsBody() throws {
        let d = try AttackedDistrict("parta-attack-post")
        defer { d.remove() }
        let before = try d.state()
        func head(_ length: Int) -> [UInt8] {
            Array(("POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1:\(d.port)\r\nContent-Type: application/vnd.parta.bundle\r\n"
                   + "Accept-Language: en\r\nContent-Length: \(length)\r\n\r\n").utf8)
        }

        // 100 MB announced, a few bytes sent, nothing more.
        let honest = try d.forge(d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1")))
        let big = try SlowClient(port: d.port)
        try big.send(head(100_000_000) + honest.prefix(16))
        let bigAnswer = big.reply(within: 5)
        #expect(bigAnswer.reply?.status == 413 && bigAnswer.reply?.headers["parta-reason"] == "tooLarge",
                "\(bigAnswer.reply.map { "\($0.status) \($0.headers) \($0.text)" } ?? "no answer")")
        #expect(bigAnswer.seconds < 2, "answered after \(bigAnswer.seconds) s")

        // An unknown sender's bundle (large enough to trickle), its first 4 KiB sent slowly, then nothing.
        let noise = noisyText(12_000, seed: 14)
        let strangerSeed = randomKeyHex()
        let stranger = try d.forge(d.report(row: "\(d.task)|s1", partition: "s1", d.reportFields(school: "s1", ["comment": noise])),
                                   ["sender": "node-neznakomec", "keys": ["signingSeed": strangerSeed, "sealingPrivate": strangerSeed]])
        #expect(stranger.count > 8 << 10, "the stranger's bundle is only \(stranger.count) bytes")
        let slow = try SlowClient(port: d.port)
        try slow.send(head(stranger.count))
        for piece in stride(from: 0, to: 4096, by: 512) {
            try? slow.send(Array(stranger[piece..<piece + 512]))   // the hub may have answered and closed already
            Thread.sleep(forTimeInterval: 0.05)
        }
        let slowAnswer = slow.reply(within: 5)
        #expect(slowAnswer.reply?.status == 401 && slowAnswer.reply?.headers["parta-reason"] == "notEnrolled",
                "\(slowAnswer.reply.map { "\($0.status) \($0.headers) \($0.text)" } ?? "no answer")")
        #expect(slowAnswer.seconds < 2, "answered \(slowAnswer.seconds) s after the last byte")
        #expect(try d.state() == before)
        try d.expectHonestSchoolsStillSync()
    }
}

/// One loopback connection on which a test sends what it likes, when it likes, and reads the
/// first answer (head and `Content-Length` body) as soon as it is there.
final class SlowClient {
    struct Failure: Error { var description: String; init(_ description: String) { self.description = description } }
    struct Reply {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let fd: Int32
    private var bytes: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SlowClient.Failure("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw SlowClient.Failure("connect to \(port): \(errno)") }
    }

    deinit { close(fd) }

    func send(_ data: [UInt8]) throws {
        var sent = 0
        while sent < data.count {
            let n = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SlowClient.Failure("send: \(errno)") }
            sent += n
        }
    }

    /// The first answer, once its head and body are whole (or the connection closed), waiting at
    /// most `within` seconds; and how long it took from this call.
    func reply(within: TimeInterval) -> (reply: Reply?, seconds: TimeInterval) {
        let started = Date()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while Date().timeIntervalSince(started) < within {
            if let reply = parsed() { return (reply, Date().timeIntervalSince(started)) }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return (parsed(whole: true), Date().timeIntervalSince(started)) }
            bytes += buffer[0..<n]
        }
        return (parsed(whole: true), Date().timeIntervalSince(started))
    }

    private func parsed(whole: Bool = false) -> Reply? {
        guard let split = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: bytes[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Array(bytes[split.upperBound...])
        let length = headers["content-length"].flatMap(Int.init) ?? 0
        guard whole || body.count >= length else { return nil }
        return Reply(status: status, headers: headers, body: Array(body.prefix(length)))
    }
}

/// 32 random bytes in hex: a key no enrolled computer holds.
func randomKeyHex() -> String { (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() }
