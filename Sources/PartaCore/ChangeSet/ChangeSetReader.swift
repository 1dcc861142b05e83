import Crypto

/// Decodes bundle bytes (Protocol/bundle-format-v2.md) in three steps, so that the caller decides
/// whom to trust in between:
///
/// 1. ``init(bytes:maxPayload:)`` checks framing, header and the SHA-256 checksum (a damaged file
///    fails here) and exposes the clear-text ``header``.
/// 2. ``verifySignature(signingKey:)`` checks the Ed25519 signature against the key the caller
///    trusts for the sender (an altered file fails here).
/// 3. ``open(with:codes:)`` unwraps the file key with this node's key or an enrollment code and
///    decrypts the payload; ``nextBatch(maxCount:)`` then yields changes while unpacking, so memory
///    stays bounded, and its last call checks the change count and unpacked length.
///
/// - Throws: ``PartaCoreError`` with `.badMagic`, `.unsupportedVersion`, `.unsupportedFeature`,
///   `.truncated`, `.checksumMismatch`, `.malformed`, `.payloadTooLarge`, `.badSignature` or
///   `.notForThisNode`. Never traps on any input.
public final class ChangeSetReader {
    public let header: ChangeSetHeader
    public let declaredPayloadLength: UInt64
    /// The whole bundle until it is opened; released then, so that a long apply does not keep it.
    private var bytes: [UInt8]
    private let bodyRange: Range<Int>
    private let checksum: [UInt8]
    private let signature: [UInt8]
    private var inflater: PayloadInflater?
    /// Where decoding stands. ``nextBatch(maxCount:)`` works on a local copy (moved out and back),
    /// so that the hot loop pays no exclusivity checks on the class's properties.
    private var cursor = Cursor(payload: ByteReader([], section: "changes"))
    public var changesRead: UInt64 { cursor.changesRead }
    private var finished = false
    /// Whether ``verifySignature(signingKey:)`` succeeded.
    public private(set) var isVerified = false

    private struct Cursor {
        var payload: ByteReader
        var strings: [String] = []
        var lastStamp = (time: UInt64(0), counter: UInt64(0))
        var lastReplaced = (time: UInt64(0), counter: UInt64(0))
        var pendingGroup: (table: String, row: String, partition: String, remaining: UInt64)?
        var changesRead: UInt64 = 0

        mutating func stringRef() throws -> String {
            let k = try payload.varint()
            if k == 0 {
                let s = try payload.string()
                strings.append(s)
                return s
            }
            guard k <= UInt64(strings.count) else { throw PartaCoreError.malformed("a text reference points past the known texts") }
            return strings[Int(k - 1)]
        }

        /// A seen set (bundle-format-v2 §6.2): entries sorted bytewise by node, no zero counter;
        /// its through stamp shares the replaced stamps' running predecessor.
        mutating func seenSet(withThrough: Bool) throws -> SeenSet {
            let latest = try ChangeSetReader.counters(of: "a seen set", count: try payload.varint(), max: UInt64(SeenSet.maxEntries)) {
                let node = try stringRef()
                guard node.utf8.count <= SeenSet.maxNodeBytes else { throw PartaCoreError.malformed("a seen set names a node id of \(node.utf8.count) bytes") }
                return (node, try payload.varint())
            }
            return SeenSet(latest: latest, through: withThrough ? try stamp(replaced: true) : nil)
        }

        mutating func stamp(replaced: Bool) throws -> Stamp {
            let last = replaced ? lastReplaced : lastStamp
            let time = last.time &+ UInt64(bitPattern: try payload.zigzag())
            let node = try stringRef()
            let counter = last.counter &+ UInt64(bitPattern: try payload.zigzag())
            if replaced { lastReplaced = (time, counter) } else { lastStamp = (time, counter) }
            return Stamp(time: HybridTimestamp(rawValue: time), node: node, counter: counter)
        }
    }

