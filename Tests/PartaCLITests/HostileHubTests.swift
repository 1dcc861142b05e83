import Foundation
import Testing
import PartaTesting
#if canImport(Glibc)
import Glibc
#endif

/// A fake hub on a loopback port: reads each request whole (its header block and its
/// `Content-Length` body, so that closing never resets the connection before the answer is read),
/// then lets `answer` write whatever bytes it likes, and closes.
final class FakeHub: Sendable {
    let port: Int
    private let listener: Int32
    private let answer: @Sendable (_ send: (String) -> Bool) -> Void

    init(answer: @escaping @Sendable (_ send: (String) -> Bool) -> Void) throws {
        self.answer = answer
        (listener, port) = try FaultyProxy.listenOnLoopback(backlog: 16)
        FaultyProxy.acceptEach(on: listener) { [self] client, _ in serve(client) }
    }

    var url: String { "http://127.0.0.1:\(port)/" }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard FaultyProxy.readRequest(from: fd) != nil else { return }
        answer { text in FaultyProxy.sendAll(Array(text.utf8), on: fd) }
    }

    /// Ends the accept loop, which closes the listener: closing it here could close a number
    /// that another test's socket has taken by the time the loop's `accept` runs.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }
}

@Suite struct HostileHubTests {
    /// A school computer whose `parta sync` talks to fake hubs.
    static func school() throws -> (TemporaryDirectory, PartaBinary, [String]) {
        let dir = TemporaryDirectory("parta-fakehub")
        let parta = try PartaBinary()
        let hub = ["--data", dir.file("hub")]
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "s1"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
        try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", dir.file("s1")])
        return (dir, parta, ["--data", dir.file("s1")])
    }

    /// Runs `parta sync` against a fake hub answering `answer`; the sync must fail with exit 1
    /// and say the server is not answering as a hub, never trap.
    func expectRefusedAnswer(_ name: String, answer: @escaping @Sendable (_ send: (String) -> Bool) -> Void) throws {
        let (dir, parta, school) = try HostileHubTests.school(); defer { dir.remove() }
        let fake = try FakeHub(answer: answer); defer { fake.stop() }
        let before = try parta.run(["tasks", "--json"] + school).stdout
        let started = Date()
        let r = try parta.run(["sync", fake.url] + school, language: "en",
                              environment: ["PARTA_SYNC_ATTEMPTS": "1", "PARTA_SYNC_BACKOFF_MS": "0"], timeout: 120)
        #expect(r.status == 1, "\(name): exit \(r.status)\n\(r.stderr)")
        #expect(r.stderr.contains("did not answer as a Parta hub does") && r.stderr.contains("Nothing was changed"), "\(name): \(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 60, "\(name) took too long")
        #expect(try parta.run(["tasks", "--json"] + school).stdout == before)
    }

    @Test func aNegativeChunkSizeFailsTheSyncWithAMessageInsteadOfATrap() throws {
        try expectRefusedAnswer("negative chunk") { send in
            _ = send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n")
        }
    }

    @Test func chunkSizesWithSignsSpacesOrTooManyDigitsAreRefused() throws {
        for size in ["+5", "0x5", "5 5", "fffffffffffffffffff", "", "-0"] {
            try expectRefusedAnswer("chunk size \(size)") { send in
                _ = send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n")
            }
        }
    }

    @Test func aHugeOrSignedContentLengthIsRefusedBeforeAnyBodyIsKept() throws {
        for length in ["99999999999999", "-1", "+10", "10, 10", "9223372036854775807"] {
            try expectRefusedAnswer("Content-Length \(length)") { send in
                _ = send("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\nhello")
            }
        }
    }

    @Test func endlessHeadersAndEndlessInterimAnswersAreCutOff() throws {
        try expectRefusedAnswer("endless headers") { send in
            guard send("HTTP/1.1 200 OK\r\n") else { return }
            var i = 0
            while send("X-Filler-\(i): \(String(repeating: "a", count: 100))\r\n") { i += 1 }
        }
        try expectRefusedAnswer("many short headers") { send in
            _ = send("HTTP/1.1 200 OK\r\n" + (0..<500).map { "X-\($0): a\r\n" }.joined() + "Content-Length: 0\r\n\r\n")
        }
        try expectRefusedAnswer("endless 100 Continue") { send in
            while send("HTTP/1.1 100 Continue\r\n\r\n") {}
        }
    }

    @Test func anEndlessBodyWithoutLengthStopsAtTheAnswerBound() throws {
        try expectRefusedAnswer("endless body") { send in
            guard send("HTTP/1.1 200 OK\r\n\r\n") else { return }
            let block = String(repeating: "x", count: 1 << 16)
            while send(block) {}
        }
    }
}
