import Foundation
import PartaCore
import PartaApp
import PartaResolution

/// One part of a `multipart/form-data` body: a form field, or a file with its name as the browser sent it.
struct FormPart: Sendable {
    var name: String
    var filename: String?
    var bytes: [UInt8]
}

extension WebRequest {
    /// The boundary of a `multipart/form-data` body, nil for any other body.
    var multipartBoundary: String? {
        guard let type = headers["content-type"], type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in type.split(separator: ";").dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let b = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return b.isEmpty || b.utf8.count > 200 ? nil : b
            }
        }
        return nil
    }

    /// The parts of a `multipart/form-data` body (RFC 7578), empty if it is not one or is malformed.
    /// At most 16 parts are read; the scan is linear in the body's size.
    var multipartParts: [FormPart] {
        guard let boundary = multipartBoundary else { return [] }
        let delimiter = Array(("--" + boundary).utf8)
        let body = self.body
        var positions: [Int] = []
        var i = 0
        // Delimiters: at the start, or after CR LF.
        while i + delimiter.count <= body.count, positions.count < 17 {
            if (i == 0 || (i >= 2 && body[i - 2] == 0x0D && body[i - 1] == 0x0A)) && body[i] == 0x2D && Array(body[i..<i + delimiter.count]) == delimiter {
                positions.append(i)
                i += delimiter.count
            } else {
                i += 1
            }
        }
        var parts: [FormPart] = []
        for (start, end) in zip(positions, positions.dropFirst()) {
            var from = start + delimiter.count
            guard from + 2 <= end, body[from] == 0x0D, body[from + 1] == 0x0A else { continue }
            from += 2
            let to = end - 2 // the CR LF before the next delimiter
            guard to >= from else { continue }
            let part = body[from..<to]
            // Headers end at the first empty line.
            var headerEnd: Int?
            var j = part.startIndex
            while j + 3 < part.endIndex {
                if part[j] == 0x0D && part[j + 1] == 0x0A && part[j + 2] == 0x0D && part[j + 3] == 0x0A { headerEnd = j; break }
                j += 1
            }
            guard let headerEnd, headerEnd - part.startIndex <= 4096 else { continue }
            let headerText = String(decoding: part[part.startIndex..<headerEnd], as: UTF8.self)
            var name: String?, filename: String?
            for line in headerText.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = WebRequest.dispositionParameter("name", in: line)
                filename = WebRequest.dispositionParameter("filename", in: line)
            }
            guard let name else { continue }
            parts.append(FormPart(name: name, filename: filename, bytes: Array(part[(headerEnd + 4)...])))
        }
        return parts
    }

    /// `name="value"` in a `Content-Disposition` line (quotes as browsers send them: `%22` for a quote in a name).
    static func dispositionParameter(_ parameter: String, in line: String) -> String? {
        guard let range = line.range(of: "; \(parameter)=\"") else { return nil }
        let rest = line[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close]).replacingOccurrences(of: "%22", with: "\"")
    }

    /// The form's text fields, from a URL-encoded or a multipart body.
    var fields: [String: String] {
        guard multipartBoundary != nil else { return form }
        var out: [String: String] = [:]
        for part in multipartParts where part.filename == nil { out[part.name] = String(decoding: part.bytes, as: UTF8.self) }
        return out
    }
}

extension Dashboard {
    /// The largest body a request may send to `path` before it is read: a resolution's upload (the
    /// importer's file limit and room for the form) or a review's table, for a request carrying a
    /// valid session; 64 KiB for anything else. The session is checked by its signature alone (no
    /// database): a request without one never gets more than a small form's room.
    public func maxBodyBytes(path: String, cookieHeader: String?) -> Int {
        let now = clock()
        let small = 64 << 10
        guard Dashboard.segments(path).first == "review" else { return small }
        let request = WebRequest(method: "POST", path: path, headers: ["cookie": cookieHeader ?? ""])
        guard let cookie = request.cookies[Sessions.cookieName], sessions.read(cookie, now: now) != nil else { return small }
        return ResolutionLimits.standard.maxFileBytes + (1 << 20)
    }

    /// `POST /review`: keeps the uploaded document and goes to its review; a document that does not read
    /// shows the upload page again with the reason.
    func upload(_ request: WebRequest, node: HubNode, layout: Layout, now: UInt64) throws -> WebResponse {
        let pages = Pages(data: DashboardData(node: node, today: PartaNode.isoDate(now), now: now), layout: layout)
        guard let file = request.multipartParts.first(where: { $0.name == "document" && $0.filename != nil }), !file.bytes.isEmpty else {
            return .html(400, pages.reviewUpload(error: Message(en: "Choose a file (.docx, .pdf or .txt).", ru: "Выберите файл (.docx, .pdf или .txt).")))
        }
        do {
            let staged = try node.stageDocument(file.bytes, name: file.filename ?? "", now: now)
            return .redirect("/review/" + staged.id)
        } catch let error as PartaError {
            return .html(400, pages.reviewUpload(error: error.message))
        } catch let error as ResolutionError {
            return .html(400, pages.reviewUpload(error: Message(en: error.en, ru: error.ru)))
        }
    }