    public init(bytes: [UInt8], maxPayload: UInt64 = ChangeSetFormat.defaultMaxPayload) throws {
        var r = ByteReader(bytes, section: "bundle framing")
        try ChangeSetReader.checkStart(bytes)
        r.position = ChangeSetFormat.magic.count + 2
        r.section = "header length"
        let headerLength = try r.u32()
        guard headerLength <= ChangeSetFormat.maxHeaderLength else { throw PartaCoreError.malformed("the header length \(headerLength) is too large") }
        r.section = "header"
        let headerBytes = try r.bytes(Int(headerLength))
        r.section = "payload lengths"
        let uncompressed = try r.u64()
        let sealedLength = try r.u64()
        guard sealedLength <= UInt64(bytes.count) else { throw PartaCoreError.truncated("sealed changes") }
        guard sealedLength >= 16 else { throw PartaCoreError.malformed("the sealed changes are shorter than their tag") }
        r.section = "sealed changes"
        let bodyStart = r.position
        _ = try r.bytes(Int(sealedLength))
        let checksummedLength = r.position
        r.section = "checksum"
        let checksum = try r.bytes(32)
        r.section = "signature"
        let signature = try r.bytes(64)
        guard r.position == bytes.count else { throw PartaCoreError.malformed("there are \(bytes.count - r.position) extra bytes after the signature") }
        let actual = Array(SHA256.hash(data: bytes[0..<checksummedLength]))
        guard actual == checksum else {
            throw PartaCoreError(.checksumMismatch, Message(
                en: "The bundle's checksum does not match its contents: the file was damaged (a failing USB stick, an interrupted copy) or altered. Ask for the bundle to be exported again.",
                ru: "Контрольная сумма пакета не совпадает с содержимым: файл повреждён (сбой флешки, прерванное копирование) или изменён. Попросите выгрузить пакет заново."))
        }
        guard uncompressed <= ChangeSetFormat.payloadLimit(sealedLength: sealedLength, maxPayload: maxPayload) else {
            throw ChangeSetFormat.payloadTooLarge(declared: uncompressed, sealedLength: sealedLength, maxPayload: maxPayload)
        }
        self.header = try ChangeSetReader.decodeHeader(headerBytes)
        self.declaredPayloadLength = uncompressed
        self.bytes = bytes
        self.bodyRange = bodyStart..<checksummedLength
        self.checksum = checksum
        self.signature = signature
    }

    /// Magic, version and flags: what a reader refuses before anything else.
    static func checkStart(_ bytes: [UInt8]) throws {
        var r = ByteReader(bytes, section: "bundle framing")
        // Magic: a file that is not a bundle at all should say so before anything else.
        let prefixCount = min(bytes.count, ChangeSetFormat.magicPrefix.count)
        guard Array(bytes[0..<prefixCount]) == Array(ChangeSetFormat.magicPrefix[0..<prefixCount]) else {
            throw PartaCoreError(.badMagic, Message(
                en: "This is not a Parta bundle (it does not start with the Parta signature).",
                ru: "Это не пакет Parta (файл не начинается с подписи Parta)."))
        }
        guard bytes.count >= ChangeSetFormat.magic.count else { throw PartaCoreError.truncated("signature") }
        let version = bytes[ChangeSetFormat.magicPrefix.count]
        guard version == ChangeSetFormat.version else {
            let newer = version > ChangeSetFormat.version
            throw PartaCoreError(.unsupportedVersion, Message(
                en: newer ? "The bundle was made by a newer Parta (format \(version); this one reads format \(ChangeSetFormat.version)). Update Parta on this computer, then import again."
                          : "The bundle was made by an older Parta (format \(version); this one reads format \(ChangeSetFormat.version)). Ask for it to be exported again with the current Parta.",
                ru: newer ? "Пакет создан более новой версией Parta (формат \(version); эта версия читает формат \(ChangeSetFormat.version)). Обновите Parta на этом компьютере и повторите импорт."
                          : "Пакет создан старой версией Parta (формат \(version); эта версия читает формат \(ChangeSetFormat.version)). Попросите выгрузить его заново текущей версией Parta."),
                context: ["version": String(version)])
        }
        r.position = ChangeSetFormat.magic.count
        r.section = "flags"
        let flags = try r.u16()
        guard flags == ChangeSetFormat.flags else {
            throw PartaCoreError(.unsupportedFeature, Message(
                en: "The bundle uses features this Parta does not know (flags \(flags)). Update Parta, then import again.",
                ru: "Пакет использует возможности, неизвестные этой версии Parta (флаги \(flags)). Обновите Parta и повторите импорт."),
                context: ["flags": String(flags)])
        }
    }

