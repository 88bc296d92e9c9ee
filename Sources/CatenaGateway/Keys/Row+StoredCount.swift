import GRDB

extension Row {
    /// A stored count or amount of nanodollars, never trapping: SQLite turns an integer sum past 64 bits into a
    /// real number (which GRDB's integer read traps on), so a real is read back clamped to the 64-bit range, and
    /// anything else is 0.
    func storedCount(_ column: String) -> Int64 {
        switch (self[column] as DatabaseValue).storage {
        case .int64(let value): value
        case .double(let value) where value.isNaN: 0
        case .double(let value): value >= 9.2e18 ? .max : value <= -9.2e18 ? .min : Int64(value)
        default: 0
        }
    }
}
