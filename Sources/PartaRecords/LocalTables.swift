import PartaStore

extension PartaSchema {
    /// Parta's tables that never leave the computer, made and upgraded by the store at every open
    /// (``LocalSchema``). Releases before the store owned them made them themselves, with the same
    /// definitions (`CREATE TABLE IF NOT EXISTS` where they were first used); the store takes
    /// such tables up as they are.
    ///
    /// - `dashboard_staff`, `dashboard_signin_failures`: the hub's dashboard accounts and its
    ///   counts of wrong passwords (``StaffAccountQueries``). `generation` came after the table
    ///   (a database of that time gets it, empty; the accounts give each a value on open).
    ///   `failures`, `locked_until` and `epoch` of `dashboard_staff` are no longer read.
    /// - `resolution_corrections`: a hub's corrections to the tasks of an imported resolution
    ///   (``ResolutionQueries``).
    ///
    /// Version 1: the three tables as above.
    static let local = LocalSchema(version: 1, tables: [
        LocalTable(name: "dashboard_staff", definition: """
            (name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, password TEXT NOT NULL,
             failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
             epoch INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,
             generation TEXT NOT NULL DEFAULT '') WITHOUT ROWID
            """, addedColumns: [.init("generation", "TEXT NOT NULL DEFAULT ''")]),
        LocalTable(name: "dashboard_signin_failures", definition: """
            (name TEXT NOT NULL, address TEXT NOT NULL, failures INTEGER NOT NULL,
             locked_until INTEGER NOT NULL, last_at INTEGER NOT NULL,
             PRIMARY KEY (name, address)) WITHOUT ROWID
            """),
        LocalTable(name: "resolution_corrections", definition: """
            (resolution TEXT NOT NULL, key TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, at INTEGER NOT NULL,
             PRIMARY KEY (resolution, key, field))
            """),
    ])
}
