"""Drives the gateway's /mcp with the official Python MCP client (PyPI `mcp`): lists the tools its key may call,
calls one, and is refused one its key may not call.
Usage: python mcp_client.py URL KEY TOOL REFUSED_TOOL    (prints what it saw as one JSON object)"""
import asyncio
import json
import sys

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError

url, key, tool, refused = sys.argv[1:5]


async def main() -> None:
    seen = {}
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {key}"})
    async with http, streamable_http_client(url, http_client=http) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            seen["tools"] = sorted(listed.name for listed in (await session.list_tools()).tools)
            result = await session.call_tool(tool, {"text": "through the gateway"})
            seen["text"] = result.content[0].text
            seen["is_error"] = result.is_error if hasattr(result, "is_error") else result.isError
            try:
                await session.call_tool(refused, {"a": 1, "b": 2})
                seen["refusal"] = None
            except MCPError as error:
                seen["refusal"] = {"code": error.code, "message": error.message}
    print(json.dumps(seen))


asyncio.run(main())
