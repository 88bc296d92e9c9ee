/// An amount of US dollars in whole nanodollars (10⁻⁹ USD), where money is summed and compared: integers add up
/// exactly however many requests add to them, where dollars as `Double` drift (`0.5233020000002389`). Token prices
/// (10⁻⁸ USD and up) are whole nanodollars. Converting never traps: a value that is not finite counts as 0, one
/// beyond ±9.2 billion dollars as that bound.
struct Nanodollars: Sendable, Hashable, Comparable {
    /// The amount.
    var value: Int64

    /// `value` nanodollars.
    init(value: Int64) { self.value = value }

    /// `dollars`, to the nearest nanodollar.
    init(_ dollars: Double) {
        let nanodollars = (dollars * 1e9).rounded()
        guard nanodollars.isFinite else {
            value = 0
            return
        }
        value = nanodollars >= 9.2e18 ? .max : nanodollars <= -9.2e18 ? .min : Int64(nanodollars)
    }

    /// The amount a store or Redis wrote as decimal digits (0 when it is not a number).
    init(text: String) {
        value = Int64(text) ?? Int64(Double(text).map { Nanodollars($0 / 1e9).value } ?? 0)
    }

    /// The amount in dollars.
    var dollars: Double { Double(value) / 1e9 }

    static func + (a: Nanodollars, b: Nanodollars) -> Nanodollars {
        let (sum, overflow) = a.value.addingReportingOverflow(b.value)
        return Nanodollars(value: overflow ? (b.value > 0 ? .max : .min) : sum)
    }

    static func < (a: Nanodollars, b: Nanodollars) -> Bool { a.value < b.value }
}
