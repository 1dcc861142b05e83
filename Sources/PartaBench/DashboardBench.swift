import Foundation
import PartaCore
import PartaStore
import PartaApp
import PartaDashboard

/// Row 8 (`parta-bench dashboard`): the dashboard's overview for a district of 500 schools × 300
/// tasks (150,000 assignments, about 60% of them reported on), rendered by the real `Dashboard`
/// for a signed-in user, beside the same queries' SQL alone (stepped, nothing built).
///
/// Schools and tasks go in through the hub's API; assignments, reports and exchanges are written
/// straight into their tables: the overview reads only those tables' columns, and 150,000 signed
/// school bundles would make the benchmark take minutes without changing what is measured.
enum DashboardBench {
    static func run(_ c: BenchConfig, _ r: Results, schools: Int, tasks: Int) throws {
        let root = try TempRoot("parta-bench-dashboard")
        defer { root.remove() }
        let start = milliseconds(year: 2020, month: 9, day: 1)
        log("row 8: building a hub with \(schools) schools × \(tasks) tasks")
        let hub = try PartaNode.createHub(directory: root.file("hub"), name: "Bench hub", now: start)
        let db = hub.replica.database
        try db.transaction {
            for s in 0..<schools { try hub.addSchool(id: "s\(s)", name: "МБОУ СОШ № \(s + 1) имени героев района", now: start + UInt64(s)) }
            for t in 0..<tasks {
                var task = PartaNode.NewTask(title: "Задача \(t + 1): обеспечить выполнение мероприятий национального проекта «Образование»")
                task.number = "\(t / 10 + 1).\(t % 10 + 1)"
                task.level = t % 5 == 0 ? "municipal" : "school"
                task.deadline = String(format: "2020-%02d-%02d", 9 + t % 4, 1 + t % 28)
                task.resolution = "r-bench"
                try hub.addTask(task, now: start + 1000 + UInt64(t))
            }
        }
        let taskIDs = try db.rows("SELECT id FROM tasks ORDER BY rowid").compactMap { $0[0].textValue }
        var generator = SystemRandomNumberGenerator()
        let statuses = ["done", "in_progress", "blocked", "new"]
        try db.transaction {
            let assignment = try db.statement("INSERT INTO assignments (id, _part, task, school, _state) VALUES (?, ?, ?, ?, zeroblob(16))")
            let report = try db.statement("""
                INSERT INTO reports (id, _part, task, school, status, progress, comment, author, reported_at, _state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'ПК школы', ?, zeroblob(16))
                """)
            for s in 0..<schools {
                let school = "s\(s)"
                for task in taskIDs {
                    let pair = PartaSchema.pairID(task: task, school: school)
                    try assignment.bind([.text(pair), .text(school), .text(task), .text(school)])
                    _ = try assignment.step()
                    assignment.reset()
                    guard Int.random(in: 0..<10, using: &generator) < 6 else { continue }
                    let status = statuses[Int.random(in: 0..<4, using: &generator)]
                    try report.bind([.text(pair), .text(school), .text(task), .text(school), .text(status),
                                     .integer(Int64.random(in: 0...100, using: &generator)), .text("Работа идёт по плану, отчёт направлен"),
                                     .integer(Int64(start + 86_400_000))])
                    _ = try report.step()
                    report.reset()
                }
                try db.run("INSERT INTO nodes (id, _part, role, name, partition, _state) VALUES (?, ?, 'member', 'ПК', ?, zeroblob(16))",
                           [.text("node-\(school)"), .text(school), .text(school)])
                try db.run("INSERT INTO parta_exchange (direction, peer, bundle, changes, at, path) VALUES ('in', ?, 'x', 1, ?, ?)",
                           [.text("node-\(school)"), .integer(Int64(start + UInt64(s % 30) * 86_400_000)), .text(s % 3 == 0 ? "/media/stick/x.parta" : "http")])
            }
        }
        try db.execute("ANALYZE")
        let now = start + 40 * 86_400_000
        try StaffAccounts(node: hub).add(name: "bench", role: .viewer, password: "bench password", now: now)
        // The dashboard owns the node from here on; the SQL alone runs through it too.
        let shared = SharedNode(hub)
        let dashboard = try Dashboard(shared: shared, clock: { now })
        let cookie = try signIn(dashboard)

        let request = WebRequest(method: "GET", target: "/", headers: ["Cookie": cookie, "Host": "bench"])
        var pageTimes: [Double] = [], sqlTimes: [Double] = []
        var bytes = 0
        for i in 0..<(c.quick ? 5 : 15) {
            let (response, ms) = timed { dashboard.handle(request) }
            try require(response.status == 200, "overview answered \(response.status)")
            bytes = response.body.count
            if i > 0 { pageTimes.append(ms) }
            let (_, sql) = try timed { try shared.withNodeBlocking { try sqlAlone($0) } }
            if i > 0 { sqlTimes.append(sql) }
        }
        let page = median(pageTimes), sql = median(sqlTimes)
        log("row 8: overview \(fixed(page, 1)) ms (\(bytes / 1024) KiB), SQL alone \(fixed(sql, 1)) ms")
        r["dashboard_overview_ms"] = rounded(page, 1)
        r["dashboard_sql_ms"] = rounded(sql, 1)
        r["dashboard_page_kib"] = bytes / 1024
        r.add("8 Dashboard overview, \(schools) schools × \(tasks) tasks", parta: "\(fixed(page, 1)) ms (\(bytes / 1024) KiB page)",
              reference: "SQL alone \(fixed(sql, 1)) ms", goal: "< 200 ms", met: page < 200)
    }

    /// The overview's queries, stepped to the end, nothing built from them.
    static func sqlAlone(_ hub: PartaNode) throws {
        let db = hub.replica.database
        for sql in ["SELECT t.id, t.number, t.title, t.level, coalesce(t.resolution, ''), t.deadline, t.deadline_raw, h.status FROM tasks t LEFT JOIN hub_reports h ON h.id = t.id || '|' || 'x'",
                    "SELECT a.task, a.school, coalesce(r.status, 'new'), coalesce(r.progress, 0) FROM assignments a LEFT JOIN reports r ON r.id = a.id",
                    "SELECT id, coalesce(domain, '') FROM partitions",
                    "SELECT n.partition, max(e.at), coalesce(e.path, '') FROM parta_exchange e JOIN nodes n ON n.id = e.peer WHERE e.direction = 'in' GROUP BY n.partition",
                    "SELECT id, name FROM schools ORDER BY id"] {
            let statement = try db.statement(sql)
            while try statement.step() {}
            statement.reset()
        }
    }

    static func signIn(_ dashboard: Dashboard) throws -> String {
        let form = dashboard.handle(WebRequest(method: "GET", target: "/login", headers: ["Host": "bench"]))
        guard let loginCookie = form.header("Set-Cookie")?.split(separator: ";").first.map(String.init),
              let range = form.text.range(of: "name=\"csrf\" value=\"") else { throw BenchFailure("no sign-in form") }
        let token = String(form.text[range.upperBound...].prefix { $0 != "\"" })
        let body = "csrf=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&name=bench&password=bench%20password"
        let answer = dashboard.handle(WebRequest(method: "POST", target: "/login", headers: ["Cookie": loginCookie, "Host": "bench"], body: Array(body.utf8)))
        guard answer.status == 303, let session = answer.header("Set-Cookie")?.split(separator: ";").first else { throw BenchFailure("sign-in failed: \(answer.status)") }
        return String(session)
    }
}
