import Foundation
import Testing
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import PartaCore
import PartaStore
import PartaBundle
import PartaApp
import PartaTesting
@testable import PartaHTTP

/// The hub's routes (Protocol/sync-http-v1.md) driven through Hummingbird's router test mode: no
/// socket, no process; each request goes straight to the router `parta hub serve` runs. What only
/// a real connection shows (cuts inside headers, stalls, the listen queue) stays in PartaCLITests.
@Suite struct HubRouterTests {
    let day = testMilliseconds(year: 2024, month: 9, day: 2)

    /// A hub with one school computer that has reported on a task, and that school's next bundle for the hub.
    struct District {
        let dir: TemporaryDirectory
        let hub: HubNode
        let school: SchoolNode
        let bundle: [UInt8]
        let id: String
    }

    func district(_ label: String) throws -> District {
        let dir = TemporaryDirectory(label)
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        let code = try #require(try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day))
        var task = PartaNode.NewTask(title: "Провести родительские собрания"); task.number = "1"; task.deadline = "2024-10-01"
        _ = try hub.addTask(task, assignTo: ["s1"], now: day)
        _ = try hub.exportForSchools(to: dir.file("stick"), now: day + 1)
        let school = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: dir.file("stick/s1"), code: code,
                                                    name: "ПК секретаря", now: day + 2).0
        try school.report(task: "1", status: .inProgress, progress: 40, comment: "собрания в 5 классах", now: day + 3)
        let (_, bundle) = try school.replica.exportBundle(for: .node(hub.replica.nodeID), now: day + 4,
                                                               bundleID: BundleExchange.newBundleID(), recording: false)
        // The upload's id is the bundle's checksum, the 32 bytes before its 64-byte signature (§5.2).
        let id = bundle[(bundle.count - 96)..<(bundle.count - 64)].map { String(format: "%02x", $0) }.joined()
        return District(dir: dir, hub: hub, school: school, bundle: bundle, id: id)
    }

    /// The hub's routes over an instance of its own on the district's hub folder (as `parta hub serve`
    /// beside the clerk's commands, replication-v1 §10a): the service owns the node it is given.
    func app(_ d: District, inlineAnswerLimit: Int = 1 << 20) throws -> some ApplicationProtocol {
        let service = try SyncService(node: try PartaNode.openHub(directory: d.dir.file("hub")), inlineAnswerLimit: inlineAnswerLimit, now: day + 5)
        let server = SyncServer(service: service, host: "127.0.0.1", port: 0)
        let now = day + 5
        return Application(router: server.makeRouter(clock: { now }))
    }

    @Test func healthAnswersOk() async throws {
        let d = try district("router-health"); defer { d.dir.remove() }
        try await app(d).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test func aSchoolsBundleIsAppliedAndAnsweredWithTheHubsBundleForIt() async throws {
        let d = try district("router-sync"); defer { d.dir.remove() }
        // The closures below are @Sendable: they take the bytes and the hub's id, not the nodes.
        let bundle = d.bundle, hubID = d.hub.replica.nodeID
        try await app(d).test(.router) { client in
            try await client.execute(uri: "/v1/sync", method: .post, headers: [.contentType: "application/vnd.parta.bundle"],
                                     body: ByteBuffer(bytes: bundle)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.parta.bundle")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[.partaResumable] == "1")
                let answer = try ChangeSetReader(bytes: Array(buffer: response.body))
                #expect(answer.header.sender == hubID)
                #expect(answer.header.recipient == .partition("s1"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("parta_syncs_total{status=\"200\"} 1"))
                #expect(!text.contains("parta_sync_changes_applied_total 0\n"))
            }
        }
        let tasks = try d.hub.tasks(today: "2024-09-10")
        #expect(tasks.count == 1)
    }

    @Test func bytesThatAreNotABundleAreRefusedWithAReasonInTheRequestsLanguage() async throws {
        let d = try district("router-junk"); defer { d.dir.remove() }
        try await app(d).test(.router) { client in
            let junk = ByteBuffer(bytes: Array("GIF89a, not a bundle at all, long enough to have a header".utf8))
            try await client.execute(uri: "/v1/sync", method: .post, headers: [.acceptLanguage: "ru"], body: junk) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.partaReason] == "badMagic")
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                #expect(String(buffer: response.body).contains("Parta"))
                #expect(String(buffer: response.body).unicodeScalars.contains { $0.properties.isAlphabetic && $0.value >= 0x0400 && $0.value <= 0x04FF })
            }
        }
    }

    @Test func anUploadInTwoPiecesIsHeldBetweenThemAndAppliedOnce() async throws {
        let d = try district("router-upload"); defer { d.dir.remove() }
        let bundle = d.bundle   // the closures below are @Sendable: they take the bytes, not the nodes
        let length = bundle.count, half = length / 2
        let signature = Data(bundle.suffix(64)).base64EncodedString()
        @Sendable func patch(_ offset: Int, _ bytes: ArraySlice<UInt8>) -> HTTPFields {
            [.uploadOffset: String(offset), .uploadLength: String(length),
             .partaSignature: signature, .partaResumable: "1", .contentLength: String(bytes.count)]
        }
        let uri = "/v1/uploads/\(d.id)"
        try await app(d).test(.router) { client in
            try await client.execute(uri: uri, method: .head) { #expect($0.status == .notFound) }
            try await client.execute(uri: uri, method: .patch, headers: patch(0, bundle[0..<half]), body: ByteBuffer(bytes: bundle[0..<half])) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.uploadOffset] == String(half))
            }
            try await client.execute(uri: uri, method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.uploadOffset] == String(half))
                #expect(response.headers[.uploadLength] == String(length))
            }
            // A piece from the wrong place is refused and told where to go on.
            try await client.execute(uri: uri, method: .patch, headers: patch(half + 1, bundle[(half + 1)...]), body: ByteBuffer(bytes: bundle[(half + 1)...])) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[.partaReason] == "offsetMismatch")
                #expect(response.headers[.uploadOffset] == String(half))
            }
            try await client.execute(uri: uri, method: .patch, headers: patch(half, bundle[half...]), body: ByteBuffer(bytes: bundle[half...])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.uploadOffset] == String(length))
                let answer = try ChangeSetReader(bytes: Array(buffer: response.body))
                #expect(answer.header.recipient == .partition("s1"))
            }
            // Applied once: the same bytes again are told the upload is complete.
            try await client.execute(uri: uri, method: .patch, headers: patch(half, bundle[half...]), body: ByteBuffer(bytes: bundle[half...])) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[.uploadOffset] == String(length))
            }
        }
    }

    @Test func anUploadOrAnswerIdThatIsNotSixtyFourHexDigitsIsRefused() async throws {
        let d = try district("router-ids"); defer { d.dir.remove() }
        let uris = ["/v1/uploads/xyz", "/v1/uploads/\(d.id.uppercased())", "/v1/answers/\(d.id)0"]   // the closure is @Sendable
        try await app(d).test(.router) { client in
            for uri in uris {
                try await client.execute(uri: uri, method: uri.contains("answers") ? .get : .head) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                }
            }
        }
    }

    @Test func aLargeAnswerIsStoredAndServedByRanges() async throws {
        let d = try district("router-answers"); defer { d.dir.remove() }
        let bundle = d.bundle   // the closures below are @Sendable: they take the bytes, not the nodes
        try await app(d, inlineAnswerLimit: 16).test(.router) { client in
            var id = "", total = 0
            try await client.execute(uri: "/v1/sync", method: .post, headers: [.partaResumable: "1"],
                                     body: ByteBuffer(bytes: bundle)) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                id = try #require(response.headers[.partaAnswer])
                total = try #require(Int(response.headers[.partaAnswerLength] ?? ""))
            }
            var whole: [UInt8] = []
            try await client.execute(uri: "/v1/answers/\(id)", method: .get, headers: [.range: "bytes=0-9"]) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == "bytes 0-9/\(total)")
                whole += Array(buffer: response.body)
            }
            try await client.execute(uri: "/v1/answers/\(id)", method: .get, headers: [.range: "bytes=10-"]) { response in
                #expect(response.status == .partialContent)
                whole += Array(buffer: response.body)
            }
            #expect(whole.count == total)
            #expect(try ChangeSetReader(bytes: whole).header.recipient == .partition("s1"))
            try await client.execute(uri: "/v1/answers/\(id)", method: .get, headers: [.range: "bytes=\(total)-"]) { response in
                #expect(response.status == .rangeNotSatisfiable)
            }
        }
    }
}
