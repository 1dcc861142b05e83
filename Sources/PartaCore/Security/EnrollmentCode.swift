import Crypto

/// A one-time code that lets a new computer join a school (Protocol/bundle-format-v2.md §8).
///
/// 16 symbols of Crockford's base32 (80 random bits), shown as `XXXX-XXXX-XXXX-XXXX`. Reading is
/// forgiving: case, dashes and spaces do not matter, O/I/L read as 0/1/1, and Cyrillic letters
/// that look like Latin ones (С, А, М, Н, Е, К, Р, О, Т, Х, В, У, in either case: a code read off
/// paper and typed on a Russian keyboard) read as those. The code opens the
/// hub's bundle for the school before the new node has keys the hub knows, and proves to the hub
/// that the node's first bundle comes from someone the school gave the code to.
public struct EnrollmentCode: Hashable, Sendable, CustomStringConvertible {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Cyrillic capitals that look like a symbol of the code, and that symbol (lower case is
    /// upper-cased first). О reads as 0, like the Latin O.
    static let lookAlikes: [Character: Character] = [
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "0", "Р": "P", "С": "C",
        "Т": "T", "Х": "X", "У": "Y",
    ]

    /// Separators a person may type between groups: hyphen, dashes, spaces (also non-breaking).
    static let separators: Set<Character> = ["-", "‐", "‑", "–", "—", " ", "\u{00A0}", "\t"]

    /// What is wrong with text that is not a code, for a message that points at it.
    public enum Mistake: Error, Equatable, Sendable {
        /// The character at `position` (1-based, counting every character typed, separators too)
        /// cannot be part of a code.
        case character(Character, position: Int)
        /// The text holds `count` symbols of the code, not 16.
        case length(Int)
    }

    /// The 16 symbols, upper case, without dashes.
    public let normalized: String

    /// Parses a code as a person typed it; nil if it is not 16 symbols of the alphabet.
    public init?(_ text: String) {
        guard case .success(let code) = EnrollmentCode.parse(text) else { return nil }
        self = code
    }

    private init(normalized: String) { self.normalized = normalized }

    /// Parses a code as a person typed it, or says what is wrong: the first character that cannot
    /// be in a code (with its position), else the number of symbols when it is not 16.
    public static func parse(_ text: String) -> Result<EnrollmentCode, Mistake> {
        var symbols: [Character] = []
        for (offset, typed) in text.enumerated() {
            if separators.contains(typed) { continue }
            guard let symbol = symbol(for: typed) else { return .failure(.character(typed, position: offset + 1)) }
            symbols.append(symbol)
        }
        guard symbols.count == 16 else { return .failure(.length(symbols.count)) }
        return .success(EnrollmentCode(normalized: String(symbols)))
    }

    /// The code's symbol a typed character stands for, or nil if it stands for none.
    static func symbol(for typed: Character) -> Character? {
        let upper = Character(typed.uppercased().count == 1 ? typed.uppercased() : String(typed))
        let latin = lookAlikes[upper] ?? upper
        let mapped: Character = latin == "O" ? "0" : (latin == "I" || latin == "L") ? "1" : latin
        return alphabet.contains(mapped) ? mapped : nil
    }

    public static func generate() -> EnrollmentCode {
        var generator = SystemRandomNumberGenerator()
        return EnrollmentCode(String((0..<16).map { _ in alphabet.randomElement(using: &generator)! }))!
    }

    /// `XXXX-XXXX-XXXX-XXXX`.
    public var description: String {
        let s = Array(normalized)
        return stride(from: 0, to: 16, by: 4).map { String(s[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The key that wraps a bundle's file key for holders of this code.
    func wrappingKey(ephemeralKey: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Array(normalized.utf8)), salt: ephemeralKey,
                               info: Array("parta bundle v2 enrollment code".utf8), outputByteCount: 32)
    }

    /// The proof a new node attaches to its bundles until the hub has enrolled it: an HMAC-SHA256,
    /// keyed by this code, of the node's id, partition and public keys.
    public func proof(node: String, partition: String, keys: NodePublicKeys) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Array(normalized.utf8)), salt: [UInt8](),
                                         info: Array("parta enrollment proof v2".utf8), outputByteCount: 32)
        var message = ByteWriter()
        message.string(node)
        message.string(partition)
        message.raw(keys.signing)
        message.raw(keys.sealing)
        return Array(HMAC<SHA256>.authenticationCode(for: message.bytes, using: key))
    }

    /// Whether `proof` was made with this code for that node and those keys (constant time).
    public func verifies(_ proof: [UInt8], node: String, partition: String, keys: NodePublicKeys) -> Bool {
        let expected = self.proof(node: node, partition: partition, keys: keys)
        guard proof.count == expected.count else { return false }
        return zip(proof, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// How a node keeps enrollment codes in its database: never as the code itself.
///
/// A hub must still be able to seal bundles to an open code and check proofs made with it, and both
/// are keyed by the code (format 2 has no public part of a code), so a bare hash will not do. The
/// vault keeps two things per code under a key derived from the node's private sealing key, which
/// lives in `keys/`, apart from the database:
/// - a **fingerprint**, HMAC-SHA256 of the normalised code, by which a code a person types is found
///   (to withdraw it) and which is all that remains once the code is used;
/// - the code **sealed** with ChaCha20-Poly1305, kept only while the code can still be presented.
///
/// A copy of the database alone (a stray file copy, a leaked backup of the database without its
/// keys) therefore reveals no code and lets nobody enrol a computer. Whoever holds the node's keys
/// too can read the open codes, but can already sign and open everything as that node.
///
/// Must not be used across nodes: a vault opens only what the same node's keys sealed, and answers
/// nil (never a wrong code) for anything else.
public struct EnrollmentCodeVault {
    private let key: SymmetricKey

    public init(keys: NodeKeys) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: keys.sealing.rawRepresentation), salt: [UInt8](),
                                     info: Array("parta enrollment codes at rest v1".utf8), outputByteCount: 32)
    }

    /// 64 lower-case hex digits; the same code always gives the same fingerprint on this node.
    public func fingerprint(_ code: EnrollmentCode) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(code.normalized.utf8), using: key))
    }

    /// The code encrypted for this node alone, as base64 text (nonce ‖ ciphertext ‖ tag, 44 bytes).
    public func seal(_ code: EnrollmentCode) -> String {
        // Sealing 16 ASCII bytes with a fresh random nonce cannot fail.
        Base64.encode(Array(try! ChaChaPoly.seal(Array(code.normalized.utf8), using: key).combined))
    }

    /// What a node stored for a code: its `seal` on this node, or, from before codes were sealed
    /// at rest, the normalised code itself. Nil for anything else (another node's seal, damage).
    public func open(_ stored: String) -> EnrollmentCode? {
        guard let bytes = Base64.decode(stored), bytes.count == 44 else {
            return stored.count == 16 ? EnrollmentCode(stored) : nil
        }
        guard let box = try? ChaChaPoly.SealedBox(combined: bytes),
              let plain = try? ChaChaPoly.open(box, using: key) else { return nil }
        return EnrollmentCode(String(decoding: plain, as: UTF8.self))
    }
}
