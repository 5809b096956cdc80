// Reading the delay a server asks for: seconds, HTTP-dates in the three forms RFC 9110 names, and
// the millisecond variant; nonsense is ignored rather than obeyed.
import Foundation
@testable import RetortTeachers
import Testing

@Suite struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example date.
    let now = Date(timeIntervalSince1970: 784_111_777)

    @Test func secondsAreReadAsIs() {
        #expect(RetryAfter.seconds(from: "120", now: now) == 120)
        #expect(RetryAfter.seconds(from: " 0 ", now: now) == 0)
        #expect(RetryAfter.seconds(from: "1.5", now: now) == 1.5)
    }

    @Test func httpDatesInEveryFormAreSecondsFromNow() {
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds(from: "Sunday, 06-Nov-94 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds(from: "Sun Nov  6 08:50:07 1994", now: now) == 30)
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0, "a date in the past means now")
    }

    @Test func nonsenseIsIgnored() {
        for value in ["", "soon", "-5", "nan", "inf", "Sun, 99 Nov 1994 08:50:07 GMT"] {
            #expect(RetryAfter.seconds(from: value, now: now) == nil, "\(value)")
        }
    }

    @Test func headersAreFoundWhateverTheirCaseAndMillisecondsWin() {
        #expect(RetryAfter.seconds(headers: [("Retry-After", "3")], now: now) == 3)
        #expect(RetryAfter.seconds(headers: [("retry-after", "3"), ("Retry-After-Ms", "250")], now: now) == 0.25)
        #expect(RetryAfter.seconds(headers: [("content-type", "application/json")], now: now) == nil)
    }
}
