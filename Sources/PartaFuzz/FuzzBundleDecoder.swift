import Crypto
import PartaCore

/// The fixed keys of the protocol's test vectors (Protocol/vectors/v2/keys.json): each secret is 32
/// consecutive byte values from its own start. The fuzzer decodes as the vectors' recipient would,
/// trusting the vectors' sender, and re-signs and re-seals mutated inputs with the same keys.
enum FuzzKeys {
    static func secret(from start: UInt8) -> [UInt8] { (0..<32).map { start &+ UInt8($0) } }

    static let sender = NodeKeys(signingSeed: secret(from: 0x00), sealingSeed: secret(from: 0x20))!
    static let recipient = NodeKeys(signingSeed: secret(from: 0x40), sealingSeed: secret(from: 0x60))!
    static let senderSigningKey = sender.publicKeys.signing
    static let fileKey = SymmetricKey(data: secret(from: 0xC0))
    static let code = EnrollmentCode("7K3M-9QXR-2HFD-WT5B")!
    static let signatureContext = Array("parta-bundle-v2-signature".utf8)
    static let zeroNonce = try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))
}

/// Decodes `bytes` as a bundle as far as it goes: as they are, and re-sealed and re-signed (see
/// ``resealed(_:)``) so that mutations get past the checksum, the signature and the AEAD tag into
/// the header and payload parsers. Any input must end in a value or a thrown ``PartaCoreError``:
/// never a trap, a hang or unbounded memory.
func decodeBundle(_ bytes: [UInt8]) {
    decode(bytes)
    if let fixed = resealed(bytes) { decode(fixed) }
    _ = try? RowState(encoded: bytes)
}

/// Reads, verifies with the vector sender's key, opens with the vector recipient's key (and the
/// vector enrollment code) and reads every change, as a receiver would.
private func decode(_ bytes: [UInt8]) {
    guard let reader = try? ChangeSetReader(bytes: bytes, maxPayload: 1 << 24) else { return }
    guard (try? reader.verifySignature(signingKey: FuzzKeys.senderSigningKey)) != nil else { return }
    do { try reader.open(with: FuzzKeys.recipient, codes: [FuzzKeys.code]) } catch { return }
    while let batch = try? reader.nextBatch(maxCount: 1000) { _ = batch.count }
}

/// `bytes` made consistent again where the framing allows: the sealed length set to what lies
/// between the lengths and the last 96 bytes, the body re-sealed with the vector file key under
/// the current bytes before it, then the checksum and the vector sender's signature recomputed.
///
/// ChaCha20 is a stream cipher, so a mutated ciphertext byte is the same mutation of the zlib
/// stream: the body is deciphered without its tag (XOR with the key stream) and sealed again.
/// The header's stanzas must still wrap the vector file key for the recipient, as in every vector.
func resealed(_ bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= 14 else { return nil }
    let headerLength = bytes[10..<14].reduce(0) { $0 << 8 | Int($1) }
    let bodyStart = 14 + headerLength + 16
    let bodyEnd = bytes.count - 96
    guard bodyEnd - bodyStart >= 16 else { return nil }
    var prefix = Array(bytes[0..<(bodyStart - 8)])
    let sealedLength = UInt64(bodyEnd - bodyStart)
    for shift in stride(from: 56, through: 0, by: -8) { prefix.append(UInt8(truncatingIfNeeded: sealedLength >> UInt64(shift))) }
    let ciphertext = bytes[bodyStart..<(bodyEnd - 16)]
    guard let stream = try? ChaChaPoly.seal([UInt8](repeating: 0, count: ciphertext.count), using: FuzzKeys.fileKey, nonce: FuzzKeys.zeroNonce),
          case let plaintext = zip(ciphertext, stream.ciphertext).map({ $0 ^ $1 }),
          let box = try? ChaChaPoly.seal(plaintext, using: FuzzKeys.fileKey, nonce: FuzzKeys.zeroNonce, authenticating: prefix),
          case let checksum = Array(SHA256.hash(data: prefix + Array(box.ciphertext) + Array(box.tag))),
          let signature = try? FuzzKeys.sender.signing.signature(for: FuzzKeys.signatureContext + checksum) else { return nil }
    return prefix + Array(box.ciphertext) + Array(box.tag) + checksum + Array(signature)
}

#if FUZZING
/// The libFuzzer entry point (built by Tests/Fuzz/run-fuzzer.sh with -sanitize=fuzzer,address).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundleDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    decodeBundle(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// SwiftPM links an executable's `main` to `<target>_main`; hand it to libFuzzer's driver.
@_cdecl("PartaFuzz_main")
public func partaFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return withUnsafeMutablePointer(to: &arguments) { pointer in
        pointer.withMemoryRebound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self, capacity: 1) { rebound in
            LLVMFuzzerRunDriver(&count, rebound) { data, size in fuzzBundleDecoder(data, size) }
        }
    }
}
#else
import Foundation

/// Without the fuzzer: replays a corpus (files or folders given as arguments) through the decoder.
/// `--expect-valid FILE…` instead checks that each file decodes completely (the valid vectors),
/// directly and re-sealed, which shows the fuzzer's keys still match the vectors'.
@main
enum ReplayCorpus {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--expect-valid" {
            arguments.removeFirst()
            var failures = 0
            for file in arguments {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let bytes = [UInt8](data)
                for (what, input) in [("as is", bytes), ("re-sealed", resealed(bytes) ?? [])] where !decodesCompletely(input) {
                    print("\(file) does not decode \(what)")
                    failures += 1
                }
            }
            print("checked \(arguments.count) valid bundles, \(failures) failures")
            if failures > 0 { exit(1) }
            return
        }
        var count = 0
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else { continue }
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).map { (argument as NSString).appendingPathComponent($0) }
                : [argument]
            for file in files.sorted() {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                decodeBundle([UInt8](data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }

    static func decodesCompletely(_ bytes: [UInt8]) -> Bool {
        do {
            let reader = try ChangeSetReader(bytes: bytes)
            try reader.verifySignature(signingKey: FuzzKeys.senderSigningKey)
            try reader.open(with: FuzzKeys.recipient)
            _ = try reader.readAll()
            return true
        } catch {
            return false
        }
    }
}
#endif
