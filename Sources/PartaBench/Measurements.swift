import Foundation
import CSQLite
import PartaCore
import PartaStore
import PartaApp

/// Sizes of one run.
struct BenchConfig {
    var quick: Bool
    var tasks: Int
    var assigned: Int
    var sizeEdits: Int
    var deltaRuns: Int
    var listRuns: Int
    var rawTrials: Int
    var partaTrials: Int
    var importRows: Int
    /// Schools syncing at once in row 7.
    var loadSchools: Int

    static func make(quick: Bool) -> BenchConfig {
        quick
            ? BenchConfig(quick: true, tasks: 10_000, assigned: 1_000, sizeEdits: 1_000, deltaRuns: 11, listRuns: 7, rawTrials: 3, partaTrials: 3, importRows: 33_334,
                          loadSchools: 50)
            : BenchConfig(quick: false, tasks: 100_000, assigned: 10_000, sizeEdits: 1_000, deltaRuns: 21, listRuns: 11, rawTrials: 3, partaTrials: 3, importRows: 333_334,
                          loadSchools: 500)
    }
}

/// The raw reference database: plain tables of the same shape as Parta's application tables,
/// filled with the same tasks, without registers, history or bookkeeping.
final class RawReference {
    let db: RawDB

    static let schema = """
        CREATE TABLE tasks (id TEXT PRIMARY KEY NOT NULL, _part TEXT NOT NULL, number TEXT, title TEXT, body TEXT, section TEXT,
            level TEXT, addressees TEXT, deadline TEXT, deadline_kind TEXT, deadline_raw TEXT, targets TEXT, resolution TEXT);
        CREATE INDEX tasks_by_partition ON tasks (_part);
        CREATE TABLE assignments (id TEXT PRIMARY KEY NOT NULL, _part TEXT NOT NULL, task TEXT, school TEXT);
        CREATE INDEX assignments_by_partition ON assignments (_part);
        CREATE INDEX assignments_by_task ON assignments (task, _part);
        CREATE TABLE reports (id TEXT PRIMARY KEY NOT NULL, _part TEXT NOT NULL, task TEXT, school TEXT, status TEXT,
            progress INTEGER, comment TEXT, indicators TEXT, author TEXT, reported_at INTEGER);
        CREATE INDEX reports_by_partition ON reports (_part);
        """

    init(path: String, tasks: Int, assigned: Int) throws {
        db = try RawDB(path: path)
        try db.exec(RawReference.schema)
        guard tasks > 0 else { return }
        try db.exec("BEGIN")
        let columns = Workload.taskColumns
        let insertTask = try db.prepare("INSERT INTO tasks (id, _part, \(columns.joined(separator: ", "))) VALUES (?, ''\(String(repeating: ", ?", count: columns.count)))")
        for i in 1...tasks {
            insertTask.bind(1, "t\(i)")
            for (k, (_, v)) in Workload.taskFields(i).enumerated() { insertTask.bind(Int32(k + 2), v) }
            try insertTask.run()
        }
        let insertAssignment = try db.prepare("INSERT INTO assignments (id, _part, task, school) VALUES (?, ?, ?, ?)")
        for i in 1...max(1, assigned) {
            insertAssignment.bind(1, Workload.reportRow(task: i))
            insertAssignment.bind(2, Workload.school)
            insertAssignment.bind(3, "t\(i)")
            insertAssignment.bind(4, Workload.school)
            try insertAssignment.run()
        }
        try db.exec("COMMIT")
        try checkpoint()
    }

    func checkpoint() throws { try db.exec("PRAGMA wal_checkpoint(TRUNCATE)") }

    /// One transaction of prepared INSERTs of the edits' rows (same columns as Parta's report rows).
    func insertReports(_ edits: [ReportEdit]) throws {
        let s = try db.prepare("INSERT INTO reports (id, _part, status, progress, comment) VALUES (?, ?, ?, ?, ?)")
        try db.exec("BEGIN IMMEDIATE")
        for e in edits {
            s.bind(1, e.row); s.bind(2, Workload.school); s.bind(3, e.status); s.bind(4, e.progress); s.bind(5, e.comment)
            try s.run()
        }
        try db.exec("COMMIT")
    }

