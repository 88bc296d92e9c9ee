/// State one stream iteration keeps between its `next()` calls.
///
/// Only the iteration's consumer touches it, one `next()` at a time, so its accesses skip the runtime exclusivity
/// checks a `var` captured by the `next` closure gets on every access (about 5 % of a stream-events run).
final class IterationState<Value> {
    /// The state.
    @exclusivity(unchecked) var value: Value

    init(_ value: Value) { self.value = value }
}
