import CatenaOpenAI
import Foundation
import Testing

/// HTTP dates read and written by hand, checked against Foundation's formatter over four centuries.
@Suite struct HTTPDateTests {
    @Test("formatting matches Foundation's IMF-fixdate and each form parses back to the same second")
    func matchesFoundation() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(
                timeIntervalSince1970: Double(Int.random(in: -2_208_988_800...7_258_118_399, using: &generator)))
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let text = HTTPDate.format(date)
            #expect(text == formatter.string(from: date))
            #expect(HTTPDate.parse(text) == date)
            formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
            #expect(
                HTTPDate.parse(
                    formatter.string(from: date).replacingOccurrences(
                        of: " (\\d) ", with: "  $1 ", options: .regularExpression)) == date)
        }
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test(
        "impossible or malformed dates are nil",
        arguments: [
            "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, -6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 99999 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT", "Sunday, 06-Nov 08:49:37 GMT", "", "GMT", "Sun Nov 6 08:49:37",
        ])
    func malformed(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}