    /// `POST /review/ID`: the editor's table read back as review rows, the document imported with the
    /// corrections, the upload removed; a bad value shows the table again with the reason, nothing stored.
    func saveReview(_ id: String, form: [String: String], node: HubNode, layout: Layout, now: UInt64) throws -> WebResponse {
        let pages = Pages(data: DashboardData(node: node, today: PartaNode.isoDate(now), now: now), layout: layout)
        guard let staged = try node.stagedDocument(id) else { return .html(404, pages.reviewGone()) }
        let review = try node.review(staged.parsed)
        var rows: [(line: Int, row: ResolutionReview.Row)] = []
        var inForm: Set<String> = []
        for i in 0..<min(10_000, Int(form["rows"] ?? "") ?? 0) {
            guard let key = form["key.\(i)"] else { continue }
            inForm.insert(key)
            guard form["keep.\(i)"] != nil else { continue }
            var cells: [String: String] = [:]
            for field in ResolutionReview.fields where field != "key" {
                cells[field] = (form["\(field).\(i)"] ?? "").replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: " ")
            }
            rows.append((i + 1, ResolutionReview.Row(key: key, cells: cells)))  // the table's row number
        }
        // Tasks not shown (unchanged since the last import) stay as they are.
        for row in review.rows where !inForm.contains(row.key) { rows.append((0, row)) }
        do {
            let corrections = try ResolutionReview.corrections(rows, tasks: staged.parsed.tasks, keys: review.keys, file: staged.name)
            let result = try node.importResolution(staged.parsed, source: staged.name, dryRun: false, now: now, review: corrections)
            node.discardStaged(id)
            return .redirect("/resolutions/" + HTML.segment(result.resolution) + "?imported=\(result.added + result.updated)")
        } catch let error as PartaError {
            return .html(400, try pages.review(staged, error: error.message, submitted: form))
        }
    }
}