    /// Checks the signature with the key the caller trusts for the sender (for a first contact,
    /// the key in the header, once something else vouches for it).
    ///
    /// - Throws: ``PartaCoreError/Code/badSignature`` if the bundle was not signed by that key.
    public func verifySignature(signingKey: [UInt8]) throws {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signingKey),
              key.isValidSignature(signature, for: BundleCrypto.signedMessage(checksum: checksum)) else {
            throw PartaCoreError(.badSignature, Message(
                en: "The bundle's signature is not valid for node \(header.sender): it was altered after it was written, or written by someone else under that node's name. Nothing was changed; ask for the bundle to be exported again.",
                ru: "Подпись пакета недействительна для узла \(header.sender): пакет изменён после выгрузки или создан кем-то другим от имени этого узла. Ничего не изменено; попросите выгрузить пакет заново."),
                context: ["sender": header.sender])
        }
        isVerified = true
    }

    /// Decrypts the payload with this node's key or one of `codes`; returns the code that opened
    /// it, if it was a code.
    ///
    /// - Throws: ``PartaCoreError/Code/notForThisNode`` if no stanza opens with what was given;
    ///   `.malformed` if the sealed changes do not decrypt (they were altered).
    @discardableResult
    public func open(with keys: NodeKeys?, codes: [EnrollmentCode] = []) throws -> EnrollmentCode? {
        precondition(inflater == nil, "a bundle is opened once")
        guard let (fileKey, code) = BundleCrypto.unwrap(header.stanzas, ephemeralKey: header.ephemeralKey, keys: keys, codes: codes) else {
            throw PartaCoreError(.notForThisNode, Message(
                en: codes.isEmpty
                    ? "The bundle is sealed for other computers: this computer holds no key that opens it (it may have been revoked, or the bundle was written before this computer was enrolled). Nothing was changed."
                    : "The enrollment code does not open this bundle: check the code, or ask the municipal office for the bundle written after the code was issued. Nothing was changed.",
                ru: codes.isEmpty
                    ? "Пакет зашифрован для других компьютеров: у этого компьютера нет ключа, которым его можно открыть (компьютер отозван или пакет выгружен до его подключения). Ничего не изменено."
                    : "Код подключения не подходит к этому пакету: проверьте код или попросите в управлении пакет, выгруженный после выдачи кода. Ничего не изменено."),
                context: ["sender": header.sender])
        }
        guard let compressed = BundleCrypto.openBody(bytes[bodyRange], fileKey: fileKey, authenticating: bytes[0..<bodyRange.lowerBound]) else {
            throw PartaCoreError.malformed("the sealed changes do not decrypt (they were altered)")
        }
        let inflater = try PayloadInflater(input: compressed, limit: declaredPayloadLength)
        self.inflater = inflater
        bytes = []
        self.cursor = Cursor(payload: ByteReader([], section: "changes") { buffer in try inflater.read(into: &buffer) })
        return code
    }

    static func decodeHeader(_ bytes: [UInt8]) throws -> ChangeSetHeader {
        var r = ByteReader(bytes, section: "header")
        let id = try r.bytes(16)
        let created = HybridTimestamp(rawValue: try r.u64())
        let sender = try r.string(limit: 1024)
        let senderPartition = try r.string(limit: 1024)
        let recipient: Recipient
        switch try r.u8() {
        case 1: recipient = .node(try r.string(limit: 1024))
        case 2: recipient = .partition(try r.string(limit: 1024))
        case let other: throw PartaCoreError.malformed("unknown recipient kind \(other)")
        }
        let base = try decodeClock(&r)
        let upper = try decodeClock(&r)
        let count = try r.varint()
        r.section = "sender keys"
        let keys = NodePublicKeys(signing: try r.bytes(32), sealing: try r.bytes(32))
        r.section = "seal"
        let ephemeral = try r.bytes(32)
        let stanzaCount = try r.varint()
        guard stanzaCount >= 1, stanzaCount <= ChangeSetFormat.maxStanzas else { throw PartaCoreError.malformed("the bundle lists \(stanzaCount) recipients") }
        var stanzas: [SealStanza] = []
        for _ in 0..<stanzaCount {
            guard let kind = SealStanza.Kind(rawValue: try r.u8()) else { throw PartaCoreError.malformed("a recipient of an unknown kind") }
            stanzas.append(SealStanza(kind: kind, wrappedKey: try r.bytes(48)))
        }
        r.section = "header extensions"
        var proof: [UInt8]?
        var reads: ReadFeatures?
        var writtenFor: ReadFeatures?
        var seenSets = false
        var newestHeld: [HeldChange]?
        var ownTimes: [OwnChangeTime]?
        var lineageTimes: [LineageTimes]?
        let extensions = try r.varint()
        for _ in 0..<extensions {
            let type = try r.varint()
            let length = try r.varint()
            guard length <= UInt64(bytes.count) else { throw PartaCoreError.truncated("header extension") }
            let body = try r.bytes(Int(length))
            if type == ChangeSetFormat.enrollmentProofExtension {
                guard body.count == 32, proof == nil else { throw PartaCoreError.malformed("an enrollment proof is not 32 bytes, or appears twice") }
                proof = body
            } else if type == ChangeSetFormat.seenSetsExtension {
                guard body.isEmpty, !seenSets else { throw PartaCoreError.malformed("the seen-sets extension is not empty, or appears twice") }
                seenSets = true
            } else if type == ChangeSetFormat.readsExtension || type == ChangeSetFormat.writtenForExtension {
                var b = ByteReader(body, section: "header extensions")
                let features = ReadFeatures(rawValue: try b.varint())
                let isReads = type == ChangeSetFormat.readsExtension
                guard (isReads ? reads : writtenFor) == nil, try b.isAtEnd() else {
                    throw PartaCoreError.malformed("header extension \(type) is not one number, or appears twice")
                }
                // Bits this release does not know stand for features it does not use: kept, never acted on.
                if isReads { reads = features } else { writtenFor = features }
            } else if type == ChangeSetFormat.newestHeldExtension {
                guard newestHeld == nil else { throw PartaCoreError.malformed("header extension 10 (newest held) appears twice") }
                newestHeld = try decodeNewestHeld(body)
            } else if type == ChangeSetFormat.ownTimesExtension {
                guard ownTimes == nil else { throw PartaCoreError.malformed("header extension 12 (own times) appears twice") }
                ownTimes = try decodeOwnTimes(body)
            } else if type == ChangeSetFormat.lineageTimesExtension {
                guard lineageTimes == nil else { throw PartaCoreError.malformed("header extension 14 (lineage times) appears twice") }
                lineageTimes = try decodeLineageTimes(body)
            } else if type & 1 == 1 {
                throw PartaCoreError(.unsupportedFeature, Message(
                    en: "The bundle needs a feature this Parta does not know (header extension \(type)). Update Parta, then import again.",
                    ru: "Пакету нужна возможность, неизвестная этой версии Parta (расширение заголовка \(type)). Обновите Parta и повторите импорт."),
                    context: ["extension": String(type)])
            }
        }
        guard r.position == bytes.count else { throw PartaCoreError.malformed("the header has \(bytes.count - r.position) unexplained bytes") }
        var header = ChangeSetHeader(bundleID: id, created: created, sender: sender, senderPartition: senderPartition,
                                     recipient: recipient, base: base, upper: upper, changeCount: count)
        header.senderKeys = keys
        header.ephemeralKey = ephemeral
        header.stanzas = stanzas
        header.enrollmentProof = proof
        header.reads = reads
        header.writtenFor = writtenFor
        header.carriesSeenSets = seenSets
        header.newestHeld = newestHeld ?? []
        header.ownTimes = ownTimes ?? []
        header.lineageTimes = lineageTimes ?? []
        return header
    }

    /// Header extension 12: counters as steps of at least 1 (the first from 0), each with its
    /// HLC, and nothing after the last one. A body ending inside an entry is ill-formed.
    static func decodeOwnTimes(_ body: [UInt8]) throws -> [OwnChangeTime] {
        try entries(of: ChangeSetFormat.ownTimesExtension) {
            var b = ByteReader(body, section: "header extensions")
            var budget = ChangeSetFormat.maxOwnTimes
            let entries = try decodeTimes(&b, type: ChangeSetFormat.ownTimesExtension, budget: &budget)
            guard try b.isAtEnd() else { throw PartaCoreError.malformed("header extension 12 has bytes after its last entry") }
            return entries
        }
    }

    /// Header extension 14: ids in strictly ascending bytewise order, each with its times as
    /// extension 12 holds them, at most ``ChangeSetFormat/maxOwnTimes`` entries in all, and
    /// nothing after the last one.
    static func decodeLineageTimes(_ body: [UInt8]) throws -> [LineageTimes] {
        try entries(of: ChangeSetFormat.lineageTimesExtension) {
            var b = ByteReader(body, section: "header extensions")
            let count = try b.varint()
            guard count <= ChangeSetFormat.maxLineageIDs else { throw PartaCoreError.malformed("header extension 14 names \(count) ids") }
            var budget = ChangeSetFormat.maxOwnTimes
            var result: [LineageTimes] = []
            for _ in 0..<count {
                let node = try b.string(limit: 1024)
                if let last = result.last, !last.node.utf8.lexicographicallyPrecedes(node.utf8) {
                    throw PartaCoreError.malformed("header extension 14 names its ids out of order, or one twice")
                }
                result.append(LineageTimes(node: node, times: try decodeTimes(&b, type: ChangeSetFormat.lineageTimesExtension, budget: &budget)))
            }
            guard try b.isAtEnd() else { throw PartaCoreError.malformed("header extension 14 has bytes after its last entry") }
            return result
        }
    }

    /// A count, then that many counter steps of at least 1 (the first from 0) each with its HLC:
    /// the times of extensions 12 and 14, at most `budget` of them (which it lowers).
    private static func decodeTimes(_ b: inout ByteReader, type: UInt64, budget: inout UInt64) throws -> [OwnChangeTime] {
        let count = try b.varint()
        guard count <= budget else { throw PartaCoreError.malformed("header extension \(type) lists more than \(ChangeSetFormat.maxOwnTimes) times") }
        budget -= count
        var entries: [OwnChangeTime] = []
        var counter: UInt64 = 0
        for _ in 0..<count {
            let step = try b.varint()
            guard step >= 1, step <= UInt64.max - counter else { throw PartaCoreError.malformed("header extension \(type) has a counter step of \(step)") }
            counter += step
            entries.append(OwnChangeTime(counter: counter, time: HybridTimestamp(rawValue: try b.u64())))
        }
        return entries
    }

    /// Runs `decode` over one extension's body. The body's length is known: one that ends inside
    /// an entry is ill-formed (`malformed`), not cut off (`truncated`).
    private static func entries<T>(of type: UInt64, _ decode: () throws -> T) throws -> T {
        do {
            return try decode()
        } catch let error as PartaCoreError where error.code == .truncated {
            throw PartaCoreError.malformed("header extension \(type) ends inside an entry")
        }
    }

    /// Header extension 10: entries in strictly ascending bytewise order of node ids, counters of
    /// at least 1, and nothing after the last one.
    static func decodeNewestHeld(_ body: [UInt8]) throws -> [HeldChange] {
        try entries(of: ChangeSetFormat.newestHeldExtension) {
            var b = ByteReader(body, section: "header extensions")
            let count = try b.varint()
            guard count <= ChangeSetFormat.maxNewestHeld else { throw PartaCoreError.malformed("header extension 10 lists \(count) computers") }
            var entries: [HeldChange] = []
            for _ in 0..<count {
                let node = try b.string(limit: 1024)
                let counter = try b.varint()
                let time = HybridTimestamp(rawValue: try b.u64())
                guard counter >= 1 else { throw PartaCoreError.malformed("header extension 10 gives counter 0 for \(node)") }
                if let last = entries.last, !last.node.utf8.lexicographicallyPrecedes(node.utf8) {
                    throw PartaCoreError.malformed("header extension 10 lists its computers out of order or twice")
                }
                entries.append(HeldChange(node: node, counter: counter, time: time))
            }
            guard try b.isAtEnd() else { throw PartaCoreError.malformed("header extension 10 has bytes after its last entry") }
            return entries
        }
    }

    static func decodeClock(_ r: inout ByteReader) throws -> VectorClock {
        try counters(of: "a vector clock", count: try r.varint(), max: 100_000) { (try r.string(limit: 1024), try r.varint()) }
    }

    /// `count` node/counter pairs read by `next`, as a vector clock and seen sets hold them:
    /// sorted bytewise by node, no node twice, no zero counter, at most `max`.
    static func counters(of what: String, count: UInt64, max: UInt64, _ next: () throws -> (node: String, counter: UInt64)) throws -> VectorClock {
        guard count <= max else { throw PartaCoreError.malformed("\(what) lists \(count) nodes") }
        var clock = VectorClock()
        var previous: String?
        for _ in 0..<count {
            let (node, counter) = try next()
            if let previous, !Array(previous.utf8).lexicographicallyPrecedes(node.utf8) {
                throw PartaCoreError.malformed("\(what) is not sorted by node")
            }
            guard counter > 0 else { throw PartaCoreError.malformed("\(what) holds a zero counter") }
            clock[node] = counter
            previous = node
        }
        return clock
    }

    /// The next changes, at most `maxCount`; nil once every change has been read and checked.
    ///
    /// - Precondition: the bundle was opened (``open(with:codes:)``).
    public func nextBatch(maxCount: Int = 10_000) throws -> [Change]? {
        precondition(inflater != nil, "open the bundle before reading its changes")
        if finished { return nil }
        var c = Cursor(payload: ByteReader([], section: "changes"))
        swap(&c, &cursor)
        defer { swap(&c, &cursor) }
        var batch: [Change] = []
        batch.reserveCapacity(min(maxCount, 10_000))
        while batch.count < maxCount {
            if c.pendingGroup == nil {
                if try c.payload.isAtEnd() { break }
                let table = try c.stringRef()
                let row = try c.payload.string()
                let partition = try c.stringRef()
                let fields = try c.payload.varint()
                guard fields > 0 else { throw PartaCoreError.malformed("a row group holds no fields") }
                c.pendingGroup = (table, row, partition, fields)
            }
            guard var group = c.pendingGroup else { break }
            let field = try c.stringRef()
            let flags = try c.payload.u8()
            // Bits 1 and 2 (a seen set, and its through stamp) only where the header announces seen sets.
            guard flags & ~(header.carriesSeenSets ? 7 : 1) == 0, flags & 6 != 4 else {
                throw PartaCoreError.malformed("a field record has unknown flags \(flags)")
            }
            let value = try c.payload.value()
            let stamp = try c.stamp(replaced: false)
            let replaced = flags & 1 == 1 ? try c.stamp(replaced: true) : nil
            let seen = flags & 2 == 2 ? try c.seenSet(withThrough: flags & 4 == 4) : nil
            batch.append(Change(table: group.table, row: group.row, partition: group.partition, field: field,
                                value: value, stamp: stamp, replaced: replaced, seen: seen))
            c.changesRead += 1
            guard c.changesRead <= header.changeCount else { throw PartaCoreError.malformed("the bundle holds more changes than its header says (\(header.changeCount))") }
            group.remaining -= 1
            c.pendingGroup = group.remaining == 0 ? nil : group
        }
        if batch.isEmpty {
            guard c.pendingGroup == nil else { throw PartaCoreError.truncated("changes") }
            guard c.changesRead == header.changeCount else {
                throw PartaCoreError.malformed("the bundle holds \(c.changesRead) changes but its header says \(header.changeCount)")
            }
            let unpacked = inflater?.totalOut ?? 0
            guard unpacked == declaredPayloadLength else {
                throw PartaCoreError.malformed("the changes unpack to \(unpacked) bytes but the bundle says \(declaredPayloadLength)")
            }
            finished = true
            return nil
        }
        return batch
    }

    /// Reads every remaining change; for tests and small bundles.
    public func readAll() throws -> [Change] {
        var all: [Change] = []
        while let batch = try nextBatch() { all += batch }
        return all
    }
}
