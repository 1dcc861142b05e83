import PartaCore

/// Decodes `bytes` as a bundle as far as it goes. Any input must end in a value or a thrown
/// ``PartaCoreError``: never a trap, a hang or unbounded memory.
func decodeBundle(_ bytes: [UInt8]) {
    guard let reader = try? ChangeSetReader(bytes: bytes, maxPayload: 1 << 24) else { return }
    while let batch = try? reader.nextBatch(maxCount: 1000) { _ = batch.count }
    _ = try? RowState(encoded: bytes)
}

#if FUZZING
/// The libFuzzer entry point (built by Tests/Fuzz/run-fuzzer.sh with -sanitize=fuzzer,address).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundleDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    decodeBundle(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
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
