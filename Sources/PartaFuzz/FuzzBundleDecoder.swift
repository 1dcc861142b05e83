import Crypto
import PartaCore

/// Decodes `bytes` as a bundle as far as it goes, as it is and with its last 32 bytes replaced by
/// a valid SHA-256 of the rest (so mutations reach the header and payload parsers instead of
/// stopping at the checksum). Any input must end in a value or a thrown ``PartaCoreError``: never
/// a trap, a hang or unbounded memory.
func decodeBundle(_ bytes: [UInt8]) {
    decode(bytes)
    if bytes.count > 32 {
        decode(Array(bytes.dropLast(32)) + Array(SHA256.hash(data: bytes.dropLast(32))))
    }
    _ = try? RowState(encoded: bytes)
}

private func decode(_ bytes: [UInt8]) {
    guard let reader = try? ChangeSetReader(bytes: bytes, maxPayload: 1 << 24) else { return }
    while let batch = try? reader.nextBatch(maxCount: 1000) { _ = batch.count }
}

#if FUZZING
/// The libFuzzer entry point (built by Tests/Fuzz/run-fuzzer.sh with -sanitize=fuzzer,address).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundleDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    decodeBundle(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

/// SwiftPM links an executable's `main` to `<target>_main`; hand it to libFuzzer's driver.
@_cdecl("PartaFuzz_main")
public func partaFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return withUnsafeMutablePointer(to: &arguments) { pointer in
        pointer.withMemoryRebound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self, capacity: 1) { rebound in
            LLVMFuzzerRunDriver(&count, rebound) { data, size in fuzzBundleDecoder(data, size) }
        }
    }
}
#else
import Foundation

/// Without the fuzzer: replays a corpus (files or folders given as arguments) through the decoder.
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
                decodeBundle([UInt8](data))
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}
#endif
