import CatenaSQLiteCache
import Foundation
import Synchronization
import Testing

/// The SQLite response cache on its own: a real file, its expiry, its errors.
@Suite("SQLite response cache")
struct SQLiteResponseCacheTests {
    @Test("the SQLite cache persists across instances and honours TTL")
    func sqlitePersistence() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "catena-cache-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let now = Mutex(Date(timeIntervalSince1970: 1_000))
        let first = try SQLiteResponseCache(path: path, now: { now.withLock { $0 } })
        try await first.setValue([1, 2, 3], forKey: "k", ttl: nil)
        try await first.setValue([9], forKey: "short", ttl: .seconds(30))
        let second = try SQLiteResponseCache(path: path, now: { now.withLock { $0 } })
        #expect(try await second.value(forKey: "k") == [1, 2, 3])
        #expect(try await second.value(forKey: "short") == [9])
        now.withLock { $0 = $0.addingTimeInterval(31) }
        #expect(try await second.value(forKey: "short") == nil)
        try await first.setValue([7], forKey: "old", ttl: .seconds(1))
        now.withLock { $0 = $0.addingTimeInterval(2) }
        #expect(try await second.removeExpired() == 1)
        #expect(try await second.count() == 1)
    }

    @Test("a cache that cannot be opened is a clear error")
    func sqliteBadPath() {
        #expect(throws: (any Error).self) { try SQLiteResponseCache(path: "/nonexistent-dir/cache.sqlite") }
    }

    @Test("a file that is no SQLite database is a clear error, and the file is left as it was")
    func notADatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "catena-cache-\(UUID().uuidString).sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = Data("not a database, some notes\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try SQLiteResponseCache(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }
}
