import PartaResolution

/// Reads `bytes` as a resolution file with the standard limits, twice: as they are (the ZIP reader, the
/// text decoders) and re-wrapped (see ``rewrapped(_:)``) so that mutations reach the XML scanner, the list
/// numbering and the task rules past the archive's checksums. Any input must end in tasks or a thrown
/// ``ResolutionError``: never a trap, a hang (libFuzzer's `-timeout`) or unbounded memory (`-rss_limit_mb`).
func readResolution(_ bytes: [UInt8]) {
    read(bytes)
    read(rewrapped(bytes))
}

private func read(_ bytes: [UInt8]) {
    do {
        _ = try ResolutionReader.read(bytes: bytes, name: "fuzz.docx")
    } catch is ResolutionError {
    } catch {
        fatalError("not a ResolutionError: \(error)")
    }
}

/// A `.docx` made of `bytes`: up to the first NUL byte as `word/document.xml`, after it as
/// `word/numbering.xml`, stored uncompressed with correct CRCs.
func rewrapped(_ bytes: [UInt8]) -> [UInt8] {
    let cut = bytes.firstIndex(of: 0)
    var members = [("word/document.xml", Array(bytes[..<(cut ?? bytes.count)]))]
    if let cut { members.append(("word/numbering.xml", Array(bytes[(cut + 1)...]))) }
    return storedZip(members)
}

/// A ZIP archive of stored members (method 0).
func storedZip(_ members: [(String, [UInt8])]) -> [UInt8] {
    func le16(_ v: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    var body: [UInt8] = [], central: [UInt8] = []
    for (name, data) in members {
        let n = Array(name.utf8), crc = crc32(data), offset = UInt32(body.count), size = UInt32(data.count)
        body += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(size) + le32(size) + le16(n.count) + le16(0) + n + data
        central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(size) + le32(size)
        central += le16(n.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + n
    }
    return body + central + le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
        + le32(UInt32(central.count)) + le32(UInt32(body.count)) + le16(0)
}

private let crcTable: [UInt32] = (0..<256).map { i in
    var c = UInt32(i)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes { crc = crcTable[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

#if FUZZING
/// The libFuzzer entry point (built by Tests/Fuzz/run-docx-fuzzer.sh with -sanitize=fuzzer,address).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResolutionReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    readResolution(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// SwiftPM links an executable's `main` to `<target>_main`; hand it to libFuzzer's driver.
@_cdecl("PartaFuzzDocx_main")
public func partaFuzzDocxMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return withUnsafeMutablePointer(to: &arguments) { pointer in
        pointer.withMemoryRebound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self, capacity: 1) { rebound in
            LLVMFuzzerRunDriver(&count, rebound) { data, size in fuzzResolutionReader(data, size) }
        }
    }
}
#else
import Foundation

/// Without the fuzzer: replays a corpus (files or folders given as arguments) through the reader.
@main
enum ReplayCorpus {
    static func main() {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else { continue }
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).map { (argument as NSString).appendingPathComponent($0) }
                : [argument]
            for file in files.sorted() {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                readResolution([UInt8](data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}
#endif
