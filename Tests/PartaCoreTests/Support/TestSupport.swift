import Crypto
import Foundation
@testable import PartaCore

/// A small, fast, seeded generator (SplitMix64), so a failing random test can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Where Protocol/ lives, found from this source file rather than from bundled resources.
enum ProtocolFiles {
    /// The package root: the nearest folder above `file` holding a Package.swift.
    static func packageRoot(file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("no Package.swift above \(file)")
    }

    static var vectorsV2: URL { packageRoot().appendingPathComponent("Protocol/vectors/v2") }
}

/// The fixed keys and sealing inputs of every test vector (Protocol/vectors/v2/keys.json), so that
/// encoding is deterministic and another implementation can reproduce each bundle.
///
/// Each 32-byte secret is 32 consecutive byte values from its own start: sender signing 00…1f,
/// sender sealing 20…3f, recipient 40…5f and 60…7f, other node 80…9f and a0…bf, file key c0…df,
/// ephemeral key e0…ff. Fixed only for vectors: real bundles get fresh random ones.
enum VectorKeys {
    static func secret(from start: UInt8) -> [UInt8] { (0..<32).map { start &+ UInt8($0) } }

    /// The node that signs every vector (whatever name its header gives the sender).
    static let sender = NodeKeys(signingSeed: secret(from: 0x00), sealingSeed: secret(from: 0x20))!
    /// The node every vector is opened with.
    static let recipient = NodeKeys(signingSeed: secret(from: 0x40), sealingSeed: secret(from: 0x60))!
    /// A third node: an extra recipient, a wrong signer, the only recipient of a bundle not for us.
    static let other = NodeKeys(signingSeed: secret(from: 0x80), sealingSeed: secret(from: 0xA0))!
    static let fileKey = secret(from: 0xC0)
    static let ephemeralSecret = secret(from: 0xE0)
    static let code = EnrollmentCode("7K3M-9QXR-2HFD-WT5B")!

    static var entropy: SealingEntropy {
        SealingEntropy(fileKey: fileKey, ephemeral: try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: ephemeralSecret))
    }

    static var ephemeralPublic: [UInt8] { Array(entropy.ephemeral.publicKey.rawRepresentation) }

    static var toRecipient: SealRecipient { .node(sealingKey: recipient.publicKeys.sealing) }
    static var toOther: SealRecipient { .node(sealingKey: other.publicKeys.sealing) }

    /// The stanza that wraps the vector file key for `recipient`.
    static func stanza(for recipient: SealRecipient) -> SealStanza {
        try! BundleCrypto.wrap(fileKey: fileKey, for: recipient, ephemeral: entropy.ephemeral)
    }

    /// `header` as the writer completes it: change count, the signer's keys, the ephemeral key,
    /// one stanza per recipient and the enrollment proof.
    static func sealed(_ header: ChangeSetHeader, count: Int, signedBy keys: NodeKeys = sender,
                       for recipients: [SealRecipient] = [toRecipient], proof: [UInt8]? = nil) -> ChangeSetHeader {
        var h = header
        h.changeCount = UInt64(count)
        h.senderKeys = keys.publicKeys
        h.ephemeralKey = ephemeralPublic
        h.stanzas = recipients.map(stanza(for:))
        h.enrollmentProof = proof
        return h
    }

    /// The Ed25519 signature of a bundle whose checksum is `checksum`.
    static func signature(checksum: [UInt8], by keys: NodeKeys = sender) -> [UInt8] {
        Array(try! keys.signing.signature(for: ChangeSetFormat.signatureContext + checksum))
    }

    /// Whether swift-crypto signs deterministically here (RFC 8032 Ed25519, as BoringSSL on Linux
    /// does; CryptoKit on Apple platforms adds randomness). When it does not, tests compare
    /// bundles without their last 64 bytes.
    static let signaturesAreDeterministic: Bool = {
        let message = Array("parta determinism probe".utf8)
        return Array(try! sender.signing.signature(for: message)) == Array(try! sender.signing.signature(for: message))
    }()
}

