/// The identity and order of one change: the hybrid timestamp, the origin node and the origin's
/// change counter.
///
/// Order is total: by ``time``, then by ``node`` compared bytewise as UTF-8, then by ``counter``.
/// Every replica therefore picks the same winner among any set of stamps. `(node, counter)` is
/// unique per change: a node never reuses a counter.
public struct Stamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var time: HybridTimestamp
    public var node: String
    public var counter: UInt64

    public init(time: HybridTimestamp, node: String, counter: UInt64) {
        self.time = time
        self.node = node
        self.counter = counter
    }

    public static func < (lhs: Stamp, rhs: Stamp) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        // Bytewise, never Swift's String ==: canonically equivalent ids ("é" and "e" + U+0301) are
        // different nodes, and treating them as one would make this order intransitive.
        if !lhs.node.bytesEqual(rhs.node) { return lhs.node.bytesPrecede(rhs.node) }
        return lhs.counter < rhs.counter
    }

    /// Equal when time, counter and the node id's UTF-8 bytes are equal.
    public static func == (lhs: Stamp, rhs: Stamp) -> Bool {
        lhs.time == rhs.time && lhs.counter == rhs.counter && lhs.node.bytesEqual(rhs.node)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(counter)
        hasher.combine(UTF8Key(node))
    }

    public var description: String { "\(time)@\(node)#\(counter)" }
}
