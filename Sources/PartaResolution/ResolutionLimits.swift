import Foundation

/// The most one document may cost to read: bytes on disk, bytes unpacked from a `.docx`, characters of
/// text, nesting, and wall-clock time.
///
/// ``ResolutionReader/read(path:limits:)`` guarantees that reading any file, however it was made, ends
/// within about ``timeLimit`` (plus the time of one paragraph's patterns, which
/// ``maxParagraphCharacters`` keeps to a fraction of a second) and holds at most a small multiple of
/// ``maxFileBytes`` + ``maxUnpackedBytes`` in memory. A file over a limit is refused with a
/// ``ResolutionError`` of code ``ResolutionError/Code/documentTooLarge`` (or
/// ``ResolutionError/Code/timeLimitExceeded``) that names the file and the limit; nothing is read in part.
///
/// The defaults are far above any real resolution (a few dozen pages: tens of kilobytes of text) and
/// far below what would strain a school's computer. Tests lower them; raising them is the caller's risk.
public struct ResolutionLimits: Sendable, Equatable {
    /// The largest file read at all (text, `.docx` or PDF), checked before reading. 64 MiB.
    public var maxFileBytes = 64 << 20
    /// The most a `.docx` may unpack to: each part read (its declared size before inflating, its actual
    /// size while inflating) and all parts read together. 64 MiB.
    public var maxUnpackedBytes = 64 << 20
    /// The most entries a `.docx` archive may list. 10 000 (a large Word document has a few hundred).
    public var maxArchiveEntries = 10_000
    /// The most a part may unpack to per byte stored, once past its first MiB: 200 (Word's XML packs
    /// 5–20 times; a zip bomb about 1000 times).
    public var maxCompressionRatio = 200
    /// The deepest nesting of XML elements in a `.docx` part. 256 (Word's documents stay under 40).
    public var maxXMLDepth = 256
    /// The most text a document may hold once extracted (UTF-8 bytes; also caps `pdftotext`'s output). 16 MiB.
    public var maxTextBytes = 16 << 20
    /// The longest line or paragraph, in Unicode scalars as read (before spaces are collapsed). 20 000
    /// (about six pages without a paragraph break). It bounds what one pattern match may cost.
    public var maxParagraphCharacters = 20_000
    /// Wall-clock time for reading one document, from opening the file to the last task. 30 seconds.
    public var timeLimit: Duration = .seconds(30)

    public init() {}

    /// The defaults above.
    public static let standard = ResolutionLimits()

    /// No limits: for ``ResolutionReader/parse(text:)``, whose caller already holds the text.
    static let unlimited: ResolutionLimits = {
        var l = ResolutionLimits()
        l.maxFileBytes = .max
        l.maxUnpackedBytes = .max
        l.maxArchiveEntries = .max
        l.maxCompressionRatio = .max
        l.maxXMLDepth = .max
        l.maxTextBytes = .max
        l.maxParagraphCharacters = .max
        l.timeLimit = .seconds(Int64.max / 4)
        return l
    }()
}

/// Which limit a document went over, in words for both languages.
enum LimitReason: Equatable {
    case fileTooLarge(limit: Int)
    case unpackedTooLarge(limit: Int)
    case tooManyEntries(limit: Int)
    case compressionRatio(limit: Int)
    case nestedTooDeep(limit: Int)
    case textTooLarge(limit: Int)
    case paragraphTooLong(limit: Int)

    static func size(_ bytes: Int) -> (en: String, ru: String) {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? ("\(bytes >> 20) MiB", "\(bytes >> 20) МиБ") : ("\(bytes) bytes", "\(bytes) байт")
    }

