import Crypto

/// Encodes a change set into bundle bytes (Protocol/bundle-format-v1.md), compressing as it goes.
///
/// Changes are written in the order appended; consecutive changes of the same row share one row
/// group. Memory holds the compressed payload plus one small buffer, not the changes.
public final class ChangeSetWriter {
    private var header: ChangeSetHeader
    private let deflater: Deflater
    private var pending = ByteWriter()
    private var groupBuffer = ByteWriter()
    /// Texts already defined in the payload, keyed by their UTF-8 bytes (see ``UTF8Key``).
    private var strings: [UTF8Key: UInt64] = [:]
    private var uncompressedLength: UInt64 = 0
    private var currentRow: (table: String, row: String, partition: String)?
    private var currentFields: [Change] = []
    private var lastStamp = (time: UInt64(0), counter: UInt64(0))
    private var lastReplaced = (time: UInt64(0), counter: UInt64(0))
    public private(set) var changeCount: UInt64 = 0

    public init(header: ChangeSetHeader, compressionLevel: Int32 = 6) throws {
        self.header = header
        self.deflater = try Deflater(level: compressionLevel)
    }

    public func append(_ change: Change) throws {
        // Bytewise, like the text table: canonically equivalent spellings are different rows.
        if let row = currentRow, row.table.utf8.elementsEqual(change.table.utf8), row.row.utf8.elementsEqual(change.row.utf8),
           row.partition.utf8.elementsEqual(change.partition.utf8) {
            currentFields.append(change)
        } else {
            try flushRowGroup()
            currentRow = (change.table, change.row, change.partition)
            currentFields = [change]
        }
        changeCount += 1
    }

    public func append<S: Sequence>(contentsOf changes: S) throws where S.Element == Change {
        for change in changes { try append(change) }
    }

    /// Finishes the stream and returns the whole bundle: framing, header, payload, checksum.
    public func finish() throws -> [UInt8] {
        try flushRowGroup()
        try compressPending()
        let compressed = try deflater.finish()

        header.changeCount = changeCount
        var out = ByteWriter()
        out.raw(ChangeSetFormat.magic)
        out.u16(0)
        let headerBytes = ChangeSetWriter.encodeHeader(header)
        out.u32(UInt32(headerBytes.count))
        out.raw(headerBytes)
        out.u64(uncompressedLength)
        out.u64(UInt64(compressed.count))
        out.raw(compressed)
        out.raw(Array(SHA256.hash(data: out.bytes)))
        return out.bytes
    }

    static func encodeHeader(_ h: ChangeSetHeader) -> [UInt8] {
        var w = ByteWriter()
        w.raw(h.bundleID)
        w.u64(h.created.rawValue)
        w.string(h.sender)
        w.string(h.senderPartition)
        switch h.recipient {
        case .node(let id): w.u8(1); w.string(id)
        case .partition(let id): w.u8(2); w.string(id)
        }
        encodeClock(h.base, into: &w)
        encodeClock(h.upper, into: &w)
        w.varint(h.changeCount)
        w.varint(0) // extensions: none in version 1
        return w.bytes
    }

    static func encodeClock(_ clock: VectorClock, into w: inout ByteWriter) {
        let entries = clock.sortedEntries
        w.varint(UInt64(entries.count))
        for entry in entries { w.string(entry.node); w.varint(entry.counter) }
    }

    private func stringRef(_ s: String, into w: inout ByteWriter) {
        let key = UTF8Key(s)
        if let index = strings[key] {
            w.varint(index + 1)
        } else {
            strings[key] = UInt64(strings.count)
            w.varint(0)
            w.string(s)
        }
    }

    private func flushRowGroup() throws {
        guard let row = currentRow else { return }
        var w = groupBuffer
        w.bytes.removeAll(keepingCapacity: true)
        stringRef(row.table, into: &w)
        w.string(row.row)
        stringRef(row.partition, into: &w)
        w.varint(UInt64(currentFields.count))
        for change in currentFields {
            stringRef(change.field, into: &w)
            w.u8(change.replaced == nil ? 0 : 1)
            w.value(change.value)
            encodeStamp(change.stamp, last: &lastStamp, into: &w)
            if let replaced = change.replaced { encodeStamp(replaced, last: &lastReplaced, into: &w) }
        }
        pending.raw(w.bytes)
        groupBuffer = w
        currentRow = nil
        currentFields.removeAll(keepingCapacity: true)
        if pending.bytes.count >= 1 << 16 { try compressPending() }
    }

    private func compressPending() throws {
        uncompressedLength += UInt64(pending.bytes.count)
        try deflater.write(pending.bytes)
        pending.bytes.removeAll(keepingCapacity: true)
    }

    private func encodeStamp(_ stamp: Stamp, last: inout (time: UInt64, counter: UInt64), into w: inout ByteWriter) {
        w.zigzag(Int64(bitPattern: stamp.time.rawValue &- last.time))
        stringRef(stamp.node, into: &w)
        w.zigzag(Int64(bitPattern: stamp.counter &- last.counter))
        last = (stamp.time.rawValue, stamp.counter)
    }
}

/// A text compared and hashed by its UTF-8 bytes.
///
/// Swift's `String ==` treats canonically equivalent texts as equal ("й" as one scalar and as
/// "и" + U+0306), but the bundle format, SQLite and other implementations compare bytes. Keying the
/// writer's text table by `String` would silently replace one spelling with the other.
struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
