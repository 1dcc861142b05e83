import Crypto

/// Encodes a change set into bundle bytes (Protocol/bundle-format-v2.md), compressing as it goes,
/// then seals the payload to its recipients and signs the whole.
///
/// Changes are written in the order appended; consecutive changes of the same row share one row
/// group. Memory holds the compressed payload plus one small buffer, not the changes.
public final class ChangeSetWriter {
    /// The header as written; complete (keys, stanzas, change count) after `finish`.
    public private(set) var header: ChangeSetHeader
    private let deflater: PayloadDeflater
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
        self.deflater = try PayloadDeflater(level: compressionLevel)
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

    /// Finishes the stream and returns the whole bundle: framing, header, sealed payload,
    /// checksum and signature (Protocol/bundle-format-v2.md).
    ///
    /// - Parameters:
    ///   - keys: the sender's keys; the bundle is signed with `keys.signing` and names both public keys.
    ///   - recipients: who can open the payload; at least one.
    ///   - enrollmentProof: a new node's proof of its enrollment code, if it has one to send.
    ///   - entropy: the file key and ephemeral key; random unless a test vector fixes them.
    public func finish(signedBy keys: NodeKeys, sealedFor recipients: [SealRecipient], enrollmentProof: [UInt8]? = nil,
                       entropy: SealingEntropy = .random()) throws -> [UInt8] {
        precondition(!recipients.isEmpty, "a sealed bundle needs at least one recipient")
        let (uncompressed, compressed) = try finishPayload()
        header.changeCount = changeCount
        header.senderKeys = keys.publicKeys
        header.ephemeralKey = Array(entropy.ephemeral.publicKey.rawRepresentation)
        header.stanzas = try recipients.map { try BundleCrypto.wrap(fileKey: entropy.fileKey, for: $0, ephemeral: entropy.ephemeral) }
        header.enrollmentProof = enrollmentProof
        var out = ByteWriter()
        out.raw(ChangeSetFormat.magic)
        out.u16(ChangeSetFormat.flags)
        let headerBytes = ChangeSetWriter.encodeHeader(header)
        out.u32(UInt32(headerBytes.count))
        out.raw(headerBytes)
        out.u64(uncompressed)
        out.u64(UInt64(compressed.count + 16))
        let sealed = try BundleCrypto.sealBody(compressed, fileKey: entropy.fileKey, authenticating: out.bytes)
        out.raw(sealed)
        let checksum = Array(SHA256.hash(data: out.bytes))
        out.raw(checksum)
        out.raw(Array(try keys.signing.signature(for: BundleCrypto.signedMessage(checksum: checksum))))
        return out.bytes
    }

    /// Finishes the zlib stream: the payload's unpacked length and its compressed bytes. Used by
    /// ``finish(signedBy:sealedFor:enrollmentProof:entropy:)``, and alone by benchmarks that
    /// measure what sealing and signing add.
    public func finishPayload() throws -> (uncompressedLength: UInt64, compressed: [UInt8]) {
        try flushRowGroup()
        try compressPending()
        return (uncompressedLength, try deflater.finish())
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
        w.raw(h.senderKeys?.signing ?? [UInt8](repeating: 0, count: 32))
        w.raw(h.senderKeys?.sealing ?? [UInt8](repeating: 0, count: 32))
        w.raw(h.ephemeralKey.count == 32 ? h.ephemeralKey : [UInt8](repeating: 0, count: 32))
        w.varint(UInt64(h.stanzas.count))
        for stanza in h.stanzas { w.u8(stanza.kind.rawValue); w.raw(stanza.wrappedKey) }
        // Extensions in ascending type order.
        var extensions: [(type: UInt64, body: [UInt8])] = []
        if let proof = h.enrollmentProof { extensions.append((ChangeSetFormat.enrollmentProofExtension, proof)) }
        if h.carriesSeenSets { extensions.append((ChangeSetFormat.seenSetsExtension, [])) }
        for (type, features) in [(ChangeSetFormat.readsExtension, h.reads), (ChangeSetFormat.writtenForExtension, h.writtenFor)] {
            guard let features else { continue }
            var body = ByteWriter()
            body.varint(features.rawValue)
            extensions.append((type, body.bytes))
        }
        if !h.newestHeld.isEmpty {
            var body = ByteWriter()
            body.varint(UInt64(h.newestHeld.count))
            for held in h.newestHeld.sorted(by: { $0.node.utf8.lexicographicallyPrecedes($1.node.utf8) }) {
                body.string(held.node)
                body.varint(held.counter)
                body.u64(held.time.rawValue)
            }
            extensions.append((ChangeSetFormat.newestHeldExtension, body.bytes))
        }
        if !h.ownTimes.isEmpty {
            var body = ByteWriter()
            Self.encodeTimes(h.ownTimes, into: &body)
            extensions.append((ChangeSetFormat.ownTimesExtension, body.bytes))
        }
        if !h.lineageTimes.isEmpty {
            var body = ByteWriter()
            body.varint(UInt64(h.lineageTimes.count))
            for lineage in h.lineageTimes.sorted(by: { $0.node.utf8.lexicographicallyPrecedes($1.node.utf8) }) {
                body.string(lineage.node)
                Self.encodeTimes(lineage.times, into: &body)
            }
            extensions.append((ChangeSetFormat.lineageTimesExtension, body.bytes))
        }
        w.varint(UInt64(extensions.count))
        for e in extensions { w.varint(e.type); w.varint(UInt64(e.body.count)); w.raw(e.body) }
        return w.bytes
    }

    /// Times by counter, as extensions 12 and 14 hold them: a count, then per entry the step from
    /// the counter before (the first from 0) and the HLC, in ascending counter order.
    static func encodeTimes(_ times: [OwnChangeTime], into w: inout ByteWriter) {
        w.varint(UInt64(times.count))
        var previous: UInt64 = 0
        for entry in times.sorted(by: { $0.counter < $1.counter }) {
            w.varint(entry.counter - previous)
            w.u64(entry.time.rawValue)
            previous = entry.counter
        }
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
            // Seen sets only where the header announces them (extension 5); a reader that does not
            // read them never receives one.
            let seen = header.carriesSeenSets ? change.seen?.bounded : nil
            w.u8((change.replaced == nil ? 0 : 1) | (seen == nil ? 0 : 2) | (seen?.through == nil ? 0 : 4))
            w.value(change.value)
            encodeStamp(change.stamp, last: &lastStamp, into: &w)
            if let replaced = change.replaced { encodeStamp(replaced, last: &lastReplaced, into: &w) }
            if let seen {
                let entries = seen.latest.sortedEntries
                w.varint(UInt64(entries.count))
                for entry in entries { stringRef(entry.node, into: &w); w.varint(entry.counter) }
                if let through = seen.through { encodeStamp(through, last: &lastReplaced, into: &w) }
            }
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
