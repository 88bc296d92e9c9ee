public import Foundation
import Synchronization

/// The kind of a run, as traces and stream events name it (`on_<type>_start`).
public enum RunType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A composite or custom runnable (sequence, lambda, parallel, retry, fallbacks).
    case chain
    /// A prompt template.
    case prompt
    /// An output parser.
    case parser
    /// A text-completion model.
    case llm
    /// A chat model.
    case chatModel = "chat_model"
    /// An embedding model: its texts are the run's prompts, its token usage the end's `token_usage`.
    case embedding
    /// A tool.
    case tool
    /// A retriever.
    case retriever
}

/// Identifies the run an event belongs to: what every callback hook receives first.
///
/// Immutable and shared by reference: each event of a run carries the same instance, so emitting an event costs
/// one reference, whatever the size of the tags and metadata.
public final class RunInfo: Sendable, Hashable {
    /// The run's id.
    public let id: UUID
    /// The id of the run that started this one, `nil` for a root run.
    public let parentID: UUID?
    /// The run's name (the runnable's name, or the run name given in the config).
    public let name: String
    /// The kind of run.
    public let type: RunType
    /// Tags of this run: its local tags followed by inherited ones.
    public let tags: [String]
    /// Metadata of this run, inherited and local. A model run's also has `ls_provider` (its parameters' provider, else
    /// the model's `_type`) and
    /// `ls_model_type` (`llm`, `chat` or `embedding`) under the given entries, added when first read.
    public var metadata: [String: JSONValue] {
        guard let parameters else { return baseMetadata }
        return resolvedMetadata.withLock { resolved in
            if let resolved { return resolved }
            var merged = baseMetadata
            if merged["ls_provider"] == nil,
                let provider = parameters.provider.map(JSONValue.string) ?? parameters["_type"]
            {
                merged["ls_provider"] = provider
            }
            if merged["ls_model_type"] == nil {
                merged["ls_model_type"] =
                    switch type {
                    case .llm: "llm"
                    case .embedding: "embedding"
                    default: "chat"
                    }
            }
            resolved = merged
            return merged
        }
    }

    /// The metadata given when the run started.
    private let baseMetadata: [String: JSONValue]
    /// A model run's invocation parameters (`nil` for other runs), which its metadata is completed from.
    let parameters: InvocationParameters?
    /// The completed metadata, once read.
    private let resolvedMetadata = Mutex<[String: JSONValue]?>(nil)

    /// Creates a run description.
    public convenience init(
        id: UUID, parentID: UUID?, name: String, type: RunType, tags: [String], metadata: [String: JSONValue]
    ) {
        self.init(id: id, parentID: parentID, name: name, type: type, tags: tags, metadata: metadata, parameters: nil)
    }

    /// Creates a run description; a model run's `parameters` complete its metadata when it is first read.
    init(
        id: UUID, parentID: UUID?, name: String, type: RunType, tags: [String], metadata: [String: JSONValue],
        parameters: InvocationParameters?
    ) {
        self.id = id
        self.parentID = parentID
        self.name = name
        self.type = type
        self.tags = tags
        self.baseMetadata = metadata
        self.parameters = parameters
    }

    /// Runs are equal when all their fields are.
    public static func == (lhs: RunInfo, rhs: RunInfo) -> Bool {
        lhs.id == rhs.id && lhs.parentID == rhs.parentID && lhs.name == rhs.name && lhs.type == rhs.type
            && lhs.tags == rhs.tags && lhs.metadata == rhs.metadata
    }

    /// Hashes the run's id.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// What the retry hook receives: which attempt failed, why, and how long until the next one.
public struct RetryState: Sendable {
    /// The attempt that just failed, starting at 1.
    public let attempt: Int
    /// The error of that attempt.
    public let error: any Error
    /// The wait before the next attempt.
    public let delay: Duration

    /// Creates a retry state.
    public init(attempt: Int, error: any Error, delay: Duration) {
        self.attempt = attempt
        self.error = error
        self.delay = delay
    }
}

/// A document returned by a retriever.
public struct Document: Sendable, Hashable, Codable {
    /// The document's text.
    public var pageContent: String
    /// Source, score and other details.
    public var metadata: [String: JSONValue]
    /// An optional id.
    public var id: String?

    /// Creates a document.
    public init(pageContent: String, metadata: [String: JSONValue] = [:], id: String? = nil) {
        self.pageContent = pageContent
        self.metadata = metadata
        self.id = id
    }
}
