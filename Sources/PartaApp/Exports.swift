// Parta's schema (`PartaSchema`, `ReportStatus`) moved to PartaRecords with its queries; users of
// PartaApp keep seeing them without a second import.
@_exported import PartaRecords
