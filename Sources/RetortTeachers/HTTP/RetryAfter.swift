// Reads the delay a server asks for before the next attempt: `Retry-After` in seconds or as an
// HTTP-date (RFC 9110 §10.2.3), and the millisecond `retry-after-ms` some OpenAI-compatible servers
// send. The policy caps whatever is found; here it is only parsed.
import Foundation

public enum RetryAfter {
    /// Seconds to wait, from the response headers (names are case-insensitive); nil when absent or
    /// unreadable. A date in the past gives 0.
    public static func seconds(headers: [(name: String, value: String)], now: Date = Date()) -> Double? {
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.trimmingCharacters(in: .whitespaces)
        }
        if let ms = header("retry-after-ms"), let value = Double(ms), value.isFinite, value >= 0 {
            return value / 1000
        }
        return header("retry-after").flatMap { seconds(from: $0, now: now) }
    }

    /// One `Retry-After` value: delay-seconds (digits; a fraction is tolerated) or an HTTP-date.
    public static func seconds(from value: String, now: Date = Date()) -> Double? {
        let value = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(value) { return seconds.isFinite && seconds >= 0 ? seconds : nil }
        guard let date = httpDate(value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and the obsolete RFC 850 and asctime forms
    /// that RFC 9110 says recipients must accept.
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text.replacingOccurrences(of: "  ", with: " ")) { return date }
        }
        return nil
    }
}
