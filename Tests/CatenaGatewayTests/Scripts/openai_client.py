"""Drives the gateway with the official openai client: models, a plain and a streamed chat, a plain and a streamed
text completion, a plain and a streamed response (Responses API), and three errors.
Usage: python openai_client.py BASE_URL KEY [EMBEDDING_MODEL]    (prints what it saw as one JSON object)"""
import json
import sys

import openai
from openai import OpenAI

base, key = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=base, api_key=key, max_retries=0)
messages = [{"role": "user", "content": "Say hi."}]
seen = {"models": [model.id for model in client.models.list().data]}

reply = client.chat.completions.create(model="local", messages=messages, max_tokens=8, temperature=0)
seen["plain"] = {
    "role": reply.choices[0].message.role,
    "content": reply.choices[0].message.content,
    "completion_tokens": reply.usage.completion_tokens,
}

text, chunks, usage = "", 0, None
for chunk in client.chat.completions.create(
    model="local", messages=messages, max_tokens=8, stream=True, stream_options={"include_usage": True}
):
    chunks += 1
    if chunk.choices and chunk.choices[0].delta.content:
        text += chunk.choices[0].delta.content
    if chunk.usage:
        usage = chunk.usage.completion_tokens
seen["stream"] = {"chunks": chunks, "text": text, "completion_tokens": usage}

completion = client.completions.create(model="local", prompt="Say hi.", max_tokens=8, temperature=0)
seen["completion"] = {"text": completion.choices[0].text, "completion_tokens": completion.usage.completion_tokens}
pieces = [chunk.choices[0].text for chunk in client.completions.create(
    model="local", prompt="Say hi.", max_tokens=8, stream=True) if chunk.choices]
seen["completion_stream"] = {"chunks": len(pieces), "text": "".join(pieces)}

response = client.responses.create(model="local", input="Say hi.", instructions="Be brief.", max_output_tokens=8)
seen["response"] = {"status": response.status, "text": response.output_text, "output_tokens": response.usage.output_tokens}
kinds, deltas, completed = [], "", None
for event in client.responses.create(model="local", input="Say hi.", max_output_tokens=8, stream=True):
    kinds.append(event.type)
    if event.type == "response.output_text.delta":
        deltas += event.delta
    if event.type in ("response.completed", "response.incomplete"):
        completed = event.response
seen["response_stream"] = {
    "first": kinds[0], "last": kinds[-1], "deltas": deltas, "text": completed.output_text,
    "output_tokens": completed.usage.output_tokens,
}

try:
    client.chat.completions.create(model="big", messages=messages)
except openai.NotFoundError as error:
    seen["not_found"] = {"status": error.status_code, "message": error.message}
try:
    client.chat.completions.create(model="local", messages=messages, temperature="hot")
except openai.BadRequestError as error:
    seen["bad_request"] = {"status": error.status_code, "param": error.body.get("param")}
try:
    OpenAI(base_url=base, api_key="sk-wrong", max_retries=0).models.list()
except openai.AuthenticationError as error:
    seen["unauthorized"] = error.status_code
if len(sys.argv) > 3:  # an embedding model is served: the client asks for base64 vectors and decodes them
    vectors = client.embeddings.create(model=sys.argv[3], input=["one", "two"]).data
    seen["embeddings"] = {"count": len(vectors), "dimensions": len(vectors[0].embedding)}
print(json.dumps(seen))