    /// One transaction of prepared UPDATEs of the three fields, by primary key.
    func updateReports(_ edits: [ReportEdit]) throws {
        let s = try db.prepare("UPDATE reports SET status = ?, progress = ?, comment = ? WHERE id = ?")
        try db.exec("BEGIN IMMEDIATE")
        for e in edits {
            s.bind(1, e.status); s.bind(2, e.progress); s.bind(3, e.comment); s.bind(4, e.row)
            try s.run()
        }
        try db.exec("COMMIT")
    }
}

enum Measurements {
    // MARK: 1. Apply 10,000 report edits at the hub

    static func applyEdits(_ d: District, _ edits: inout EditFactory, _ c: BenchConfig, _ r: Results) throws {
        let n = c.assigned
        log("1: the school writes \(n) report edits (3 fields each) and exports them for the hub")
        let round1 = edits.edits(forTasks: 1...n)
        let (_, writeMs) = try timed { try d.writeAtMember(round1) }
        let ((_, bundle), exportMs) = try timed {
            try d.member.replica.exportBundle(for: .node(d.hubID), now: d.tick(), bundleID: randomBundleID())
        }
        let anatomy = try BundleAnatomy(bundle)
        try d.checkpoint()
        log("1: applying \(3 * n) changes at the hub holding \(c.tasks) tasks (\(c.partaTrials) trials on identical copies)")
        let applyTimes = try applyTrials(d, bundle: bundle, expected: 3 * n, trials: c.partaTrials)
        let applyMs = median(applyTimes)

        // Decoding alone (checksum, signature, opening, unpacking), to show how much of the apply is the codec.
        let (_, decodeMs) = try timed { () throws -> [Change] in
            let reader = try ChangeSetReader(bytes: bundle)
            try reader.verifySignature(signingKey: d.member.replica.keys.publicKeys.signing)
            try reader.open(with: d.hub.replica.keys)
            return try reader.readAll()
        }

        // Second round: the same rows edited again (updates of existing rows rather than new rows).
        try d.hubToMember()
        let round2 = edits.edits(forTasks: 1...n)
        try d.writeAtMember(round2)
        let (_, bundle2) = try d.member.replica.exportBundle(for: .node(d.hubID), now: d.tick(), bundleID: randomBundleID())
        try d.checkpoint()
        log("1: applying a second round of \(3 * n) changes (updates of the same rows)")
        let apply2Ms = median(try applyTrials(d, bundle: bundle2, expected: 3 * n, trials: c.partaTrials))
        try d.hubToMember()

        log("1: raw reference: prepared INSERT / UPDATE of the same \(n) rows, \(c.rawTrials) trials")
        let (raw, rawBuildMs) = try timed { try RawReference(path: d.root.file("raw-reference.sqlite"), tasks: c.tasks, assigned: c.assigned) }
        var insertTimes: [Double] = [], updateTimes: [Double] = []
        for _ in 0..<c.rawTrials {
            try raw.db.exec("DELETE FROM reports")
            try raw.checkpoint()
            insertTimes.append(try timed { try raw.insertReports(round1) }.1)
            try raw.checkpoint()
            updateTimes.append(try timed { try raw.updateReports(round2) }.1)
        }
        let rawInsertMs = median(insertTimes), rawUpdateMs = median(updateTimes)

        let partaRows = Double(n) / (applyMs / 1000)
        let rawRows = Double(n) / (rawInsertMs / 1000)
        let ratio = partaRows / rawRows
        r.merge([
            "apply_edits": n, "apply_changes": 3 * n, "apply_ms": rounded(applyMs, 1),
            "apply_trials_ms": applyTimes.map { rounded($0, 1) },
            "apply_decode_only_ms": rounded(decodeMs, 1),
            "apply_changes_per_s": rounded(Double(3 * n) / (applyMs / 1000), 0),
            "apply_edits_per_s": rounded(partaRows, 0),
            "raw_insert_ms": rounded(rawInsertMs, 2), "raw_insert_rows_per_s": rounded(rawRows, 0),
            "raw_insert_trials_ms": insertTimes.map { rounded($0, 2) },
            "apply_vs_raw_rows_ratio": rounded(ratio, 4),
            "apply_update_ms": rounded(apply2Ms, 1),
            "apply_update_changes_per_s": rounded(Double(3 * n) / (apply2Ms / 1000), 0),
            "apply_update_edits_per_s": rounded(Double(n) / (apply2Ms / 1000), 0),
            "raw_update_ms": rounded(rawUpdateMs, 2), "raw_update_rows_per_s": rounded(Double(n) / (rawUpdateMs / 1000), 0),
            "member_write_edits_ms": rounded(writeMs, 1),
            "member_write_changes_per_s": rounded(Double(3 * n) / (writeMs / 1000), 0),
            "export_edits_ms": rounded(exportMs, 1),
            "export_edits_bundle_bytes": anatomy.total,
            "hub_tasks": c.tasks, "hub_db_mb": rounded(databaseSizeMB(d.hubDatabasePath), 1),
            "raw_db_mb": rounded(databaseSizeMB(raw.db.path), 1), "raw_db_build_s": rounded(rawBuildMs / 1000, 2),
        ])
        r.add("1. apply \(grouped(Double(n))) report edits at hub (\(grouped(Double(c.tasks))) tasks)",
              parta: "\(grouped(partaRows)) rows/s (\(grouped(Double(3 * n) / (applyMs / 1000))) changes/s, \(fixed(applyMs, 0)) ms)",
              reference: "INSERT \(grouped(rawRows)) rows/s (\(fixed(rawInsertMs, 1)) ms)",
              goal: "rows/s ≥ 1/4 raw (≥ \(grouped(rawRows / 4)))", met: ratio >= 0.25)
        r.add("   (diag) decoding the bundle alone", parta: "\(fixed(decodeMs, 1)) ms (\(fixed(100 * decodeMs / applyMs, 0))% of apply)",
              reference: "—", goal: "info", met: nil)
        r.add("   (extra) apply the same rows edited again",
              parta: "\(grouped(Double(n) / (apply2Ms / 1000))) rows/s (\(grouped(Double(3 * n) / (apply2Ms / 1000))) changes/s)",
              reference: "UPDATE \(grouped(Double(n) / (rawUpdateMs / 1000))) rows/s (\(fixed(rawUpdateMs, 1)) ms)",
              goal: "info", met: nil)
        log("1: Parta \(grouped(partaRows)) rows/s vs raw \(grouped(rawRows)) rows/s (ratio \(fixed(ratio, 4)))")
    }

