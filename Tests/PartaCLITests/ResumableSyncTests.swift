import Foundation
import Testing
import PartaCore
import PartaStore
import PartaApp
import PartaTesting

/// Resumable uploads and answers by reference (Protocol/sync-http-v1.md §5), through a real
/// `parta hub serve` on loopback: bare requests cut at chosen bytes, and `parta sync` through a
/// proxy that cuts its connections.
@Suite struct ResumableSyncTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    @Test func anUploadCutAtAnyByteResumesFromWhatTheHubHoldsEvenAfterAKillAndAppliesOnce() throws {
        let district = try District(parta, label: "parta-resume", schools: ["s1"])
        defer { district.remove() }
        let comment = noisyText(3000, seed: 1)
        try district.ok(["report", "t1", "--status", "in_progress", "--progress", "30", "--comment", comment] + district.data("s1"))
        let upload = UploadPieces(bytes: try district.bundle(from: "s1"))   // carries s1's enrollment proof
        let n = upload.bytes.count
        var hub = try parta.serve(data: district.hubFolder, environment: ["PARTA_CHUNK_BYTES": "256"])
        defer { hub.stop() }
        #expect(try upload.held(port: hub.port).0 == nil)

        // Cut inside the header: the hub cannot check the sender yet, so it keeps nothing.
        #expect(try upload.patch(port: hub.port, from: 0, cutAfter: upload.prefixLength - 5) == nil)
        #expect(try upload.waitUntilHeld(nil, port: hub.port) == nil)

        // Cut just after the header, in the middle (then the hub is killed and restarted), one byte before the end.
        var held = 0
        for cut in [upload.prefixLength + 1, n / 2, n - 1] {
            #expect(try upload.patch(port: hub.port, from: held, cutAfter: cut - held) == nil)
            held = try #require(try upload.waitUntilHeld(cut, port: hub.port))
            #expect(held == cut, "a cut after byte \(cut) keeps every byte that came")
            if cut == n / 2 {
                kill(hub.process.processIdentifier, SIGKILL)
                hub.process.waitUntilExit()
                hub = try parta.serve(data: district.hubFolder, environment: ["PARTA_CHUNK_BYTES": "256"])
                #expect(try upload.held(port: hub.port).0 == cut, "a hub killed mid-upload resumes from what is on disk")
            }
        }
        let wrong = try #require(try upload.patch(port: hub.port, from: 0))
        #expect(wrong.status == 409 && wrong.headers["upload-offset"] == String(held) && wrong.headers["parta-reason"] == "offsetMismatch")

        let done = try #require(try upload.patch(port: hub.port, from: held))
        #expect(done.status == 200 && done.headers["upload-offset"] == String(n), "\(done.status) \(done.text)")
        let answerID = try #require(done.headers["parta-answer"], "an answer above 256 bytes goes by reference")
        let answerLength = try #require(done.headers["parta-answer-length"].flatMap(Int.init))
        #expect(done.body.isEmpty && answerLength > 256)
        #expect(district.stagedUploads().isEmpty, "a completed upload's bytes are deleted")

        // The answer: whole, and from a byte on; its SHA-256 is its id.
        let whole = try #require(try RawHTTP.request(port: hub.port, "GET", "/v1/answers/\(answerID)"))
        #expect(whole.status == 200 && whole.body.count == answerLength && sha256Hex(whole.body) == answerID)
        let tail = try #require(try RawHTTP.request(port: hub.port, "GET", "/v1/answers/\(answerID)", headers: ["Range": "bytes=100-"]))
        #expect(tail.status == 206 && tail.headers["content-range"] == "bytes 100-\(answerLength - 1)/\(answerLength)")
        #expect(tail.body == Array(whole.body[100...]))
        let outside = try #require(try RawHTTP.request(port: hub.port, "GET", "/v1/answers/\(answerID)", headers: ["Range": "bytes=\(answerLength)-"]))
        #expect(outside.status == 416 && outside.headers["content-range"] == "bytes */\(answerLength)")

