import Foundation
import PartaCore

/// Text made safe for HTML: everything that came from a user or a bundle goes through ``escape(_:)``.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A path segment for links (ids are plain, but never trust that).
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.|"))) ?? ""
    }

    static func percent(_ value: Double) -> String { String(format: "%.0f%%", value) }

    /// «3 дня назад», «сегодня», «нет данных».
    static func age(_ milliseconds: Int64, now: UInt64, _ language: Language) -> String {
        guard milliseconds > 0 else { return language == .en ? "never" : "нет данных" }
        let days = max(0, (Int64(now) - milliseconds) / 86_400_000)
        switch (days, language) {
        case (0, .en): return "today"
        case (0, _): return "сегодня"
        default: return Noun.day.count(Int(days), in: language) + (language == .en ? " ago" : " назад")
        }
    }

    /// How a bundle came: over the network or on a stick (a file's path).
    static func channel(_ path: String, _ language: Language, short: Bool = false) -> String {
        if path.isEmpty { return "—" }
        if path == "http" { return "HTTP" }
        if short { return language == .en ? "USB stick" : "флешка" }
        return language == .en ? "USB stick (file)" : "флешка (файл)"
    }
}

/// The frame of every page: head, navigation, the signed-in user and the sign-out form.
struct Layout {
    var language: Language
    var user: StaffAccounts.Identity?
    var csrf: String?
    var hubName: String

    func t(_ en: String, _ ru: String) -> String { language == .en ? en : ru }

    func page(title: String, current: String = "", body: String) -> String {
        var nav = ""
        if let user, let csrf {
            let links = [("/", t("Overview", "Обзор")), ("/own", t("Department's tasks", "Задачи отдела")),
                         ("/conflicts", t("Conflicts", "Конфликты")), ("/exports", t("Exports", "Выгрузки")),
                         ("/review", t("Import", "Импорт"))]
            nav = "<nav aria-label=\"\(t("Sections", "Разделы"))\"><ul>"
                + links.map { "<li><a href=\"\($0.0)\"\($0.0 == current ? " aria-current=\"page\"" : "")>\($0.1)</a></li>" }.joined()
                + "</ul><form method=\"post\" action=\"/logout\" class=\"logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">"
                + "<span>\(HTML.escape(user.name)) (\(user.role.label(language)))</span> <button type=\"submit\">\(t("Sign out", "Выйти"))</button></form></nav>"
        }
        return """
            <!doctype html>
            <html lang="\(language == .en ? "en" : "ru")">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) — Parta</title><link rel="stylesheet" href="/style.css"></head>
            <body><a class="skip" href="#main">\(t("Skip to content", "К содержанию"))</a>
            <header><p class="hub">Parta · \(HTML.escape(hubName))</p>\(nav)</header>
            <main id="main"><h1>\(HTML.escape(title))</h1>
            \(body)
            </main></body></html>
            """
    }

    static let css = """
        :root{--fg:#1a1a1a;--muted:#4a4f57;--bg:#fff;--line:#c9ced6;--accent:#0b57a4;--done:#1b6e3a;--work:#0b57a4;--blocked:#a4231b;--new:#8a9099;--warn:#8a5300}
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
        header{background:#f2f4f7;border-bottom:1px solid var(--line);padding:.5rem 1rem}header .hub{margin:0 0 .3rem;font-weight:600}
        nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        a{color:var(--accent)}a[aria-current=page]{font-weight:700;text-decoration:none}
        :focus-visible{outline:3px solid #e08a00;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
        main{padding:1rem;max-width:72rem;margin:0 auto}h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
        .card{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;margin-bottom:.75rem}.card h2{margin-top:0;font-size:1.05rem}
        .figures{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.25rem 0}.figures b{font-size:1.25rem;display:block}
        .table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}table{border-collapse:collapse;width:100%;font-size:.95rem}
        th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}th{background:#f2f4f7}td.num,th.num{text-align:right;white-space:nowrap}
        .status-done{color:var(--done)}.status-in_progress{color:var(--work)}.status-blocked{color:var(--blocked);font-weight:600}.status-new{color:var(--muted)}
        .overdue{color:var(--blocked);font-weight:600}.muted{color:var(--muted)}.warn{color:var(--warn);font-weight:600}
        progress{width:6rem;height:.8rem;vertical-align:middle}
        figure{margin:1rem 0}svg.chart{display:block;width:100%;max-width:52rem;overflow:visible}input[type=number].narrow{width:5.5rem}figcaption{color:var(--muted);font-size:.9rem}
        form.stack label{display:block;margin:.5rem 0 .2rem;font-weight:600}input,select,textarea,button{font:inherit}
        input[type=text],input[type=password],input[type=number],select,textarea{width:100%;max-width:28rem;padding:.4rem;border:1px solid #6b717a;border-radius:4px}
        button{padding:.45rem 1rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
        .logout{display:flex;gap:.5rem;align-items:center}.logout button{background:#fff;color:var(--accent)}
        .error{border-left:4px solid var(--blocked);background:#fdf0ef;padding:.5rem .75rem}.notice{border-left:4px solid var(--done);background:#eef7f1;padding:.5rem .75rem}
        .comment{white-space:pre-wrap;max-width:32rem}table.review textarea{min-width:18rem}table.review input[type=text]{min-width:8rem}table.review select{min-width:9rem}dd{margin:0}dt{color:var(--muted);font-size:.9rem}details{margin:.5rem 0}
        @media (max-width:40rem){main{padding:.5rem}th,td{padding:.3rem}.hide-narrow{display:none}svg.chart text.minor{display:none}
        .table-wrap tr>:first-child{position:sticky;left:0;z-index:1;box-shadow:inset -1px 0 0 var(--line)}.table-wrap td:first-child{background:var(--bg)}
        .table-wrap th[scope=row]{min-width:8.5rem;overflow-wrap:break-word}.table-wrap td:first-child+th[scope=row]{min-width:13rem}.comment{min-width:9rem}}
        """
}

