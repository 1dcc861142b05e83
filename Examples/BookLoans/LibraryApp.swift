import Foundation
import PartaBundle
import PartaCore
import PartaStore

/// A school library network on Parta's generic engine. The district library (the hub) catalogues
/// books and places copies at schools; each school library (a member; partition = school id)
/// lends its copies offline. Data moves only as bundle files on a USB stick.
public struct LibraryApp {
    public static let schema = ReplicationSchema(tables: [
        // `books` is referenced through `copies.book`, not `.everywhere`: a school receives only the
        // titles it holds a copy of, not the whole district catalogue, and a title reaches a school
        // whole (all its fields) the moment its first copy is placed there.
        ReplicatedTable(name: "books", columns: [.init("title", .text), .init("author", .text)],
                        scope: .referenced(via: "copies", column: "book"), writers: .hub),
        ReplicatedTable(name: "copies", columns: [.init("book", .text)], scope: .partitioned, writers: .hub),
        ReplicatedTable(name: "loans", columns: [.init("copy", .text), .init("reader", .text),
                                                 .init("due", .text), .init("returned", .integer)],
                        scope: .partitioned, writers: .partitionMembers),
    ])

    /// One copy that is lent and not yet returned.
    public struct OpenLoan: Equatable, CustomStringConvertible {
        public var school, copy, title, reader, due: String
        public var description: String { "\(copy) \"\(title)\" -> \(reader), due \(due)" }
    }

    public let replica: Replica
    public init(replica: Replica) { self.replica = replica }

    public static func createHub(at path: String, id: String, now: UInt64) throws -> LibraryApp {
        LibraryApp(replica: try Replica.create(at: path, schema: schema, nodeID: id, role: .hub, name: "District library",
                                               keys: .generate(), now: now))
    }

    /// A school library's replica; its node id is `<school>-library`, its partition the school id.
    /// It trusts `hub`'s keys, and the hub enrols it (across a real distance: with an enrollment code).
    public static func createSchool(at path: String, school: String, hub: LibraryApp, now: UInt64) throws -> LibraryApp {
        let (id, keys) = ("\(school)-library", NodeKeys.generate())
        let trusted = TrustedHub(id: hub.replica.nodeID, keys: hub.replica.keys.publicKeys)
        let app = LibraryApp(replica: try Replica.create(at: path, schema: schema, nodeID: id, role: .member(partition: school),
                                                         name: "Library of \(school)", keys: keys, trustedHub: trusted, now: now))
        try hub.replica.enrollMember(id, partition: school, name: "Library of \(school)", keys: keys.publicKeys, now: now)
        return app
    }

    public func addBook(_ id: String, title: String, author: String, now: UInt64) throws {
        try replica.write(table: "books", row: id, values: ["title": .text(title), "author": .text(author)], now: now)
    }

    public func placeCopy(_ id: String, of book: String, at school: String, now: UInt64) throws {
        try replica.write(table: "copies", row: id, partition: school, values: ["book": .text(book)], now: now)
    }

    /// Lends a copy. Loan ids are global across schools, so they carry the school id: a row never
    /// changes partition, and a clash with another school's loan would make the hub refuse the bundle.
    @discardableResult
    public func lend(copy: String, to reader: String, due: String, now: UInt64) throws -> String {
        let id = "\(replica.role.partition)/\(copy)/\(now)"
        try replica.write(table: "loans", row: id, partition: replica.role.partition,
                          values: ["copy": .text(copy), "reader": .text(reader), "due": .text(due), "returned": 0], now: now)
        return id
    }

    public func giveBack(loan id: String, now: UInt64) throws {
        try replica.write(table: "loans", row: id, values: ["returned": 1], now: now)
    }

    public func booksHeld() throws -> [String] {
        try replica.database.rows("SELECT title FROM books ORDER BY title").compactMap { $0[0].textValue }
    }

    /// Copies out now, by school then copy; on the hub, every school's.
    public func openLoans() throws -> [OpenLoan] {
        try replica.database.rows("""
            SELECT l._part, l.copy, coalesce(b.title, '?'), l.reader, l.due FROM loans l
            LEFT JOIN copies c ON c.id = l.copy LEFT JOIN books b ON b.id = c.book
            WHERE l.returned = 0 ORDER BY l._part, l.copy
            """).map { r in
            OpenLoan(school: r[0].textValue ?? "", copy: r[1].textValue ?? "", title: r[2].textValue ?? "",
                     reader: r[3].textValue ?? "", due: r[4].textValue ?? "")
        }
    }

    /// Schools the hub owes bundles: those it placed copies at, and those registered with it.
    public func schools() throws -> [String] {
        try replica.database.rows("""
            SELECT _part FROM copies UNION SELECT partition FROM nodes WHERE role = 'member' ORDER BY 1
            """).compactMap { $0[0].textValue }
    }

    /// Writes what this node owes onto the stick: the hub one bundle per school, a school one for the hub.
    @discardableResult
    public func exportStick(to stick: String, now: UInt64) throws -> [ExportedBundle] {
        let exchange = BundleExchange(replica: replica)
        if case .member(let school) = replica.role {
            return [try exchange.export(for: .node(replica.hubID), partitionFolder: school, to: stick, now: now)]
        }
        return try schools().map { try exchange.export(for: .partition($0), partitionFolder: $0, to: stick, now: now) }
    }

    /// Imports every bundle on the stick meant for this node; others are skipped. A refused bundle
    /// changes nothing and is reported in `failures`.
    public func importStick(from stick: String, now: UInt64) throws -> (applied: [ApplyReport], failures: [BundleError]) {
        var result: (applied: [ApplyReport], failures: [BundleError]) = ([], [])
        for outcome in try BundleExchange(replica: replica).importBundles(at: stick, now: now) {
            switch outcome.status {
            case .applied(let report): result.applied.append(report)
            case .failed(let error): result.failures.append(error)
            case .skipped: break
            }
        }
        return result
    }
}
