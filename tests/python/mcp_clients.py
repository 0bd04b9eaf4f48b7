"""Drives `porta serve` with the official MCP Python SDK.

usage: mcp_clients.py MODE PORTA AGENT AUDIT
MODE is `session` (mcp<2 ClientSession + initialize) or, with mcp>=2, a
`Client` mode: `auto`, `legacy` or `2026-07-28`. Exits 0 when every check
holds, printing one line per check.
"""
import asyncio
import json
import os
import sys
import time

import mcp
from mcp import StdioServerParameters

MODE, PORTA, AGENT, AUDIT = sys.argv[1:5]


def field(obj, *names):
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    raise AttributeError(f"none of {names} on {type(obj).__name__}")


def check(what, cond):
    if not cond:
        print(f"FAIL {MODE}: {what}", flush=True)
        sys.exit(1)
    print(f"ok {MODE}: {what}", flush=True)


def audit_records():
    try:
        with open(AUDIT) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


async def exercise(c):
    tools = await c.list_tools()
    names = [t.name for t in tools.tools]
    check("tools/list", names == ["add", "reverse", "word_count", "fib", "spin"])

    r = await c.call_tool("add", {"a": 2, "b": 40})
    check("tools/call structured", field(r, "structuredContent", "structured_content") == {"sum": 42})
    check("tools/call not an error", not field(r, "isError", "is_error"))

    r = await c.call_tool("fib", {"n": 200})
    check("tool error is a result", field(r, "isError", "is_error") and r.content[0].text == "n must be between 0 and 90")

    res = await c.read_resource("porta://example/readme")
    check("resources/read", "adds numbers" in res.contents[0].text)

    p = await c.get_prompt("greet", {"name": "Ada"})
    check("prompts/get", "Ada" in p.messages[0].content.text)

    # A call while another runs, then cancel the long one.
    next_id = getattr(c, "_request_id", None)
    long = asyncio.create_task(c.call_tool("spin", {}))
    await asyncio.sleep(0.5)
    start = time.monotonic()
    r = await c.call_tool("reverse", {"text": "abc"})
    check("a call while another runs", r.content[0].text == "cba" and time.monotonic() - start < 5)
    before = len([x for x in audit_records() if x["tool"] == "spin"])
    if MODE == "session":
        # mcp<2 does not announce a cancelled task; a client sends this.
        from mcp.types import CancelledNotification, CancelledNotificationParams, ClientNotification

        params = CancelledNotificationParams(requestId=next_id, reason="test")
        await c.send_notification(ClientNotification(CancelledNotification(method="notifications/cancelled", params=params)))
    long.cancel()
    try:
        await long
    except (asyncio.CancelledError, Exception):
        pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if len([x for x in audit_records() if x["tool"] == "spin"]) > before:
            break
        await asyncio.sleep(0.05)
    spins = [x for x in audit_records() if x["tool"] == "spin"]
    check("cancel stops the guest", len(spins) > before and spins[-1]["outcome"] == "error")

    r = await c.call_tool("word_count", {"text": "one two three"})
    check("still serving after a cancel", field(r, "structuredContent", "structured_content")["words"] == 3)


async def main():
    params = StdioServerParameters(command=PORTA, args=["serve", AGENT, "--audit", AUDIT])
    if MODE == "session":
        from mcp import ClientSession
        from mcp.client.stdio import stdio_client

        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                check("initialize", init.serverInfo.name == "porta")
                await exercise(session)
    else:
        from mcp import Client

        async with Client(params, mode=MODE) as client:
            check(f"connected with {client.protocol_version}", client.protocol_version is not None)
            if MODE == "2026-07-28" or MODE == "auto":
                check("modern protocol", client.protocol_version == "2026-07-28")
            else:
                check("handshake protocol", client.protocol_version == "2025-11-25")
            await exercise(client)


if __name__ == "__main__":
    from importlib.metadata import version

    print(f"mcp {version('mcp')} mode {MODE}", flush=True)
    asyncio.run(asyncio.wait_for(main(), 120))
