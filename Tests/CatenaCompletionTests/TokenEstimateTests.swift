import Catena
import Testing

@testable import CatenaCompletion

/// Token counts estimated without a tokenizer, against what OpenAI's `cl100k` tokenizer counts for the same text.
struct TokenEstimateTests {
    @Test(arguments: [
        ("", 0), ("Hello world", 2), ("Hi", 1), ("Hello, world!", 4), ("line one\nline two", 5),
    ])
    func textIsCountedAsTheTokenizerSplitsIt(_ text: String, tokens: Int) {
        #expect(TokenEstimate.count(text) == tokens)
    }

    @Test func aPromptCountsThreePerMessageItsRoleItsContentAndThreeForTheReply() {
        #expect(TokenEstimate.prompt([.user("Hi")]) == 8)
        #expect(TokenEstimate.prompt([.system("Be brief."), .user("Hi")]) == 15)
    }
}