    /// Applies `bundle` at the hub and, for further trials, at identical copies of the hub taken
    /// before the apply; returns each trial's time in ms.
    static func applyTrials(_ d: District, bundle: [UInt8], expected: Int, trials: Int) throws -> [Double] {
        let copies = try (1..<max(1, trials)).map { try d.hubCopy("hub-trial-\($0).sqlite") }
        let now = d.tick()
        var times: [Double] = []
        let (report, ms) = try timed { try d.hub.replica.apply(ChangeSetReader(bytes: bundle), now: now) }
        try require(report.applied == expected, "expected \(expected) applied changes, got \(report)")
        times.append(ms)
        for path in copies {
            do {
                let replica = try Replica.open(at: path, schema: PartaSchema.schema, keys: d.hub.replica.keys)
                try replica.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                let (report, ms) = try timed { try replica.apply(ChangeSetReader(bytes: bundle), now: now) }
                try require(report.applied == expected, "expected \(expected) applied changes on a copy, got \(report)")
                times.append(ms)
                replica.database.close()
            }
            d.removeDatabase(path)
        }
        return times
    }

    static func deltaAfterOneEdit(_ d: District, _ edits: inout EditFactory, _ c: BenchConfig, _ r: Results,
                                  session sessionDB: RawReference) throws {
        log("2: one report edit at the school, then its delta for the hub (\(c.deltaRuns) runs)")
        let one = edits.edits(forTasks: 1...1)
        try d.writeAtMember(one)
        var times: [Double] = []
        var last: [UInt8] = []
        var changeCount: UInt64 = 0
        for _ in 0..<c.deltaRuns {
            let ((header, bytes), ms) = try timed {
                try d.member.replica.exportBundle(for: .node(d.hubID), now: d.tick(), bundleID: randomBundleID())
            }
            times.append(ms)
            last = bytes
            changeCount = header.changeCount
        }
        try require(changeCount == 3, "the delta after one edit holds \(changeCount) changes, expected 3")
        let anatomy = try BundleAnatomy(last)
        _ = try d.hub.replica.apply(ChangeSetReader(bytes: last), now: d.tick())

        // The hub's side: one task edit, then the hub's delta for the school.
        try d.hub.replica.write(table: "tasks", row: "t1", values: ["title": "Обеспечить выполнение мероприятия № 1 (уточнено)"], now: d.tick())
        var hubTimes: [Double] = []
        var hubLast: [UInt8] = []
        var hubCount: UInt64 = 0
        for _ in 0..<c.deltaRuns {
            let ((header, bytes), ms) = try timed {
                try d.hub.replica.exportBundle(for: .partition(d.school), now: d.tick(), bundleID: randomBundleID())
            }
            hubTimes.append(ms)
            hubLast = bytes
            hubCount = header.changeCount
        }
        try require(hubCount == 1, "the hub's delta after one task edit holds \(hubCount) changes, expected 1")
        let hubAnatomy = try BundleAnatomy(hubLast)
        _ = try d.member.replica.apply(ChangeSetReader(bytes: hubLast), now: d.tick())

        // Reference: SQLite's session extension records the same one-row update; time the change
        // set's generation and compression (what a session-based sync would ship).
        let recorder = try SessionRecorder(sessionDB.db, table: "reports")
        try sessionDB.updateReports(one)
        var sessionTimes: [Double] = []
        var changeset: [UInt8] = [], compressed: [UInt8] = []
        for _ in 0..<c.deltaRuns {
            let (_, ms) = try timed {
                changeset = try recorder.changeset()
                compressed = try zlibCompress(changeset)
            }
            sessionTimes.append(ms)
        }
        let ms = median(times), hubMs = median(hubTimes), sessionMs = median(sessionTimes)
        r.merge([
            "delta_one_edit_ms": rounded(ms, 3), "delta_one_edit_runs_ms": times.map { rounded($0, 3) },
            "delta_one_edit_bytes": anatomy.total, "delta_one_edit_payload_bytes": anatomy.payloadBytes,
            "delta_one_edit_header_bytes": anatomy.headerLength, "delta_one_edit_framing_bytes": ChangeSetFormat.framingOverhead,
            "delta_one_edit_uncompressed_payload_bytes": anatomy.uncompressedLength,
            "hub_delta_one_task_edit_ms": rounded(hubMs, 3), "hub_delta_one_task_edit_bytes": hubAnatomy.total,
            "hub_delta_one_task_edit_payload_bytes": hubAnatomy.payloadBytes, "hub_delta_one_task_edit_header_bytes": hubAnatomy.headerLength,
            "session_one_edit_ms": rounded(sessionMs, 4), "session_one_edit_bytes": changeset.count,
            "session_one_edit_bytes_zlib": compressed.count,
        ])
        r.add("2. school delta after 1 report edit (export)",
              parta: "\(fixed(ms, 2)) ms, \(anatomy.total) B (payload \(anatomy.payloadBytes) B, header \(anatomy.headerLength) B)",
              reference: "session: \(fixed(sessionMs, 3)) ms, \(changeset.count) B (zlib \(compressed.count) B)",
              goal: "< 5 ms, payload < 300 B", met: ms < 5 && anatomy.payloadBytes < 300)
        r.add("   (extra) hub delta for the school after 1 task edit",
              parta: "\(fixed(hubMs, 2)) ms, \(hubAnatomy.total) B (payload \(hubAnatomy.payloadBytes) B, header \(hubAnatomy.headerLength) B)",
              reference: "—", goal: "< 5 ms, payload < 300 B", met: hubMs < 5 && hubAnatomy.payloadBytes < 300)
        log("2: delta \(fixed(ms, 2)) ms, \(anatomy.total) bytes (payload \(anatomy.payloadBytes)); hub delta \(fixed(hubMs, 2)) ms")
    }

