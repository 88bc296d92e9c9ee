import Catena
import CatenaTesting

// The custom LLM of LangChain's guide, run through everything Catena gives a model for free.
let llm = PrefixLLM(n: 5)
print(llm)

print("\ninvoke:", try await llm.invoke("This is a foobar thing"))
print("batch:", try await llm.batch(["woof woof woof", "meow meow meow"]))

print("stream: ", terminator: "")
for try await token in llm.stream("hello") { print(token, terminator: "|") }
print()

// prompt | llm, traced: the console tracer prints the run tree with timings when the chain ends.
let chain = ChatPromptTemplate([.system("you are a bot"), .user("{input}")]) | PrefixLLM(n: 7)
print("\nrun tree:")
let answer = try await chain.invoke(
    ["input": "hello there!"], config: .init(callbacks: [ConsoleTracer()], runName: "my_chain"))
print("answer:", answer)

print("\nstream events (first 8):")
var shown = 0
for try await event in chain.streamEvents(["input": "hello there!"]) where shown < 8 {
    print(event.json)
    shown += 1
}
