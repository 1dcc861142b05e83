import Foundation
import PartaCore
import PartaApp

/// 10. (`parta-bench unfinished`) The hub while strangers' requests hang half-sent
/// (Protocol/sync-http-v1.md §2.2, §4): 100 connections that each sent a `POST /v1/sync` head with
/// `Content-Length: 8000000` and the first half of a genuine bundle of an enrolled school (so the
/// hub accepts the header and reads on), and 100 that began a `PATCH` upload (a valid first piece
/// of a school's bundle whose framing declares 5,000,000 bytes, `Content-Length` 1 MiB) and then
/// send nothing more. While they hang: the hub's memory (VmRSS, VmHWM) and 20 honest `parta sync`
/// runs of another school, beside the same 20 syncs with nothing hanging.
///
/// Each hanging connection belongs to its own school (100 schools of ``LoadDistrict``; a 101st does
/// the honest syncs), so no upload replaces another (§5.7: one partial upload per sender). The
/// measurement lasts well under the hub's idle timeout (60 s), which would close them.
enum UnfinishedBench {
    static let hanging = 100
    static let syncs = 20
    static let postContentLength = 8_000_000
    static let uploadLength = 5_000_000
    static let uploadPiece = 1 << 20

    static func run(_ c: BenchConfig, _ r: Results) throws {
        let root = try TempRoot("parta-bench-unfinished")
        defer { root.remove() }
        log("9: setting up a hub with \(hanging + 1) enrolled school computers")
        let (district, setupMs) = try timed { try LoadDistrict(root: root, schools: hanging + 1) }
        r["unfinished_setup_s"] = rounded(setupMs / 1000, 1)
        let parta = ((selfExecutablePath() as NSString).deletingLastPathComponent as NSString).appendingPathComponent("parta")
        guard FileManager.default.isExecutableFile(atPath: parta) else {
            throw BenchFailure("9 needs `parta` beside parta-bench: swift build -c release --product parta-bench --product parta")
        }
        let hub = try HubProcess.start(dataDirectory: district.hubDirectory, log: root.file("hub.log"))
        defer { hub.stop() }
        try require(hub.label == "parta hub serve", "9: the parta beside parta-bench is older than it; build both")
        let url = "http://127.0.0.1:\(hub.port)/"
        let honest = district.schools[hanging]

        // Honest syncs with nothing hanging: one to settle the school's morning edits, then 20.
        _ = try sync(parta, url: url, data: honest.directory)
        let alone = try (0..<syncs).map { _ in try sync(parta, url: url, data: honest.directory) }
        let idleKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        let idleFiles = ConnectionSampler.openFiles(hub.pid)
        log("9: hub idle \(fixed(Double(idleKB) / 1024, 1)) MB; honest syncs alone p50 \(fixed(LoadBench.percentile(alone, 0.5), 0)) ms; opening \(hanging) + \(hanging) hanging requests")

        // The hanging requests.
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for s in district.schools.prefix(hanging) {
            let anatomy = try BundleAnatomy(s.bundle)
            let head = 30 + anatomy.headerLength
            let half = head + (s.bundle.count - head - 96) / 2
            let post = "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1:\(hub.port)\r\nContent-Type: application/vnd.parta.bundle\r\n"
                + "Accept-Language: en\r\nContent-Length: \(postContentLength)\r\n\r\n"
            sockets.append(try openAndSend(Array(post.utf8) + s.bundle.prefix(half), port: hub.port))
        }
        for s in district.schools.prefix(hanging) {
            let (id, signature, first) = try largeUploadStart(s.bundle, length: uploadLength)
            let patch = "PATCH /v1/uploads/\(id) HTTP/1.1\r\nHost: 127.0.0.1:\(hub.port)\r\nContent-Type: application/offset+octet-stream\r\n"
                + "Accept-Language: en\r\nParta-Resumable: 1\r\nUpload-Offset: 0\r\nUpload-Length: \(uploadLength)\r\n"
                + "Content-Length: \(uploadPiece)\r\nParta-Signature: \(signature)\r\n\r\n"
            sockets.append(try openAndSend(Array(patch.utf8) + first, port: hub.port))
        }
        Thread.sleep(forTimeInterval: 2)
        let openedAt = monotonicNanos()
        // None of them may have been answered: each is a request the hub is still reading.
        let answeredEarly = sockets.filter { fd in
            var byte: UInt8 = 0
            return recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK)) >= 0
        }.count
        let metrics = String(decoding: try httpGet("/metrics", port: hub.port).body, as: UTF8.self)
        let stagedUploads = metrics.split(separator: "\n").first { $0.hasPrefix("parta_staging_uploads ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
        let heldFiles = ConnectionSampler.openFiles(hub.pid) - idleFiles
        let holdingKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        log("9: \(sockets.count) requests hanging (\(answeredEarly) answered early), the hub holds \(heldFiles) more descriptors, \(stagedUploads) partial uploads, \(fixed(Double(holdingKB) / 1024, 1)) MB; \(syncs) honest syncs")

        let during = try (0..<syncs).map { _ in try sync(parta, url: url, data: honest.directory) }
        let duringKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        let peakKB = procStatusKB("VmHWM", pid: hub.pid) ?? 0
        let heldSeconds = Double(monotonicNanos() - openedAt) / 1e9
        let stillHeld = sockets.filter { fd in
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT) | Int32(MSG_PEEK))
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }.count
        for fd in sockets { close(fd) }
        sockets = []
        Thread.sleep(forTimeInterval: 2)
        let afterKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        let health = try httpGet("/healthz", port: hub.port)
        try require(health.status == 200, "9: /healthz answered \(health.status) after the hanging requests closed")
        if answeredEarly > 0 || stillHeld < 2 * hanging {
            log("9: NOTE: \(answeredEarly) hanging requests were answered or closed by the hub within 2 s; \(stillHeld) of \(2 * hanging) still open after \(fixed(heldSeconds, 1)) s")
        }

        let p50 = LoadBench.percentile(during, 0.5), p99 = LoadBench.percentile(during, 0.99)
        let aloneP50 = LoadBench.percentile(alone, 0.5), aloneP99 = LoadBench.percentile(alone, 0.99)
        let met = peakKB < 200 * 1024
        r.merge([
            "unfinished_posts": hanging, "unfinished_uploads": hanging,
            "unfinished_post_content_length": postContentLength, "unfinished_upload_length": uploadLength,
            "unfinished_answered_early": answeredEarly, "unfinished_still_open": stillHeld,
            "unfinished_hub_extra_descriptors": heldFiles, "unfinished_staged_uploads": stagedUploads,
            "unfinished_held_s": rounded(heldSeconds, 1),
            "unfinished_hub_idle_rss_mb": rounded(Double(idleKB) / 1024, 1),
            "unfinished_hub_holding_rss_mb": rounded(Double(holdingKB) / 1024, 1),
            "unfinished_hub_during_syncs_rss_mb": rounded(Double(duringKB) / 1024, 1),
            "unfinished_hub_peak_rss_mb": rounded(Double(peakKB) / 1024, 1),
            "unfinished_hub_after_rss_mb": rounded(Double(afterKB) / 1024, 1),
            "unfinished_sync_p50_ms": rounded(p50, 1), "unfinished_sync_p99_ms": rounded(p99, 1),
            "unfinished_sync_alone_p50_ms": rounded(aloneP50, 1), "unfinished_sync_alone_p99_ms": rounded(aloneP99, 1),
            "unfinished_goal_met": met,
        ])
        r.add("10. \(hanging) POSTs (Content-Length 8,000,000) + \(hanging) uploads (Upload-Length 5,000,000) hanging half-sent",
              parta: "hub \(fixed(Double(holdingKB) / 1024, 0)) MB while they hang, peak \(fixed(Double(peakKB) / 1024, 0)) MB; \(syncs) honest `parta sync` p50 \(fixed(p50, 0)) ms, p99 \(fixed(p99, 0)) ms, all ok",
              reference: "nothing hanging: hub \(fixed(Double(idleKB) / 1024, 0)) MB; syncs p50 \(fixed(aloneP50, 0)) ms, p99 \(fixed(aloneP99, 0)) ms",
              goal: "< 200 MB, syncs succeed", met: met)
        log("9: hub \(fixed(Double(holdingKB) / 1024, 1)) MB holding, \(fixed(Double(duringKB) / 1024, 1)) MB after the syncs, peak \(fixed(Double(peakKB) / 1024, 1)) MB, \(fixed(Double(afterKB) / 1024, 1)) MB once closed; syncs p50 \(fixed(p50, 0)) ms p99 \(fixed(p99, 0)) ms (alone \(fixed(aloneP50, 0)) / \(fixed(aloneP99, 0)) ms); \(stillHeld) still open after \(fixed(heldSeconds, 1)) s")
    }

    /// One honest `parta sync URL --data DIR`: its wall time in milliseconds; a failure stops the row.
    static func sync(_ parta: String, url: String, data: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: parta)
        process.arguments = ["sync", url, "--data", data]
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "en_US.UTF-8"
        env["PARTA_NOW"] = nil
        process.environment = env
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let start = monotonicNanos()
        try process.run()
        let text = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let ms = Double(monotonicNanos() - start) / 1e6
        guard process.terminationStatus == 0 else {
            throw BenchFailure("9: an honest parta sync failed (exit \(process.terminationStatus)): \(String(decoding: text, as: UTF8.self))")
        }
        return ms
    }

    /// The start of an upload of `bundle` whose framing is rewritten to declare `length` bytes in
    /// all: its id and signature are the bundle's own (the checksum and the signature over it), so
    /// the hub's checks at offset 0 (§5.4 step 4) hold; the bytes would fail only at the end.
    /// Returns the id, the signature in base64 and the first piece (the bundle without its checksum
    /// and signature).
    static func largeUploadStart(_ bundle: [UInt8], length: Int) throws -> (String, String, [UInt8]) {
        let anatomy = try BundleAnatomy(bundle)
        var bytes = bundle
        let sealedAt = 22 + anatomy.headerLength
        let sealed = UInt64(length - 30 - anatomy.headerLength - 96)
        for i in 0..<8 { bytes[sealedAt + i] = UInt8(truncatingIfNeeded: sealed >> (8 * (7 - UInt64(i)))) }
        let checksum = bundle[(bundle.count - 96)..<(bundle.count - 64)]
        let id = checksum.map { String(format: "%02x", $0) }.joined()
        let signature = Data(bundle.suffix(64)).base64EncodedString()
        return (id, signature, Array(bytes.prefix(bundle.count - 96)))
    }

    /// A connection to 127.0.0.1:`port` that has sent `bytes` and is left open.
    static func openAndSend(_ bytes: [UInt8], port: Int) throws -> Int32 {
        let fd = try connectLoopback(port: port)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { close(fd); throw BenchFailure("write: \(String(cString: strerror(errno)))") }
            sent += n
        }
        return fd
    }

    /// `GET path` on a connection of its own: status and body.
    static func httpGet(_ path: String, port: Int) throws -> (status: Int, body: [UInt8]) {
        let fd = try openAndSend(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8), port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            response += buffer[0..<n]
            if let answer = LoadClient.parse(response) { return answer }
        }
        guard let answer = LoadClient.parse(response, complete: true) else { throw BenchFailure("GET \(path): no answer") }
        return answer
    }
}
