"""What `catena serve`'s /mcp adds to an MCP tool call: the official Python MCP client (PyPI `mcp`) calls the echo
tool of Catena's test server over streamable HTTP, directly and through the gateway (which relays to the same
server), in alternating rounds; prints the median per-call latency of each and the difference.

    .local/python-clients/venv/bin/python scripts/mcp-gateway-bench.py   (after swift build -c release --product catena)
"""
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from mcp import ClientSession
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


async def timed_calls(session: ClientSession, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await session.call_tool("echo" if session.direct else "tools-echo", {"text": "hi"})
        samples.append((time.perf_counter() - started) * 1e6)
    return samples


async def measure() -> tuple[list[float], list[float]]:
    direct_samples, gateway_samples = [], []
    async with (
        create_mcp_http_client() as direct_http,
        streamable_http_client(f"http://127.0.0.1:{UPSTREAM}/mcp", http_client=direct_http) as (dr, dw),
        ClientSession(dr, dw) as direct,
        create_mcp_http_client() as gateway_http,
        streamable_http_client(f"http://127.0.0.1:{GATEWAY}/mcp", http_client=gateway_http) as (gr, gw),
        ClientSession(gr, gw) as gateway,
    ):
        direct.direct, gateway.direct = True, False
        await direct.initialize()
        await gateway.initialize()
        await timed_calls(direct, CALLS)  # warm-up
        await timed_calls(gateway, CALLS)
        for _ in range(ROUNDS):
            direct_samples += await timed_calls(direct, CALLS)
            gateway_samples += await timed_calls(gateway, CALLS)
    return direct_samples, gateway_samples


def main() -> None:
    work = tempfile.mkdtemp()
    config = os.path.join(work, "gateway.yaml")
    with open(config, "w") as file:
        file.write(f"model_list: []\nmcp_servers:\n  tools: {{url: 'http://127.0.0.1:{UPSTREAM}/mcp'}}\n")
    upstream = subprocess.Popen(
        [sys.executable, SERVER, "--http", str(UPSTREAM), "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    gateway = subprocess.Popen(
        [".build/release/catena", "serve", "--config", config, "--port", str(GATEWAY)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{UPSTREAM}/mcp")
        wait_for(f"http://127.0.0.1:{GATEWAY}/health")
        direct, through = asyncio.run(measure())
    finally:
        upstream.terminate()
        gateway.terminate()
    d, g = statistics.median(direct), statistics.median(through)
    print(f"MCP tool call (echo) over streamable HTTP, python mcp client, p50 of {len(direct)} calls each")
    print(f"  direct to the server       {d:8.1f} us")
    print(f"  through catena serve /mcp  {g:8.1f} us")
    print(f"  added by the gateway       {g - d:8.1f} us")


main()
