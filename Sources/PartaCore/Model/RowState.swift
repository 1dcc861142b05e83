/// The registers of one replicated row: for each field, its winning value, the stamp of the change
/// that wrote it, and the stamp that change replaced. Stored beside the row (never on the wire).
///
/// The encoding is canonical: fields in bytewise order, so equal states have equal bytes.
public struct RowState: Equatable, Sendable {
    public struct Register: Equatable, Sendable {
        public var value: Value
        public var stamp: Stamp
        public var replaced: Stamp?
        /// What the winning change's writer had seen of the field, when stated (``SeenSet``).
        public var seen: SeenSet?

        public init(value: Value, stamp: Stamp, replaced: Stamp?, seen: SeenSet? = nil) {
            self.value = value
            self.stamp = stamp
            self.replaced = replaced
            self.seen = seen
        }

        /// The register as the change that wrote it.
        public var written: (stamp: Stamp, replaced: Stamp?, seen: SeenSet?) { (stamp, replaced, seen) }
    }

    /// The registers in bytewise order of their fields (the encoding's order). A row has a few
    /// fields, so a sorted array beats a dictionary: no hashing, one allocation, no sort to encode.
    /// Fields are matched with String `==`, as a dictionary's keys are.
    private var fields: [(field: String, register: Register)]

    public init(registers: [String: Register] = [:]) {
        fields = []
        fields.reserveCapacity(registers.count)
        for (field, register) in registers { self[field] = register }
    }

    /// The registers by field.
    public var registers: [String: Register] {
        get { Dictionary(fields.map { ($0.field, $0.register) }, uniquingKeysWith: { a, _ in a }) }
        set { self = RowState(registers: newValue) }
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }

    public subscript(field: String) -> Register? {
        get {
            for entry in fields where entry.field == field { return entry.register }
            return nil
        }
        set {
            if let i = fields.firstIndex(where: { $0.field == field }) {
                if let newValue { fields[i].register = newValue } else { fields.remove(at: i) }
                return
            }
            guard let newValue else { return }
            // Insert in bytewise order (appending is the common case: fields usually come sorted).
            var i = fields.endIndex
            while i > fields.startIndex, field.bytesPrecede(fields[i - 1].field) { i -= 1 }
            if i == fields.endIndex { fields.append((field, newValue)) } else { fields.insert((field, newValue), at: i) }
        }
    }

    public static func == (lhs: RowState, rhs: RowState) -> Bool {
        lhs.fields.count == rhs.fields.count && lhs.fields.allSatisfy { rhs[$0.field] == $0.register }
    }

    public var isDeleted: Bool { self[Change.deletedField]?.value == .integer(1) }

    /// Fields sorted bytewise.
    public var sortedFields: [(field: String, register: Register)] { fields }

