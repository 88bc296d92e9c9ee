"""Opens COUNT TCP connections to HOST:PORT and holds them without sending a byte, until standard input closes.
Prints how many connected once every attempt has finished (within 60 s).
Usage: python hold_connections.py HOST PORT COUNT"""
import selectors
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
selector = selectors.DefaultSelector()
sockets = []
for _ in range(count):
    connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    connection.setblocking(False)
    connection.connect_ex((host, port))
    selector.register(connection, selectors.EVENT_WRITE)
    sockets.append(connection)
connected, deadline = 0, time.monotonic() + 60
while connected < count and time.monotonic() < deadline:
    for key, _ in selector.select(timeout=1):
        selector.unregister(key.fileobj)
        if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            connected += 1
print(connected, flush=True)
sys.stdin.read()
