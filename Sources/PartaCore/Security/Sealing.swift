import Crypto

/// Who can open a sealed bundle: a node, by its X25519 key, or a new computer, by an enrollment code.
public enum SealRecipient: Hashable, Sendable {
    case node(sealingKey: [UInt8])
    case enrollmentCode(EnrollmentCode)
}

/// One wrapped copy of a bundle's file key (Protocol/bundle-format-v2.md §7).
public struct SealStanza: Hashable, Sendable {
    public enum Kind: UInt8, Sendable { case nodeKey = 1, enrollmentCode = 2 }
    public var kind: Kind
    /// The file key sealed with ChaCha20-Poly1305: 32 bytes of ciphertext, then the 16-byte tag.
    public var wrappedKey: [UInt8]

    public init(kind: Kind, wrappedKey: [UInt8]) {
        self.kind = kind
        self.wrappedKey = wrappedKey
    }
}

/// The random inputs of sealing: a fresh file key and ephemeral X25519 key per bundle.
/// Only test vectors pass fixed ones.
public struct SealingEntropy {
    public var fileKey: [UInt8]
    public var ephemeral: Curve25519.KeyAgreement.PrivateKey

    public init(fileKey: [UInt8], ephemeral: Curve25519.KeyAgreement.PrivateKey) {
        precondition(fileKey.count == 32, "file keys are 32 bytes")
        self.fileKey = fileKey
        self.ephemeral = ephemeral
    }

    public static func random() -> SealingEntropy {
        SealingEntropy(fileKey: Array(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }),
                       ephemeral: Curve25519.KeyAgreement.PrivateKey())
    }
}

/// The sealing and signing steps of the bundle format, apart from the codec so that each can be
/// specified, tested and measured on its own.
enum BundleCrypto {
    static let zeroNonce = try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))

    static func nodeWrappingKey(shared: SharedSecret, ephemeralKey: [UInt8], recipientKey: [UInt8]) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: ephemeralKey + recipientKey,
                                       sharedInfo: Array("parta bundle v2 node key".utf8), outputByteCount: 32)
    }

    static func wrap(fileKey: [UInt8], for recipient: SealRecipient, ephemeral: Curve25519.KeyAgreement.PrivateKey) throws -> SealStanza {
        let ephemeralKey = Array(ephemeral.publicKey.rawRepresentation)
        let key: SymmetricKey
        let kind: SealStanza.Kind
        switch recipient {
        case .node(let sealingKey):
            let shared = try ephemeral.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: sealingKey))
            key = nodeWrappingKey(shared: shared, ephemeralKey: ephemeralKey, recipientKey: sealingKey)
            kind = .nodeKey
        case .enrollmentCode(let code):
            key = code.wrappingKey(ephemeralKey: ephemeralKey)
            kind = .enrollmentCode
        }
        let box = try ChaChaPoly.seal(fileKey, using: key, nonce: zeroNonce)
        return SealStanza(kind: kind, wrappedKey: Array(box.ciphertext) + Array(box.tag))
    }

    /// The file key, if one of `stanzas` opens with the given key or codes.
    static func unwrap(_ stanzas: [SealStanza], ephemeralKey: [UInt8], keys: NodeKeys?, codes: [EnrollmentCode]) -> (fileKey: SymmetricKey, code: EnrollmentCode?)? {
        var candidates: [(SymmetricKey, EnrollmentCode?, SealStanza.Kind)] = []
        if let keys, let shared = try? keys.sealing.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: ephemeralKey)) {
            candidates.append((nodeWrappingKey(shared: shared, ephemeralKey: ephemeralKey,
                                               recipientKey: Array(keys.sealing.publicKey.rawRepresentation)), nil, .nodeKey))
        }
        for code in codes { candidates.append((code.wrappingKey(ephemeralKey: ephemeralKey), code, .enrollmentCode)) }
        for stanza in stanzas where stanza.wrappedKey.count == 48 {
            for (key, code, kind) in candidates where kind == stanza.kind {
                guard let box = try? ChaChaPoly.SealedBox(nonce: zeroNonce, ciphertext: stanza.wrappedKey.prefix(32),
                                                          tag: stanza.wrappedKey.suffix(16)),
                      let fileKey = try? ChaChaPoly.open(box, using: key) else { continue }
                return (SymmetricKey(data: fileKey), code)
            }
        }
        return nil
    }

    static func sealBody(_ compressed: [UInt8], fileKey: [UInt8], authenticating prefix: [UInt8]) throws -> [UInt8] {
        let box = try ChaChaPoly.seal(compressed, using: SymmetricKey(data: fileKey), nonce: zeroNonce, authenticating: prefix)
        return Array(box.ciphertext) + Array(box.tag)
    }

    static func openBody(_ sealed: ArraySlice<UInt8>, fileKey: SymmetricKey, authenticating prefix: ArraySlice<UInt8>) -> [UInt8]? {
        guard sealed.count >= 16,
              let box = try? ChaChaPoly.SealedBox(nonce: zeroNonce, ciphertext: sealed.dropLast(16), tag: sealed.suffix(16)),
              let plain = try? ChaChaPoly.open(box, using: fileKey, authenticating: prefix) else { return nil }
        return Array(plain)
    }

    static func signedMessage(checksum: [UInt8]) -> [UInt8] { ChangeSetFormat.signatureContext + checksum }
}
