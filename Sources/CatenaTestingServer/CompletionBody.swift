/// A successful chat completion body answering `text`, with its usage: what a fault server answers where a test
/// needs a plain, well-formed answer.
public func completionBody(_ text: String, prompt: Int = 5, completion: Int = 2) -> String {
    #"{"id":"chatcmpl-9","object":"chat.completion","model":"fault","choices":[{"index":0,"message":{"role":"assistant","content":"\#(text)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}"#
}
