import PartaZlib

/// A bundle's payload compressed with zlib (RFC 1950), zlib's failures in Parta's words.
final class PayloadDeflater {
    private let deflater: Deflater

    init(level: Int32 = 6) throws {
        do { deflater = try Deflater(format: .zlib, level: level) } catch { throw PayloadDeflater.translate(error) }
    }

    func write(_ input: [UInt8]) throws {
        do { try deflater.write(input) } catch { throw PayloadDeflater.translate(error) }
    }

    func finish() throws -> [UInt8] {
        do { return try deflater.finish() } catch { throw PayloadDeflater.translate(error) }
    }

    static func translate(_ error: Error) -> Error {
        let status: Int32
        switch error as? ZlibError {
        case .couldNotStart(let s)?, .compressionFailed(let s)?: status = s
        default: return error
        }
        return PartaCoreError(.compression, Message(
            en: "Compression failed (zlib status \(status)).",
            ru: "Сбой сжатия данных (код zlib \(status))."), context: ["zlibStatus": String(status)])
    }
}

/// A bundle's payload unpacked with a hard cap on the total output (the declared length), so a tiny
/// file that claims to hold gigabytes is refused instead of filling memory; zlib's failures in
/// Parta's words.
final class PayloadInflater {
    private let inflater: Inflater

    init(input: [UInt8], limit: UInt64) throws {
        do { inflater = try Inflater(input: input, format: .zlib, limit: limit) } catch { throw PayloadDeflater.translate(error) }
    }

    var totalOut: UInt64 { inflater.totalOut }

    /// Appends up to `chunkSize` more decompressed bytes to `buffer`; false when the stream has ended.
    func read(into buffer: inout [UInt8], chunkSize: Int = 262_144) throws -> Bool {
        let more: Bool
        do {
            more = try inflater.read(into: &buffer, chunkSize: chunkSize)
        } catch ZlibError.truncated {
            throw PartaCoreError.truncated("compressed changes")
        } catch ZlibError.damaged(let status) {
            throw PartaCoreError.malformed("the compressed changes cannot be unpacked (zlib status \(status))")
        } catch ZlibError.overLimit(let limit) {
            throw PartaCoreError(.payloadTooLarge, Message(
                en: "The changes unpack to more than the declared or allowed \(limit) bytes; the file is damaged or malicious.",
                ru: "Изменения распаковываются в объём больше заявленного или допустимого (\(limit) байт); файл повреждён или подделан."),
                context: ["limit": String(limit)])
        } catch {
            throw PayloadDeflater.translate(error)
        }
        if inflater.ended && inflater.unreadInputCount != 0 {
            throw PartaCoreError.malformed("there are extra bytes after the compressed changes")
        }
        return more
    }
}
