"""An MCP server for Catena's tests (PyPI `mcp` 2.x): tools that answer text, structured content, an image, an error,
a slow tool for timeouts and cancellation, and a tool that adds another (the list changes); a resource and a prompt.

    python tools_server.py                 # over stdio
    python tools_server.py --http PORT     # over streamable HTTP at http://127.0.0.1:PORT/mcp (0: a free port)
    python tools_server.py --http PORT --json   # the same, each answer a JSON body (no event stream)

Over HTTP, the server prints `listening on PORT` once it accepts connections.
"""
import asyncio
import base64
import os
import sys

from mcp.server.mcpserver import Context, Image, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

server = MCPServer("catena-test-tools")


class Forecast(BaseModel):
    city: str
    celsius: float


@server.tool()
def echo(text: str) -> str:
    """Returns the text it is given."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


@server.tool()
def forecast(city: str) -> Forecast:
    """The weather in a city, as structured content."""
    return Forecast(city=city, celsius=21.5)


# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@server.tool()
def pixel() -> Image:
    """A 1x1 PNG image."""
    return Image(data=PIXEL, format="png")


@server.resource("docs://readme", name="readme", description="What Catena is.", mime_type="text/markdown")
def readme() -> str:
    return "# Catena\nPipelines for language models."


@server.prompt()
def review(code: str) -> str:
    """Asks for a review of some code."""
    return f"Review this code:\n{code}"


@server.tool()
def fail(message: str) -> str:
    """Always fails with the message."""
    raise ToolError(message)


@server.tool()
async def slow(seconds: float) -> str:
    """Answers after a while."""
    await asyncio.sleep(seconds)
    return f"slept {seconds}"


@server.tool()
async def steps(count: int, ctx: Context) -> str:
    """Reports its progress, one step at a time."""
    for step in range(1, count + 1):
        await ctx.report_progress(step, count, f"step {step}")
    return f"{count} steps"


@server.tool()
def huge(megabytes: int) -> str:
    """Answers with that many megabytes of text."""
    return "x" * (megabytes * 1024 * 1024)


@server.tool()
async def flood(count: int, ctx: Context) -> str:
    """Sends that many log notifications, then answers."""
    for index in range(count):
        await ctx.info(f"notification {index}")
    return f"sent {count}"


@server.tool()
def crash() -> str:
    """Ends the server's process in the middle of the call."""
    os._exit(3)


@server.tool()
async def learn(name: str, ctx: Context) -> str:
    """Adds a tool named `name` that answers 'learned', and tells the client the list changed."""

    def learned() -> str:
        return "learned"

    server.add_tool(learned, name=name, description="A tool added while the server runs.")
    await ctx.session.send_tool_list_changed()
    return f"added {name}"


def serve_http(port: int, json_response: bool) -> None:
    """Serves at http://127.0.0.1:PORT/mcp on a socket bound here, so that port 0 gets a free port, said on stdout."""
    import socket

    import uvicorn

    # A TCP socket as asyncio recognises one (protocol IPPROTO_TCP), so its connections get TCP_NODELAY: without it,
    # each answer waited for a delayed ACK (44 ms a call).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    print(f"listening on {listener.getsockname()[1]}", flush=True)
    app = server.streamable_http_app(streamable_http_path="/mcp", json_response=json_response, host="127.0.0.1")
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--http":
        serve_http(int(sys.argv[2]), "--json" in sys.argv)
    else:
        server.run()
