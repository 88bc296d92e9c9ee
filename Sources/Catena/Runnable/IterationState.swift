/// State one stream iteration keeps between its `next()` calls.
///
/// Only the iteration's consumer touches it, one `next()` at a time.
final class IterationState<Value> {
    /// The state.
    var value: Value

    init(_ value: Value) { self.value = value }
}
