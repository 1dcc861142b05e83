import Foundation
import Testing
@testable import PartaCore

/// Replays the fuzzer's saved corpus (Tests/Fuzz/corpus, grown by Tests/Fuzz/run-fuzzer.sh) through
/// the decoder as Sources/PartaFuzz does (read, verify with the vector sender's key, open with the
/// vector recipient's keys, read every change): every input must end in a value or a
/// ``PartaCoreError``, never a trap.
@Suite struct FuzzCorpusReplayTests {
    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")
    }

    @Test func everySavedFuzzInputIsDecodedOrRefusedWithACoreError() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
        #expect(files.count > 50)
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            do {
                let reader = try ChangeSetReader(bytes: bytes, maxPayload: 1 << 24)
                try reader.verifySignature(signingKey: VectorKeys.sender.publicKeys.signing)
                try reader.open(with: VectorKeys.recipient)
                while try reader.nextBatch(maxCount: 1000) != nil {}
            } catch is PartaCoreError {
                // refused with a reason: what a damaged input should get
            }
        }
    }
}
