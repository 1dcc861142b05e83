/// One write of one replicated field: the unit of replication.
///
/// A change sets `table[row].field` to ``value`` with ``stamp``; ``replaced`` is the stamp of the
/// value the writer saw in that field when it wrote (nil for a first write), and ``seen`` what it
/// had seen of the field in full. Deletes are changes to
/// the reserved field ``Change/deletedField`` (value 1 = deleted, 0 = restored), so they replicate
/// like any other field and never come back by accident.
///
/// ``partition`` says which scope the row belongs to; it is fixed when the row is created.
public struct Change: Hashable, Sendable, CustomStringConvertible {
    public var table: String
    public var row: String
    public var partition: String
    public var field: String
    public var value: Value
    public var stamp: Stamp
    public var replaced: Stamp?
    /// What the writer had seen of the register (replication-v1 §5.1); nil when the writer, or a
    /// relay on the way, does not state it. Then ``replaced`` alone decides the conflict verdict.
    public var seen: SeenSet?

    /// The tombstone field: `1` when the row is deleted.
    public static let deletedField = "$deleted"
    /// The partition of rows every node holds.
    public static let everywhere = "*"
    /// The partition of rows that are held by the hub and reach members only by reference.
    public static let unpartitioned = ""

    public init(table: String, row: String, partition: String, field: String, value: Value, stamp: Stamp, replaced: Stamp? = nil, seen: SeenSet? = nil) {
        self.table = table
        self.row = row
        self.partition = partition
        self.field = field
        self.value = value
        self.stamp = stamp
        self.replaced = replaced
        self.seen = seen
    }

    public var description: String { "\(table)[\(row)].\(field) = \(value) @\(stamp)" }
}
