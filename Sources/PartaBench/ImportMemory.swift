import Foundation
import PartaTesting
import CSQLite
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// 5. Peak memory of importing a bundle of about a million changes, in a child process.
enum ImportMemory {
    static let seed: UInt64 = 5

    /// The three field values of report row `i` of the big bundle (the same in Parta and raw).
    static let cyrillic = Array("абвгдеёжзийклмнопрстуфхцчшщъыьэюя ")

    /// `noisy` appends 96 random Cyrillic letters and spaces to each comment (192 bytes of UTF-8,
    /// about 60 bytes of entropy): long free-text comments that compress far less than templates.
    static func rowValues(_ i: Int, _ g: inout SeededGenerator, noisy: Bool = false) -> (status: String, progress: Int64, comment: String) {
        let status = Workload.statuses[Int(g.next() % 4)]
        let progress = Int64(g.next() % 101)
        let phrase = Workload.phrases[Int(g.next() % UInt64(Workload.phrases.count))]
        var comment = "\(phrase) (строка \(i), охват \(10 + g.next() % 890) уч.)"
        if noisy {
            var text = " "
            for _ in 0..<96 { text.append(cyrillic[Int(g.next() % UInt64(cyrillic.count))]) }
            comment += text
        }
        return (status, progress, comment)
    }

