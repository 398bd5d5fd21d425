#!/usr/bin/env python3
"""A fake Docker engine on a unix socket, for faults a real engine cannot
be made to produce: slow, truncated, malformed, wrongly shaped and very
large responses.

It serves the requests the exporter sends with two containers, `web`
(read-only root filesystem, id a1) and `db` (writable, id b2). A scenario
file, read again on every request, overrides any route:

    {"inspect:b2": {"body": "not json"}, "list": {"delay": 5}}

Route names: version, list, info, networks, images, inspect:ID, top:ID,
image, events. Override keys: status (default 200), body (text), delay
(seconds before answering), truncate (announce more bytes than are sent,
then close), size (send a JSON string of that many bytes). Every request
path is appended to the requests file, one per line.

Usage: fake_engine.py SOCKET SCENARIO_FILE REQUESTS_FILE
"""

import json
import os
import re
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

VERSION = {"Version": "24.0.7", "ApiVersion": "1.43", "MinAPIVersion": "1.12",
           "Os": "linux", "Arch": "amd64"}


def summary(container_id, name):
    return {"Id": container_id, "Names": ["/" + name], "State": "running"}


def inspect(container_id, name, readonly):
    return {
        "Id": container_id,
        "Name": "/" + name,
        "Image": "sha256:" + "0" * 64,
        "Config": {"Image": "busybox", "User": "", "Labels": {}},
        "State": {"Status": "running", "Running": True},
        "HostConfig": {"ReadonlyRootfs": readonly, "Privileged": False},
    }


CONTAINERS = {"a1": ("web", True), "b2": ("db", False)}

ROUTES = [
    ("version", re.compile(r"^/version$")),
    ("events", re.compile(r"^(/v[0-9.]+)?/events$")),
    ("list", re.compile(r"^/v[0-9.]+/containers/json$")),
    ("info", re.compile(r"^/v[0-9.]+/info$")),
    ("networks", re.compile(r"^/v[0-9.]+/networks$")),
    ("images", re.compile(r"^/v[0-9.]+/images/json$")),
    ("inspect", re.compile(r"^/v[0-9.]+/containers/([^/]+)/json$")),
    ("top", re.compile(r"^/v[0-9.]+/containers/([^/]+)/top$")),
    ("image", re.compile(r"^/v[0-9.]+/images/.+/json$")),
]


def default_body(route, argument):
    if route == "version":
        return json.dumps(VERSION)
    if route == "list":
        return json.dumps([summary(i, n) for i, (n, _) in CONTAINERS.items()])
    if route == "info":
        return json.dumps({"Containers": 2, "ContainersRunning": 2,
                           "ContainersPaused": 0, "ContainersStopped": 0,
                           "Images": 1, "SecurityOptions": ["name=seccomp"]})
    if route in ("networks", "images"):
        return "[]"
    if route == "inspect" and argument in CONTAINERS:
        name, readonly = CONTAINERS[argument]
        return json.dumps(inspect(argument, name, readonly))
    if route == "top" and argument in CONTAINERS:
        return json.dumps({"Titles": ["PID", "CMD"], "Processes": []})
    return None


class Scenario:
    """The scenario file, re-read when it changes."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.stamp = None
        self.overrides = {}

    def override(self, key):
        with self.lock:
            try:
                stamp = os.stat(self.path).st_mtime_ns
            except FileNotFoundError:
                stamp = None
            if stamp != self.stamp:
                self.stamp = stamp
                if stamp is None:
                    self.overrides = {}
                else:
                    with open(self.path, encoding="utf-8") as scenario_file:
                        self.overrides = json.load(scenario_file)
            return self.overrides.get(key)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-engine"

    def log_message(self, *args):
        pass

    def address_string(self):
        return "unix"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        with open(self.server.requests_path, "a", encoding="utf-8") as log:
            log.write(self.path + "\n")

        route, argument = None, None
        for name, pattern in ROUTES:
            match = pattern.match(path)
            if match:
                route = name
                argument = match.group(1) if match.groups() else None
                break

        key = route if argument is None else route + ":" + argument
        override = (self.server.scenario.override(key) or
                    self.server.scenario.override(route or "") or {})
        time.sleep(override.get("delay", 0))

        if route == "events" and "body" not in override:
            self.hold_event_stream()
            return

        status = override.get("status", 200)
        if "size" in override:
            body = '"' + "x" * max(0, override["size"] - 2) + '"'
        elif "body" in override:
            body = override["body"]
        else:
            body = default_body(route, argument)
            if body is None:
                status, body = 404, '{"message": "not found"}'
        self.send(status, body.encode("utf-8"), override.get("truncate", False))

    def send(self, status, payload, truncate):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        announced = len(payload) * 2 + 100 if truncate else len(payload)
        self.send_header("Content-Length", str(announced))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()
        if truncate:
            self.close_connection = True

    def hold_event_stream(self):
        """Sends the headers of an event stream and no event, like an idle
        engine, until the client or the server goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        try:
            while not self.server.stopping:
                time.sleep(0.2)
        finally:
            self.close_connection = True


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    stopping = False


def main():
    socket_path, scenario_path, requests_path = sys.argv[1:4]
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    server = Server(socket_path, Handler)
    server.scenario = Scenario(scenario_path)
    server.requests_path = requests_path
    try:
        server.serve_forever()
    finally:
        server.stopping = True
        os.unlink(socket_path)


if __name__ == "__main__":
    main()