    // MARK: 3. Bytes per edit, zlib'd, vs SQLite's session extension

    static func bytesPerEdit(_ d: District, _ edits: inout EditFactory, _ c: BenchConfig, _ r: Results,
                             session sessionDB: RawReference) throws {
        let n = c.sizeEdits
        log("3: \(n) report edits in one change set, vs the session extension's change set of the same updates")
        let batch = edits.edits(forTasks: 1...n)
        try d.writeAtMember(batch)
        let (header, bytes) = try d.member.replica.exportBundle(for: .node(d.hubID), now: d.tick(), bundleID: randomBundleID())
        try require(header.changeCount == UInt64(3 * n), "the change set holds \(header.changeCount) changes, expected \(3 * n)")
        let anatomy = try BundleAnatomy(bytes)
        _ = try d.hub.replica.apply(ChangeSetReader(bytes: bytes), now: d.tick())
        try d.hubToMember()

        // The session DB holds every row at its previous values (kept in step since step 1).
        let recorder = try SessionRecorder(sessionDB.db, table: "reports")
        try sessionDB.updateReports(batch)
        let changeset = try recorder.changeset()
        let compressed = try zlibCompress(changeset)

        let parta = Double(anatomy.compressedLength) / Double(n)
        let session = Double(compressed.count) / Double(n)
        r.merge([
            "size_edits": n,
            "bytes_per_edit_zlib": rounded(parta, 2),
            "bytes_per_edit_uncompressed": rounded(Double(anatomy.uncompressedLength) / Double(n), 2),
            "bytes_per_edit_whole_bundle": rounded(Double(anatomy.total) / Double(n), 2),
            "session_changeset_bytes_per_edit_zlib": rounded(session, 2),
            "session_changeset_bytes_per_edit_raw": rounded(Double(changeset.count) / Double(n), 2),
        ])
        r.add("3. bytes per report edit (\(n) edits, zlib)",
              parta: "\(fixed(parta, 1)) B (unpacked \(fixed(Double(anatomy.uncompressedLength) / Double(n), 1)) B)",
              reference: "session \(fixed(session, 1)) B (unpacked \(fixed(Double(changeset.count) / Double(n), 1)) B)",
              goal: "Parta ≤ session", met: parta <= session)
        log("3: Parta \(fixed(parta, 1)) B/edit vs session \(fixed(session, 1)) B/edit")
    }