/// Decodes a whole bundle as a receiver would before applying it: framing and checksum, the
/// signature (by default against the vector sender's key), opening (by default with the vector
/// recipient's keys), then every change. The first failing step's error is what is thrown.
func decodeBundle(_ bytes: [UInt8], maxPayload: UInt64 = ChangeSetFormat.defaultMaxPayload, batch: Int = 10_000,
                  signingKey: [UInt8] = VectorKeys.sender.publicKeys.signing, keys: NodeKeys? = VectorKeys.recipient,
                  codes: [EnrollmentCode] = []) throws -> (header: ChangeSetHeader, changes: [Change]) {
    let reader = try ChangeSetReader(bytes: bytes, maxPayload: maxPayload)
    try reader.verifySignature(signingKey: signingKey)
    try reader.open(with: keys, codes: codes)
    var changes: [Change] = []
    while let next = try reader.nextBatch(maxCount: batch) { changes += next }
    return (reader.header, changes)
}

/// Encodes with the vector keys and fixed sealing entropy: the same inputs give the same bytes
/// (up to the signature where signing is randomised, see ``VectorKeys/signaturesAreDeterministic``).
func encodeBundle(_ header: ChangeSetHeader, _ changes: [Change], signedBy keys: NodeKeys = VectorKeys.sender,
                  sealedFor recipients: [SealRecipient] = [VectorKeys.toRecipient], enrollmentProof: [UInt8]? = nil) throws -> [UInt8] {
    let writer = try ChangeSetWriter(header: header)
    try writer.append(contentsOf: changes)
    return try writer.finish(signedBy: keys, sealedFor: recipients, enrollmentProof: enrollmentProof, entropy: VectorKeys.entropy)
}

/// Whether two encodings are the same bundle: every byte, or every byte but the signature where
/// signing is randomised.
func sameBundle(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    VectorKeys.signaturesAreDeterministic ? a == b : a.count == b.count && a.dropLast(64).elementsEqual(b.dropLast(64))
}

/// The error code `body` throws, or nil if it returns. Any error other than ``PartaCoreError``
/// is reported as code "notPartaCoreError" so tests fail visibly on it.
func errorCode(_ body: () throws -> Void) -> PartaCoreError.Code? {
    do {
        try body()
        return nil
    } catch let error as PartaCoreError {
        return error.code
    } catch {
        return PartaCoreError.Code("notPartaCoreError")
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }

    init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        self = out
    }
}

/// Builds version 2 bundles byte by byte, so tests and vectors can state inputs the writer would
/// never produce. Every piece defaults to what ``ChangeSetWriter`` writes with the vector keys:
/// flags 3, the payload compressed, sealed with the vector file key (AAD = every byte before the
/// sealed body), a correct SHA-256 and the vector sender's signature.
struct BundleBuilder {
    var magic: [UInt8] = ChangeSetFormat.magic
    var flags: UInt16 = ChangeSetFormat.flags
    var header: [UInt8]
    var headerLength: UInt32?
    var payload: [UInt8]
    /// The zlib stream to seal instead of the compressed ``payload``.
    var compressed: [UInt8]?
    var uncompressedLength: UInt64?
    /// The sealed length written (C); by default the sealed body's length.
    var sealedLength: UInt64?
    /// The sealed body to write instead of sealing ``compressed``.
    var sealed: [UInt8]?
    var fileKey: [UInt8] = VectorKeys.fileKey
    /// Turns the bytes before the body into the associated data the body is sealed with.
    var authenticating: ([UInt8]) -> [UInt8] = { $0 }
    /// Changes the sealed body after sealing, before the checksum and signature are computed.
    var bendSealed: (inout [UInt8]) -> Void = { _ in }
    var checksum: [UInt8]?
    var signer: NodeKeys = VectorKeys.sender
    var signature: [UInt8]?
    var trailing: [UInt8] = []

