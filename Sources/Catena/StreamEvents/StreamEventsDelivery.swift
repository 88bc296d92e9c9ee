/// How ``Runnable/streamEvents(_:config:filter:delivery:)`` hands events to the consumer.
public enum StreamEventsDelivery: Sendable, Hashable {
    /// The call runs in its own task and each event reaches the consumer as soon as it happens, even in the middle
    /// of a long step (a tool's progress events, a step's start). The events cross from that task to the
    /// consumer's in batches: the consumer waits only when none is queued. A consumer that falls behind holds the
    /// call back (about a thousand events wait for it at most); cancelling the consumer, or stopping before the
    /// end, cancels the call. The default.
    case live
    /// The call runs on the consumer's task, pulled as the consumer iterates: the events of a step arrive when the
    /// call's output stream next yields (or ends). Every event still arrives, in order, and faster than with `.live`
    /// (nothing crosses between tasks); prefer it for streaming chains whose output flows steadily, such as
    /// `prompt | model | parser`.
    case inline
}
