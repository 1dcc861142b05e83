import Testing
@testable import PartaResolution
