import Synchronization

/// The display names of runnable types, worked out once per type: reading a type's name from the runtime
/// (`_typeName`) demangles it on every call, and every traced run needs its runnable's name.
enum TypeNames {
    private static let names = Mutex<[ObjectIdentifier: String]>([:])

    /// The name of `type` without module or generic arguments (`RunnableSequence`, not `RunnableSequence<…>`).
    static func name(of type: Any.Type) -> String {
        let key = ObjectIdentifier(type)
        if let known = names.withLock({ $0[key] }) { return known }
        let full = _typeName(type, qualified: false)
        let name = full.firstIndex(of: "<").map { String(full[..<$0]) } ?? full
        names.withLock { $0[key] = name }
        return name
    }
}
