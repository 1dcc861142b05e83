import Foundation
import Testing
import PartaTesting

/// A hub with schools s1 and s2, a school computer of s1, and a stick holding the hub's bundles;
/// plus a victim file an attacker would like Parta to overwrite.
struct HostileStick {
    let dir = TemporaryDirectory("parta-hostile")
    let parta: PartaBinary
    var hub: [String] { ["--data", dir.file("hub")] }
    var school: [String] { ["--data", dir.file("school")] }
    var stick: String { dir.file("stick") }
    let victim: String
    let victimBytes = Data("the hub's own file; nobody may write here\n".utf8)

    init() throws {
        parta = try PartaBinary()
        victim = dir.file("victim.txt")
        _ = FileManager.default.createFile(atPath: victim, contents: victimBytes)
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "s1"] + hub)
        _ = try parta.code(["hub", "school", "add", "s2", "--name", "s2"] + hub)
        try parta.run(["hub", "task", "add", "--title", "Первая", "--assign-all"] + hub)
        let export = try parta.run(["hub", "export", "--to", stick] + hub)
        precondition(export.status == 0, export.stderr)
        let joined = try parta.run(["init", "--from", dir.file("stick/s1"), "--code", code] + school)
        precondition(joined.status == 0, joined.stderr)
    }

    /// The name of the hub's bundle in a school's folder, `from-hub-….parta`.
    var hubBundleName: String {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.file("stick/s1")))?.first { $0.hasPrefix("from-hub") && $0.hasSuffix(".parta") } ?? "?"
    }

    var victimIsUnchanged: Bool { FileManager.default.contents(atPath: victim) == victimBytes }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o777 : 0o7777
    }

    /// Runs `parta` under `sh` with a shell prelude (`umask 000`, `ulimit -v …`) before it.
    func runInShell(_ prelude: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> (status: Int32, stdout: String, stderr: String) {
        let script = "\(prelude); exec \"$0\" \"$@\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, parta.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "en_US.UTF-8"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

@Suite struct HostileFilesTests {
    // Row 3: links on the stick.

    @Test func aPartialFilePlantedAsALinkToTheHubsDatabaseIsRefusedAndTheDatabaseStaysUnchanged() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        let database = f.dir.file("hub/replica.sqlite")
        let planted = f.dir.file("stick/s1/\(f.hubBundleName).partial")
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: database)
        let otherPlanted = f.dir.file("stick/s2/\(f.hubBundleName).partial")
        try FileManager.default.createSymbolicLink(atPath: otherPlanted, withDestinationPath: f.victim)
        let r = try f.parta.run(["hub", "export", "--to", f.stick] + f.hub, language: "en")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains(planted) && r.stderr.contains("is a symbolic link"), "\(r.stderr)")
        // The export itself writes to the database (legitimately): it must still be that SQLite file.
        let head = FileManager.default.contents(atPath: database)?.prefix(16)
        #expect(head == Data("SQLite format 3\0".utf8), "the hub's database was written through the link")
        #expect(f.mode(planted) != 0o7777, "the planted link stays where it was, for the user to see")
        #expect(f.victimIsUnchanged)
        #expect(try f.parta.run(["hub", "nodes"] + f.hub).status == 0, "the hub still opens")
    }

    @Test func aBundleOrSchoolFolderThatIsALinkIsRefusedOnExportAtHubAndSchool() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        // The hub's bundle for s1 replaced by a link to the victim.
        let bundle = f.dir.file("stick/s1/\(f.hubBundleName)")
        try FileManager.default.removeItem(atPath: bundle)
        try FileManager.default.createSymbolicLink(atPath: bundle, withDestinationPath: f.victim)
        var r = try f.parta.run(["hub", "export", "--to", f.stick, "--school", "s1"] + f.hub, language: "en")
        #expect(r.status == 1 && r.stderr.contains(bundle) && r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(f.victimIsUnchanged)
        try FileManager.default.removeItem(atPath: bundle)

        // The school folder s2 replaced by a link to a folder of the hub's.
        let elsewhere = f.dir.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: f.dir.file("stick/s2"))
        try FileManager.default.createSymbolicLink(atPath: f.dir.file("stick/s2"), withDestinationPath: elsewhere)
        r = try f.parta.run(["hub", "export", "--to", f.stick] + f.hub, language: "en")
        #expect(r.status == 1 && r.stderr.contains(f.dir.file("stick/s2")) && r.stderr.contains("symbolic link"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "nothing was written through the linked folder")

        // The school's own export shares the code: its bundle's name planted as a link.
        let export = try f.parta.run(["export", "--to", f.stick] + f.school, language: "en")
        #expect(export.status == 0, "\(export.stderr)")
        let own = try FileManager.default.contentsOfDirectory(atPath: f.dir.file("stick/s1")).first { $0.hasPrefix("from-node") && $0.hasSuffix(".parta") }!
        let ownPath = f.dir.file("stick/s1/\(own)")
        try FileManager.default.removeItem(atPath: ownPath)
        try FileManager.default.createSymbolicLink(atPath: ownPath, withDestinationPath: f.victim)
        let again = try f.parta.run(["export", "--to", f.stick] + f.school, language: "en")
        #expect(again.status == 1 && again.stderr.contains(ownPath) && again.stderr.contains("symbolic link"), "\(again.stderr)")
        #expect(f.victimIsUnchanged)
    }

    @Test func linksAndFIFOsOnAStickAreRefusedByNameWhileTheRealBundleIsTakenIn() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        try f.parta.run(["hub", "task", "add", "--title", "Вторая", "--assign-all"] + f.hub)
        try f.parta.run(["hub", "export", "--to", f.stick] + f.hub)
        let linked = f.dir.file("stick/s1/from-node-linked.parta")
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: f.dir.file("stick/s1/\(f.hubBundleName)"))
        let fifo = f.dir.file("stick/s1/from-node-fifo.parta")
        #expect(mkfifo(fifo, 0o644) == 0)
        let linkedFolder = f.dir.file("stick/s3")
        try FileManager.default.createSymbolicLink(atPath: linkedFolder, withDestinationPath: f.dir.file("hub"))

        let r = try f.parta.run(["import", f.stick] + f.school, language: "en", timeout: 60)
        #expect(r.status == 3, "\(r.stdout)\n\(r.stderr)")
        let all = r.stdout + r.stderr
        #expect(all.contains(linked) && all.contains(fifo) && all.contains(linkedFolder), "\(all)")
        #expect(all.contains("symbolic link") && all.contains("named pipe"), "\(all)")
        let tasks = try f.parta.run(["tasks", "--json"] + f.school)
        #expect(tasks.stdout.contains("Вторая"), "the real bundle beside them was taken in")

        // A single file named on the command line is no different.
        let single = try f.parta.run(["import", linked] + f.school, language: "en")
        #expect(single.status == 3 && single.stderr.contains(linked) && single.stderr.contains("symbolic link"), "\(single.stderr)")
    }

    @Test func pruneRemovesStalePartialFilesButNeverFollowsOrRemovesLinks() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        let stale = f.dir.file("stick/s1/from-node-x.parta.partial")
        _ = FileManager.default.createFile(atPath: stale, contents: Data("half".utf8))
        let linkedPartial = f.dir.file("stick/s2/from-node-y.parta.partial")
        try FileManager.default.createSymbolicLink(atPath: linkedPartial, withDestinationPath: f.victim)
        let linkedBundle = f.dir.file("stick/s2/from-node-z.parta")
        try FileManager.default.createSymbolicLink(atPath: linkedBundle, withDestinationPath: f.victim)
        let r = try f.parta.run(["hub", "export", "--to", f.stick, "--prune"] + f.hub, language: "en")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale), "a stale regular .partial is removed")
        #expect(f.mode(linkedPartial) != 0o7777 && f.mode(linkedBundle) != 0o7777, "links are left where they are")
        #expect(f.victimIsUnchanged)
    }

    // Row 15: sizes.

    @Test func aSparseThreeGigabyteFileOnAStickIsRefusedUnreadWithItsSizeAndTheLimit() throws {
        let f = try HostileStick(); defer { f.dir.remove() }
        let huge = f.dir.file("stick/s1/from-node-huge.parta")
        let fd = open(huge, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0 && ftruncate(fd, 3 << 30) == 0)
        close(fd)
        // 1.5 GiB of address space at most: reading the file whole could not even be tried.
        let started = Date()
        let r = try f.runInShell("ulimit -v 1572864", ["import", f.stick] + f.school, timeout: 60)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(r.status == 3, "\(r.stdout)\n\(r.stderr)")
        let all = r.stdout + r.stderr
        #expect(all.contains(huge) && all.contains("3221225472 bytes") && all.contains("67108864 bytes"), "\(all)")
        // The hub refuses it the same way.
        let hub = try f.runInShell("ulimit -v 1572864", ["hub", "import", f.dir.file("stick/s1/from-node-huge.parta")] + f.hub, timeout: 60)
        #expect(hub.status == 3 && (hub.stdout + hub.stderr).contains("67108864 bytes"), "\(hub.stdout)\n\(hub.stderr)")
    }
}