    var en: String {
        switch self {
        case .fileTooLarge(let l): return "the file is larger than \(Self.size(l).en)"
        case .unpackedTooLarge(let l): return "the document is too large when unpacked (more than \(Self.size(l).en))"
        case .tooManyEntries(let l): return "the archive lists more than \(l) parts"
        case .compressionRatio(let l): return "a part unpacks to more than \(l) times its packed size, as a zip bomb does"
        case .nestedTooDeep(let l): return "its XML is nested more than \(l) levels deep"
        case .textTooLarge(let l): return "its text is longer than \(Self.size(l).en)"
        case .paragraphTooLong(let l): return "a line or paragraph is longer than \(l) characters"
        }
    }

    var ru: String {
        switch self {
        case .fileTooLarge(let l): return "файл больше \(Self.size(l).ru)"
        case .unpackedTooLarge(let l): return "документ слишком велик в распакованном виде (более \(Self.size(l).ru))"
        case .tooManyEntries(let l): return "в архиве больше \(l) частей"
        case .compressionRatio(let l): return "часть распаковывается в объём, более чем в \(l) раз превышающий сжатый, как у zip-бомбы"
        case .nestedTooDeep(let l): return "вложенность XML глубже \(l) уровней"
        case .textTooLarge(let l): return "текст длиннее \(Self.size(l).ru)"
        case .paragraphTooLong(let l): return "строка или абзац длиннее \(l) символов"
        }
    }
}

/// One read under ``ResolutionLimits``: the file's name for errors, the deadline, and what has been
/// unpacked so far. Loops over document-supplied data call ``tick()`` (cheap: the clock is read once
/// every 1024 calls) or ``check()``.
final class Budget {
    let limits: ResolutionLimits
    let file: String
    private let deadline: ContinuousClock.Instant
    /// Bytes unpacked from the archive so far, over every part.
    var unpacked = 0
    private var ticks = 0

    init(limits: ResolutionLimits, file: String) {
        self.limits = limits
        self.file = file
        deadline = ContinuousClock.now.advanced(by: limits.timeLimit)
    }

    /// A budget that never runs out.
    static func unlimited(file: String = "") -> Budget { Budget(limits: .unlimited, file: file) }

    /// The time left before the limit (zero once it has passed).
    var remaining: Duration { max(.zero, deadline - ContinuousClock.now) }

    /// Throws ``ResolutionError/Code/timeLimitExceeded`` once the time limit has passed.
    func check() throws {
        if ContinuousClock.now > deadline { throw ResolutionError.tooSlow(file, limits.timeLimit) }
    }

    /// ``check()`` every 1024th call.
    @inline(__always) func tick() throws {
        ticks &+= 1
        if ticks & 1023 == 0 { try check() }
    }

    /// The error for going over a limit.
    func refuse(_ reason: LimitReason) -> ResolutionError { ResolutionError.tooLarge(file, reason) }

    /// Refuses a line or paragraph over ``ResolutionLimits/maxParagraphCharacters`` Unicode scalars (the
    /// UTF-8 length first, so the usual short line costs no count).
    func checkParagraph(_ s: some StringProtocol) throws {
        let limit = limits.maxParagraphCharacters
        guard s.utf8.count > limit else { return }
        if s.unicodeScalars.count > limit { throw refuse(.paragraphTooLong(limit: limit)) }
    }

    /// Refuses a text with a line (between LF, CR or form feed) of more than
    /// ``ResolutionLimits/maxParagraphCharacters`` Unicode scalars, in one pass over its UTF-8 bytes.
    func checkLines(_ text: String) throws {
        let limit = limits.maxParagraphCharacters
        guard text.utf8.count > limit else { return }
        var text = text
        let longest: Int = text.withUTF8 { bytes in
            var run = 0, longest = 0
            for b in bytes {
                if b == 0x0A || b == 0x0D || b == 0x0C {
                    run = 0
                } else if b & 0xC0 != 0x80 {
                    run += 1
                    if run > longest { longest = run }
                }
            }
            return longest
        }
        if longest > limit { throw refuse(.paragraphTooLong(limit: limit)) }
    }
}
