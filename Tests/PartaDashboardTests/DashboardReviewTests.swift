import Foundation
import Testing
import PartaCore
import PartaApp
import PartaResolution
import PartaTesting
@testable import PartaDashboard

/// Issue 17, part 3: an editor uploads a resolution, corrects the extracted tasks in a table and
/// saves; viewers cannot; forms keep their CSRF and origin checks; uploads are kept in the hub's
/// data folder only until saved.
@Suite struct DashboardReviewTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../PartaResolutionTests/Fixtures/muchkap-2020.txt").standardizedFileURL.path
    var document: [UInt8] { get throws { [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample))) } }

    func staged(_ f: DashboardFixture) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: f.dir.file("hub/staging"))) ?? []).sorted()
    }

    func unescape(_ html: String) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The value of the input `name` in `page`.
    func value(_ name: String, in page: String) -> String? {
        guard let r = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func anEditorUploadsCorrectsAndSavesAndTheTaskPageShowsTheWording() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("editor")
        #expect(browser.get("/review").text.contains("enctype=\"multipart/form-data\""))
        let uploaded = browser.upload("/review", field: "document", filename: "muchkap-2020.txt", bytes: try document, [:])
        #expect(uploaded.status == 303, "\(uploaded.text)")
        let location = try #require(uploaded.header("Location"))
        #expect(location.hasPrefix("/review/"))
        #expect(staged(f).count == 2, "the document and its name")
        let page = browser.get(location)
        #expect(page.status == 200)
        #expect(value("rows", in: page.text) == "35")
        // Task 2.3: its row, its deadline and level corrected; 2.7 left out.
        let row23 = try #require((0..<35).first { value("number.\($0)", in: page.text) == "2.3." })
        let row27 = try #require((0..<35).first { value("number.\($0)", in: page.text) == "2.7." })
        #expect(value("deadline.\(row23)", in: page.text) == "2021-03-01")
        var form: [String: String] = ["rows": "35"]
        for i in 0..<35 {
            for field in ["key", "number", "addressees", "deadline", "deadline_raw", "responsible"] {
                form["\(field).\(i)"] = unescape(value("\(field).\(i)", in: page.text) ?? "")
            }
            let textStart = page.text.range(of: "name=\"text.\(i)\" rows=\"4\"")!
            let after = page.text[textStart.upperBound...]
            let open = after.range(of: ">")!, close = after.range(of: "</textarea>")!
            form["text.\(i)"] = unescape(String(after[open.upperBound..<close.lowerBound]))
            let select = page.text[page.text.range(of: "name=\"level.\(i)\"")!.upperBound...]
            let selected = select[..<select.range(of: "</select>")!.lowerBound]
            form["level.\(i)"] = selected.range(of: "\" selected").map { r in String(selected[..<r.lowerBound].split(separator: "\"").last!) } ?? ""
            if i != row27 { form["keep.\(i)"] = "1" }
        }
        form["deadline.\(row23)"] = "15.04.2021"
        form["level.\(row23)"] = "школьный"

        // A bad deadline: the table again with the reason, nothing stored, the upload kept.
        var bad = form
        bad["deadline.\(row23)"] = "к весне"
        let refused = browser.post(location, bad)
        #expect(refused.status == 400)
        #expect(refused.text.contains("столбец E «Срок»") && refused.text.contains("к весне"), "\(refused.text)")
        #expect(try f.hub.tasks(today: "2020-09-13").allSatisfy { $0.number != "2.3." })

        // Another site's form, or no token: refused.
        browser.origin = "http://evil.example"
        #expect(browser.post(location, form).status == 403)
        browser.origin = nil
        #expect(browser.post(location, form, withToken: false).status == 403)

        browser.get(location)
        let saved = browser.post(location, form)
        #expect(saved.status == 303, "\(saved.text)")
        #expect(saved.header("Location")?.hasPrefix("/resolutions/") == true)
        #expect(staged(f).isEmpty, "the upload is removed once saved")
        let tasks = try f.hub.tasks(today: "2020-09-13")
        let task23 = try #require(tasks.first { $0.number == "2.3." })
        #expect(task23.deadline == "2021-04-15" && task23.level == "school")
        #expect(!tasks.contains { $0.number == "2.7." })
        let taskPage = browser.get("/tasks/\(task23.id)").text
        #expect(taskPage.contains("Текст в документе") && taskPage.contains("Срок: до 01.03.2021"))

        // The same document again: nothing to review, and the corrections stay.
        let again = browser.upload("/review", field: "document", filename: "muchkap-2020.txt", bytes: try document, [:])
        let second = browser.get(try #require(again.header("Location")))
        #expect(value("rows", in: second.text) == "0")
        #expect(second.text.contains("уже импортировалась"))
        #expect(browser.post(again.header("Location")!, ["rows": "0"]).status == 303)
        #expect(try f.hub.tasks(today: "2020-09-13").first { $0.number == "2.3." }?.deadline == "2021-04-15")
    }

    @Test func aViewerCannotUploadAndBadUploadsAreRefused() throws {
        let f = try DashboardFixture()
        var viewer = TestBrowser(f.dashboard)
        viewer.signIn("viewer")
        let page = viewer.get("/review")
        #expect(page.status == 200 && !page.text.contains("type=\"file\""))
        #expect(viewer.upload("/review", field: "document", filename: "r.txt", bytes: try document, [:]).status == 403)
        #expect(staged(f).isEmpty)

        var editor = TestBrowser(f.dashboard)
        editor.signIn("editor")
        editor.get("/review")
        #expect(editor.upload("/review", field: "document", filename: "r.txt", bytes: try document, [:], withToken: false).status == 403)
        let image = editor.upload("/review", field: "document", filename: "scan.png", bytes: [0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 0, count: 64), [:])
        #expect(image.status == 400 && image.text.contains("scan.png"), "\(image.text)")
        #expect(staged(f).isEmpty, "a document that does not read is not kept")
        #expect(editor.get("/review/0123456789abcdef0123456789abcdef").status == 404)
        #expect(editor.get("/review/..%2F..%2Fhub.sqlite").status == 404)

        // Only a signed-in visitor may send more than a small form.
        #expect(f.dashboard.maxBodyBytes(path: "/review", cookieHeader: nil) == 64 << 10)
        #expect(f.dashboard.maxBodyBytes(path: "/review", cookieHeader: "parta_session=forged") == 64 << 10)
        let cookie = "parta_session=" + editor.cookies["parta_session"]!
        #expect(f.dashboard.maxBodyBytes(path: "/review", cookieHeader: cookie) > ResolutionLimits.standard.maxFileBytes)
        #expect(f.dashboard.maxBodyBytes(path: "/own/x", cookieHeader: cookie) == 64 << 10)
    }
}
