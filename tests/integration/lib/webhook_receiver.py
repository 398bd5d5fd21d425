"""Record the notifications that Alertmanager sends to a webhook receiver.

Listens on 127.0.0.1:PORT and appends the JSON body of every POST to
OUTPUT_FILE, one notification a line, so that a shell test can wait for a
line with grep. Returns 200 to each valid JSON body and 400 otherwise.

Usage: python3 webhook_receiver.py PORT OUTPUT_FILE
"""

import http.server
import json
import sys


class NotificationHandler(http.server.BaseHTTPRequestHandler):
    output_path = None

    def do_POST(self):  # pylint: disable=invalid-name
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        try:
            notification = json.loads(body)
        except json.JSONDecodeError as error:
            self.send_error(400, f"invalid JSON: {error}")
            return
        with open(self.output_path, "a", encoding="utf-8") as output:
            output.write(json.dumps(notification, sort_keys=True) + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        sys.stderr.write("webhook_receiver: " + (format % args) + "\n")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    NotificationHandler.output_path = sys.argv[2]
    server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])),
                                    NotificationHandler)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
