import Foundation
import PartaCore
import PartaApp
import PartaRecords
import PartaResolution

/// The dashboard's pages as HTML, from ``DashboardData``.
struct Pages {
    let data: DashboardData
    let layout: Layout
    var language: Language { layout.language }
    func t(_ en: String, _ ru: String) -> String { layout.t(en, ru) }
    /// The form of `noun` that goes with `n`, in the page's language (without the number).
    func form(_ n: Int, _ noun: Noun) -> String { noun.form(n, in: language) }
    /// «дольше 1 дня», «дольше 5 дней»: days in the genitive, after «дольше».
    func longerThan(days n: Int) -> String {
        t("longer than \(Noun.day.count(n, in: .en))", "дольше " + Noun.dayGenitive.count(n, in: .ru))
    }

    /// How many schools the charts show (the rest are in the tables).
    static let chartRows = 20

    // MARK: Overview

    func overview(silentDays: Int) throws -> String {
        let rollup = try data.rollup(silentDays: silentDays)
        var body = """
            <form method="get" action="/" class="inline"><p>\(t("Today", "Сегодня")): <b>\(formatDate(data.today))</b>.
            <label for="days">\(t("A school is silent after", "Школа «молчит», если данных нет дольше"))</label>
            <input type="number" id="days" name="days" min="1" max="365" value="\(silentDays)" class="narrow"> \(t("days", "дн."))
            <button type="submit">\(t("Show", "Показать"))</button></p></form>
            <section aria-labelledby="resolutions-h"><h2 id="resolutions-h">\(t("Resolutions", "Решения и резолюции"))</h2><div class="cards">
            """
        if rollup.resolutions.isEmpty {
            body += "<p>\(t("No tasks yet: import a resolution with", "Задач пока нет: импортируйте решение командой")) <code>parta hub import-resolution</code>.</p>"
        }
        for r in rollup.resolutions {
            let title = resolutionTitle(r)
            body += """
                <article class="card"><h2><a href="/resolutions/\(HTML.segment(r.id.isEmpty ? "-" : r.id))">\(HTML.escape(title))</a></h2>
                <div class="figures">
                <span><b>\(r.tasks)</b>\(form(r.tasks, .task))</span>
                <span><b>\(HTML.percent(r.percentDone))</b>\(t("done by schools", "выполнено школами"))</span>
                <span><b class="\(r.overdue > 0 ? "overdue" : "")">\(r.overdue)</b>\(t("overdue", "просрочено"))</span>
                <span><b class="\(r.silentSchools > 0 ? "warn" : "")">\(r.silentSchools)</b>\(t("\(form(r.silentSchools, .school)) silent \(longerThan(days: silentDays))", "\(form(r.silentSchools, .school)) без данных \(longerThan(days: silentDays))"))</span>
                </div>
                <progress max="100" value="\(Int(r.percentDone.rounded()))" aria-label="\(t("Share done", "Доля выполненного"))">\(HTML.percent(r.percentDone))</progress>
                <p class="muted">\(t("\(Noun.assignment.count(r.assignments, in: .en)) to \(Noun.school.count(r.schools.count, in: .en)); department's own tasks: \(r.ownDone) of \(r.ownTasks) done",
                                     "\(Noun.assignment.count(r.assignments, in: .ru)) — \(Noun.schoolDative.count(r.schools.count, in: .ru)); собственных задач отдела выполнено \(r.ownDone) из \(r.ownTasks)"))</p>
                </article>
                """
        }
        body += "</div></section>"

        let schools = rollup.schools.filter { $0.assigned > 0 }
        let behind = schools.sorted { ($0.percentDone, -$0.overdue, $0.name) < ($1.percentDone, -$1.overdue, $1.name) }.prefix(Pages.chartRows)
        body += "<section aria-labelledby=\"progress-h\"><h2 id=\"progress-h\">\(t("Progress by school", "Ход работы по школам"))</h2><figure>"
        body += Charts.stackedBars(
            id: "progress", title: t("Progress by school", "Ход работы по школам"),
            description: t("Each bar is one school's assigned tasks by status; the schools furthest behind come first.",
                           "Каждая полоса — задачи одной школы по статусам; сверху школы, отстающие больше всех."),
            bars: behind.map { s in
                Charts.StackedBar(label: s.name, link: "/schools/" + HTML.segment(s.id),
                                  parts: [(s.done, Charts.done), (s.inProgress, Charts.inProgress), (s.blocked, Charts.blocked), (s.new, Charts.new)],
                                  note: t("\(HTML.percent(s.percentDone)) of \(s.assigned)", "\(HTML.percent(s.percentDone)) из \(s.assigned)"))
            },
            legend: statusLegend)
        body += "<figcaption>\(schools.count > Pages.chartRows ? t("The \(Pages.chartRows) schools furthest behind; every school is in the table below.", "\(Noun.school.count(Pages.chartRows, in: .ru)), отстающих больше всех; все школы — в таблице ниже.") : t("Every school is also in the table below.", "Те же данные — в таблице ниже."))</figcaption></figure></section>"

        body += "<section aria-labelledby=\"months-h\"><h2 id=\"months-h\">\(t("Deadlines by month", "Сроки по месяцам"))</h2><figure>"
        body += deadlinesChart(rollup.tasks)
        body += "<figcaption>\(t("Tasks with a date as deadline, by the month it falls in: done everywhere, still open, or overdue somewhere.", "Задачи со сроком-датой по месяцам: выполнены везде, ещё открыты, просрочены хотя бы в одной школе."))</figcaption></figure></section>"

        let stalest = rollup.schools.sorted { ($0.lastHeard, $0.name) < ($1.lastHeard, $1.name) }.prefix(Pages.chartRows)
        body += "<section aria-labelledby=\"fresh-h\"><h2 id=\"fresh-h\">\(t("Freshness of each school's data", "Свежесть данных школ"))</h2><figure>"
        body += Charts.stackedBars(
            id: "freshness", title: t("Days since each school's data last came", "Сколько дней назад пришли данные школы"),
            description: t("Longer bars are older data; schools silent \(longerThan(days: silentDays)) are red.",
                           "Чем длиннее полоса, тем старее данные; школы, молчащие \(longerThan(days: silentDays)), — красным."),
            bars: stalest.map { s in
                let days = s.lastHeard == 0 ? 30 : min(30, max(0, Int((Int64(data.now) - s.lastHeard) / 86_400_000)))
                let colour = s.lastHeard == 0 || days > silentDays ? Charts.blocked : days > 2 ? Charts.warn : Charts.done
                return Charts.StackedBar(label: s.name, link: "/schools/" + HTML.segment(s.id), parts: [(days, colour), (30 - days, "#e4e7eb")],
                                         note: HTML.age(s.lastHeard, now: data.now, language) + (s.lastChannel.isEmpty ? "" : " · " + HTML.channel(s.lastChannel, language, short: true)))
            },
            legend: [(t("up to 2 days", "до 2 дн."), Charts.done), (t("older", "старше"), Charts.warn), (t("silent", "молчит"), Charts.blocked)])
        body += "<figcaption>\(t("The scale ends at 30 days.", "Шкала — до 30 дней."))</figcaption></figure></section>"

        body += "<section aria-labelledby=\"schools-h\"><h2 id=\"schools-h\">\(t("Schools", "Школы"))</h2>" + schoolsTable(rollup.schools, silentDays: silentDays) + "</section>"
        return layout.page(title: t("Overview", "Обзор"), current: "/", body: body)
    }