    // MARK: 4. parta tasks on a school with many assigned tasks

    /// The SELECT of ``PartaNode/tasks(today:onlyOverdue:status:)`` at a school.
    static let schoolTasksSQL = TaskQueries.schoolTasksSQL

    static func tasksList(_ d: District, _ c: BenchConfig, _ r: Results) throws {
        log("4: parta tasks at the school (\(c.assigned) assigned tasks), \(c.listRuns) runs each")
        let today = "2020-11-01"
        let db = d.member.replica.database
        let raw = try RawDB(path: d.memberDatabasePath, readOnly: true)
        let cStatement = try raw.prepare(schoolTasksSQL)
        var nodeTimes: [Double] = [], sqlTimes: [Double] = [], cTimes: [Double] = []
        var count = 0, sqlCount = 0, cCount = 0
        // Warm the page cache and statement caches once.
        _ = try d.member.tasks(today: today)
        _ = try db.rows(schoolTasksSQL, [.text(d.school)])
        for _ in 0..<c.listRuns {
            let (tasks, t1) = try timed { try d.member.tasks(today: today) }
            count = tasks.count
            nodeTimes.append(t1)
            let (rows, t2) = try timed { try db.rows(schoolTasksSQL, [.text(d.school)]) }
            sqlCount = rows.count
            sqlTimes.append(t2)
            let (n, t3) = try timed { () throws -> Int in
                cStatement.bind(1, d.school)
                var n = 0
                var bytes = 0
                while try cStatement.step() {
                    for i in 0..<10 { bytes &+= Int(sqlite3_column_bytes(cStatement.s, Int32(i))) }
                    n += 1
                }
                return n + (bytes < 0 ? 1 : 0)
            }
            cCount = n
            cTimes.append(t3)
        }
        try require(count == c.assigned && sqlCount == c.assigned && cCount == c.assigned,
                    "tasks lists \(count)/\(sqlCount)/\(cCount) rows, expected \(c.assigned)")
        let plan = try db.rows("EXPLAIN QUERY PLAN " + schoolTasksSQL, [.text(d.school)]).map { $0.last?.description ?? "" }

        // The CLI's own work after the query: the text table it prints, built in-process as
        // SchoolCommands.Tasks does (English labels).
        let tasksForTable = try d.member.tasks(today: today)
        var tableTimes: [Double] = []
        var tableChars = 0
        for _ in 0..<3 {
            let (text, ms) = timed { () -> String in
                var table = TextTable(["ID", "№", "Deadline", "Status", "%", "Task"])
                table.maxWidth = [2: 24, 5: 60]
                for t in tasksForTable {
                    let text = !t.deadlineText.isEmpty && t.deadlineText != t.deadline ? t.deadlineText : (t.deadline.isEmpty ? "—" : t.deadline)
                    table.add([t.id, t.number, text + (t.overdue ? " (overdue)" : ""),
                               ReportStatus(rawValue: t.status)?.label(.en) ?? t.status, "\(t.progress)", t.title])
                }
                return table.render()
            }
            tableChars = text.count
            tableTimes.append(ms)
        }
        let tableMs = median(tableTimes)

        // The real binary, if it was built next to this one.
        var cliMs: Double? = nil, cliHelpMs: Double? = nil, cliJSONMs: Double? = nil
        let cli = ((selfExecutablePath() as NSString).deletingLastPathComponent as NSString).appendingPathComponent("parta")
        if FileManager.default.isExecutableFile(atPath: cli) {
            var env = ProcessInfo.processInfo.environment
            env["LANG"] = "en_US.UTF-8"; env["LC_ALL"] = "en_US.UTF-8"; env["PARTA_NOW"] = today
            func runCLI(_ arguments: [String], runs: Int) throws -> Double {
                var times: [Double] = []
                for i in 0...runs {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: cli)
                    p.arguments = arguments
                    p.environment = env
                    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
                    p.standardError = FileHandle(forWritingAtPath: "/dev/null")
                    let (_, ms) = try timed { try p.run(); p.waitUntilExit() }
                    try require(p.terminationStatus == 0, "parta \(arguments.joined(separator: " ")) exited with \(p.terminationStatus)")
                    if i > 0 { times.append(ms) } // the first run warms the binary's pages
                }
                return median(times)
            }
            cliMs = try runCLI(["tasks", "--data", d.memberDirectory], runs: 5)
            cliJSONMs = try runCLI(["tasks", "--json", "--data", d.memberDirectory], runs: 3)
            cliHelpMs = try runCLI(["--help"], runs: 3)
        }

