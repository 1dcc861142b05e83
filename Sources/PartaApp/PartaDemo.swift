import Foundation
import PartaCore
import PartaStore
import PartaBundle
import PartaResolution

/// `parta demo`: a municipal hub and five schools (one with two computers), some exchanging over
/// HTTP and two by a courier's USB stick, one concurrent edit in the conflict log, and the region
/// above the hub, told step by step.
///
/// Time is simulated (from 1 September 2020) so the story is the same on every run. The demo
/// checks its own result: at the end every replica must hold exactly the hub's view of its school,
/// and the region the hub's data of every school.
public enum PartaDemo {
    public struct Result: Sendable {
        public var replicasAgree: Bool
        public var conflicts: Int
        public var reportsAtHub: Int
        /// Whether the lost laptop's bundle was refused after its revocation.
        public var revokedNodeRefused: Bool = false
        /// Whether the region holds exactly the municipality's data of every school.
        public var regionAgrees: Bool = false
        /// The story's clock when it ended (ms): the dashboard shows the hub as of then.
        public var endedAt: UInt64 = 0
    }

    /// Syncs a school with its hub over the network (the CLI runs a real HTTP server on
    /// 127.0.0.1 for it) and returns a line saying what moved.
    public typealias NetworkSync = (_ hub: HubNode, _ school: SchoolNode, _ now: UInt64) async throws -> String

    static let schools = [("muchkap", "МБОУ Мучкапская СОШ им. А.А. Гордеева"), ("shapkino", "Шапкинский филиал"), ("sergievka", "Сергиевский филиал"),
                          ("zavoronezhskoe", "Заворонежский филиал"), ("kulikovo", "Куликовский филиал")]