    init(header: [UInt8], payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }

    func build() throws -> [UInt8] {
        let packed = try compressed ?? zlib(payload)
        var w = ByteWriter()
        w.raw(magic)
        w.u16(flags)
        w.u32(headerLength ?? UInt32(header.count))
        w.raw(header)
        w.u64(uncompressedLength ?? UInt64(payload.count))
        w.u64(sealedLength ?? UInt64(sealed?.count ?? packed.count + 16))
        var body = try sealed ?? BundleCrypto.sealBody(packed, fileKey: fileKey, authenticating: authenticating(w.bytes))
        bendSealed(&body)
        w.raw(body)
        let sum = checksum ?? SHA256Reference.hash(w.bytes)
        w.raw(sum)
        w.raw(signature ?? VectorKeys.signature(checksum: sum, by: signer))
        w.raw(trailing)
        return w.bytes
    }
}

func zlib(_ bytes: [UInt8]) throws -> [UInt8] {
    let deflater = try PayloadDeflater(level: 6)
    try deflater.write(bytes)
    return try deflater.finish()
}

/// A plain SHA-256 (FIPS 180-4), independent of the codec's, so tests check the checksum
/// against the standard rather than against the code under test.
enum SHA256Reference {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var data = message
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        let bits = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        return h.flatMap { v in [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
    }
}

/// The parts of a well-framed version 2 bundle, without any checks beyond the framing: the raw
/// header, the unpacked payload, the zlib stream (opened with the vector file key) and the sealed body.
func splitBundle(_ bytes: [UInt8]) throws -> (header: [UInt8], payload: [UInt8], compressed: [UInt8], sealed: [UInt8]) {
    var r = ByteReader(bytes, section: "test framing")
    _ = try r.bytes(ChangeSetFormat.magic.count)
    _ = try r.u16()
    let header = try r.bytes(Int(try r.u32()))
    let declared = try r.u64()
    let sealedLength = Int(try r.u64())
    let bodyStart = r.position
    let sealed = try r.bytes(sealedLength)
    guard let compressed = BundleCrypto.openBody(sealed[...], fileKey: SymmetricKey(data: VectorKeys.fileKey),
                                                 authenticating: bytes[0..<bodyStart]) else {
        throw PartaCoreError.malformed("the test bundle does not open with the vector file key")
    }
    let inflater = try PayloadInflater(input: compressed, limit: declared)
    var payload: [UInt8] = []
    while try inflater.read(into: &payload) {}
    return (header, payload, compressed, sealed)
}

/// Compares change lists exactly: strings by their UTF-8 bytes (Swift's `==` treats canonically
/// equivalent strings as equal) and reals by their bits.
func exactlyEqual(_ a: [Change], _ b: [Change]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { exactKey($0) == exactKey($1) }
}

func exactKey(_ c: Change) -> [[UInt8]] {
    func s(_ text: String) -> [UInt8] { Array(text.utf8) }
    func n(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    func stamp(_ st: Stamp?) -> [[UInt8]] {
        guard let st else { return [[]] }
        return [[1], n(st.time.rawValue), s(st.node), n(st.counter)]
    }
    let value: [UInt8]
    switch c.value {
    case .null: value = [0]
    case .integer(let v): value = [1] + n(UInt64(bitPattern: v))
    case .real(let v): value = [2] + n(v.bitPattern)
    case .text(let v): value = [3] + s(v)
    }
    var seen: [[UInt8]] = [[c.seen == nil ? 0 : 1]]
    if let set = c.seen {
        for entry in set.latest.sortedEntries { seen += [s(entry.node), n(entry.counter)] }
        seen += stamp(set.through)
    }
    return [s(c.table), s(c.row), s(c.partition), s(c.field), value] + stamp(c.stamp) + stamp(c.replaced) + seen
}
