import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// The application's local tables are the store's (issue 18): made at create, upgraded at open
/// by version, taken up as they are when an earlier release made them itself; rows read by name.
@Suite struct LocalTablesTests {
    static let notes = LocalTable(name: "notes", definition: "(id TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL, pinned INTEGER NOT NULL DEFAULT 0)",
                                  addedColumns: [.init("pinned", "INTEGER NOT NULL DEFAULT 0")])
    static let schema = ReplicationSchema(tables: testSchema.tables.filter { $0.name != "nodes" && $0.name != "partitions" },
                                          local: LocalSchema(version: 2, tables: [notes]))

    func columns(_ replica: Replica, _ table: String) throws -> [String] {
        try replica.database.select("SELECT name FROM pragma_table_info(?)", [.text(table)]).map { $0.text("name") }
    }

    func recordedVersion(_ replica: Replica) throws -> Int64? {
        try replica.database.scalar("SELECT value FROM parta_meta WHERE key = 'local_schema_version'")?.integerValue
    }

    @Test func aNewReplicaHasItsLocalTablesAtTheirVersion() throws {
        let dir = TemporaryDirectory("parta-local"); defer { dir.remove() }
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: Self.schema, now: testMilliseconds(year: 2020, month: 9, day: 1))
        #expect(try columns(hub, "notes") == ["id", "body", "pinned"])
        #expect(try recordedVersion(hub) == 2)
    }

    @Test func aTableAnEarlierReleaseMadeItselfIsTakenUpAndGivenItsNewColumns() throws {
        let dir = TemporaryDirectory("parta-local"); defer { dir.remove() }
        let path = dir.file("hub.sqlite")
        let old = try Replica.createTestHub(at: path, schema: testSchemaWithoutLocalTables, now: testMilliseconds(year: 2020, month: 9, day: 1))
        #expect(try recordedVersion(old) == nil)
        try old.database.execute("CREATE TABLE notes (id TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL)")
        try old.database.run("INSERT INTO notes (id, body) VALUES ('n1', 'kept')")
        old.closeFile()

        let upgraded = try Replica.openTest(at: path, schema: Self.schema)
        #expect(try columns(upgraded, "notes") == ["id", "body", "pinned"])
        #expect(try recordedVersion(upgraded) == 2)
        let row = try #require(try upgraded.database.selectFirst("SELECT id, body, pinned FROM notes"))
        #expect(row.text("id") == "n1" && row.text("body") == "kept" && row.int("pinned") == 0)
        upgraded.closeFile()
        // Opening again changes nothing; a release with a lower version leaves a later one alone.
        let again = try Replica.openTest(at: path, schema: Self.schema)
        #expect(try columns(again, "notes") == ["id", "body", "pinned"])
        again.closeFile()
        let earlier = try Replica.openTest(at: path, schema: testSchemaWithoutLocalTables)
        #expect(try recordedVersion(earlier) == 2)
    }

    @Test func rowsAreReadByTheirColumnNames() throws {
        let dir = TemporaryDirectory("parta-local"); defer { dir.remove() }
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: Self.schema, now: testMilliseconds(year: 2020, month: 9, day: 1))
        try hub.database.run("INSERT INTO notes (id, body, pinned) VALUES ('n1', 'one', 1), ('n2', 'two', 0)")
        let rows = try hub.database.select("SELECT id, coalesce(NULL, body) AS text, pinned = 1 AS pinned, NULL AS missing FROM notes ORDER BY id")
        #expect(rows.map { $0.text("id") } == ["n1", "n2"])
        #expect(rows.map { $0.text("text") } == ["one", "two"])
        #expect(rows.map { $0.bool("pinned") } == [true, false])
        #expect(rows[0].optionalText("missing") == nil && rows[0].text("missing") == "" && rows[0].optionalInt("missing") == nil)
        let statement = try hub.database.statement("SELECT body, id FROM notes")
        #expect(statement.column("id") == 1 && statement.column("body") == 0)
    }
}

private let testSchemaWithoutLocalTables = ReplicationSchema(tables: testSchema.tables.filter { $0.name != "nodes" && $0.name != "partitions" })
