import Foundation

/// The reader's local time beside the UTC times of the static HTML report, which has no script to
/// ask the browser: the time zone of the machine that wrote the report stands in for it. (The live
/// dashboard's script adds the browser's own local time.)
enum LocalTime {
    /// ` (2026-01-15 23:24:22 Europe/Paris)` for `2026-01-15 22:24:22 UTC` in Paris; empty when
    /// `zone` is UTC at that moment (nothing to add) or the text is not such a UTC time.
    static func beside(_ utcText: String, in zone: TimeZone) -> String {
        let reader = DateFormatter()
        reader.locale = Locale(identifier: "en_US_POSIX")
        reader.timeZone = TimeZone(identifier: "UTC")
        reader.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        guard let date = reader.date(from: utcText), zone.secondsFromGMT(for: date) != 0 else { return "" }
        let writer = DateFormatter()
        writer.locale = Locale(identifier: "en_US_POSIX")
        writer.timeZone = zone
        writer.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return " (\(writer.string(from: date)) \(zone.identifier))"
    }
}