    static func run(_ c: BenchConfig, _ r: Results) throws {
        let root = try TempRoot("parta-bench-import")
        defer { root.remove() }
        let rows = c.importRows
        let changes = rows * 3

        // A small district whose hub knows the school's node.
        let hubDir = try root.folder("hub")
        let stick = try root.folder("stick")
        var now = milliseconds(year: 2020, month: 9, day: 1, hour: 8)
        let (hubID, memberID, memberCounter, hubKeys, memberKeys): (String, String, UInt64, NodePublicKeys, NodeKeys) = try {
            let hub = try PartaNode.createHub(directory: hubDir, name: "Управление образования", now: now)
            guard let code = try hub.addSchool(id: Workload.school, name: "Школа № 1", now: now) else { throw BenchFailure("no enrollment code") }
            now += 1000
            guard let forSchool = try hub.exportForSchools([Workload.school], to: stick, now: now).bundles.first else { throw BenchFailure("no school bundle") }
            now += 1000
            let (member, _) = try PartaNode.createSchoolNode(directory: try root.folder("school"), fromBundle: forSchool.path, code: code,
                                                             name: "Школа № 1", now: now)
            now += 1000
            let answer = try member.exportForHub(to: stick, now: now)
            now += 1000
            let outcomes = try hub.importBundles(at: answer.path, now: now)
            for o in outcomes { if case .failed(let e) = o.status { throw BenchFailure("registering the school node failed: \(e)") } }
            // A report needs its assignment (Protocol/replication-v1.md §8.1): the hub assigns every
            // task the big bundle reports on. The school need not hold them to send its bundle.
            log("5: assigning \(rows) tasks to the school at the hub (one transaction)")
            try hub.replica.database.transaction {
                for i in 1...rows {
                    now += 1
                    try hub.replica.write(table: "assignments", row: "t\(i)|\(Workload.school)", partition: Workload.school,
                                          values: ["task": .text("t\(i)"), "school": .text(Workload.school)], now: now)
                }
            }
            let memberID = member.replica.nodeID
            return (hub.replica.nodeID, memberID, try member.replica.vectorClock()[memberID], hub.replica.keys.publicKeys, member.replica.keys)
        }()

        // A second, identical hub for the variant with a barely compressible payload.
        let noisyHubDir = root.file("hub-noisy")
        try FileManager.default.copyItem(atPath: hubDir, toPath: noisyHubDir)

        // The big bundle, streamed through ChangeSetWriter: `rows` new report rows × 3 fields.
        let start = now + 60_000
        func generate(noisy: Bool) throws -> (path: String, anatomy: BundleAnatomy, ms: Double) {
            log("5: generating a bundle of \(changes) changes (\(rows) report rows × 3 fields) from school node \(memberID)\(noisy ? ", long random comments" : "")")
            let path = root.file(noisy ? "big-noisy.parta" : "big.parta")
            let (generated, genMs) = try timed { () throws -> [UInt8] in
                let header = ChangeSetHeader(bundleID: randomBundleID(), created: HybridTimestamp(milliseconds: start + 30_000, logical: 0),
                                             sender: memberID, senderPartition: Workload.school, recipient: .node(hubID),
                                             base: VectorClock([memberID: memberCounter]),
                                             upper: VectorClock([memberID: memberCounter + UInt64(changes)]))
                let writer = try ChangeSetWriter(header: header)
                var g = SeededGenerator(seed: seed)
                var counter = memberCounter
                let base = HybridTimestamp(milliseconds: start, logical: 0).rawValue
                for i in 1...rows {
                    let v = rowValues(i, &g, noisy: noisy)
                    let row = "t\(i)|\(Workload.school)"
                    for (field, value) in [("comment", Value.text(v.comment)), ("progress", .integer(v.progress)), ("status", .text(v.status))] {
                        counter += 1
                        let stamp = Stamp(time: HybridTimestamp(rawValue: base + counter), node: memberID, counter: counter)
                        try writer.append(Change(table: "reports", row: row, partition: Workload.school, field: field, value: value, stamp: stamp))
                    }
                }
                return try writer.finish(signedBy: memberKeys, sealedFor: [.node(sealingKey: hubKeys.sealing)])
            }
            try BundleFiles.writeAtomically(generated, to: path)
            let anatomy = try BundleAnatomy(generated)
            log("5: bundle \(fixed(Double(anatomy.total) / 1_048_576, 1)) MB (unpacked payload \(fixed(Double(anatomy.uncompressedLength) / 1_048_576, 1)) MB), written in \(fixed(genMs / 1000, 1)) s")
            return (path, anatomy, genMs)
        }
        let (bundlePath, anatomy, genMs) = try generate(noisy: false)

        let importNow = start + 120_000
        log("5: importing it in a child process")
        let child = try runChild(["import-child", bundlePath, hubDir, String(importNow)])
        guard let hwm = child["vmhwm_kb"] as? Int else { throw BenchFailure("the import child reported no VmHWM: \(child)") }
        try require((child["applied"] as? Int) == changes, "the import child applied \(child["applied"] ?? "nil") of \(changes) changes")

        log("5: raw reference: the same rows inserted by plain SQLite in a child process")
        let rawChild = try runChild(["raw-import-child", root.file("raw-import.sqlite"), String(rows)])
        let idle = try runChild(["idle-child"])

        try? FileManager.default.removeItem(atPath: bundlePath)
        let noisy = try generate(noisy: true)
        log("5: importing the barely compressible variant in a child process")
        let noisyChild = try runChild(["import-child", noisy.path, noisyHubDir, String(importNow)])
        try require((noisyChild["applied"] as? Int) == changes, "the noisy import child applied \(noisyChild["applied"] ?? "nil") of \(changes) changes")
        let noisyMB = Double(noisyChild["vmhwm_kb"] as? Int ?? 0) / 1024
        let noisySeconds = noisyChild["seconds"] as? Double ?? 0

        let seconds = child["seconds"] as? Double ?? 0
        let mb = Double(hwm) / 1024
        let rawMB = Double(rawChild["vmhwm_kb"] as? Int ?? 0) / 1024
        func kbToMB(_ key: String, _ dict: [String: Any]) -> Double { rounded(Double(dict[key] as? Int ?? 0) / 1024, 1) }
        r.merge([
            "import_peak_rss_mb": rounded(mb, 1), "import_changes": changes, "import_rows": rows,
            "import_seconds": rounded(seconds, 2), "import_changes_per_s": rounded(Double(changes) / seconds, 0),
            "import_bundle_mb": rounded(Double(anatomy.total) / 1_048_576, 2),
            "import_payload_unpacked_mb": rounded(Double(anatomy.uncompressedLength) / 1_048_576, 2),
            "import_bundle_generate_s": rounded(genMs / 1000, 2),
            "import_rss_start_mb": kbToMB("rss_start_kb", child), "import_rss_after_open_mb": kbToMB("rss_after_open_kb", child),
            "import_rss_after_read_mb": kbToMB("rss_after_read_kb", child),
            "import_rss_after_reader_mb": kbToMB("rss_after_reader_kb", child),
            "import_rss_max_during_apply_mb": kbToMB("rss_max_during_apply_kb", child),
            "import_rss_end_mb": kbToMB("rss_end_kb", child),
            "import_rss_samples_mb": (child["samples"] as? [[Int]] ?? []).map { [$0[0], Int((Double($0[1]) / 1024).rounded())] },
            "import_sqlite_highwater_mb": rounded(Double(child["sqlite_highwater_bytes"] as? Int ?? 0) / 1_048_576, 1),
            "import_sqlite_used_end_mb": rounded(Double(child["sqlite_used_end_bytes"] as? Int ?? 0) / 1_048_576, 1),
            "import_hub_db_mb": rounded(databaseSizeMB(PartaNodePaths.database(hubDir)), 1),
            "import_noisy_peak_rss_mb": rounded(noisyMB, 1), "import_noisy_seconds": rounded(noisySeconds, 2),
            "import_noisy_bundle_mb": rounded(Double(noisy.anatomy.total) / 1_048_576, 2),
            "import_noisy_payload_unpacked_mb": rounded(Double(noisy.anatomy.uncompressedLength) / 1_048_576, 2),
            "import_noisy_rss_after_open_mb": kbToMB("rss_after_open_kb", noisyChild),
            "import_noisy_rss_after_read_mb": kbToMB("rss_after_read_kb", noisyChild),
            "import_noisy_rss_after_reader_mb": kbToMB("rss_after_reader_kb", noisyChild),
            "import_noisy_rss_max_during_apply_mb": kbToMB("rss_max_during_apply_kb", noisyChild),
            "raw_import_peak_rss_mb": rounded(rawMB, 1), "raw_import_seconds": rounded(rawChild["seconds"] as? Double ?? 0, 2),
            "child_baseline_rss_mb": kbToMB("vmhwm_kb", idle),
        ])
        r.add("5. peak RSS importing \(grouped(Double(changes))) changes",
              parta: "\(fixed(mb, 1)) MB (\(fixed(seconds, 1)) s, \(grouped(Double(changes) / seconds)) changes/s)",
              reference: "INSERT \(grouped(Double(rows))) rows: \(fixed(rawMB, 1)) MB (\(fixed(rawChild["seconds"] as? Double ?? 0, 1)) s); idle \(kbToMB("vmhwm_kb", idle)) MB",
              goal: "< 200 MB", met: mb < 200)
        r.add("   (extra) same, +96 random Cyrillic letters/comment",
              parta: "\(fixed(noisyMB, 1)) MB (bundle \(fixed(Double(noisy.anatomy.total) / 1_048_576, 1)) MB, \(fixed(noisySeconds, 1)) s)",
              reference: "—", goal: "< 200 MB", met: noisyMB < 200)
        log("5: peak RSS \(fixed(mb, 1)) MB, \(fixed(seconds, 1)) s; raw \(fixed(rawMB, 1)) MB")
    }

