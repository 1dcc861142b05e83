/// The value of one replicated field: SQLite's storage classes without BLOB.
///
/// Values compare canonically (``canonicalBytes``), so replicas that agree on a value agree
/// byte for byte, whatever path it took.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        }
    }

    public var textValue: String? { if case .text(let v) = self { return v } else { return nil } }
    public var integerValue: Int64? { if case .integer(let v) = self { return v } else { return nil } }
    /// The number a real or an integer holds.
    public var numberValue: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}
