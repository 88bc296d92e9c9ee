import Catena
import CatenaOpenAI

let client = ModelServerClient(.openAICompatible(baseURL: "http://127.0.0.1:8089/v1"))
let model = ChatVLLM(client: client, model: "local", parameters: .init(temperature: 0, maxTokens: 64))
let prompt = ChatPromptTemplate([.system("You are terse."), .placeholder("history"), .user("{question}")])
let chain = prompt | model | StringOutputParser()          // compiles only when each output feeds the next input

let answer = try await chain.invoke(["question": "Why is the sky blue?", "history": []])
print(answer)
for try await token in chain.stream(["question": "And at sunset?", "history": [.user("Why is the sky blue?"), .assistant(answer)]]) {
    print(token, terminator: "")                           // the parser streams as soon as the model does
}
print()
try await client.shutdown()