    public static func run(in directory: String, language: Language, network: NetworkSync? = nil, write say: (String) -> Void) async throws -> Result {
        func T(_ en: String, _ ru: String) -> String { language == .en ? en : ru }
        var clock = UInt64(CivilTime.daysFromCivil(year: 2020, month: 9, day: 1) * 86_400 + 9 * 3600) * 1000
        func day(_ n: Int) -> UInt64 { clock += UInt64(n) * 86_400_000; return clock }
        func minute() -> UInt64 { clock += 60_000; return clock }
        func folder(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let stick = folder("stick"), oldStick = folder("old-stick")

        say(T("== 1 September 2020. The municipal hub registers the schools and imports the conference's decision",
              "== 1 сентября 2020. Отдел образования регистрирует школы и импортирует решение конференции"))
        let hub = try PartaNode.createHub(directory: folder("hub"), name: "Отдел образования администрации Мучкапского района", now: clock)
        // Each school gets a one-time enrollment code, handed over apart from the stick (by phone, on paper).
        var codes: [String: EnrollmentCode] = [:]
        for (id, name) in schools { codes[id] = try hub.addSchool(id: id, name: name, now: minute()) }
        let headCode = try hub.issueEnrollmentCode(school: "muchkap", now: minute())
        // The resolution as published, imported; its school-level tasks go to every school (section 4
        // names Muchkap's school, so only it gets those), and so do the tasks addressed to the
        // department and the schools together (the department's own as well: PartaNode.isOwnTask).
        // Tasks addressed to the department alone stay at the hub.
        let imported = try hub.importResolution(ResolutionReader.parse(text: muchkapResolution), source: "muchkap-2020.txt", dryRun: false, now: minute())
        _ = try hub.assign(resolution: imported.resolution, level: "school", to: .all, now: minute())
        let joint = imported.lines.filter { line in line.task.level == .municipal && line.task.addressees.contains { $0.lowercased().contains("образовательным организациям") } }
        _ = try hub.assign(resolution: imported.resolution, level: nil, to: .all, onlyTasks: joint.map(\.id), now: minute())
        /// The id of the `nth` task printed with `number` (a number may hold several tasks).
        func task(_ number: String, _ nth: Int = 1) -> String {
            imported.lines.filter { $0.task.number.trimmingCharacters(in: CharacterSet(charactersIn: ".")) == number }[nth - 1].id
        }
        // The department's own tasks as the dashboard counts them (PartaNode.isOwnTask): those
        // addressed to it, whether or not schools carry them out too.
        let ownTasks = try hub.ownTasks()
        let own = ownTasks.count, shared = ownTasks.filter(\.sharedWithSchools).count
        let toSchools = Int(try TaskQueries(hub.replica).countAssignedTasks())
        let document = imported.document.kind.capitalized + " " + imported.document.body + " (" + imported.document.date + ")"
        let dated = imported.lines.filter { $0.task.deadline != nil }.count
        func n(_ count: Int, _ noun: Noun) -> String { noun.count(count, in: language) }
        say(T("Imported as published: \(document). \(n(imported.lines.count, .task)) (\(dated) with a deadline): \(toSchools) go to schools; the department's own: \(own), \(shared) of them together with schools.",
              "Импортировано как опубликовано: \(document). \(n(imported.lines.count, .task)) (со сроком — \(dated)); школам — \(toSchools); собственных задач отдела — \(own), из них \(shared) вместе со школами."))
        let first = try hub.exportForSchools(to: stick, now: minute()).bundles
        say(T("Enrollment codes, handed to the schools by phone: ", "Коды подключения, переданы в школы по телефону: ")
            + schools.map { "\($0.0) \(codes[$0.0]!)" }.joined(separator: ", ") + T(", and a second one for Muchkap's head: ", ", и второй для директора Мучкапской СОШ: ") + headCode.description)
        say(T("The courier's stick gets one signed, sealed bundle per school: ", "На флешку курьера записан подписанный и зашифрованный пакет для каждой школы: ")
            + first.map { "\(FilePath.lastComponent($0.path).isEmpty ? "" : FilePath.lastComponent(FilePath.parent($0.path))) (\($0.byteCount) \(T("B", "Б")))" }.joined(separator: ", "))

        say("\n" + T("== 2 September. Schools start from the stick; Muchkap runs two computers",
                     "== 2 сентября. Школы подключаются с флешки; в Мучкапской СОШ два компьютера"))
        _ = day(1)
        let clerk = try PartaNode.createSchoolNode(directory: folder("muchkap-clerk"), fromBundle: stick, code: codes["muchkap"]!, name: "ПК секретаря", now: minute()).0
        let head = try PartaNode.createSchoolNode(directory: folder("muchkap-head"), fromBundle: stick, code: headCode, name: "Ноутбук директора", now: minute()).0
        let shapkino = try PartaNode.createSchoolNode(directory: folder("shapkino"), fromBundle: stick, code: codes["shapkino"]!, name: "ПК Шапкино", now: minute()).0
        let sergievka = try PartaNode.createSchoolNode(directory: folder("sergievka"), fromBundle: stick, code: codes["sergievka"]!, name: "ПК Сергиевка", now: minute()).0
        let zavoronezhskoe = try PartaNode.createSchoolNode(directory: folder("zavoronezhskoe"), fromBundle: stick, code: codes["zavoronezhskoe"]!, name: "ПК Заворонежское", now: minute()).0
        let kulikovo = try PartaNode.createSchoolNode(directory: folder("kulikovo"), fromBundle: stick, code: codes["kulikovo"]!, name: "ПК Куликово", now: minute()).0
        // Schools with a connection sync over HTTP (when the demo has a network); Sergievka and Kulikovo have none: a courier carries their stick.
        let online = [clerk, head, shapkino, zavoronezhskoe], byCourier = [sergievka, kulikovo]
        let everyNode = online + byCourier
        for node in [clerk, shapkino, sergievka, zavoronezhskoe, kulikovo] {
            say("\(node.school): " + n(try node.tasks(today: "2020-09-02").count, .task))
        }

        say("\n" + T("== September. Schools work offline and report", "== Сентябрь. Школы работают без связи и отмечают ход работы"))
        _ = day(5)
        try clerk.report(task: task("5.1"), status: .done, progress: nil, comment: "Программа воспитания утверждена педсоветом", now: minute())
        try clerk.report(task: task("5.3"), status: .inProgress, progress: 40, comment: "Две программы идут дистанционно", indicators: ["охват, %": 52], now: minute())
        try shapkino.report(task: task("5.1"), status: .inProgress, progress: 70, comment: "Проект на согласовании", now: minute())
        try shapkino.report(task: task("5.2"), status: .done, progress: nil, comment: "Обязанности обновлены приказом № 41", now: minute())
        try sergievka.report(task: task("5.3"), status: .blocked, progress: 10, comment: "Нет устойчивой связи для дистанционных занятий", now: minute())
        try zavoronezhskoe.report(task: task("5.1"), status: .done, progress: nil, comment: "Программа утверждена 7 сентября", now: minute())
        try kulikovo.report(task: task("5.2"), status: .inProgress, progress: 50, comment: "Приказ готовится", now: minute())
        // Sergievka exports early: the courier keeps that first copy on an old stick.
        _ = try sergievka.exportForHub(to: oldStick, now: minute())
        try sergievka.report(task: task("5.1"), status: .done, progress: nil, comment: "Утверждена", now: minute())
        say(T("Muchkap's clerk and head both update task 3.2 (mentoring) without seeing each other's edit.",
              "Секретарь и директор Мучкапской СОШ оба меняют отчёт по задаче 3.2 (наставничество), не видя правки друг друга."))
        try clerk.report(task: task("3.2", 3), status: .inProgress, progress: 50, comment: "Назначены 6 наставников", now: minute())
        try head.report(task: task("3.2", 3), status: .inProgress, progress: 60, comment: "Наставники назначены приказом № 112", now: minute())
        /// One exchange of a school computer with the hub: over HTTP if it is online and the demo has
        /// a network, else by the courier's stick both ways.
        func exchange(_ node: SchoolNode) async throws {
            if let network, online.contains(where: { $0 === node }) {
                say("  " + (try await network(hub, node, minute())))
            } else {
                _ = try node.exportForHub(to: stick, now: minute())
                _ = try hub.importBundles(at: stick, now: minute())
                _ = try hub.exportForSchools([node.school], to: stick, now: minute())
                _ = try node.importBundles(at: stick, now: minute())
            }
        }

        say("\n" + T(network == nil ? "== 14 September. The schools send their reports" : "== 14 September. Four computers sync over HTTP; the courier brings the stick from Sergievka and Kulikovo",
                     network == nil ? "== 14 сентября. Школы передают отчёты" : "== 14 сентября. Четыре компьютера синхронизируются по HTTP; курьер привозит флешку из Сергиевки и Куликово"))
        _ = day(7)
        for node in online { try await exchange(node) }
        for node in byCourier { _ = try node.exportForHub(to: stick, now: minute()) }
        say(T("The hub takes in the courier's stick, then the old stick (scrambled order, a stale copy):",
              "Отдел принимает флешку курьера, затем старую флешку (порядок перепутан, копия устарела):"))
        for path in [stick, oldStick] {
            for o in try hub.importBundles(at: path, now: minute()) {
                let name = FilePath.lastComponent(FilePath.parent(o.path)) + "/" + FilePath.lastComponent(o.path)
                switch o.status {
                case .applied(let r):
                    say("  \(name): " + T("\(n(r.applied, .newChange)), already here \(r.alreadyHad), older \(r.superseded), \(n(r.conflicts, .conflict))",
                                          "\(n(r.applied, .newChange)), уже были — \(r.alreadyHad), устаревших — \(r.superseded), \(n(r.conflicts, .conflict))"))
                case .skipped: break
                case .failed(let e): say("  \(name): " + e.message.text(in: language))
                }
            }
        }

        say("\n" + T("== 15 September. The hub withdraws task 3.7 from Sergievka; every school gets the news",
                     "== 15 сентября. Отдел снимает задачу 3.7 с Сергиевского филиала; все школы получают новости"))
        _ = day(1)
        try hub.unassign(task: task("3.7"), from: "sergievka", now: minute())
        _ = try hub.exportForSchools(to: stick, now: minute())
        _ = day(1)
        for node in byCourier { _ = try node.importBundles(at: stick, now: minute()) }
        let left = try sergievka.tasks(today: "2020-09-16").count
        say(T("Sergievka now lists \(n(left, .task)) (3.7 is gone).", "У Сергиевского филиала теперь \(n(left, .task)) (3.7 снята)."))
        // One more round so the hub hears that every school has everything.
        if network != nil { say(T("A second round of exchanges:", "Второй круг обмена:")) }
        for node in everyNode { try await exchange(node) }

        if let network {
            say("\n" + T("== 16 September. Shapkino reports again and gets a new task at once, over HTTP",
                         "== 16 сентября. Шапкино снова отчитывается и сразу получает новую задачу по HTTP"))
            try shapkino.report(task: task("5.1"), status: .done, progress: nil, comment: "Программа утверждена", now: minute())
            try hub.addTask(PartaNode.NewTask(title: "Представить план работы на второе полугодие"), assignTo: ["shapkino"], now: minute())
            say("  " + (try await network(hub, shapkino, minute())))
        }

        say("\n" + T("== The conflict log at the hub", "== Журнал конфликтов в отделе"))
        let conflicts = try hub.conflicts(language: language)
        for c in conflicts {
            say(T("  \(c.about), field “\(c.fieldName)”: kept \"\(c.keptText)\" (\(c.keptBy)); set aside \"\(c.setAsideText)\" (\(c.setAsideBy))",
                  "  \(c.about), поле «\(c.fieldName)»: сохранено «\(c.keptText)» (\(c.keptBy)); отложено «\(c.setAsideText)» (\(c.setAsideBy))"))
        }

        say("\n" + T("== The hub's report on 16 September 2020", "== Сводка отдела на 16 сентября 2020"))
        let report = try hub.hubReport(today: "2020-09-16")
        var table = TextTable([T("School", "Школа"), T("Tasks", "Задач")] + ReportStatus.allCases.map { $0.label(language) } + [T("Overdue", "Просрочено")])
        for s in report.schools {
            table.add([s.name, "\(s.assigned)"] + ReportStatus.allCases.map { String(s.byStatus[$0.rawValue] ?? 0) } + ["\(s.overdue)"])
        }
        say(table.render())

        var agree = true
        for node in everyNode {
            let same = try node.replica.canonicalDump() == hub.replica.canonicalDump(partition: node.school)
            agree = agree && same
        }
        say("\n" + (agree
            ? T("All \(everyNode.count) school replicas hold exactly the hub's data for their school.", "Все \(everyNode.count) школьных копий данных в точности совпадают с данными отдела по своей школе.")
            : T("MISMATCH: a school replica differs from the hub.", "РАСХОЖДЕНИЕ: копия данных школы отличается от данных отдела.")))
        let reports = Int(try TaskQueries(hub.replica).countReports())

        say("\n" + T("== 20 September. The head's laptop is lost, with a bundle still waiting on the stick",
                     "== 20 сентября. Ноутбук директора утерян, а на флешке остался его пакет"))
        _ = day(4)
        try head.report(task: task("3.2", 3), status: .done, progress: nil, comment: "Запись с утерянного ноутбука", now: minute())
        _ = try head.exportForHub(to: stick, now: minute())
        try clerk.report(task: task("5.3"), status: .inProgress, progress: 60, comment: "Третья программа идёт дистанционно", now: minute())
        _ = try clerk.exportForHub(to: stick, now: minute())
        try hub.revokeNode(head.replica.nodeID, now: minute())
        say(T("The hub revokes node \(head.replica.nodeID) (parta hub node revoke).", "Отдел отзывает узел \(head.replica.nodeID) (parta hub node revoke)."))
        var refused = false
        for o in try hub.importBundles(at: stick + "/muchkap", now: minute()) {
            switch o.status {
            case .applied(let r):
                say("  " + (o.path as NSString).lastPathComponent + ": " + T("accepted, " + Noun.newChange.count(r.applied, in: .en), "принят, " + Noun.newChange.count(r.applied, in: .ru)))
            case .failed(let e):
                refused = refused || e.reasonCode == "revoked"
                say("  " + (o.path as NSString).lastPathComponent + ": " + T("refused: ", "отклонён: ") + e.message.text(in: language))
            case .skipped: break
            }
        }

        say("\n" + T("== 25 September. The region joins in: the district's hub sends its schools' data up",
                     "== 25 сентября. Подключается регион: отдел передаёт данные своих школ наверх"))
        _ = day(5)
        let region = try PartaNode.createHub(directory: folder("region"), name: "Управление образования и науки Тамбовской области", now: minute())
        let regionCode = try region.addMunicipality(id: "muchkap-district", name: "Мучкапский район", now: minute())
        let regionStick = folder("region-stick")
        _ = try region.exportForSchools(to: regionStick, now: minute())
        _ = try hub.joinRegion(fromBundle: regionStick, code: regionCode, now: minute())
        let regionalTask = try region.addTask(PartaNode.NewTask(title: "Направить сведения о наставничестве в регион"), now: minute())
        _ = try hub.exportForRegion(to: regionStick, now: minute())
        _ = try region.importBundles(at: regionStick, now: minute())
        try region.assign(task: regionalTask, to: ["muchkap"], now: minute())
        _ = try region.exportForSchools(to: regionStick, now: minute())
        _ = try hub.importBundles(at: regionStick, now: minute())
        let down = try TaskQueries(hub.replica).assignedSchools(of: regionalTask)
        say(T("The region registered the district (code \(regionCode)) and the hub joined with it. A regional task is now at the district's hub, assigned to \(down.joined(separator: ", ")); the school gets it with the next exchange. The region's roll-up:",
              "Регион зарегистрировал район (код \(regionCode)), отдел подключился по нему. Региональная задача уже в отделе, назначена: \(down.joined(separator: ", ")); школа получит её при следующем обмене. Сводка региона:"))
        let rollUp = try region.hubReport(today: "2020-09-25")
        var regionTable = TextTable([T("School", "Школа"), T("Municipality", "Муниципалитет"), T("Tasks", "Задач"), T("Done", "Выполнено")])
        for s in rollUp.schools {
            regionTable.add([s.name, try region.municipality(ofSchool: s.id) ?? "—", "\(s.assigned)", "\(s.byStatus[ReportStatus.done.rawValue] ?? 0)"])
        }
        say(regionTable.render())
        var regionAgrees = true
        for (id, _) in schools {
            regionAgrees = try regionAgrees && region.replica.canonicalDump(partition: id) == hub.replica.canonicalDump(partition: id)
        }
        say(regionAgrees
            ? T("The region holds exactly the district's data of every school.", "Данные региона по каждой школе в точности совпадают с данными отдела.")
            : T("MISMATCH: the region differs from the district.", "РАСХОЖДЕНИЕ: данные региона отличаются от данных отдела."))
        return Result(replicasAgree: agree, conflicts: conflicts.count, reportsAtHub: reports, revokedNodeRefused: refused, regionAgrees: regionAgrees,
                      endedAt: minute())
    }
}