        let nodeMs = median(nodeTimes), sqlMs = median(sqlTimes), cMs = median(cTimes)
        r.merge([
            "tasks_list_ms": rounded(nodeMs, 3), "tasks_list_count": count,
            "tasks_sql_ms": rounded(sqlMs, 3), "tasks_sql_c_ms": rounded(cMs, 3),
            "tasks_list_vs_sql_ratio": rounded(nodeMs / sqlMs, 3),
            "tasks_cli_ms": cliMs.map { rounded($0, 1) } ?? NSNull(),
            "cli_help_ms": cliHelpMs.map { rounded($0, 1) } ?? NSNull(),
            "tasks_cli_json_ms": cliJSONMs.map { rounded($0, 1) } ?? NSNull(),
            "tasks_table_render_ms": rounded(tableMs, 1), "tasks_table_chars": tableChars,
            "tasks_query_plan": plan,
            "school_db_mb": rounded(databaseSizeMB(d.memberDatabasePath), 1),
        ])
        r.add("4. parta tasks, school with \(grouped(Double(c.assigned))) tasks",
              parta: "tasks(today:) \(fixed(nodeMs, 1)) ms" + (cliMs.map { "; CLI \(fixed($0, 0)) ms" } ?? "")
                  + (cliHelpMs.map { " (--help \(fixed($0, 0)) ms)" } ?? ""),
              reference: "same SELECT: Database.rows \(fixed(sqlMs, 1)) ms; C step \(fixed(cMs, 1)) ms",
              goal: "none given (info)", met: nil)
        r.add("   (diag) CLI parts: TextTable render in-process; --json",
              parta: "render \(fixed(tableMs, 0)) ms" + (cliJSONMs.map { "; CLI --json \(fixed($0, 0)) ms" } ?? ""),
              reference: "—", goal: "info", met: nil)
        log("4: tasks(today:) \(fixed(nodeMs, 2)) ms, SQL via Database.rows \(fixed(sqlMs, 2)) ms, C \(fixed(cMs, 2)) ms, CLI \(cliMs.map { fixed($0, 1) } ?? "n/a") ms")
    }
}
