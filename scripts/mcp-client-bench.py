"""The official Python MCP client (PyPI `mcp`) calling the echo tool of Catena's test server over stdio, as
`catena-bench mcp` does: the median time per call of 7 runs of 500 calls, after a warm-up.

    .local/python-clients/venv/bin/python scripts/mcp-client-bench.py
"""
import asyncio
import statistics
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

SERVER = "Tests/CatenaMCPTests/Servers/tools_server.py"
CALLS = 500


async def main() -> None:
    parameters = StdioServerParameters(command=sys.executable, args=[SERVER])
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for _ in range(CALLS):
                await session.call_tool("echo", {"text": "hi"})
            samples = []
            for _ in range(7):
                started = time.perf_counter()
                for _ in range(CALLS):
                    await session.call_tool("echo", {"text": "hi"})
                samples.append((time.perf_counter() - started) / CALLS * 1e6)
    print(
        f"MCP tool call over stdio (echo), round trip, per call   python mcp client  "
        f"med={statistics.median(samples):.1f} min={min(samples):.1f} max={max(samples):.1f} us/call"
    )


asyncio.run(main())
