/// Kinds of personal data ``AgentMiddleware/piiRedaction(_:strategy:checking:)`` finds in text.
public enum PersonalDataKind: String, Sendable, Hashable, CaseIterable {
    /// An email address.
    case email
    /// A payment card number (13 to 19 digits, spaces or dashes allowed, passing the Luhn check).
    case creditCard = "credit_card"
    /// An IPv4 address.
    case ipAddress = "ip"

    /// The ranges of `text` holding this kind of data.
    func ranges(in text: String) -> [Range<String.Index>] {
        switch self {
        case .email:
            text.ranges(of: #/[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/#)
        case .ipAddress:
            text.ranges(of: #/\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/#)
        case .creditCard:
            text.ranges(of: #/\b\d(?:[ \-]?\d){12,18}\b/#).filter { Self.passesLuhn(text[$0].filter(\.isNumber)) }
        }
    }

    /// Whether `digits` pass the Luhn checksum that card numbers carry.
    private static func passesLuhn(_ digits: String) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().compactMap(\.wholeNumberValue).enumerated() {
            let weighted = index.isMultiple(of: 2) ? digit : digit * 2
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return sum.isMultiple(of: 10)
    }
}

/// What ``AgentMiddleware/piiRedaction(_:strategy:checking:)`` does with personal data it finds.
public enum PersonalDataStrategy: Sendable, Hashable {
    /// Replaced with its kind: `[REDACTED_EMAIL]`.
    case redact
    /// All but its last four characters replaced with `*`.
    case mask
    /// The run fails with ``PersonalDataBlocked``.
    case block
}

/// Which messages ``AgentMiddleware/piiRedaction(_:strategy:checking:)`` looks at.
public struct PersonalDataScope: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The user's messages, before the first model call.
    public static let input = PersonalDataScope(rawValue: 1)
    /// The model's replies, as each arrives.
    public static let output = PersonalDataScope(rawValue: 2)
    /// The tools' answers, before the model sees them.
    public static let toolResults = PersonalDataScope(rawValue: 4)
}

/// Personal data was found where the ``PersonalDataStrategy/block`` strategy applies. The data itself is not
/// repeated.
public struct PersonalDataBlocked: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was found.
    public let kind: PersonalDataKind
    /// In which kind of message.
    public let role: Message.Role

    public var description: String { "a \(role.rawValue) message holds personal data (\(kind.rawValue)): blocked" }
}

extension AgentMiddleware {
    /// Finds personal data in the messages `scope` names and redacts, masks or blocks it (LangChain's
    /// `PIIMiddleware`).
    public static func piiRedaction(
        _ kinds: Set<PersonalDataKind>, strategy: PersonalDataStrategy = .redact,
        checking scope: PersonalDataScope = .input
    ) -> AgentMiddleware {
        let kinds = PersonalDataKind.allCases.filter(kinds.contains)
        let clean: @Sendable (inout Message) throws -> Void = { message in
            guard case .text(let text) = message.content else { return }
            var cleaned = text
            for kind in kinds {
                for range in kind.ranges(in: cleaned).reversed() {
                    switch strategy {
                    case .block: throw PersonalDataBlocked(kind: kind, role: message.role)
                    case .redact: cleaned.replaceSubrange(range, with: "[REDACTED_\(kind.rawValue.uppercased())]")
                    case .mask:
                        let kept = cleaned[range].suffix(4)
                        cleaned.replaceSubrange(
                            range, with: String(repeating: "*", count: cleaned[range].count - kept.count) + kept)
                    }
                }
            }
            if cleaned != text { message.content = .text(cleaned) }
        }
        let cleanAll: @Sendable (inout AgentState, Message.Role) throws -> Void = { state, role in
            for index in state.messages.indices where state.messages[index].role == role {
                try clean(&state.messages[index])
            }
        }
        let input: AgentStateHook = { state in try cleanAll(&state, .user) }
        let toolResults: AgentStateHook = { state in try cleanAll(&state, .tool) }
        let output: AgentStateHook = { state in
            guard let last = state.messages.indices.last else { return }
            try clean(&state.messages[last])
        }
        return AgentMiddleware(
            name: "PIIRedaction", beforeAgent: scope.contains(.input) ? input : nil,
            beforeModel: scope.contains(.toolResults) ? toolResults : nil,
            afterModel: scope.contains(.output) ? output : nil)
    }
}
