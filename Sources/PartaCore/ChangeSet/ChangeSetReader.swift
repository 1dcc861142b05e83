import Crypto

/// Decodes bundle bytes (Protocol/bundle-format-v1.md): checks framing and checksum up front,
/// then yields changes in batches while unpacking, so memory stays bounded for any bundle size.
///
/// Construction validates everything except the payload's content: magic, version, flags,
/// header, lengths and the SHA-256 checksum. ``nextBatch(maxCount:)`` validates the payload as it
/// goes; the last call checks that the change count and unpacked length match the header.
///
/// - Throws: ``PartaCoreError`` with `.badMagic`, `.unsupportedVersion`, `.unsupportedFeature`,
///   `.truncated`, `.checksumMismatch`, `.malformed` or `.payloadTooLarge`. Never traps on any input.
public final class ChangeSetReader {
    public let header: ChangeSetHeader
    public let declaredPayloadLength: UInt64
    private let inflater: Inflater
    /// Where decoding stands. ``nextBatch(maxCount:)`` works on a local copy (moved out and back),
    /// so that the hot loop pays no exclusivity checks on the class's properties.
    private var cursor: Cursor
    public var changesRead: UInt64 { cursor.changesRead }
    private var finished = false

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
            throw PartaCoreError(.unsupportedVersion, Message(
                en: "The bundle was made by \(version > ChangeSetFormat.version ? "a newer" : "an unknown") Parta (format \(version); this one reads format \(ChangeSetFormat.version)). Update Parta on this computer, then import again.",
                ru: "Пакет создан \(version > ChangeSetFormat.version ? "более новой" : "неизвестной") версией Parta (формат \(version); эта версия читает формат \(ChangeSetFormat.version)). Обновите Parta на этом компьютере и повторите импорт."),
                context: ["version": String(version)])
        }
        r.position = ChangeSetFormat.magic.count
        r.section = "flags"
        let flags = try r.u16()
        guard flags == 0 else {
            throw PartaCoreError(.unsupportedFeature, Message(
                en: "The bundle uses features this Parta does not know (flags \(flags)): signed or sealed bundles need a newer Parta. Update Parta, then import again.",
                ru: "Пакет использует возможности, неизвестные этой версии Parta (флаги \(flags)): подписанные или зашифрованные пакеты требуют более новой версии. Обновите Parta и повторите импорт."),
                context: ["flags": String(flags)])
        }
        r.section = "header length"
        let headerLength = try r.u32()
        guard headerLength <= ChangeSetFormat.maxHeaderLength else { throw PartaCoreError.malformed("the header length \(headerLength) is too large") }
        r.section = "header"
        let headerBytes = try r.bytes(Int(headerLength))
        r.section = "payload lengths"
        let uncompressed = try r.u64()
        let compressedLength = try r.u64()
        guard compressedLength <= UInt64(bytes.count) else { throw PartaCoreError.truncated("compressed changes") }
        r.section = "compressed changes"
        let compressed = try r.bytes(Int(compressedLength))
        let checksummedLength = r.position
        r.section = "checksum"
        let checksum = try r.bytes(32)
        guard r.position == bytes.count else { throw PartaCoreError.malformed("there are \(bytes.count - r.position) extra bytes after the checksum") }
        let actual = Array(SHA256.hash(data: bytes[0..<checksummedLength]))
        guard actual == checksum else {
            throw PartaCoreError(.checksumMismatch, Message(
                en: "The bundle's checksum does not match its contents: the file was damaged (a failing USB stick, an interrupted copy) or altered. Ask for the bundle to be exported again.",
                ru: "Контрольная сумма пакета не совпадает с содержимым: файл повреждён (сбой флешки, прерванное копирование) или изменён. Попросите выгрузить пакет заново."))
        }
        guard uncompressed <= maxPayload else {
            throw PartaCoreError(.payloadTooLarge, Message(
                en: "The bundle says its changes unpack to \(uncompressed) bytes, more than the \(maxPayload) allowed.",
                ru: "Пакет заявляет \(uncompressed) байт изменений после распаковки — больше допустимых \(maxPayload)."),
                context: ["declared": String(uncompressed)])
        }
        self.header = try ChangeSetReader.decodeHeader(headerBytes)
        self.declaredPayloadLength = uncompressed
        let inflater = try Inflater(input: compressed, limit: uncompressed)
        self.inflater = inflater
        self.cursor = Cursor(payload: ByteReader([], section: "changes") { buffer in try inflater.read(into: &buffer) })
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
        let extensions = try r.varint()
        for _ in 0..<extensions {
            let type = try r.varint()
            let length = try r.varint()
            guard length <= UInt64(bytes.count) else { throw PartaCoreError.truncated("header extension") }
            _ = try r.bytes(Int(length))
            if type & 1 == 1 {
                throw PartaCoreError(.unsupportedFeature, Message(
                    en: "The bundle needs a feature this Parta does not know (header extension \(type)). Update Parta, then import again.",
                    ru: "Пакету нужна возможность, неизвестная этой версии Parta (расширение заголовка \(type)). Обновите Parta и повторите импорт."),
                    context: ["extension": String(type)])
            }
        }
        guard r.position == bytes.count else { throw PartaCoreError.malformed("the header has \(bytes.count - r.position) unexplained bytes") }
        return ChangeSetHeader(bundleID: id, created: created, sender: sender, senderPartition: senderPartition,
                               recipient: recipient, base: base, upper: upper, changeCount: count)
    }

    static func decodeClock(_ r: inout ByteReader) throws -> VectorClock {
        let count = try r.varint()
        guard count <= 100_000 else { throw PartaCoreError.malformed("a vector clock lists \(count) nodes") }
        var clock = VectorClock()
        var previous: String?
        for _ in 0..<count {
            let node = try r.string(limit: 1024)
            let counter = try r.varint()
            if let previous, !Array(previous.utf8).lexicographicallyPrecedes(node.utf8) {
                throw PartaCoreError.malformed("a vector clock is not sorted by node")
            }
            guard counter > 0 else { throw PartaCoreError.malformed("a vector clock holds a zero counter") }
            clock[node] = counter
            previous = node
        }
        return clock
    }

    /// The next changes, at most `maxCount`; nil once every change has been read and checked.
    public func nextBatch(maxCount: Int = 10_000) throws -> [Change]? {
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
            guard flags & ~1 == 0 else { throw PartaCoreError.malformed("a field record has unknown flags \(flags)") }
            let value = try c.payload.value()
            let stamp = try c.stamp(replaced: false)
            let replaced = flags & 1 == 1 ? try c.stamp(replaced: true) : nil
            batch.append(Change(table: group.table, row: group.row, partition: group.partition, field: field,
                                value: value, stamp: stamp, replaced: replaced))
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
            guard inflater.totalOut == declaredPayloadLength else {
                throw PartaCoreError.malformed("the changes unpack to \(inflater.totalOut) bytes but the bundle says \(declaredPayloadLength)")
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
