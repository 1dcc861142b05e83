import Foundation
import CSQLite
import CZlib
import PartaCore
import PartaStore
import PartaApp

/// `parta-bench [--quick] [--json]`: Parta's engine beside a raw-SQLite reference doing the same
/// work in the same run. Progress goes to stderr; the table to stdout (stderr with `--json`, so
/// that stdout holds exactly one JSON object). `parta-bench load [--quick] [--schools N] [--json]`
/// runs row 7 (schools syncing at once over HTTP) alone; `parta-bench dashboard` row 8 (the
/// dashboard's overview for 500 schools × 300 tasks); `parta-bench login-flood` row 9 (syncs
/// during a flood of sign-ins, which the full run leaves out); `parta-bench unfinished` row 10 (the
/// hub while 200 requests hang half-sent; needs `parta` built beside it).
@main
struct PartaBench {
    static func main() async {
        _ = benchStart
        let args = Array(CommandLine.arguments.dropFirst())
        switch args.first {
        case "import-child": exit(ImportMemory.importChild(Array(args.dropFirst())))
        case "raw-import-child": exit(ImportMemory.rawImportChild(Array(args.dropFirst())))
        case "idle-child": exit(ImportMemory.idleChild())
        case "load-in-process-child": exit(await LoadBench.inProcessChild(Array(args.dropFirst())))
        case "serve-child": exit(await LoadBench.serveChild(Array(args.dropFirst())))
        default: break
        }
        var options = args
        let loadOnly = options.first == "load"
        if loadOnly { options.removeFirst() }
        let dashboardOnly = options.first == "dashboard"
        if dashboardOnly { options.removeFirst() }
        let loginFloodOnly = options.first == "login-flood"
        if loginFloodOnly { options.removeFirst() }
        let unfinishedOnly = options.first == "unfinished"
        if unfinishedOnly { options.removeFirst() }
        var schools: Int?
        if loadOnly, let i = options.firstIndex(of: "--schools") {
            guard i + 1 < options.count, let value = Int(options[i + 1]), value > 0 else { usage() }
            schools = value
            options.removeSubrange(i...(i + 1))
        }
        if options.contains(where: { $0 != "--quick" && $0 != "--json" }) { usage() }
        let quick = options.contains("--quick"), json = options.contains("--json")
        do {
            var config = BenchConfig.make(quick: quick)
            if let schools { config.loadSchools = schools }
            let results = try unfinishedOnly ? runAlone(config) { try UnfinishedBench.run(config, $0) }
                : dashboardOnly ? runDashboard(config: config) : loadOnly ? runLoad(config: config)
                : loginFloodOnly ? runAlone(config) { try LoginFloodBench.run(config, $0) } : run(config: config)
            let table = results.renderTable()
            if json {
                FileHandle.standardError.write(Data((table + "\n").utf8))
                print(try results.renderJSON())
            } else {
                print(table)
            }
        } catch {
            log("parta-bench failed: \(error)")
            exit(1)
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: parta-bench [--quick] [--json]\n       parta-bench load [--quick] [--schools N] [--json]\n       parta-bench dashboard [--quick] [--json]\n       parta-bench login-flood [--quick] [--json]\n       parta-bench unfinished [--json]\n".utf8))
        exit(2)
    }

    static func machine(_ c: BenchConfig) -> [String: Any] {
        [
            "mode": c.quick ? "quick" : "full",
            "nproc": ProcessInfo.processInfo.activeProcessorCount,
            "cpus_online": Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            "cpu_model": cpuModel(),
            "mem_total_mb": memTotalMB(),
            "loadavg_start": loadAverage(),
            "sqlite_version": String(cString: sqlite3_libversion()),
            "zlib_version": String(cString: zlibVersion()),
            "os": ProcessInfo.processInfo.operatingSystemVersionString,
            "tmp_dir": NSTemporaryDirectory(),
        ]
    }

    static func run(config c: BenchConfig) throws -> Results {
        let r = Results()
        let started = monotonicNanos()
        r.merge(machine(c))
        log("parta-bench \(c.quick ? "--quick" : "full"): \(c.tasks) hub tasks, \(c.assigned) assigned, import of \(c.importRows * 3) changes")

        let root = try TempRoot("parta-bench")
        defer { root.remove() }
        let (district, setupMs) = try timed { try District(root: root, tasks: c.tasks, assigned: c.assigned) }
        r.merge(district.setupInfo)
        r["setup_s"] = rounded(setupMs / 1000, 2)

        var edits = EditFactory(seed: 1)
        try Measurements.applyEdits(district, &edits, c, r)

        // The session-extension reference DB holds every report at its current values.
        let sessionDB = try RawReference(path: root.file("raw-session.sqlite"), tasks: 0, assigned: 0)
        try sessionDB.insertReports(edits.current.values.sorted { $0.row < $1.row })

        try Measurements.deltaAfterOneEdit(district, &edits, c, r, session: sessionDB)
        try Measurements.bytesPerEdit(district, &edits, c, r, session: sessionDB)
        try Measurements.tasksList(district, c, r)
        try ImportMemory.run(c, r)
        try SealingCost.run(c, r)
        try LoadBench.run(c, r)

        r["loadavg_end"] = loadAverage()
        r["total_s"] = rounded(Double(monotonicNanos() - started) / 1e9, 1)
        log("done in \(fixed(Double(monotonicNanos() - started) / 1e9, 1)) s")
        return r
    }

    /// `parta-bench dashboard`: row 8 alone (500 schools × 300 tasks; `--quick`: 100 × 100).
    static func runDashboard(config c: BenchConfig) throws -> Results {
        try runAlone(c) { try DashboardBench.run(c, $0, schools: c.quick ? 100 : 500, tasks: c.quick ? 100 : 300) }
    }

    /// `parta-bench load`: row 7 alone.
    static func runLoad(config c: BenchConfig) throws -> Results {
        try runAlone(c) { try LoadBench.run(c, $0) }
    }

    /// One row run by itself, with the machine's description, its load at the end and the time taken.
    static func runAlone(_ c: BenchConfig, _ row: (Results) throws -> Void) throws -> Results {
        let r = Results()
        let started = monotonicNanos()
        r.merge(machine(c))
        try row(r)
        r["loadavg_end"] = loadAverage()
        r["total_s"] = rounded(Double(monotonicNanos() - started) / 1e9, 1)
        log("done in \(fixed(Double(monotonicNanos() - started) / 1e9, 1)) s")
        return r
    }
}
