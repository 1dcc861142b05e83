import Foundation
import PartaCore
import PartaApp
import PartaBundle

/// What `parta import` and `parta hub import` say when a stick held nothing for this computer: a
/// wrong stick (another district's, another school's), one the other side has not written to yet,
/// or no bundles at all. Each is an error with its reason (exit 1), never a silent success: the
/// courier is still there and can fetch the right stick.
enum NothingImported {
    /// Returns `outcomes` if any bundle was for this node (taken in or refused with its own
    /// reason); otherwise prints each file's skip reason (or, with `--json`, the outcomes, so
    /// that a script still sees each file) and throws the reason nothing was taken in.
    static func check(_ outcomes: [ImportOutcome], at path: String, node: PartaNode, options: GlobalOptions) throws -> [ImportOutcome] {
        let forThisNode = outcomes.contains { if case .skipped = $0.status { return false } else { return true } }
        guard !forThisNode else { return outcomes }
        if options.json || !outcomes.isEmpty { try Render.importOutcomes(outcomes, options: options) }
        throw reason(path, outcomes: outcomes, node: node.replica.nodeID, isHub: node.isHub)
    }

    static func reason(_ path: String, outcomes: [ImportOutcome], node: String, isHub: Bool) -> PartaError {
        if outcomes.isEmpty {
            return PartaError(.invalidArgument, Message(
                en: "There are no Parta bundles (.parta files) in \(path). Check that this is the courier's stick and the right folder.",
                ru: "В \(path) нет пакетов Parta (файлов .parta). Проверьте, та ли это флешка и та ли папка."))
        }
        let others = outcomes.filter { $0.sender != node }.count
        if others == 0 {
            return isHub
                ? PartaError(.invalidArgument, Message(
                    en: "The stick in \(path) holds no bundles for this hub, only the \(outcomes.count) it wrote itself: the schools' answers are not on it yet.",
                    ru: "На флешке (\(path)) нет пакетов для этого управления, только записанные им самим (\(outcomes.count)): ответов школ на ней ещё нет."))
                : PartaError(.invalidArgument, Message(
                    en: "The stick in \(path) holds no bundle for this computer, only the \(outcomes.count) it wrote itself: the hub's answer is not on it yet (it comes after the hub imports this stick and exports).",
                    ru: "На флешке (\(path)) нет пакета для этого компьютера, только записанные им самим (\(outcomes.count)): ответа управления на ней ещё нет (он появится, когда управление примет эту флешку и запишет ответ)."))
        }
        return isHub
            ? PartaError(.invalidArgument, Message(
                en: "The stick in \(path) holds no bundles for this hub (\(Noun.bundle.count(others, in: .en)) on it for another hub and its schools); it may be from another district. Nothing was imported.",
                ru: "На флешке нет пакетов для этого управления; возможно, она из другого района (в \(path) \(Noun.bundle.count(others, in: .ru)) для другого управления и его школ). Ничего не импортировано."))
            : PartaError(.invalidArgument, Message(
                en: "The stick in \(path) holds no bundle for this computer (\(Noun.bundle.count(others, in: .en)) on it for the hub or other schools); the hub may not have written this school's yet, or the stick is another district's. Nothing was imported.",
                ru: "На флешке нет пакета для этого компьютера (в \(path) \(Noun.bundle.count(others, in: .ru)) для управления или других школ): возможно, управление ещё не записало пакет этой школы или флешка из другого района. Ничего не импортировано."))
    }
}
