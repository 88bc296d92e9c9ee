import Catena
import CatenaOpenAI

// A chain over a vLLM or OpenAI-compatible server (start the local one: bash scripts/llm-server.sh start).
try await ModelServerClient.withClient(.openAICompatible(baseURL: "http://127.0.0.1:8089/v1")) { client in
    let model = ChatVLLM(client: client, model: "local", parameters: .init(temperature: 0, maxTokens: 64))
    let chain = ChatPromptTemplate([.system("Be brief."), .user("{q}")]) | model | StringOutputParser()
    for try await token in chain.stream(["q": "Why is the sky blue?"]) { print(token, terminator: "") }
    print()
}
