#!/usr/bin/python3
"""slow.py: stream a page over about 5 seconds.

The script writes a line every half second and flushes standard output
each time, so each line leaves the script at once; webserv forwards it to
the client as it arrives. The script sends no Content-Length (it cannot
know the size in advance), so webserv sends the body with
"Transfer-Encoding: chunked" to HTTP/1.1 clients (one chunk per piece it
reads), and an HTTP/1.0 client gets the body until the connection closes.

While this runs, the server keeps answering everybody else: the script's
output pipe is one more file descriptor in webserv's poll() loop.

Try:  curl -N http://localhost:8080/cgi-bin/slow.py       (-N: no buffering)
      curl -N --http1.0 http://localhost:8080/cgi-bin/slow.py
"""

import html
import os
import sys
import time

STEPS = 10         # lines
DELAY = 0.5        # seconds between two lines


def send(text):
    """Write text and push it out now. Without flush(), Python keeps the
    output in its buffer (up to 8 KiB when stdout is a pipe) and the client
    would see everything at the end."""
    sys.stdout.write(text)
    sys.stdout.flush()


HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Streaming &middot; webserv</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
    <style>
        .ticks { list-style: none; padding: 0; font-family: var(--mono); }
        .ticks li { white-space: pre; }
        .bar { display: inline-block; height: 0.8rem; background: var(--accent);
               border-radius: 4px; vertical-align: middle; margin-left: 0.6rem; }
    </style>
</head>
<body>
<header class="site-header">
    <div class="wrap">
        <a class="brand" href="/index.html"><img src="/assets/logo.svg" alt="" width="32" height="32">webserv</a>
        <nav aria-label="Main">
            <ul class="site-nav">
                <li><a href="/index.html">Home</a></li>
                <li><a href="/cgi.html">CGI examples</a></li>
            </ul>
        </nav>
    </div>
</header>

<main class="wrap">
    <h1>Streaming output</h1>
    <p class="lead">The lines below arrive one by one, half a second apart,
        while the script is still running.</p>
    <ol class="ticks">
"""

TAIL = """    </ol>
    <p><strong>Done</strong> after {elapsed:.1f} seconds.
        <a href="{script}">Run it again</a> or go
        <a href="/cgi.html">back to the CGI page</a>.</p>
</main>
</body>
</html>
"""


def main():
    # The header block: no Content-Length, so the server streams the body.
    send("Content-Type: text/html; charset=utf-8\r\n"
         "Cache-Control: no-store\r\n"
         "\r\n")
    send(HEAD)
    start = time.monotonic()
    for step in range(1, STEPS + 1):
        time.sleep(DELAY)
        send('        <li>line {0:2d} of {1} at +{2:.1f}s<span class="bar" style="width: {3}rem"></span></li>\n'
             .format(step, STEPS, time.monotonic() - start, step * 1.5))
    script = html.escape(os.environ.get("SCRIPT_NAME", "/cgi-bin/slow.py"))
    send(TAIL.format(elapsed=time.monotonic() - start, script=script))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # The client left: webserv closed our stdout (and will stop us).
        # Nothing to report, so leave quietly instead of printing a traceback
        # to the error log.
        # (Python's own advice: point stdout at /dev/null so that the final
        # flush at exit does not fail a second time.)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
