"""What `catena serve`'s /mcp adds to an MCP tool call: the official Python MCP client (PyPI `mcp`) calls the echo
tool of Catena's test server directly and through the gateway (which relays to the same server), in alternating
rounds; once with the server over streamable HTTP, once over stdio (the gateway then starts it). Prints the median
per-call latency of each and the difference.

    .local/python-clients/venv/bin/python scripts/mcp-gateway-bench.py   (after swift build -c release --product catena)
"""
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

SERVER = "Tests/CatenaMCPTests/Servers/tools_server.py"
UPSTREAM, GATEWAY = 18190, 18191
ROUNDS, CALLS = 10, 200


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


@contextlib.asynccontextmanager
async def http_session(url: str):
    async with (
        create_mcp_http_client() as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


@contextlib.asynccontextmanager
async def stdio_session():
    async with (
        stdio_client(StdioServerParameters(command=sys.executable, args=[SERVER])) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


async def timed_calls(session: ClientSession, tool: str, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await session.call_tool(tool, {"text": "hi"})
        samples.append((time.perf_counter() - started) * 1e6)
    return samples


async def measure(direct_session) -> tuple[list[float], list[float]]:
    direct_samples, gateway_samples = [], []
    async with direct_session as direct, http_session(f"http://127.0.0.1:{GATEWAY}/mcp") as gateway:
        await timed_calls(direct, "echo", CALLS)  # warm-up
        await timed_calls(gateway, "tools-echo", CALLS)
        for _ in range(ROUNDS):
            direct_samples += await timed_calls(direct, "echo", CALLS)
            gateway_samples += await timed_calls(gateway, "tools-echo", CALLS)
    return direct_samples, gateway_samples


def run(transport: str) -> None:
    work = tempfile.mkdtemp()
    config = os.path.join(work, "gateway.yaml")
    upstream = None
    with open(config, "w") as file:
        if transport == "http":
            file.write(f"model_list: []\nmcp_servers:\n  tools: {{url: 'http://127.0.0.1:{UPSTREAM}/mcp'}}\n")
            upstream = subprocess.Popen(
                [sys.executable, SERVER, "--http", str(UPSTREAM), "--json"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        else:
            file.write(f"model_list: []\nmcp_servers:\n  tools: {{command: '{sys.executable}', args: ['{SERVER}']}}\n")
    gateway = subprocess.Popen(
        [".build/release/catena", "serve", "--config", config, "--port", str(GATEWAY)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        if upstream:
            wait_for(f"http://127.0.0.1:{UPSTREAM}/mcp")
        wait_for(f"http://127.0.0.1:{GATEWAY}/health")
        direct_session = http_session(f"http://127.0.0.1:{UPSTREAM}/mcp") if upstream else stdio_session()
        direct, through = asyncio.run(measure(direct_session))
    finally:
        if upstream:
            upstream.kill()
        gateway.terminate()
        gateway.wait()
    d, g = statistics.median(direct), statistics.median(through)
    print(f"MCP tool call (echo), python mcp client, server over {transport}: p50 of {len(direct)} calls each")
    print(f"  direct to the server ({transport:5})          {d:8.1f} us")
    print(f"  through catena serve /mcp (http)    {g:8.1f} us")
    print(f"  added by the gateway                {g - d:8.1f} us")


for transport in ("http", "stdio"):
    run(transport)
