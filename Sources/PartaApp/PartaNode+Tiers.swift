import Foundation
import PartaCore
import PartaStore
import PartaBundle

/// School → municipality → region (Protocol/replication-v1.md §12). A regional hub registers
/// municipalities; each municipal hub joins it with a one-time code and then exchanges with it
/// exactly as a school exchanges with the municipality: the same bundles, by stick or over HTTP.
/// The region sees every school's data of its municipalities and may assign its own tasks to
/// any of their schools; a municipality writes only its own schools' data.
extension PartaNode {
    /// A municipality as its region sees it.
    public struct MunicipalityEntry: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        /// The municipal hub's node, once it joined.
        public var hub: String?
        /// Schools it has registered (as far as the region has heard).
        public var schools: Int
        public var lastBundleAt: String?
    }

    /// The municipalities registered at this hub.
    public func listMunicipalities() throws -> [MunicipalityEntry] {
        let queries = NodeQueries(replica)
        return try queries.partitions(kind: Replica.PartitionKind.domain).map { row in
            let id = row.id
            let hub = try queries.hub(ofDomain: id)
            let schools = try queries.countPartitions(inDomain: id, notOfKind: Replica.PartitionKind.domain)
            let last = try hub.flatMap { try replica.lastBundleReceived(from: $0) }
            return MunicipalityEntry(id: id, name: row.name, hub: hub, schools: Int(schools),
                                     lastBundleAt: last.map { CivilTime.iso8601(milliseconds: UInt64($0)) })
        }
    }

    /// The municipality a school belongs to, as this hub knows it (nil: governed here directly).
    public func municipality(ofSchool school: String) throws -> String? {
        let domain = try NodeQueries(replica).domain(ofPartition: school) ?? ""
        return domain.isEmpty || domain == replica.domain ? nil : domain
    }

    /// Ids of the schools governed here directly (a region's own schools; a municipality's schools).
    func directlyGovernedSchools() throws -> [String] {
        try listSchools().map(\.id).filter { try municipality(ofSchool: $0) == nil }
    }

    static func checkID(_ id: String) throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw PartaError(.invalidArgument, Message(
                en: "An id may hold letters, digits, - and _ only (for example school-12).",
                ru: "Код может содержать только буквы, цифры, - и _ (например, school-12)."))
        }
    }

    fileprivate func unknownMunicipality(_ id: String) -> PartaError {
        PartaError(.invalidArgument, Message(
            en: "There is no municipality \(id). See `parta hub municipalities`, or add it with `parta hub municipality add`.",
            ru: "Муниципалитета \(id) нет. Список — `parta hub municipalities`, добавить — `parta hub municipality add`."))
    }
}

extension HubNode {
    /// Municipality: writes its bundle for the region under `directory/<municipality>/`.
    public func exportForRegion(to directory: String, now: UInt64) throws -> ExportedBundle {
        let (upstream, domain) = try requireRegion()
        return try BundleExchange(replica: replica).export(for: .node(upstream.id), partitionFolder: domain, to: directory, now: now)
    }

    /// Region: registers a municipality and issues the one-time code its hub joins with.
    public func addMunicipality(id: String, name: String, now: UInt64) throws -> EnrollmentCode {
        try PartaNode.checkID(id)
        if try SchoolQueries(replica).exists(id) {
            throw PartaError(.invalidArgument, Message(
                en: "\(id) is already a school's id; choose another id for the municipality.",
                ru: "\(id) уже занят школой; выберите для муниципалитета другой код."))
        }
        return try replica.addDomain(id, name: name, now: now)
    }

    /// Region: another one-time code for a municipality (a replacement hub computer).
    public func issueMunicipalityCode(_ id: String, now: UInt64) throws -> EnrollmentCode {
        guard try listMunicipalities().contains(where: { $0.id == id }) else { throw unknownMunicipality(id) }
        return try replica.issueEnrollmentCode(partition: id, now: now)
    }

    /// Municipality: joins the region. `path` is the region's bundle for this municipality (a file
    /// or a stick's folder holding it), `code` the one-time code the region issued. The region's
    /// keys become this hub's anchor for everything from above; this hub's schools are claimed
    /// for the municipality, so the region accepts their data.
    public func joinRegion(fromBundle path: String, code: EnrollmentCode, now: UInt64) throws -> ApplyReport {
        var lastError: Error?
        for candidate in try BundleFiles.bundlePaths(at: path) {
            let reader: ChangeSetReader
            do {
                reader = try ChangeSetReader(bytes: BundleFiles.read(candidate))
                guard case .partition = reader.header.recipient, reader.header.senderPartition == Change.everywhere,
                      reader.header.stanzas.contains(where: { $0.kind == .enrollmentCode }) else { continue }
                // Only the bundle the code opens is the region's bundle for this municipality.
                let probe = try ChangeSetReader(bytes: BundleFiles.read(candidate))
                try probe.verifySignature(signingKey: probe.header.senderKeys?.signing ?? [])
                try probe.open(with: nil, codes: [code])
            } catch {
                lastError = BundleError.wrap(error, path: candidate)
                continue
            }
            do {
                return try replica.joinUpstream(reader, code: code, now: now)
            } catch {
                throw BundleError.wrap(error, path: candidate)
            }
        }
        if let lastError, (try? BundleFiles.bundlePaths(at: path).count) == 1 { throw lastError }
        throw PartaError(.invalidArgument, Message(
            en: "No bundle in \(path) opens with the code \(code). A municipal hub joins its region with the bundle the region exported for the municipality after issuing the code; check the code, or ask the region to export again.",
            ru: "Ни один пакет в \(path) не открывается кодом \(code). Муниципальное управление подключается к региону по пакету, выгруженному регионом для муниципалитета после выдачи кода; проверьте код или попросите регион выгрузить пакеты заново."))
    }

    /// The region this hub reports to and its municipality there.
    public func requireRegion() throws -> (TrustedHub, String) {
        guard let upstream = replica.upstream, let domain = replica.domain else {
            throw PartaError(.invalidArgument, Message(
                en: "This hub has not joined a region. Join first: `parta hub join --from BUNDLE --code CODE` with the region's bundle and code.",
                ru: "Это управление не подключено к региону. Сначала подключитесь: `parta hub join --from ПАКЕТ --code КОД` с пакетом и кодом региона."))
        }
        return (upstream, domain)
    }
}
