import Crypto

/// A node's two key pairs: Ed25519 to sign the bundles it writes, X25519 to open bundles sealed to it.
///
/// Pure values; where they are stored is the caller's business (`PartaBundle` keeps them in
/// owner-only files). Public halves travel in the node's record and in every bundle it writes.
public struct NodeKeys: Sendable {
    public let signing: Curve25519.Signing.PrivateKey
    public let sealing: Curve25519.KeyAgreement.PrivateKey

    public init(signing: Curve25519.Signing.PrivateKey, sealing: Curve25519.KeyAgreement.PrivateKey) {
        self.signing = signing
        self.sealing = sealing
    }

    /// Keys from their 32-byte raw representations (as in test vectors); nil if either is not a key.
    public init?(signingSeed: [UInt8], sealingSeed: [UInt8]) {
        guard let s = try? Curve25519.Signing.PrivateKey(rawRepresentation: signingSeed),
              let k = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: sealingSeed) else { return nil }
        self.init(signing: s, sealing: k)
    }

    public static func generate() -> NodeKeys {
        NodeKeys(signing: Curve25519.Signing.PrivateKey(), sealing: Curve25519.KeyAgreement.PrivateKey())
    }

    public var publicKeys: NodePublicKeys {
        NodePublicKeys(signing: Array(signing.publicKey.rawRepresentation), sealing: Array(sealing.publicKey.rawRepresentation))
    }
}

/// The public halves of a node's keys, 32 bytes each.
public struct NodePublicKeys: Hashable, Sendable {
    public var signing: [UInt8]
    public var sealing: [UInt8]

    public init(signing: [UInt8], sealing: [UInt8]) {
        self.signing = signing
        self.sealing = sealing
    }

    /// Keys as stored in a node record (`signing_key`, `sealing_key`: base64); nil unless both are 32 bytes.
    public init?(signingBase64: String?, sealingBase64: String?) {
        guard let s = signingBase64.flatMap(Base64.decode), let k = sealingBase64.flatMap(Base64.decode),
              s.count == 32, k.count == 32 else { return nil }
        self.init(signing: s, sealing: k)
    }

    public var signingBase64: String { Base64.encode(signing) }
    public var sealingBase64: String { Base64.encode(sealing) }

    /// A short, readable fingerprint of the signing key (first 8 bytes of its SHA-256, hex in pairs).
    public var fingerprint: String {
        Array(SHA256.hash(data: signing).prefix(8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
            .chunked(2).map { $0.joined() }.joined(separator: ":")
    }

    /// The same 8 bytes as a big-endian number, or 1 if they are all zero: the counter of a
    /// newest-held entry that names a refused copy (bundle-format-v2 §4, extension 10), so that
    /// only the computer holding these keys acts on it.
    public var fingerprintNumber: UInt64 { Self.fingerprintNumber(ofSigningKey: signing) }

    /// ``fingerprintNumber`` of a signing key given alone.
    public static func fingerprintNumber(ofSigningKey signing: [UInt8]) -> UInt64 {
        let value = SHA256.hash(data: signing).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return value == 0 ? 1 : value
    }
}

extension Array {
    fileprivate func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

/// Standard base64 (RFC 4648 §4) without Foundation, for key fields in node records.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            let padding = (chars[i + 2] == UInt8(ascii: "=") ? 1 : 0) + (chars[i + 3] == UInt8(ascii: "=") ? 1 : 0)
            guard padding == 0 || i + 4 == chars.count else { return nil }
            var v: UInt32 = 0
            for j in 0..<4 {
                let c = chars[i + j]
                let d: UInt8
                if j >= 4 - padding { guard c == UInt8(ascii: "=") else { return nil }; d = 0 } else { d = table[Int(c)] }
                guard d != 0xFF else { return nil }
                v = v << 6 | UInt32(d)
            }
            out.append(UInt8(v >> 16))
            if padding < 2 { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
            if padding < 1 { out.append(UInt8(truncatingIfNeeded: v)) }
            i += 4
        }
        return out
    }
}
