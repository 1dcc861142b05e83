/// For each origin node, the highest change counter a replica holds *within its scope*.
///
/// `clock[n] == k` promises that every change made by node `n` with counter `1...k` that falls in
/// the holder's scope is held (or superseded by a held change). Nodes not present read as zero.
/// Equality ignores explicit zeros.
public struct VectorClock: Hashable, Sendable, CustomStringConvertible {
    public private(set) var counters: [String: UInt64]

    public init(_ counters: [String: UInt64] = [:]) {
        self.counters = counters.filter { $0.value > 0 }
    }

    public subscript(node: String) -> UInt64 {
        get { counters[node] ?? 0 }
        set { counters[node] = newValue == 0 ? nil : newValue }
    }

    /// Whether the change `(node, counter)` is covered by this clock.
    public func covers(node: String, counter: UInt64) -> Bool { counter <= self[node] }

    /// Pointwise maximum.
    public func merged(with other: VectorClock) -> VectorClock {
        var result = self
        for (node, counter) in other.counters where counter > result[node] { result[node] = counter }
        return result
    }

    /// Pointwise minimum over several clocks; an empty list gives the empty clock.
    public static func pointwiseMinimum(_ clocks: [VectorClock]) -> VectorClock {
        guard var result = clocks.first else { return VectorClock() }
        for clock in clocks.dropFirst() {
            for node in Array(result.counters.keys) { result[node] = min(result[node], clock[node]) }
        }
        return result
    }

    /// Entries sorted by node id, bytewise: the canonical order on the wire.
    public var sortedEntries: [(node: String, counter: UInt64)] {
        counters.map { (node: $0.key, counter: $0.value) }.sorted { $0.node.utf8.lexicographicallyPrecedes($1.node.utf8) }
    }

    public var description: String {
        "{" + sortedEntries.map { "\($0.node):\($0.counter)" }.joined(separator: ", ") + "}"
    }
}

extension VectorClock {
    /// The clock in the bundle format's encoding (count, then sorted node/counter pairs).
    public var encoded: [UInt8] {
        var w = ByteWriter()
        ChangeSetWriter.encodeClock(self, into: &w)
        return w.bytes
    }

    /// Decodes ``encoded``.
    public init(encoded: [UInt8]) throws {
        var r = ByteReader(encoded, section: "vector clock")
        self = try ChangeSetReader.decodeClock(&r)
    }
}
