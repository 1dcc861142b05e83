import Foundation
import Testing
import PartaStore
import PartaApp
import PartaTesting

/// A hub with one school node, and a stick holding a fresh valid bundle for it.
struct StickFixture {
    let dir = TemporaryDirectory("parta-bad")
    let parta: PartaBinary
    var schoolData: String { dir.file("school") }
    var validBundle: String { dir.file("stick/s1/" + (try! FileManager.default.contentsOfDirectory(atPath: dir.file("stick/s1")).first { $0.hasPrefix("from-hub") }!)) }

    init() throws {
        parta = try PartaBinary()
        let hub = ["--data", dir.file("hub")]
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "s1"] + hub)
        try parta.run(["hub", "school", "add", "s2", "--name", "s2"] + hub)
        try parta.run(["hub", "task", "add", "--title", "Первая", "--assign-all"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
        try parta.run(["init", "--from", dir.file("stick/s1"), "--code", code, "--data", schoolData])
        try parta.run(["hub", "task", "add", "--title", "Вторая", "--assign-all"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
    }

    func dump() throws -> [String] {
        try Replica.openTest(at: schoolData + "/replica.sqlite", schema: PartaSchema.schema).canonicalDump()
    }

    /// Imports `path` at the school; expects failure naming the file, and no change.
    func expectRefused(_ path: String, mentioning reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try dump()
        let r = try parta.run(["import", path, "--data", schoolData], language: "en")
        #expect(r.status == 3, "exit \(r.status) for \(path): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(path), "the message names the file: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(reason), "the message gives the reason '\(reason)': \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("Nothing was changed") || r.stderr.contains("nothing was changed"), sourceLocation: sourceLocation)
        #expect(try dump() == before, "the replica changed", sourceLocation: sourceLocation)
    }

    func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = dir.file(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

@Suite struct BadBundleTests {
    @Test func aZeroByteFileIsRefusedByName() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        let before = try f.dump()
        let path = f.write([], "empty.parta")
        let r = try f.parta.run(["import", path, "--data", f.schoolData], language: "en")
        #expect(r.status == 3 && r.stderr.contains(path) && r.stderr.contains("empty (0 bytes)"))
        #expect(try f.dump() == before)
    }

    @Test func aBundleCutAtEverySectionBoundaryIsRefused() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        let bytes = [UInt8](FileManager.default.contents(atPath: f.validBundle)!)
        let headerLength = Int(bytes[10]) << 24 | Int(bytes[11]) << 16 | Int(bytes[12]) << 8 | Int(bytes[13])
        let boundaries = [4, 8, 10, 14, 14 + headerLength / 2, 14 + headerLength, 22 + headerLength, 30 + headerLength,
                          (30 + headerLength + bytes.count - 32) / 2, bytes.count - 32, bytes.count - 1]
        for cut in boundaries {
            try f.expectRefused(f.write(Array(bytes[0..<cut]), "cut-\(cut).parta"), mentioning: "The data ends in the middle")
        }
    }

    @Test func oneFlippedBitAnywhereIsRefused() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        let bytes = [UInt8](FileManager.default.contents(atPath: f.validBundle)!)
        var rng = SeededGenerator(seed: 42)
        var positions = [9, 20, 40, bytes.count / 2, bytes.count - 40, bytes.count - 1]   // flags, header, payload, checksum
        for _ in 0..<10 { positions.append(Int.random(in: 8..<bytes.count, using: &rng)) }
        for position in positions {
            var damaged = bytes
            damaged[position] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            let path = f.write(damaged, "flip-\(position).parta")
            let before = try f.dump()
            let r = try f.parta.run(["import", path, "--data", f.schoolData], language: "en")
            #expect(r.status == 3 && r.stderr.contains(path), "flip at \(position): \(r.stderr)")
            #expect(try f.dump() == before)
        }
    }

    @Test func wrongMagicAndAFutureVersionGetTheirOwnReasons() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        var bytes = [UInt8](FileManager.default.contents(atPath: f.validBundle)!)
        try f.expectRefused(f.write(Array("Hello, this is a text file\n".utf8), "text.parta"), mentioning: "not a Parta bundle")
        bytes[7] = 9
        try f.expectRefused(f.write(bytes, "future.parta"), mentioning: "newer Parta (format 9;")
    }

    @Test func aTamperedSignatureOrAFormatOneBundleIsRefusedWithItsReason() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        var bytes = [UInt8](FileManager.default.contents(atPath: f.validBundle)!)
        bytes[bytes.count - 1] ^= 0x01
        try f.expectRefused(f.write(bytes, "forged.parta"), mentioning: "signature is not valid for node")
        bytes[bytes.count - 1] ^= 0x01
        bytes[7] = 1
        try f.expectRefused(f.write(bytes, "old.parta"), mentioning: "older Parta (format 1;")
    }

    @Test func aValidBundleForAnotherSchoolIsRefusedAsASingleFileAndSkippedInAFolder() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        let other = f.dir.file("stick/s2/" + (try FileManager.default.contentsOfDirectory(atPath: f.dir.file("stick/s2")).first!))
        try f.expectRefused(other, mentioning: "meant for partition s2")
        let r = try f.parta.run(["import", f.dir.file("stick"), "--data", f.schoolData], language: "en")
        #expect(r.status == 0)
        #expect(r.stdout.contains("Skipped") && r.stdout.contains("for school s2"))
    }

    @Test func aFolderOfMixedJunkImportsTheGoodBundleAndNamesEachBadFile() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        let junk = f.dir.file("junk")
        try FileManager.default.createDirectory(atPath: junk, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: f.validBundle, toPath: junk + "/good.parta")
        _ = FileManager.default.createFile(atPath: junk + "/random.parta", contents: Data((0..<500).map { _ in UInt8.random(in: 0...255) }))
        _ = FileManager.default.createFile(atPath: junk + "/empty.parta", contents: Data())
        _ = FileManager.default.createFile(atPath: junk + "/notes.txt", contents: Data("ignored".utf8))
        let r = try f.parta.run(["import", junk, "--data", f.schoolData], language: "en")
        #expect(r.status == 3)
        #expect(r.stdout.contains("good.parta") && r.stdout.contains("1 new") == false || r.stdout.contains("Imported"))
        #expect(r.stderr.contains("random.parta") && r.stderr.contains("empty.parta") && !r.stderr.contains("notes.txt"))
        #expect(r.stderr.contains("2 bundle(s) were not imported"))
        let tasks = try f.parta.run(["tasks", "--json", "--data", f.schoolData])
        #expect(tasks.stdout.contains("Вторая"))
    }

    @Test func aReplayedOldBundleChangesNothing() throws {
        let f = try StickFixture(); defer { f.dir.remove() }
        let copy = f.dir.file("replay.parta")
        try FileManager.default.copyItem(atPath: f.validBundle, toPath: copy)
        #expect(try f.parta.run(["import", copy, "--data", f.schoolData]).status == 0)
        let before = try f.dump()
        let again = try f.parta.run(["import", copy, "--data", f.schoolData], language: "en")
        #expect(again.status == 0 && again.stdout.contains("0 new changes"))
        #expect(try f.dump() == before)
    }
}
