/// One table of a summary export: a sheet name, column headers and rows of typed cells.
///
/// A value, independent of any file format: ``CSVExport`` writes one table as CSV and
/// ``XLSXExport`` writes several as the sheets of one workbook (Protocol/exports-v1.md).
///
/// Rows should have as many cells as there are headers. The exporters pad a shorter row with
/// empty cells and write a longer row whole (its extra cells have no header); nothing is dropped.
public struct SummaryTable: Sendable, Equatable {
    /// A cell's value and how it is written.
    public enum Cell: Sendable, Equatable {
        /// No value: an empty CSV field, no cell in XLSX.
        case empty
        /// Text, written as it is (CSV guards it against formula injection; XLSX as an inline string).
        case text(String)
        case integer(Int)
        /// A share in percentage points (50 means half). CSV: one decimal with a decimal comma
        /// (`50,0`); XLSX: the fraction (0.5) with the number format `0.0%`.
        case percent(Double)
        /// A number with decimals. CSV: two decimals with a decimal comma (`2,50`); XLSX: the
        /// number with the format `0.00`.
        case decimal(Double)
        /// A local date and time, to the minute. CSV: `YYYY-MM-DD HH:MM`; XLSX: a date serial
        /// number with the format `yyyy-mm-dd hh:mm`.
        case dateTime(LocalDateTime)
        /// A calendar date (its time is ignored). CSV: `YYYY-MM-DD`; XLSX: a date serial number
        /// (whole days) with the format `yyyy-mm-dd`, so that a spreadsheet sorts and filters it as a date.
        case date(LocalDateTime)
    }

    /// A date and time on a wall clock (no time zone), as a reader of the export expects to see it.
    public struct LocalDateTime: Sendable, Equatable, Hashable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int

        public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
            (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
        }

        /// `YYYY-MM-DD HH:MM`.
        public var text: String { dateText + " \(Self.two(hour)):\(Self.two(minute))" }

        /// `YYYY-MM-DD`.
        public var dateText: String {
            let y = String(year)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-\(Self.two(month))-\(Self.two(day))"
        }

        private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    }

    /// A stable, language-independent key (`schools`, `tasks`), for file names and URLs.
    public var id: String
    /// The sheet name, in the reader's language. ``XLSXExport`` makes it a valid sheet name.
    public var name: String
    public var headers: [String]
    public var rows: [[Cell]]

    public init(id: String, name: String, headers: [String], rows: [[Cell]] = []) {
        self.id = id
        self.name = name
        self.headers = headers
        self.rows = rows
    }

    /// The rows padded with empty cells to the number of headers (what the exporters write).
    var paddedRows: [[Cell]] {
        rows.map { $0.count < headers.count ? $0 + Array(repeating: .empty, count: headers.count - $0.count) : $0 }
    }
}
