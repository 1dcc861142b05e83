/// The registers of one replicated row: for each field, its winning value, the stamp of the change
/// that wrote it, and the stamp that change replaced. Stored beside the row (never on the wire).
///
/// The encoding is canonical: fields in bytewise order, so equal states have equal bytes.
public struct RowState: Equatable, Sendable {
    public struct Register: Equatable, Sendable {
        public var value: Value
        public var stamp: Stamp
        public var replaced: Stamp?

        public init(value: Value, stamp: Stamp, replaced: Stamp?) {
            self.value = value
            self.stamp = stamp
            self.replaced = replaced
        }
    }

    public var registers: [String: Register]

    public init(registers: [String: Register] = [:]) { self.registers = registers }

    public subscript(field: String) -> Register? {
        get { registers[field] }
        set { registers[field] = newValue }
    }

    public var isDeleted: Bool { registers[Change.deletedField]?.value == .integer(1) }

    /// Fields sorted bytewise.
    public var sortedFields: [(field: String, register: Register)] {
        registers.map { ($0.key, $0.value) }.sorted { $0.field.utf8.lexicographicallyPrecedes($1.field.utf8) }
    }

    /// Format: varint field count; per field: field text, flags (bit0 = replaced present), value
    /// (as in a bundle's field record), stamp (u64 time, node text, varint counter), replaced stamp.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        let fields = sortedFields
        w.varint(UInt64(fields.count))
        for (field, r) in fields {
            w.string(field)
            w.u8(r.replaced == nil ? 0 : 1)
            w.value(r.value)
            RowState.encode(r.stamp, into: &w)
            if let replaced = r.replaced { RowState.encode(replaced, into: &w) }
        }
        return w.bytes
    }

    public init(encoded bytes: [UInt8]) throws {
        var r = ByteReader(bytes, section: "row state")
        var registers: [String: Register] = [:]
        let count = try r.varint()
        for _ in 0..<count {
            let field = try r.string()
            let flags = try r.u8()
            let value = try r.value()
            let stamp = try RowState.decodeStamp(&r)
            let replaced = flags & 1 == 1 ? try RowState.decodeStamp(&r) : nil
            registers[field] = Register(value: value, stamp: stamp, replaced: replaced)
        }
        self.registers = registers
    }

    static func encode(_ s: Stamp, into w: inout ByteWriter) {
        w.u64(s.time.rawValue)
        w.string(s.node)
        w.varint(s.counter)
    }

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
            let state = e.applied.encoded
            w.varint(UInt64(state.count))
            w.raw(state)
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
