import Foundation
import Hummingbird

extension DashboardRequestContext {
    /// The path parameter `key` (`{name}` in `/api/failed/{name}`), percent-decoded: Hummingbird
    /// hands it over as sent, and the page links file and report names percent-encoded
    /// (``PageRenderer/pathEncoded(_:)``), so `my%20file.csv` must find `my file.csv`. The text as
    /// sent when it is not valid percent-encoding. Decoding can yield `/`, `..` or NUL: the routes
    /// only ever match the name against the names they list, never use it as a path.
    func decodedParameter(_ key: String) throws -> String {
        let raw = try parameters.require(key)
        return raw.removingPercentEncoding ?? raw
    }
}