    /// Format: varint field count; per field: field text, flags (bit 0 = replaced present, bit 1 =
    /// seen set present, bit 2 = the seen set has a `through` stamp), value (as in a bundle's
    /// field record), stamp (u64 time, node text, varint counter), replaced stamp, seen set
    /// (varint count, node text and varint counter per entry in bytewise order, through stamp).
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(64 + 96 * fields.count)
        encode(into: &w)
        return w.bytes
    }

    func encode(into w: inout ByteWriter) {
        w.varint(UInt64(fields.count))
        for (field, r) in fields {
            w.string(field)
            w.u8((r.replaced == nil ? 0 : 1) | (r.seen == nil ? 0 : 2) | (r.seen?.through == nil ? 0 : 4))
            w.value(r.value)
            RowState.encode(r.stamp, into: &w)
            if let replaced = r.replaced { RowState.encode(replaced, into: &w) }
            if let seen = r.seen {
                ChangeSetWriter.encodeClock(seen.latest, into: &w)
                if let through = seen.through { RowState.encode(through, into: &w) }
            }
        }
    }

    /// The exact length of ``encoded``.
    var encodedCount: Int {
        var n = ByteWriter.varintCount(UInt64(fields.count))
        for (field, r) in fields {
            n += ByteWriter.stringCount(field) + 1 + ByteWriter.valueCount(r.value) + RowState.stampCount(r.stamp)
            if let replaced = r.replaced { n += RowState.stampCount(replaced) }
            if let seen = r.seen {
                n += ByteWriter.varintCount(UInt64(seen.latest.counters.count))
                for (node, counter) in seen.latest.counters { n += ByteWriter.stringCount(node) + ByteWriter.varintCount(counter) }
                if let through = seen.through { n += RowState.stampCount(through) }
            }
        }
        return n
    }

    public init(encoded bytes: [UInt8]) throws {
        var r = ByteReader(bytes, section: "row state")
        fields = []
        let count = try r.varint()
        fields.reserveCapacity(Int(min(count, 64)))
        for _ in 0..<count {
            let field = try r.string()
            let flags = try r.u8()
            let value = try r.value()
            let stamp = try RowState.decodeStamp(&r)
            let replaced = flags & 1 == 1 ? try RowState.decodeStamp(&r) : nil
            var seen: SeenSet?
            if flags & 2 == 2 {
                seen = SeenSet(latest: try ChangeSetReader.decodeClock(&r), through: flags & 4 == 4 ? try RowState.decodeStamp(&r) : nil)
            }
            self[field] = Register(value: value, stamp: stamp, replaced: replaced, seen: seen)
        }
    }

    static func encode(_ s: Stamp, into w: inout ByteWriter) {
        w.u64(s.time.rawValue)
        w.string(s.node)
        w.varint(s.counter)
    }

    static func stampCount(_ s: Stamp) -> Int { 8 + ByteWriter.stringCount(s.node) + ByteWriter.varintCount(s.counter) }

    static func decodeStamp(_ r: inout ByteReader) throws -> Stamp {
        let time = HybridTimestamp(rawValue: try r.u64())
        let node = try r.string()
        return Stamp(time: time, node: node, counter: try r.varint())
    }
}

/// Several rows' applied changes, as one history entry: what one local write or one batch of an
/// import put into effect. Local bookkeeping, never on the wire.
public struct HistoryBatch: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var table: String
        public var row: String
        public var partition: String
        public var applied: RowState

        public init(table: String, row: String, partition: String, applied: RowState) {
            self.table = table
            self.row = row
            self.partition = partition
            self.applied = applied
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Format: varint count; per entry: table, row, partition texts, then the length-prefixed ``RowState`` encoding.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.varint(UInt64(entries.count))
        for e in entries {
            w.string(e.table)
            w.string(e.row)
            w.string(e.partition)
            w.varint(UInt64(e.applied.encodedCount))
            e.applied.encode(into: &w)
        }
        return w.bytes
    }

    public init(encoded bytes: [UInt8]) throws {
        var r = ByteReader(bytes, section: "history")
        var entries: [Entry] = []
        let count = try r.varint()
        for _ in 0..<count {
            let table = try r.string(), row = try r.string(), partition = try r.string()
            let length = try r.varint()
            guard length <= UInt64(bytes.count) else { throw PartaCoreError.truncated("history") }
            entries.append(Entry(table: table, row: row, partition: partition, applied: try RowState(encoded: r.bytes(Int(length)))))
        }
        self.entries = entries
    }
}

extension HistoryBatch {
    /// Appends one entry to `entries` in the format of ``encoded`` (after its count), with the
    /// applied state already encoded (``RowState/encoded``): a writer that has the state's bytes
    /// at hand builds a batch without a second encoding of every row.
    public static func appendEntry(table: String, row: String, partition: String, encodedState: [UInt8], to entries: inout [UInt8]) {
        var w = ByteWriter()
        swap(&w.bytes, &entries)
        w.string(table)
        w.string(row)
        w.string(partition)
        w.varint(UInt64(encodedState.count))
        w.raw(encodedState)
        swap(&w.bytes, &entries)
    }

    /// The bytes of a batch of `count` entries appended by ``appendEntry(table:row:partition:encodedState:to:)``:
    /// the same as ``encoded`` of the same entries.
    public static func encoded(count: Int, entries: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(entries.count + 10)
        w.varint(UInt64(count))
        w.raw(entries)
        return w.bytes
    }
}