    /// Runs this executable with `arguments` and parses the one JSON object it prints.
    static func runChild(_ arguments: [String]) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: selfExecutablePath())
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try require(p.terminationStatus == 0, "child \(arguments.first ?? "") exited with status \(p.terminationStatus)")
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchFailure("child \(arguments.first ?? "") printed no JSON object")
        }
        return object
    }

    static func printJSON(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            FileHandle.standardOutput.write(data + Data([10]))
        }
    }

    // MARK: Children

    /// `import-child BUNDLE HUBDIR NOW`: imports the bundle into the hub as `parta import` does
    /// (read the file, open a reader, apply it in one transaction) and reports memory along the way.
    static func importChild(_ args: [String]) -> Int32 {
        guard args.count == 3, let now = UInt64(args[2]) else {
            log("usage: parta-bench import-child BUNDLE HUBDIR NOW")
            return 2
        }
        do {
            var result: [String: Any] = ["rss_start_kb": procStatusKB("VmRSS") ?? 0]
            let node = try PartaNode.open(directory: args[1])
            result["rss_after_open_kb"] = procStatusKB("VmRSS") ?? 0
            let start = monotonicNanos()
            var bytes: [UInt8]? = try BundleFiles.read(args[0])
            result["rss_after_read_kb"] = procStatusKB("VmRSS") ?? 0
            let reader = try ChangeSetReader(bytes: bytes!)
            bytes = nil // as in BundleExchange, the file's bytes are not kept once the reader holds them
            result["rss_after_reader_kb"] = procStatusKB("VmRSS") ?? 0
            var maxDuring = 0
            var samples: [[Int]] = []
            var calls = 0
            let report = try node.replica.apply(reader, now: now) { done, _ in
                let rss = procStatusKB("VmRSS") ?? 0
                maxDuring = max(maxDuring, rss)
                if calls % 10 == 0 { samples.append([Int(done), rss]) }
                calls += 1
            }
            let seconds = Double(monotonicNanos() - start) / 1e9
            result["rss_max_during_apply_kb"] = maxDuring
            result["rss_end_kb"] = procStatusKB("VmRSS") ?? 0
            result["samples"] = samples
            result["seconds"] = seconds
            result["applied"] = report.applied
            result["sqlite_highwater_bytes"] = Int(sqlite3_memory_highwater(0))
            result["sqlite_used_end_bytes"] = Int(sqlite3_memory_used())
            result["vmhwm_kb"] = procStatusKB("VmHWM") ?? 0
            printJSON(result)
            return 0
        } catch {
            log("import-child failed: \(error)")
            return 1
        }
    }

    /// `raw-import-child DBPATH ROWS`: the same rows, inserted by prepared INSERTs in one transaction.
    static func rawImportChild(_ args: [String]) -> Int32 {
        guard args.count == 2, let rows = Int(args[1]) else {
            log("usage: parta-bench raw-import-child DBPATH ROWS")
            return 2
        }
        do {
            let start = monotonicNanos()
            let db = try RawDB(path: args[0])
            try db.exec(RawReference.schema)
            let s = try db.prepare("INSERT INTO reports (id, _part, status, progress, comment) VALUES (?, ?, ?, ?, ?)")
            try db.exec("BEGIN IMMEDIATE")
            var g = SeededGenerator(seed: seed)
            for i in 1...rows {
                let v = rowValues(i, &g)
                s.bind(1, "t\(i)|\(Workload.school)"); s.bind(2, Workload.school); s.bind(3, v.status); s.bind(4, v.progress); s.bind(5, v.comment)
                try s.run()
            }
            try db.exec("COMMIT")
            printJSON(["seconds": Double(monotonicNanos() - start) / 1e9, "vmhwm_kb": procStatusKB("VmHWM") ?? 0,
                       "sqlite_highwater_bytes": Int(sqlite3_memory_highwater(0))])
            return 0
        } catch {
            log("raw-import-child failed: \(error)")
            return 1
        }
    }

    /// `idle-child`: the baseline footprint of this executable doing nothing.
    static func idleChild() -> Int32 {
        printJSON(["vmhwm_kb": procStatusKB("VmHWM") ?? 0])
        return 0
    }
}

enum PartaNodePaths {
    static func database(_ directory: String) -> String { (directory as NSString).appendingPathComponent(PartaNode.databaseName) }
}
