import Crypto

/// What the first bytes of a bundle tell, before the rest has arrived (a resumable upload,
/// Protocol/sync-http-v1.md §5): the clear-text header and the bundle's total length.
///
/// Nothing here is authenticated: the header is the sender's claim until the checksum and the
/// signature of the whole bundle hold. It is enough to refuse early a sender the receiver does
/// not know, and to bound what it keeps.
public struct BundlePrefix: Sendable {
    public var header: ChangeSetHeader
    /// Bytes from the start through both payload lengths (30 + H): what ``ChangeSetReader/readPrefix(_:maxPayload:)`` needs.
    public var length: Int
    /// The payload length after opening and decompression, as declared.
    public var declaredPayloadLength: UInt64
    /// The whole bundle's length, from its framing: 30 + H + C + 32 + 64.
    public var totalLength: UInt64
}

extension ChangeSetReader {
    /// Reads the framing and header from the first bytes of a bundle.
    ///
    /// - Returns: nil while `bytes` is shorter than the framing and header (a wrong start is
    ///   refused at once, from its first byte).
    /// - Throws: the errors of ``init(bytes:maxPayload:)`` that its first bytes can show:
    ///   `.badMagic`, `.unsupportedVersion`, `.unsupportedFeature`, `.malformed`, `.payloadTooLarge`.
    public static func readPrefix(_ bytes: [UInt8], maxPayload: UInt64 = ChangeSetFormat.defaultMaxPayload) throws -> BundlePrefix? {
        let fixed = ChangeSetFormat.magic.count + 2 + 4
        guard bytes.count >= fixed else {
            let n = min(bytes.count, ChangeSetFormat.magicPrefix.count)
            let wrongStart = Array(bytes[0..<n]) != Array(ChangeSetFormat.magicPrefix[0..<n])
                || (bytes.count >= ChangeSetFormat.magic.count && bytes[n] != ChangeSetFormat.version)
            if wrongStart || bytes.count >= ChangeSetFormat.magic.count + 2 { try checkStart(bytes) }
            return nil
        }
        try checkStart(bytes)
        var r = ByteReader(bytes, section: "header length")
        r.position = ChangeSetFormat.magic.count + 2
        let headerLength = try r.u32()
        guard headerLength <= ChangeSetFormat.maxHeaderLength else { throw PartaCoreError.malformed("the header length \(headerLength) is too large") }
        let length = fixed + Int(headerLength) + 16
        guard bytes.count >= length else { return nil }
        r.section = "header"
        let header = try decodeHeader(try r.bytes(Int(headerLength)))
        r.section = "payload lengths"
        let uncompressed = try r.u64()
        let sealedLength = try r.u64()
        guard sealedLength >= 16, sealedLength < UInt64(Int.max / 2) else { throw PartaCoreError.malformed("the sealed changes are \(sealedLength) bytes long") }
        guard uncompressed <= ChangeSetFormat.payloadLimit(sealedLength: sealedLength, maxPayload: maxPayload) else {
            throw ChangeSetFormat.payloadTooLarge(declared: uncompressed, sealedLength: sealedLength, maxPayload: maxPayload)
        }
        return BundlePrefix(header: header, length: length, declaredPayloadLength: uncompressed,
                            totalLength: UInt64(length) + sealedLength + 32 + 64)
    }

    /// The checksum (32 bytes) and signature (64 bytes) that end a bundle, as they stand; nil if
    /// `bytes` is too short to hold them. Not checked: ``init(bytes:maxPayload:)`` does that.
    public static func trailer(of bytes: [UInt8]) -> (checksum: [UInt8], signature: [UInt8])? {
        guard bytes.count >= 96 else { return nil }
        return (Array(bytes[(bytes.count - 96)..<(bytes.count - 64)]), Array(bytes[(bytes.count - 64)...]))
    }

    /// Whether `signature` is the signature of a bundle whose checksum is `checksum`, by
    /// `signingKey` (§7a): lets a receiver check who sends a bundle before the bundle has arrived.
    public static func isValidSignature(_ signature: [UInt8], checksum: [UInt8], signingKey: [UInt8]) -> Bool {
        guard checksum.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signingKey) else { return false }
        return key.isValidSignature(signature, for: BundleCrypto.signedMessage(checksum: checksum))
    }
}