        // Applied once: a PATCH after completion is 409 at the end, HEAD names the answer.
        let again = try #require(try upload.patch(port: hub.port, from: 0))
        #expect(again.status == 409 && again.headers["upload-offset"] == String(n))
        let (_, head) = try upload.held(port: hub.port)
        #expect(head.status == 200 && head.headers["upload-offset"] == String(n) && head.headers["parta-answer"] == answerID)
        #expect(try district.reports("t1", district.hub)["s1"] == ["in_progress", "30", comment])
        let history = try district.json(["log", "--limit", "10000"] + district.hub) as? [[String: Any]] ?? []
        #expect(history.filter { $0["field"] as? String == "comment" && $0["value"] as? String == comment }.count == 1)
        let log = hub.stop()
        #expect(log.components(separatedBy: "via=upload").count == 2 && log.contains("status=200"), "\(log)")
    }

    @Test func aTamperedUploadIsDiscardedAtItsEndAndChangesNothing() throws {
        let district = try District(parta, label: "parta-tamper", schools: ["s1"])
        defer { district.remove() }
        let hub = try parta.serve(data: district.hubFolder)
        defer { hub.stop() }
        try district.ok(["sync", hub.url] + district.data("s1"))   // enrolled
        try district.ok(["report", "t1", "--status", "blocked", "--comment", noisyText(2000, seed: 2)] + district.data("s1"))
        var bytes = try district.bundle(from: "s1")
        let honest = UploadPieces(bytes: bytes)
        bytes[bytes.count / 2] ^= 0x20   // altered on the way, after the header and before the checksum
        let tampered = UploadPieces(bytes: bytes)
        #expect(tampered.id == honest.id)
        let first = try #require(try tampered.patch(port: hub.port, from: 0, body: Array(bytes[..<1000])))
        #expect(first.status == 204 && first.headers["upload-offset"] == "1000")
        let last = try #require(try tampered.patch(port: hub.port, from: 1000))
        #expect(last.status == 400 && last.headers["parta-reason"] == "checksumMismatch", "\(last.status) \(last.text)")
        #expect(try tampered.held(port: hub.port).0 == nil && district.stagedUploads().isEmpty)
        #expect(try district.reports("t1", district.hub)["s1"]?.first == "new")
    }

    @Test func uploadsFromStrangersAndRevokedNodesOversizeAndOverlongOnesAreRefusedAndKeepNothing() throws {
        let district = try District(parta, label: "parta-upload-refusals", schools: ["s1", "s2"])
        defer { district.remove() }
        var hub = try parta.serve(data: district.hubFolder, extraArguments: ["--max-bundle-mb", "1"])
        defer { hub.stop() }
        try district.ok(["sync", hub.url] + district.data("s1"))
        try district.ok(["report", "t1", "--status", "done", "--comment", noisyText(1500, seed: 3)] + district.data("s1"))
        let upload = UploadPieces(bytes: try district.bundle(from: "s1"))
        func refused(_ reply: RawHTTP.Reply?, _ status: Int, _ reason: String) throws {
            let reply = try #require(reply)
            #expect(reply.status == status && reply.headers["parta-reason"] == reason, "\(reply.status) \(reply.headers) \(reply.text)")
            #expect(try upload.held(port: hub.port).0 == nil && district.stagedUploads().isEmpty)
        }
        try refused(try upload.patch(port: hub.port, from: 0, length: 2 << 20), 413, "tooLarge")
        try refused(try upload.patch(port: hub.port, from: 0, body: upload.bytes + [0, 0, 0]), 400, "beyondLength")
        try refused(try upload.patch(port: hub.port, from: 0, body: Array(upload.bytes[..<10])), 400, "headerIncomplete")
        try refused(try upload.patch(port: hub.port, from: 0, extra: ["Parta-Signature": UploadPieces(bytes: try district.bundle(from: "s1")).signature]),
                    401, "notEnrolled")
        try refused(try upload.patch(port: hub.port, from: 0, length: upload.bytes.count + 1), 400, "lengthMismatch")
        // A body longer than Upload-Length on an upload under way: refused, the bytes held stay as they were.
        #expect(try upload.patch(port: hub.port, from: 0, body: Array(upload.bytes[..<upload.prefixLength]))?.status == 204)
        let overlong = try #require(try upload.patch(port: hub.port, from: upload.prefixLength, body: Array(upload.bytes[upload.prefixLength...]) + [1]))
        #expect(overlong.status == 400 && overlong.headers["parta-reason"] == "beyondLength")
        #expect(try upload.held(port: hub.port).0 == upload.prefixLength)

        // A stranger: a node the hub never enrolled, with keys of its own and no proof.
        let hubNode = try PartaNode.openHub(directory: district.hubFolder)
        let hubKeys = TrustedHub(id: hubNode.replica.nodeID, keys: hubNode.replica.keys.publicKeys)
        let strangerReplica = try Replica.create(at: district.dir.file("stranger.sqlite"), schema: PartaSchema.schema, nodeID: "node-stranger",
                                                 role: .member(partition: "s2"), name: "?", keys: testKeys("node-stranger"), trustedHub: hubKeys,
                                                 now: UInt64(Date().timeIntervalSince1970 * 1000))
        let stranger = UploadPieces(bytes: try bundle(from: strangerReplica, to: .node(hubKeys.id), now: UInt64(Date().timeIntervalSince1970 * 1000)))
        let strangerReply = try #require(try stranger.patch(port: hub.port, from: 0))
        #expect(strangerReply.status == 401 && strangerReply.headers["parta-reason"] == "notEnrolled")
        #expect(try stranger.held(port: hub.port).0 == nil)

        // Revoked: refused at offset 0, and an upload under way is dropped at its next PATCH.
        hub.stop()
        let nodes = try district.json(["hub", "nodes"] + district.hub) as? [[String: Any]] ?? []
        let s1 = try #require(nodes.first { $0["name"] as? String == "ПК s1" }?["id"] as? String)
        try district.ok(["hub", "node", "revoke", s1] + district.hub)
        hub = try parta.serve(data: district.hubFolder, extraArguments: ["--max-bundle-mb", "1"])
        let revoked = try #require(try upload.patch(port: hub.port, from: upload.prefixLength, body: Array(upload.bytes[upload.prefixLength..<(upload.prefixLength + 10)])))
        #expect(revoked.status == 403 && revoked.headers["parta-reason"] == "revoked")
        try refused(try upload.patch(port: hub.port, from: 0), 403, "revoked")
        #expect(try district.reports("t1", district.hub)["s1"]?.first == "new", "nothing was applied")
        let metrics = try #require(try RawHTTP.request(port: hub.port, "GET", "/metrics")).text
        #expect(metrics.contains("parta_sync_changes_applied_total 0\n") && metrics.contains("parta_staging_uploads 0\n"))
    }

    @Test func aClientThatStallsIsDisconnectedAndTheBytesItSentStay() throws {
        let district = try District(parta, label: "parta-stall", schools: ["s1"])
        defer { district.remove() }
        try district.ok(["report", "t1", "--status", "blocked", "--comment", noisyText(2000, seed: 6)] + district.data("s1"))
        let upload = UploadPieces(bytes: try district.bundle(from: "s1"))
        let hub = try parta.serve(data: district.hubFolder, extraArguments: ["--idle-timeout", "1"])
        defer { hub.stop() }

        // Stalled inside its headers: closed, nothing kept.
        let headers = Array("PATCH /v1/uploads/\(upload.id) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpload-Offset: 0\r\n".utf8)
        #expect(try RawHTTP.stall(port: hub.port, sending: headers).closed)
        #expect(try upload.held(port: hub.port).0 == nil)

        // Stalled in its body: closed; what came is kept, and the upload goes on from there.
        let sent = upload.prefixLength + 100
        let head = "PATCH /v1/uploads/\(upload.id) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpload-Offset: 0\r\nUpload-Length: \(upload.bytes.count)\r\n"
            + "Content-Length: \(upload.bytes.count)\r\nParta-Signature: \(upload.signature)\r\nContent-Type: application/offset+octet-stream\r\n\r\n"
        let stalled = try RawHTTP.stall(port: hub.port, sending: Array(head.utf8) + Array(upload.bytes[..<sent]))
        #expect(stalled.closed && stalled.reply.isEmpty, "\(String(decoding: stalled.reply, as: UTF8.self))")
        #expect(try upload.waitUntilHeld(sent, port: hub.port) == sent)
        let done = try #require(try upload.patch(port: hub.port, from: sent))
        #expect(done.status == 200, "\(done.status) \(done.text)")
        #expect(try district.reports("t1", district.hub)["s1"]?.first == "blocked")
    }

    @Test func knowingAnUploadsIdIsNotEnoughToContinueItNorToReleaseItsAnswer() throws {
        let district = try District(parta, label: "parta-upload-signed", schools: ["s1"])
        defer { district.remove() }
        try district.ok(["report", "t1", "--status", "in_progress", "--comment", noisyText(1500, seed: 7)] + district.data("s1"))
        let upload = UploadPieces(bytes: try district.bundle(from: "s1"))
        let hub = try parta.serve(data: district.hubFolder)
        defer { hub.stop() }
        #expect(try upload.patch(port: hub.port, from: 0, body: Array(upload.bytes[..<upload.prefixLength]))?.status == 204)

        // Someone who saw the id (a proxy's log) sends garbage after it, without or with a wrong signature.
        let other = UploadPieces(bytes: try district.bundle(from: "s1")).signature
        for signature in ["", other, "AAAA"] {
            let garbage = try #require(try upload.patch(port: hub.port, from: upload.prefixLength, body: [UInt8](repeating: 0x41, count: 100),
                                                        extra: ["Parta-Signature": signature]))
            #expect(garbage.status == 401 && garbage.headers["parta-reason"] == "notEnrolled", "\(garbage.status) \(garbage.text)")
            #expect(try upload.held(port: hub.port).0 == upload.prefixLength)
        }
        // The school goes on with its signature, and gets its answer.
        let done = try #require(try upload.patch(port: hub.port, from: upload.prefixLength))
        #expect(done.status == 200, "\(done.status) \(done.text)")
        let answer = try #require(done.headers["parta-answer"])
        // Releasing the stored answer takes the school's signature of the release too.
        for signature in ["", upload.signature] {
            let release = try #require(try RawHTTP.request(port: hub.port, "DELETE", "/v1/answers/\(answer)", headers: ["Parta-Signature": signature]))
            #expect(release.status == 401, "\(release.status)")
        }
        #expect(try RawHTTP.request(port: hub.port, "GET", "/v1/answers/\(answer)")?.status == 200)
        // `parta sync` signs every piece and its release: a whole upload through the real client leaves nothing staged.
        try district.ok(["report", "t1", "--comment", noisyText(1600, seed: 8)] + district.data("s1"))
        try district.ok(["sync", hub.url] + district.data("s1"), environment: ["PARTA_CHUNK_BYTES": "512"])
        #expect(district.stagedUploads().isEmpty && district.stagedAnswers().isEmpty, "\(district.stagedAnswers())")
    }

    @Test func madeUpComputersPresentingOneOpenCodeShareOneUploadBetweenThem() throws {
        let district = try District(parta, label: "parta-enrolling-quota", schools: ["s1"])
        defer { district.remove() }
        let code = try #require(EnrollmentCode(try parta.code(["hub", "school", "code", "s1"] + district.hub)))
        let hub = try parta.serve(data: district.hubFolder)
        defer { hub.stop() }
        try district.ok(["sync", hub.url] + district.data("s1"))   // s1's computer is enrolled
        let hubNode = try PartaNode.openHub(directory: district.hubFolder)
        let trusted = TrustedHub(id: hubNode.replica.nodeID, keys: hubNode.replica.keys.publicKeys)
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        // Whoever holds the code makes up node after node, each beginning an upload and stopping.
        for n in 0..<4 {
            let id = "node-made-up-\(n)"
            let replica = try Replica.create(at: district.dir.file("\(id).sqlite"), schema: PartaSchema.schema, nodeID: id, role: .member(partition: "s1"),
                                             name: id, keys: testKeys(id), trustedHub: trusted, enrollmentCode: code, now: now)
            let upload = UploadPieces(bytes: try bundle(from: replica, to: .node(trusted.id), now: now))
            let begun = try #require(try upload.patch(port: hub.port, from: 0, body: Array(upload.bytes[..<upload.prefixLength])))
            #expect(begun.status == 204, "\(begun.status) \(begun.text)")
            #expect(district.stagedUploads().filter { $0.hasSuffix(".json") }.count == 1, "\(district.stagedUploads())")
        }
        // The enrolled computer's own upload is counted apart.
        try district.ok(["report", "t1", "--comment", "ещё"] + district.data("s1"))
        let own = UploadPieces(bytes: try district.bundle(from: "s1"))
        #expect(try own.patch(port: hub.port, from: 0, body: Array(own.bytes[..<own.prefixLength]))?.status == 204)
        #expect(district.stagedUploads().filter { $0.hasSuffix(".json") }.count == 2)
    }

    @Test func aRequestHeadTricklingInIsCutAfterTheIdleTimeoutAndTheHubStillAnswers() throws {
        let district = try District(parta, label: "parta-trickle", schools: ["s1"])
        defer { district.remove() }
        let hub = try parta.serve(data: district.hubFolder, extraArguments: ["--idle-timeout", "1"])
        defer { hub.stop() }
        // A byte every 0.3 s: the idle timeout alone (1 s of silence) would never fire.
        let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 200)
        let cut = try RawHTTP.trickle(port: hub.port, sending: head, every: 0.3, within: 15)
        #expect(cut != nil && cut! < 5, "closed after \(String(describing: cut)) s")
        #expect(try RawHTTP.request(port: hub.port, "GET", "/healthz")?.status == 200)
    }

    @Test func aClientThatStopsReadingAnAnswerIsDisconnected() throws {
        let district = try District(parta, label: "parta-stalled-reader", schools: ["s1"])
        defer { district.remove() }
        // Tasks whose text makes s1's answer larger than the socket buffers between hub and client.
        do {
            let hub = try PartaNode.openHub(directory: district.hubFolder)
            for n in 0..<20 {
                var task = PartaNode.NewTask(title: "Задача \(n)")
                task.body = noisyText(400_000, seed: 50 + UInt64(n))
                _ = try hub.addTask(task, assignTo: ["s1"],
                                    now: UInt64(Date().timeIntervalSince1970 * 1000))
            }
        }
        let hub = try parta.serve(data: district.hubFolder, extraArguments: ["--idle-timeout", "1"])
        defer { hub.stop() }
        let synced = try #require(try RawHTTP.request(port: hub.port, "POST", "/v1/sync", headers: ["Parta-Resumable": "1"],
                                                      body: try district.bundle(from: "s1")))
        let id = try #require(synced.headers["parta-answer"], "\(synced.status) \(synced.text)")
        let length = try #require(synced.headers["parta-answer-length"].flatMap(Int.init))
        #expect(synced.body.isEmpty && length > 5 << 20, "\(length)")

        // Asks for the answer and reads none of it: the hub closes the connection once nothing has
        // moved for its idle timeout. Usually its writes wait for the socket, it sees the stall and
        // says so in its log. But NIO's writer lets a burst of pieces through before it learns the
        // socket is full; when the whole answer fits in that burst, the hub's writes all complete,
        // its response ends, and Hummingbird's idle timeout (counted from the end) closes the
        // connection and drops what was still queued, with nothing to log. Either way the stalled
        // client is disconnected and holds less than the answer (it resumes with Range, §5.6).
        let reader = try RawConnection(port: hub.port, receiveBuffer: 4096)
        try reader.send(Array("GET /v1/answers/\(id) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
        // (The stall is seen a second after a write blocks; the close's FIN waits behind the bytes the
        // client has not read, so there is nothing to poll for on the other path.)
        let deadline = Date().addingTimeInterval(20)
        while !hub.logText.contains("answer id=\(id) stalled"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let (closed, got) = reader.readToEnd()
        #expect(closed && got.count < length, "\(got.count) of \(length)")

        // A client that reads gets it all.
        let whole = try #require(try RawHTTP.request(port: hub.port, "GET", "/v1/answers/\(id)"))
        #expect(whole.status == 200 && whole.body.count == length && sha256Hex(whole.body) == id)
    }

    @Test func syncThroughCutConnectionsResumesWithinARunAndInTheNextOne() throws {
        let district = try District(parta, label: "parta-resume-cli", schools: ["s1"])
        defer { district.remove() }
        let hub = try parta.serve(data: district.hubFolder, environment: ["PARTA_CHUNK_BYTES": "512"])
        defer { hub.stop() }
        let proxy = try FaultyProxy(to: hub.port, lifetime: 120)
        defer { proxy.stop() }
        let env = ["PARTA_CHUNK_BYTES": "512", "PARTA_SYNC_BACKOFF_MS": "20", "PARTA_SYNC_ATTEMPTS": "3"]
        try district.ok(["report", "t1", "--status", "in_progress", "--comment", noisyText(4000, seed: 4)] + district.data("s1"))

        // Within a run (a connection per request: HEAD, PATCH, …): a PATCH cut in its body after the
        // bundle's header, another cut early in its body, a third whose answer is cut.
        proxy.plan([.none, .upstream(900), .none, .upstream(600), .none, .downstream(50)])
        let first = try district.json(["sync", proxy.url] + district.data("s1"), environment: env) as? [String: Any] ?? [:]
        #expect(first["chunked"] as? Bool == true)
        let resumed = first["resumedFrom"] as? [Int] ?? []
        #expect(resumed.count == 3 && resumed.allSatisfy { $0 > 0 } && resumed == resumed.sorted(), "\(first)")
        #expect(proxy.stats.cuts == 3)
        #expect(district.stagedUploads().isEmpty)

        // Across runs: the link dies for good after 2,500 bytes, the run gives up; the next run
        // continues the same upload from what the hub holds.
        let comment = noisyText(5000, seed: 5)
        try district.ok(["report", "t1", "--status", "done", "--comment", comment] + district.data("s1"))
        proxy.limitUpstream(to: 2500)
        let cut = try parta.run(["sync", "--data", district.dir.file("s1")], language: "en", environment: env, timeout: 120)
        #expect(cut.status == 1 && cut.stderr.contains("No connection to the hub"), "\(cut.stderr)")
        #expect(FileManager.default.fileExists(atPath: district.dir.file("s1/sync/upload.parta")))
        proxy.limitUpstream(to: nil)
        let second = try district.json(["sync"] + district.data("s1"), environment: env) as? [String: Any] ?? [:]
        #expect((second["resumedFrom"] as? [Int])?.first ?? 0 > 0, "\(second)")
        #expect(!FileManager.default.fileExists(atPath: district.dir.file("s1/sync/upload.parta")))
        #expect(try district.reports("t1", district.hub)["s1"] == ["done", "100", comment])
        let history = try district.json(["log", "--limit", "10000"] + district.hub) as? [[String: Any]] ?? []
        #expect(history.filter { $0["value"] as? String == comment }.count == 1)
        #expect(district.stagedUploads().isEmpty)
    }
}