    private var statusLegend: [(String, String)] {
        [(ReportStatus.done.label(language), Charts.done), (ReportStatus.inProgress.label(language), Charts.inProgress),
         (ReportStatus.blocked.label(language), Charts.blocked), (ReportStatus.new.label(language), Charts.new)]
    }

    private func deadlinesChart(_ tasks: [DashboardData.TaskRow]) -> String {
        var months: [String: (done: Int, open: Int, overdue: Int)] = [:]
        for task in tasks where task.deadline.count == 10 {
            let month = String(task.deadline.prefix(7))
            let total = task.assigned + (task.isOwn ? 1 : 0)
            let done = task.done + (task.ownStatus == ReportStatus.done.rawValue ? 1 : 0)
            let overdue = task.overdue > 0 || (task.isOwn && PartaNode.isOverdue(deadline: task.deadline, status: task.ownStatus, today: data.today))
            if total > 0 && done == total { months[month, default: (0, 0, 0)].done += 1 }
            else if overdue { months[month, default: (0, 0, 0)].overdue += 1 }
            else { months[month, default: (0, 0, 0)].open += 1 }
        }
        let names = language == .en ? ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                                    : ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
        let shown = Array(months.keys.sorted().suffix(24))
        let columns = shown.enumerated().map { i, month -> Charts.Column in
            let m = Int(month.suffix(2)) ?? 1, counts = months[month]!
            // The year under the first column and wherever it changes.
            let year = String(month.prefix(4)), changed = i == 0 || !shown[i - 1].hasPrefix(year)
            return Charts.Column(label: names[max(0, min(11, m - 1))], year: changed ? year : "",
                                 parts: [(counts.done, Charts.done), (counts.open, Charts.inProgress), (counts.overdue, Charts.blocked)])
        }
        return Charts.columns(id: "months", title: t("Deadlines by month", "Сроки по месяцам"),
                              description: zip(shown, columns).map { month, c in "\(c.label) \(month.prefix(4)): " + c.parts.map { String($0.value) }.joined(separator: "/") }.joined(separator: "; "),
                              columns: columns,
                              legend: [(t("done", "выполнено"), Charts.done), (t("open", "открыто"), Charts.inProgress), (t("overdue", "просрочено"), Charts.blocked)])
    }

