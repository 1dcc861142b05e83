import PartaCore
import PartaStore
import PartaResolution

extension PartaNode {
    /// Whether a task is one of this hub's own: a task the department carries out and reports on
    /// itself (``reportOwnTask(_:status:progress:comment:author:now:)``), the same for the demo,
    /// `parta tasks`, the hub's report and the dashboard.
    ///
    /// A task is the department's own when this hub issued it and the resolution addresses it to
    /// the municipal level (the department, its methodological centre), **whether or not it is
    /// also assigned to schools**: an item addressed to «Отделу образования …, образовательным
    /// организациям» is carried out by both, the schools reporting their part and the department
    /// its own. A task of another level the department has reported on anyway counts too. Tasks a
    /// region sent down are the region's, never the department's own.
    public func isOwnTask(id: String, level: String, hasOwnReport: Bool) -> Bool {
        isHub && id.hasSuffix("-" + taskTag) && (level == TaskLevel.municipal.rawValue || hasOwnReport)
    }

    /// This hub's own tasks (``isOwnTask(id:level:hasOwnReport:)``), in the order they were
    /// written, each with whether it is also assigned to schools. Empty at a school.
    public func ownTasks() throws -> [(id: String, sharedWithSchools: Bool)] {
        guard isHub else { return [] }
        return try TaskQueries(replica).ownTaskCandidates(hub: replica.nodeID).compactMap { r in
            guard isOwnTask(id: r.id, level: r.level, hasOwnReport: r.hasOwnReport) else { return nil }
            return (r.id, r.assignedToSchools)
        }
    }
}
