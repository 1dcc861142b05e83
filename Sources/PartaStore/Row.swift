import CSQLite
import PartaCore

/// One row of a query, read by column name: `row.text("title")`, `row.optionalInt("reported_at")`.
///
/// The names are those SQLite gives the result columns: a table column's own name, or the alias
/// of an expression (`coalesce(r.status, 'new') AS status`). Asking for a name the query does not
/// return is a programming error and stops the program with a message naming the column and the
/// query, the same way an index out of range would.
public struct Row {
    /// The result columns of one statement, by name, shared by all its rows.
    final class Columns {
        let sql: String
        let index: [String: Int]
        init(sql: String, names: [String]) {
            self.sql = sql
            var index: [String: Int] = [:]
            // The first column of a name wins, as in SQL's own reading of a row.
            for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
            self.index = index
        }
        func position(_ name: String) -> Int {
            guard let i = index[name] else {
                preconditionFailure("The query returns no column \(name) (it returns \(index.keys.sorted().joined(separator: ", "))): \(sql)")
            }
            return i
        }
    }

    let columns: Columns
    public let values: [Value]

    /// The column's value as stored.
    public func value(_ name: String) -> Value { values[columns.position(name)] }
    /// A text column; "" for NULL (or a value of another type).
    public func text(_ name: String) -> String { value(name).textValue ?? "" }
    /// A text column; nil for NULL (or a value of another type).
    public func optionalText(_ name: String) -> String? { value(name).textValue }
    /// An integer column; 0 for NULL (or a value of another type).
    public func int(_ name: String) -> Int64 { value(name).integerValue ?? 0 }
    /// An integer column; nil for NULL (or a value of another type).
    public func optionalInt(_ name: String) -> Int64? { value(name).integerValue }
    /// A column holding a truth value (an SQL comparison, `EXISTS`): true for the integer 1 only.
    public func bool(_ name: String) -> Bool { value(name).integerValue == 1 }
    /// A numeric column (integer or real); nil for NULL or text.
    public func optionalNumber(_ name: String) -> Double? { value(name).numberValue }
}

extension Database {
    /// All rows of a query, read by column name (``Row``).
    public func select(_ sql: String, _ arguments: [Value] = []) throws -> [Row] {
        let s = try statement(sql)
        try s.bind(arguments)
        let columns = Row.Columns(sql: sql, names: s.columnNames)
        var result: [Row] = []
        while try s.step() { result.append(Row(columns: columns, values: (0..<s.columnCount).map { s.value(at: $0) })) }
        return result
    }

    /// The first row of a query (the statement is reset after it), or nil.
    public func selectFirst(_ sql: String, _ arguments: [Value] = []) throws -> Row? {
        let s = try statement(sql)
        try s.bind(arguments)
        guard try s.step() else { return nil }
        let row = Row(columns: Row.Columns(sql: sql, names: s.columnNames), values: (0..<s.columnCount).map { s.value(at: $0) })
        s.reset()
        return row
    }
}

extension Database {
    /// All rows of a query made into values by a reader that looks its columns up by name once:
    /// `prepare` gets the statement before the first row, finds the positions it needs
    /// (``Statement/column(_:)``) and returns the reader of one row, which reads by position.
    /// For lists of many rows, where ``select(_:_:)``'s lookup per field and row would show.
    public func scan<T>(_ sql: String, _ arguments: [Value] = [],
                        _ prepare: (Statement) throws -> (Statement) throws -> T) throws -> [T] {
        let s = try statement(sql)
        try s.bind(arguments)
        let read = try prepare(s)
        var result: [T] = []
        while try s.step() { result.append(try read(s)) }
        return result
    }
}

extension Statement {
    /// A text column of the current row; nil for NULL (a number reads as its text).
    public func optionalText(at index: Int) -> String? { isNull(at: index) ? nil : text(at: index) }


    /// The names of the result columns, in order.
    public var columnNames: [String] { (0..<columnCount).map { columnName(at: $0) } }

    /// The position of the result column `name`, for reading many rows by position after looking
    /// the name up once. A name the query does not return stops the program (see ``Row``).
    public func column(_ name: String) -> Int {
        for i in 0..<columnCount where columnName(at: i) == name { return i }
        preconditionFailure("The query returns no column \(name) (it returns \(columnNames.joined(separator: ", "))): \(sql)")
    }
}