extension Pages {
    /// The upload form (an editor's), or why a viewer has none.
    func reviewUpload(error: Message?) -> String {
        var body = "<p>" + t("Upload a resolution as published (.docx, .pdf with text, .txt, up to \(ResolutionLimits.standard.maxFileBytes >> 20) MiB): its tasks are shown for you to check and correct before they are stored.",
                             "Загрузите резолюцию в том виде, как она опубликована (.docx, .pdf с текстом, .txt, до \(ResolutionLimits.standard.maxFileBytes >> 20) МиБ): её задачи будут показаны, чтобы вы проверили и исправили их до сохранения.") + "</p>"
        if let error { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.text(in: language)))</p>" }
        if layout.user?.role == .editor, let csrf = layout.csrf {
            body += "<form method=\"post\" action=\"/review\" enctype=\"multipart/form-data\" class=\"stack\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">"
                + "<label for=\"document\">\(t("Document", "Документ"))</label>"
                + "<input type=\"file\" id=\"document\" name=\"document\" accept=\".docx,.pdf,.txt,text/plain,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document\" required>"
                + "<p><button type=\"submit\">\(t("Read the tasks", "Прочитать задачи"))</button></p></form>"
        } else {
            body += "<p class=\"muted\">\(t("Your account can view; an editor imports resolutions.", "Ваша учётная запись — для просмотра; импортирует резолюции редактор."))</p>"
        }
        return layout.page(title: t("Import a resolution", "Импорт резолюции"), current: "/review", body: body)
    }

    func reviewGone() -> String {
        layout.page(title: t("Import a resolution", "Импорт резолюции"), current: "/review",
                    body: "<p class=\"error\" role=\"alert\">\(t("This upload is no longer kept (saved already, or older than two hours). Upload the document again.", "Эта загрузка больше не хранится (уже сохранена или старше двух часов). Загрузите документ снова."))</p><p><a href=\"/review\">\(t("Upload", "Загрузить"))</a></p>")
    }

    /// The extracted tasks of an upload as an editable table: for a document imported before, only the
    /// tasks the import would add or change; `submitted` refills the table after a refused save.
    func review(_ staged: PartaNode.StagedDocument, error: Message?, submitted: [String: String] = [:]) throws -> String {
        let review = try data.node.review(staged.parsed)
        let dry = try data.node.importResolution(staged.parsed, source: staged.name, dryRun: true, now: data.now)
        let changed = Set(dry.lines.filter { $0.change != .unchanged }.map(\.key))
        let reimport = dry.lines.contains { $0.change != .added }
        let shown = review.rows.filter { !reimport || changed.contains($0.key) }
        let doc = staged.parsed.document
        var body = "<p><b>\(HTML.escape(staged.name))</b> — \(HTML.escape(Charts.shorten(doc.title.isEmpty ? doc.kind : doc.title, 160)))\(doc.date.isEmpty ? "" : ", " + HTML.escape(formatDate(doc.date)))</p>"
        if let error { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.text(in: language)))</p>" }
        if reimport {
            body += "<p class=\"notice\" role=\"status\">" + t("This resolution was imported before: only the \(shown.count) task(s) this version adds or changes are shown; the others stay as they are.",
                                                               "Эта резолюция уже импортировалась: показаны только задачи, которые эта версия добавляет или меняет (\(shown.count)); остальные остаются как есть.") + "</p>"
        }
        if !dry.reapplied.isEmpty {
            body += "<p class=\"muted\">" + t("Corrections from an earlier review are applied (\(dry.reapplied.count)).", "Применены исправления из прежней проверки (\(dry.reapplied.count)).") + "</p>"
        }
        guard layout.user?.role == .editor, let csrf = layout.csrf else {
            return layout.page(title: t("Review", "Проверка"), current: "/review", body: body + "<p class=\"muted\">\(t("Only an editor can import.", "Импортировать может только редактор."))</p>")
        }
        body += "<form method=\"post\" action=\"/review/\(staged.id)\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">"
            + "<input type=\"hidden\" name=\"rows\" value=\"\(shown.count)\">"
            + "<div class=\"table-wrap\"><table class=\"review\"><thead><tr><th scope=\"col\">\(t("Keep", "Оставить"))</th><th scope=\"col\">№</th><th scope=\"col\">\(t("Text", "Текст"))</th>"
            + "<th scope=\"col\">\(t("Level", "Уровень"))</th><th scope=\"col\">\(t("Addressees", "Адресаты"))</th><th scope=\"col\">\(t("Deadline", "Срок"))</th>"
            + "<th scope=\"col\">\(t("Deadline as written", "Срок в документе"))</th><th scope=\"col\">\(t("Responsible", "Ответственные"))</th></tr></thead><tbody>"
        for (i, row) in shown.enumerated() {
            func value(_ field: String) -> String { submitted["\(field).\(i)"] ?? row.cells[field] ?? "" }
            func input(_ field: String, _ label: String) -> String {
                "<input type=\"text\" id=\"\(field)-\(i)\" name=\"\(field).\(i)\" value=\"\(HTML.escape(value(field)))\" aria-label=\"\(HTML.escape(label)) \(i + 1)\">"
            }
            let kept = submitted.isEmpty || submitted["keep.\(i)"] != nil
            let level = ResolutionReview.level(value("level"))
            body += "<tr><td><input type=\"hidden\" name=\"key.\(i)\" value=\"\(HTML.escape(row.key))\">"
                + "<input type=\"checkbox\" id=\"keep-\(i)\" name=\"keep.\(i)\" value=\"1\"\(kept ? " checked" : "") aria-label=\"\(t("Keep task", "Оставить задачу")) \(i + 1)\"></td>"
                + "<td>\(input("number", t("Number", "Номер")))</td>"
                + "<td><textarea id=\"text-\(i)\" name=\"text.\(i)\" rows=\"4\" aria-label=\"\(t("Text", "Текст")) \(i + 1)\">\(HTML.escape(value("text")))</textarea></td>"
                + "<td><select id=\"level-\(i)\" name=\"level.\(i)\" aria-label=\"\(t("Level", "Уровень")) \(i + 1)\">"
                + TaskLevel.allCases.map { "<option value=\"\(ResolutionReview.levelWord($0))\"\($0 == level ? " selected" : "")>\(ResolutionReview.levelWord($0))</option>" }.joined()
                + "</select></td>"
                + "<td>\(input("addressees", t("Addressees", "Адресаты")))</td><td>\(input("deadline", t("Deadline", "Срок")))</td>"
                + "<td>\(input("deadline_raw", t("Deadline as written", "Срок в документе")))</td><td>\(input("responsible", t("Responsible", "Ответственные")))</td></tr>"
        }
        body += "</tbody></table></div>"
            + "<p class=\"muted\">\(t("Deadline: a date (2021-09-01 or 01.09.2021), a period (2021-09-01..2022-05-31), a word (ежемесячно, постоянно) or empty. Untick «Keep» to leave a task out.", "Срок: дата (2021-09-01 или 01.09.2021), период (2021-09-01..2022-05-31), слово (ежемесячно, постоянно) или пусто. Снимите «Оставить», чтобы не импортировать задачу."))</p>"
            + "<p><button type=\"submit\">\(t("Save the tasks", "Сохранить задачи"))</button></p></form>"
        return layout.page(title: t("Review", "Проверка") + ": " + Charts.shorten(staged.name, 60), current: "/review", body: body)
    }
}