    private func schoolsTable(_ schools: [DashboardData.SchoolRow], silentDays: Int) -> String {
        let region = schools.contains { !$0.municipality.isEmpty }
        var html = "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">\(t("School", "Школа"))</th>"
            + (region ? "<th scope=\"col\">\(t("Municipality", "Муниципалитет"))</th>" : "")
            + "<th scope=\"col\" class=\"num\">\(t("Tasks", "Задач"))</th><th scope=\"col\" class=\"num\">\(t("Done", "Выполнено"))</th>"
            + "<th scope=\"col\" class=\"num\">\(t("Overdue", "Просрочено"))</th><th scope=\"col\">\(t("Data from", "Данные"))</th>"
            + "<th scope=\"col\" class=\"hide-narrow\">\(t("How", "Как пришли"))</th></tr></thead><tbody>"
        let silentBefore = Int64(data.now) - Int64(silentDays) * 86_400_000
        for s in schools {
            html += "<tr><th scope=\"row\"><a href=\"/schools/\(HTML.segment(s.id))\">\(HTML.escape(s.name))</a></th>"
                + (region ? "<td>\(HTML.escape(s.municipality.isEmpty ? "—" : s.municipality))</td>" : "")
                + "<td class=\"num\">\(s.assigned)</td><td class=\"num\">\(HTML.percent(s.percentDone))</td>"
                + "<td class=\"num\(s.overdue > 0 ? " overdue" : "")\">\(s.overdue)</td>"
                + "<td class=\"\(s.lastHeard < silentBefore ? "warn" : "")\">\(HTML.age(s.lastHeard, now: data.now, language))</td>"
                + "<td class=\"hide-narrow\">\(HTML.channel(s.lastChannel, language))</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    private func resolutionTitle(_ r: DashboardData.ResolutionRow) -> String {
        if r.id.isEmpty { return t("Tasks outside resolutions", "Задачи вне решений") }
        var title = r.title.isEmpty ? r.id : r.title
        // The title often begins with the document's kind, in capitals ("РЕШЕНИЕ августовской конференции…").
        if !r.kind.isEmpty, title.lowercased().hasPrefix(r.kind.lowercased()) { title = String(title.dropFirst(r.kind.count)).trimmingCharacters(in: .whitespaces) }
        let kind = r.kind.isEmpty ? "" : r.kind.prefix(1).uppercased() + r.kind.dropFirst() + " "
        return kind + title + (r.date.isEmpty ? "" : " (\(formatDate(r.date)))")
    }

    // MARK: One resolution

    func resolution(_ id: String) throws -> String? {
        let rollup = try data.rollup(silentDays: 7)
        let key = id == "-" ? "" : id
        guard let r = rollup.resolutions.first(where: { $0.id == key }) else { return nil }
        let known = Set(rollup.resolutions.map(\.id).filter { !$0.isEmpty })
        let tasks = rollup.tasks.filter { key.isEmpty ? !known.contains($0.resolution) : $0.resolution == key }
        return layout.page(title: resolutionTitle(r), body: tasksTable(tasks))
    }

    private func tasksTable(_ tasks: [DashboardData.TaskRow]) -> String {
        var html = "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">№</th><th scope=\"col\">\(t("Task", "Задача"))</th>"
            + "<th scope=\"col\">\(t("Deadline", "Срок"))</th><th scope=\"col\" class=\"num\">\(t("Schools", "Школ"))</th>"
            + "<th scope=\"col\" class=\"num\">\(t("Done", "Выполнено"))</th><th scope=\"col\" class=\"num\">\(t("Overdue", "Просрочено"))</th></tr></thead><tbody>"
        for task in tasks {
            let own = task.isOwn ? " <span class=\"muted\">(\(t("department", "отдел")): \(statusLabel(task.ownStatus)))</span>" : ""
            html += "<tr><td>\(HTML.escape(task.number))</td><th scope=\"row\"><a href=\"/tasks/\(HTML.segment(task.id))\">\(HTML.escape(Charts.shorten(task.title, 140)))</a>\(own)</th>"
                + "<td>\(HTML.escape(task.deadlineText.isEmpty ? "—" : task.deadlineText))</td><td class=\"num\">\(task.assigned)</td>"
                + "<td class=\"num\">\(task.assigned == 0 ? "—" : HTML.percent(task.percentDone))</td>"
                + "<td class=\"num\(task.overdue > 0 ? " overdue" : "")\">\(task.overdue)</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    func statusLabel(_ raw: String) -> String { ReportStatus(rawValue: raw)?.label(language) ?? raw }

    func statusCell(_ raw: String, overdue: Bool = false) -> String {
        "<span class=\"status-\(HTML.escape(raw))\">\(HTML.escape(statusLabel(raw)))</span>" + (overdue ? " <span class=\"overdue\">(\(t("overdue", "просрочено")))</span>" : "")
    }

    func formatDate(_ iso: String) -> String {
        guard let d = PartaNode.parseISODate(iso) else { return iso }
        return String(format: "%02d.%02d.%04d", d.day, d.month, d.year)
    }

    func time(_ ms: Int64) -> String { ms > 0 ? PartaNode.formatTime(UInt64(ms)) : "—" }

    // MARK: One task

    /// A task's page: what it asks, the department's own work on it when it is one of the
    /// department's tasks (with a form for an editor), and every school it is assigned to.
    /// `saved`: the department's report was just saved; `error`: why an update was refused.
    func task(_ reference: String, saved: Bool = false, error: Message? = nil) throws -> String? {
        guard let id = try? data.node.resolveTask(reference),
              let r = try TaskQueries(data.node.replica).detail(id) else { return nil }
        let deadline = r.deadline ?? ""
        let reports = try data.reports(ofTask: id, deadline: deadline)
        let done = reports.filter { $0.status == ReportStatus.done.rawValue }.count, overdue = reports.filter(\.overdue).count
        var body = "<dl class=\"figures\">"
        let resolution = r.resolution
        if !resolution.isEmpty {
            let title = try ResolutionQueries(data.node.replica).title(resolution) ?? resolution
            body += "<div><dt>\(t("Resolution", "Решение"))</dt><dd><a href=\"/resolutions/\(HTML.segment(resolution))\">\(HTML.escape(Charts.shorten(title, 90)))</a></dd></div>"
        }
        body += "<div><dt>\(t("Deadline", "Срок"))</dt><dd>\(HTML.escape((r.deadlineText ?? "").isEmpty ? "—" : r.deadlineText!))</dd></div>"
        body += "<div><dt>\(t("Level", "Уровень"))</dt><dd>\(HTML.escape(levelLabel(r.level ?? "")))</dd></div>"
        let responsible = r.responsible
        if !responsible.isEmpty {
            body += "<div><dt>\(t("Responsible", "Ответственные"))</dt><dd>\(HTML.escape(responsible))</dd></div>"
        }
        body += "</dl>"
        if let text = r.body, !text.isEmpty { body += "<p class=\"comment\">\(HTML.escape(text))</p>" }
        if let targets = r.targets, !targets.isEmpty { body += "<p><b>\(t("Targets", "Показатели")):</b> \(HTML.escape(targets))</p>" }
        if let source = try data.node.taskSource(id) {
            body += "<details id=\"source\" open><summary>\(t("Wording in the document", "Текст в документе"))</summary>"
                + "<blockquote class=\"comment\">" + source.text.split(separator: "\n", omittingEmptySubsequences: false).map { "<p>\(HTML.escape(String($0)))</p>" }.joined() + "</blockquote>"
                + "<p class=\"muted\">\(t("Paragraphs", "Абзацы")) \(source.firstParagraph + 1)–\(source.lastParagraph + 1)</p></details>"
        }
        let own = try data.taskRows().first { $0.id == id && $0.isOwn }
        if let own { body += ownSection(own, saved: saved, error: error) }
        if own != nil && reports.isEmpty {
            body += "<p class=\"muted\">\(t("No school is assigned this task: the department carries it out itself.", "Эта задача не назначена ни одной школе: её выполняет сам отдел."))</p>"
        } else {
            body += schoolsOfTask(reports, done: done, overdue: overdue)
        }
        let conflicts = try data.conflicts(ofTask: id, language: language)
        body += "<h2>\(t("Conflicts", "Конфликты"))</h2>" + (conflicts.isEmpty ? "<p>\(t("None.", "Нет."))</p>" : conflictsTable(conflicts))
        return layout.page(title: "\(t("Task", "Задача")) \(r.number ?? "") \(Charts.shorten(r.title ?? "", 90))", body: body)
    }

    /// The department's own status on its task, as the task page shows it, with the form for an editor.
    private func ownSection(_ task: DashboardData.TaskRow, saved: Bool, error: Message?) -> String {
        let overdue = PartaNode.isOverdue(deadline: task.deadline, status: task.ownStatus, today: data.today)
        var html = "<section id=\"own\" aria-labelledby=\"own-h\" class=\"card\"><h2 id=\"own-h\">\(t("The department's own work", "Работа отдела"))</h2>"
        if let error { html += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.text(in: language)))</p>" }
        if saved { html += "<p class=\"notice\" role=\"status\">\(t("Saved. The region gets it with the next exchange.", "Сохранено. Регион получит это при следующем обмене."))</p>" }
        html += "<dl class=\"figures\"><div><dt>\(t("Status", "Статус"))</dt><dd>\(statusCell(task.ownStatus, overdue: overdue))</dd></div>"
            + "<div><dt>\(t("Progress", "Прогресс"))</dt><dd><progress max=\"100\" value=\"\(task.ownProgress)\" aria-hidden=\"true\"></progress> \(task.ownProgress)%</dd></div>"
            + "<div><dt>\(t("Last change", "Изменено"))</dt><dd>"
            + (task.ownReportedAt > 0 ? "\(HTML.escape(task.ownAuthor)), \(time(task.ownReportedAt))" : t("not yet reported", "ещё нет отчёта")) + "</dd></div></dl>"
        html += "<p><b>\(t("Comment", "Комментарий")):</b> " + (task.ownComment.isEmpty ? "—" : "<span class=\"comment\">\(HTML.escape(task.ownComment))</span>") + "</p>"
        if layout.user?.role == .editor {
            html += ownTaskForm(task, back: "task")
        } else {
            html += "<p class=\"muted\">\(t("Your account can view it; an editor can update it.", "Ваша учётная запись — для просмотра; обновлять может редактор."))</p>"
        }
        return html + "</section>"
    }

    /// The form an editor updates the department's report on `task` with; `back` says which page
    /// to come back to (`task`: the task's page; otherwise the list of the department's tasks).
    func ownTaskForm(_ task: DashboardData.TaskRow, back: String? = nil) -> String {
        guard let csrf = layout.csrf else { return "" }
        let key = HTML.escape(task.id)
        return "<form method=\"post\" action=\"/own/\(HTML.segment(task.id))\" class=\"stack\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">"
            + (back.map { "<input type=\"hidden\" name=\"back\" value=\"\(HTML.escape($0))\">" } ?? "")
            + "<label for=\"status-\(key)\">\(t("Status", "Статус"))</label><select id=\"status-\(key)\" name=\"status\">"
            + ReportStatus.allCases.map { "<option value=\"\($0.rawValue)\"\($0.rawValue == task.ownStatus ? " selected" : "")>\($0.label(language))</option>" }.joined()
            + "</select><label for=\"progress-\(key)\">\(t("Progress, %", "Прогресс, %"))</label>"
            + "<input type=\"number\" id=\"progress-\(key)\" name=\"progress\" min=\"0\" max=\"100\" value=\"\(task.ownProgress)\">"
            + "<label for=\"comment-\(key)\">\(t("Comment", "Комментарий"))</label><textarea id=\"comment-\(key)\" name=\"comment\" rows=\"3\">\(HTML.escape(task.ownComment))</textarea>"
            + "<p><button type=\"submit\">\(t("Save", "Сохранить"))</button></p></form>"
    }

    /// The schools a task is assigned to, with their reports.
    private func schoolsOfTask(_ reports: [DashboardData.ReportRow], done: Int, overdue: Int) -> String {
        var body = "<div class=\"figures\"><span><b>\(reports.count)</b>\(form(reports.count, .school))</span><span><b>\(done)</b>\(t("done", "выполнили"))</span>"
            + "<span><b class=\"\(overdue > 0 ? "overdue" : "")\">\(overdue)</b>\(t("overdue", "просрочено"))</span></div>"
        body += "<h2>\(t("Schools", "Школы"))</h2><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">\(t("School", "Школа"))</th>"
            + "<th scope=\"col\">\(t("Status", "Статус"))</th><th scope=\"col\" class=\"num\">\(t("Progress", "Прогресс"))</th>"
            + "<th scope=\"col\">\(t("Comment", "Комментарий"))</th><th scope=\"col\" class=\"hide-narrow\">\(t("By", "Автор"))</th>"
            + "<th scope=\"col\">\(t("Last change", "Изменено"))</th></tr></thead><tbody>"
        for report in reports {
            body += "<tr><th scope=\"row\"><a href=\"/schools/\(HTML.segment(report.school))\">\(HTML.escape(report.schoolName))</a></th>"
                + "<td>\(statusCell(report.status, overdue: report.overdue))</td>"
                + "<td class=\"num\"><progress max=\"100\" value=\"\(report.progress)\" aria-hidden=\"true\"></progress> \(report.progress)%</td>"
                + "<td class=\"comment\">\(HTML.escape(report.comment))</td><td class=\"hide-narrow\">\(HTML.escape(report.author))</td>"
                + "<td>\(time(report.reportedAt))</td></tr>"
        }
        return body + "</tbody></table></div>"
    }

    func levelLabel(_ level: String) -> String {
        switch (TaskLevel(rawValue: level), language) {
        case (.school, .en): return "schools"
        case (.school, _): return "школы"
        case (.municipal, .en): return "municipality"
        case (.municipal, _): return "муниципалитет"
        case (.regional, .en): return "region"
        case (.regional, _): return "регион"
        case (.other, _), (nil, _): return level
        }
    }

    // MARK: One school

    func school(_ id: String) throws -> String? {
        guard let name = try? data.node.schoolName(id) else { return nil }
        guard let row = try data.schoolRows().first(where: { $0.id == id }) else { return nil }
        let tasks = try data.tasks(ofSchool: id)
        let done = tasks.filter { $0.status == ReportStatus.done.rawValue }.count, overdue = tasks.filter(\.overdue).count
        var body = "<div class=\"figures\"><span><b>\(tasks.count)</b>\(form(tasks.count, .task))</span><span><b>\(done)</b>\(t("done", "выполнено"))</span>"
            + "<span><b class=\"\(overdue > 0 ? "overdue" : "")\">\(overdue)</b>\(t("overdue", "просрочено"))</span>"
            + "<span><b>\(HTML.escape(HTML.age(row.lastHeard, now: data.now, language)))</b>\(t("last data", "последние данные"))</span>"
            + "<span><b>\(HTML.escape(HTML.channel(row.lastChannel, language)))</b>\(t("came by", "как пришли"))</span></div>"
        if !row.municipality.isEmpty {
            body += "<p>\(t("Municipality", "Муниципалитет")): \(HTML.escape(row.municipality)) — \(t("its data comes through the municipality's hub.", "данные приходят через управление муниципалитета."))</p>"
        }
        body += "<h2>\(t("Computers and syncs", "Компьютеры и обмены"))</h2><div class=\"table-wrap\"><table><thead><tr>"
            + "<th scope=\"col\">\(t("Computer", "Компьютер"))</th><th scope=\"col\">\(t("Last bundle", "Последний пакет"))</th>"
            + "<th scope=\"col\">\(t("How", "Как"))</th><th scope=\"col\" class=\"num\">\(t("Bundles", "Пакетов"))</th></tr></thead><tbody>"
        let computers = try data.computers(ofSchool: id, municipality: row.municipality)
        for c in computers {
            body += "<tr><th scope=\"row\">\(HTML.escape(c.name.isEmpty ? c.id : c.name))\(c.revoked ? " <span class=\"overdue\">(\(t("revoked", "отозван")))</span>" : "")</th>"
                + "<td>\(time(c.lastAt))</td><td>\(HTML.escape(HTML.channel(c.lastChannel, language)))</td><td class=\"num\">\(c.bundles)</td></tr>"
        }
        if computers.isEmpty { body += "<tr><td colspan=\"4\">\(t("No computer enrolled yet.", "Компьютеры ещё не подключены."))</td></tr>" }
        body += "</tbody></table></div>"
        body += "<h2>\(t("Tasks", "Задачи"))</h2><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">№</th><th scope=\"col\">\(t("Task", "Задача"))</th>"
            + "<th scope=\"col\">\(t("Deadline", "Срок"))</th><th scope=\"col\">\(t("Status", "Статус"))</th><th scope=\"col\" class=\"num\">\(t("Progress", "Прогресс"))</th>"
            + "<th scope=\"col\">\(t("Comment", "Комментарий"))</th><th scope=\"col\" class=\"hide-narrow\">\(t("Last change", "Изменено"))</th></tr></thead><tbody>"
        for task in tasks {
            body += "<tr><td>\(HTML.escape(task.number))</td><th scope=\"row\"><a href=\"/tasks/\(HTML.segment(task.task))\">\(HTML.escape(Charts.shorten(task.title, 120)))</a></th>"
                + "<td>\(HTML.escape(task.deadlineText.isEmpty ? "—" : task.deadlineText))</td><td>\(statusCell(task.status, overdue: task.overdue))</td>"
                + "<td class=\"num\">\(task.progress)%</td><td class=\"comment\">\(HTML.escape(task.comment))</td>"
                + "<td class=\"hide-narrow\">\(time(task.reportedAt))</td></tr>"
        }
        body += "</tbody></table></div>"
        return layout.page(title: name, body: body)
    }

    // MARK: Conflicts

    func conflictLog() throws -> String {
        let conflicts = try data.conflicts(language: language)
        let body = "<p>\(t("When two computers change the same field without seeing each other's change, the later change is kept and the other is set aside here. Nothing is lost: a set-aside value can be entered again.", "Когда два компьютера меняют одно поле, не видя правки друг друга, сохраняется более поздняя правка, а другая откладывается сюда. Ничего не теряется: отложенное значение можно внести снова."))</p>"
            + (conflicts.isEmpty ? "<p>\(t("No conflicts.", "Конфликтов нет."))</p>" : conflictsTable(conflicts))
        return layout.page(title: t("Conflict log", "Журнал конфликтов"), current: "/conflicts", body: body)
    }

    private func conflictsTable(_ conflicts: [DashboardData.ConflictRow]) -> String {
        var html = "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">\(t("Task", "Задача"))</th><th scope=\"col\">\(t("School", "Школа"))</th>"
            + "<th scope=\"col\">\(t("Field", "Поле"))</th><th scope=\"col\">\(t("Kept", "Сохранено"))</th><th scope=\"col\">\(t("Set aside", "Отложено"))</th></tr></thead><tbody>"
        for c in conflicts {
            let task = c.task.map { "<a href=\"/tasks/\(HTML.segment($0))\">\(HTML.escape(c.taskLabel.isEmpty ? $0 : Charts.shorten(c.taskLabel, 80)))</a>" } ?? HTML.escape(c.view.about)
            let school = c.school.map { s in (try? data.node.schoolName(s)).map { "<a href=\"/schools/\(HTML.segment(s))\">\(HTML.escape($0))</a>" } ?? HTML.escape(s) } ?? "—"
            html += "<tr><td>\(task)</td><td>\(school)</td><td>\(HTML.escape(c.view.fieldName))</td>"
                + "<td><span class=\"comment\">\(HTML.escape(c.view.keptText))</span><br><span class=\"muted\">\(HTML.escape(c.view.keptBy)), \(HTML.escape(c.view.keptAt))</span></td>"
                + "<td><span class=\"comment\">\(HTML.escape(c.view.setAsideText))</span><br><span class=\"muted\">\(HTML.escape(c.view.setAsideBy)), \(HTML.escape(c.view.setAsideAt))</span></td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    // MARK: The hub's own tasks

    func ownTasks(saved: String?, error: Message?) throws -> String {
        let tasks = try data.taskRows().filter(\.isOwn)
        let editor = layout.user?.role == .editor
        var body = ""
        if let error { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.text(in: language)))</p>" }
        if let saved, tasks.contains(where: { $0.id == saved }) {
            body += "<p class=\"notice\" role=\"status\">\(t("Saved. The region gets it with the next exchange.", "Сохранено. Регион получит это при следующем обмене."))</p>"
        }
        body += "<p>\(t("Tasks of the municipal level that the department carries out itself.", "Задачи муниципального уровня, которые выполняет сам отдел."))"
            + (editor ? "" : " " + t("Your account can view them; an editor can update them.", "Ваша учётная запись — для просмотра; обновлять их может редактор.")) + "</p>"
        if tasks.isEmpty { body += "<p>\(t("The department has no tasks of its own.", "Своих задач у отдела нет."))</p>" }
        for task in tasks {
            let overdue = PartaNode.isOverdue(deadline: task.deadline, status: task.ownStatus, today: data.today)
            body += "<article class=\"card\" id=\"task-\(HTML.escape(task.id))\"><h2><a href=\"/tasks/\(HTML.segment(task.id))\">\(HTML.escape(task.number)) \(HTML.escape(Charts.shorten(task.title, 160)))</a></h2>"
                + "<p>\(t("Deadline", "Срок")): \(HTML.escape(task.deadlineText.isEmpty ? "—" : task.deadlineText)) · \(statusCell(task.ownStatus, overdue: overdue)) · \(task.ownProgress)%"
                + (task.ownReportedAt > 0 ? " · <span class=\"muted\">\(HTML.escape(task.ownAuthor)), \(time(task.ownReportedAt))</span>" : "") + "</p>"
            if !task.ownComment.isEmpty { body += "<p class=\"comment\">\(HTML.escape(task.ownComment))</p>" }
            if editor {
                body += "<details><summary>\(t("Update", "Обновить"))</summary>" + ownTaskForm(task) + "</details>"
            }
            body += "</article>"
        }
        return layout.page(title: t("The department's own tasks", "Задачи отдела"), current: "/own", body: body)
    }

    // MARK: Exports

    func exports() -> String {
        let body = "<p>\(t("Summary tables to send to the region. CSV opens in Excel in a Russian locale as it is (UTF-8, semicolons).", "Сводные таблицы для отправки в регион. CSV открывается в Excel с русскими настройками как есть (UTF-8, точка с запятой)."))</p><ul>"
            + "<li><a href=\"/export/schools.csv\" download>\(t("Schools (CSV)", "Школы (CSV)"))</a></li>"
            + "<li><a href=\"/export/tasks.csv\" download>\(t("Tasks (CSV)", "Задачи (CSV)"))</a></li>"
            + "<li><a href=\"/export/summary.xlsx\" download>\(t("Schools and tasks (Excel, XLSX)", "Школы и задачи (Excel, XLSX)"))</a></li></ul>"
            + "<p class=\"muted\">\(t("The same from the terminal:", "То же из терминала:")) <code>parta hub report --format csv|xlsx</code></p>"
        return layout.page(title: t("Exports", "Выгрузки"), current: "/exports", body: body)
    }
}
