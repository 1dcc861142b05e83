import Crypto
import Foundation
import Testing
@testable import PartaCore

/// Replays the fuzzer's saved corpus (Tests/Fuzz/corpus, grown by Tests/Fuzz/run-fuzzer.sh) through
/// the decoder as Sources/PartaFuzz does (read, verify with the vector sender's key, open with the
/// vector recipient's keys, read every change), as each input is and re-sealed and re-signed:
/// every input must end in a value or a ``PartaCoreError``, never a trap.
@Suite struct FuzzCorpusReplayTests {
    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")
    }

    @Test func everySavedFuzzInputIsDecodedOrRefusedWithACoreError() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
        #expect(files.count > 50)
        var reachedChanges = 0
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            for input in [bytes] + (Self.resealed(bytes).map { [$0] } ?? []) {
                let code = errorCode {
                    let reader = try ChangeSetReader(bytes: input, maxPayload: 1 << 24)
                    try reader.verifySignature(signingKey: VectorKeys.sender.publicKeys.signing)
                    try reader.open(with: VectorKeys.recipient, codes: [VectorKeys.code])
                    if try reader.nextBatch(maxCount: 1000) != nil { reachedChanges += 1 }
                    while try reader.nextBatch(maxCount: 1000) != nil {}
                }
                #expect(code?.rawValue != "notPartaCoreError", "\(file.lastPathComponent)")
            }
        }
        #expect(reachedChanges > 10, "re-sealing lets mutated inputs reach the payload parser")
    }

    @Test func resealingAValidVectorGivesTheSameBytes() throws {
        let bytes = try encodeBundle(VectorCatalogue.allTypesHeader, VectorCatalogue.allTypes)
        #expect(Self.resealed(bytes).map { sameBundle($0, bytes) } == true)
    }

    /// What Sources/PartaFuzz does before decoding a second time: the sealed length fitted to what
    /// lies between the lengths and the last 96 bytes, the body deciphered without its tag (XOR with
    /// the ChaCha20 key stream of the vector file key) and sealed again under the bytes before it,
    /// then the checksum and the vector sender's signature recomputed.
    static func resealed(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 14 else { return nil }
        let headerLength = bytes[10..<14].reduce(0) { $0 << 8 | Int($1) }
        let bodyStart = 14 + headerLength + 16
        let bodyEnd = bytes.count - 96
        guard bodyEnd - bodyStart >= 16 else { return nil }
        var w = ByteWriter()
        w.raw(Array(bytes[0..<(bodyStart - 8)]))
        w.u64(UInt64(bodyEnd - bodyStart))
        let ciphertext = bytes[bodyStart..<(bodyEnd - 16)]
        let stream = try! BundleCrypto.sealBody([UInt8](repeating: 0, count: ciphertext.count), fileKey: VectorKeys.fileKey, authenticating: [])
        let plaintext = zip(ciphertext, stream).map { $0 ^ $1 }
        w.raw(try! BundleCrypto.sealBody(plaintext, fileKey: VectorKeys.fileKey, authenticating: w.bytes))
        let checksum = SHA256Reference.hash(w.bytes)
        w.raw(checksum)
        w.raw(VectorKeys.signature(checksum: checksum))
        return w.bytes
    }
}
