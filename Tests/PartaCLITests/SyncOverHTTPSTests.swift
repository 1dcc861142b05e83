import Foundation
import Testing
import PartaTesting

/// `parta sync` over https, for real: the shipped `Examples/systemd/nginx-parta.conf` (certificate
/// paths, port and upstream replaced, nothing else) in a real nginx with a self-signed certificate,
/// in front of `parta hub serve`. The certificate is trusted through `SSL_CERT_FILE`; without it
/// the sync is refused. Skipped, with the reason printed, where nginx or openssl is missing.
@Suite(.serialized, .enabled(if: Nginx.isAvailable, "\(Nginx.unavailableReason ?? "")"))
struct SyncOverHTTPSTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    @Test func aSchoolSyncsThroughNginxOverHTTPSInOneRequestAndInResumablePieces() throws {
        let district = try District(parta, label: "parta-https", schools: ["s1"])
        defer { district.remove() }
        let chunk = ["PARTA_CHUNK_BYTES": "700"]
        let (certificate, key) = try Nginx.selfSignedCertificate(in: district.dir.file("tls"))
        let (port, hub, nginx) = try DashboardBehindNginxTests.shippedNginx(
            parta, hubData: district.hubFolder, folder: district.dir.path, certificate: certificate, key: key, environment: chunk) { _ in
            ["--trust-proxy", "127.0.0.1"]
        }
        defer { nginx.stop(); hub.stop() }
        let url = "https://127.0.0.1:\(port)/"
        let trusted = ["SSL_CERT_FILE": certificate, "PARTA_SYNC_ATTEMPTS": "2", "PARTA_SYNC_BACKOFF_MS": "10"]

        // A certificate nobody vouches for: no sync, a message, nothing changed.
        let refused = try parta.run(["sync", url] + district.data("s1"), language: "en",
                                    environment: ["PARTA_SYNC_ATTEMPTS": "1"], timeout: 120)
        #expect(refused.status == 1 && refused.stderr.contains("No connection to the hub"), "\(refused.stderr)")

        // One POST each way.
        try district.ok(["report", "t1", "--status", "in_progress", "--comment", "по https"] + district.data("s1"))
        let first = try district.json(["sync", url] + district.data("s1"), environment: trusted) as? [String: Any] ?? [:]
        #expect(first["chunked"] as? Bool == false && (first["sent"] as? Int ?? 0) > 0, "\(first)")
        #expect(try district.reports("t1", district.hub)["s1"] == ["in_progress", "0", "по https"])

        // HEAD, PATCH in pieces, the answer by reference with GET and DELETE, all through nginx.
        let comment = noisyText(3000, seed: 18)
        try district.ok(["report", "t1", "--status", "done", "--comment", comment] + district.data("s1"))
        try district.ok(["hub", "task", "add", "--title", noisyText(1500, seed: 19), "--assign-all"] + district.hub)
        var pieces = trusted
        pieces.merge(chunk) { $1 }
        let second = try district.json(["sync"] + district.data("s1"), environment: pieces) as? [String: Any] ?? [:]
        #expect(second["chunked"] as? Bool == true && second["answerByReference"] as? Bool == true, "\(second)")
        #expect(try district.reports("t1", district.hub)["s1"] == ["done", "100", comment])
        #expect(district.stagedAnswers().isEmpty, "the answer was released")
        #expect(nginx.accessLog.contains("\"PATCH /v1/uploads/") && nginx.accessLog.contains("\"DELETE /v1/answers/"), "\(nginx.accessLog)")
    }
}
