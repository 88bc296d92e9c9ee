"""An MCP server with two tools, for an agent on the small local model (PyPI `mcp` 2.x, over stdio)."""
from mcp.server.mcpserver import MCPServer

server = MCPServer("weather")


@server.tool()
def weather(city: str) -> str:
    """The current weather in a city."""
    return "Sunny, 21 °C" if city == "Paris" else "Rainy, 12 °C"


@server.tool()
def clock(city: str) -> str:
    """The local time in a city."""
    return "14:05"


if __name__ == "__main__":
    server.run()
