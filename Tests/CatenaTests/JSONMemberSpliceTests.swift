import Catena
import Testing

/// Setting top-level members of a JSON object in its bytes, as a gateway passes a caller's body on.
@Suite struct JSONMemberSpliceTests {
    private func set(_ members: [(String, JSONValue)], in text: String) throws -> String {
        String(decoding: try JSONValue.settingMembers(members, in: Array(text.utf8)), as: UTF8.self)
    }

    @Test func aPresentMemberIsReplacedWhereItStandsAndEveryOtherByteIsKept() throws {
        let body =
            #"{ "model" : "public", "messages":[{"role":"user","content":"the model"}], "x": {"model":"inner"} }"#
        #expect(
            try set([("model", "private/7b")], in: body)
                == #"{ "model" : "private/7b", "messages":[{"role":"user","content":"the model"}], "x": {"model":"inner"} }"#
        )
    }

    @Test func anAbsentMemberIsAddedAtTheEndAndEveryOccurrenceOfADuplicateIsReplaced() throws {
        #expect(
            try set([("model", "m"), ("stream_options", ["include_usage": true])], in: #"{"model":"a","stream":true}"#)
                == #"{"model":"m","stream":true,"stream_options":{"include_usage":true}}"#)
        #expect(try set([("model", "m")], in: "{ }") == #"{ "model":"m"}"#)
        #expect(try set([("model", "m")], in: #"{"model":1,"model":[2]}"#) == #"{"model":"m","model":"m"}"#)
        // A name written with escapes is the same name.
        #expect(try set([("model", "m")], in: #"{"mod\u0065l":"a"}"#) == #"{"mod\u0065l":"m"}"#)
    }

    @Test(arguments: [#"[1]"#, #""text""#, #"{"model":"a""#, #"{"model":"a"} x"#, "", #"{"a":tru}"#])
    func anythingButOneWellFormedObjectIsRefused(_ text: String) {
        #expect(throws: DecodingError.self) { try set([("model", "m")], in: text) }
    }
}
