import Foundation
import PartaApp

/// The hub's web dashboard, apart from HTTP (issue 7): staff accounts, sessions, pages and charts.
/// PartaHTTP serves it; everything here is plain request-in, page-out, so it is tested without a server.
public enum DashboardModule {}
