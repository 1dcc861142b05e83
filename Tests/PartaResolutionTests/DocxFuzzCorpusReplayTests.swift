import Foundation
import Testing
@testable import PartaResolution

/// Replays the resolution fuzzer's saved corpus (Tests/Fuzz/docx-corpus, grown by
/// Tests/Fuzz/run-docx-fuzzer.sh) through the reader as Sources/PartaFuzzDocx does: each input as it is,
/// and re-wrapped as a `.docx` whose `word/document.xml` is the input up to its first NUL byte and
/// `word/numbering.xml` the rest. Every input must end in tasks or a ``ResolutionError``, never a trap,
/// and quickly.
@Suite struct DocxFuzzCorpusReplayTests {
    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/docx-corpus")
    }

    static func rewrapped(_ bytes: [UInt8]) -> [UInt8] {
        let cut = bytes.firstIndex(of: 0)
        var members = [(name: "word/document.xml", data: Array(bytes[..<(cut ?? bytes.count)]))]
        if let cut { members.append((name: "word/numbering.xml", data: Array(bytes[(cut + 1)...]))) }
        return makeZip(members, deflated: false)
    }

    @Test func everySavedFuzzInputIsReadOrRefusedWithAResolutionErrorQuickly() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
        #expect(files.count > 10)
        var tasksFound = 0, slowest: Duration = .zero
        let clock = ContinuousClock()
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            for input in [bytes, Self.rewrapped(bytes)] {
                let elapsed = clock.measure {
                    do {
                        tasksFound += try ResolutionReader.read(bytes: input, name: file.lastPathComponent).tasks.count
                    } catch is ResolutionError {
                    } catch {
                        Issue.record("\(file.lastPathComponent): not a ResolutionError: \(error)")
                    }
                }
                slowest = max(slowest, elapsed)
                #expect(elapsed < .seconds(5), "\(file.lastPathComponent): \(elapsed)")
            }
        }
        #expect(tasksFound > 0, "some inputs get as far as the task rules")
        print("replayed \(files.count) inputs, slowest \(slowest)")
    }
}
