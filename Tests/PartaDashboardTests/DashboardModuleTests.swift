import Testing
@testable import PartaDashboard

@Suite struct DashboardModuleTests {
    @Test func moduleBuilds() { _ = DashboardModule.self }
}
