#!/usr/bin/python3
"""env.py: show the CGI environment of this request as an HTML table.

A CGI script (RFC 3875) learns everything about the request from two places:

  * environment variables: REQUEST_METHOD, QUERY_STRING, PATH_INFO,
    CONTENT_LENGTH, CONTENT_TYPE, and one HTTP_* variable per request header
    (User-Agent becomes HTTP_USER_AGENT, and so on);
  * standard input: the request body, exactly CONTENT_LENGTH bytes of it.

It answers on standard output: a block of header lines (here only
Content-Type), an empty line, then the body. webserv turns that into an
HTTP response. Anything written to standard error ends up in the server's
error log.

Try:  /cgi-bin/env.py/extra/path?x=1&name=webserv
      curl -d 'a=1&b=2' http://localhost:8080/cgi-bin/env.py

Only the standard library is used.
"""

import html
import os
import sys

# The variables RFC 3875 section 4.1 defines, in the order the RFC lists
# them. They are shown first; the HTTP_* ones (request headers) and any
# other variable come after.
CGI_VARIABLES = [
    "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "GATEWAY_INTERFACE",
    "PATH_INFO", "PATH_TRANSLATED", "QUERY_STRING", "REMOTE_ADDR",
    "REMOTE_HOST", "REMOTE_IDENT", "REMOTE_USER", "REQUEST_METHOD",
    "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL",
    "SERVER_SOFTWARE",
]


def read_body():
    """Read the request body: exactly CONTENT_LENGTH bytes from stdin.

    CONTENT_LENGTH is absent (or empty) when the request has no body. Never
    read "until EOF" without looking at it: the RFC only promises that many
    bytes. webserv also de-chunks a chunked request body before the script
    runs, so CONTENT_LENGTH is always the real, decoded size.
    """
    try:
        length = int(os.environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    chunks = []
    remaining = length
    while remaining > 0:
        chunk = sys.stdin.buffer.read(remaining)
        if not chunk:          # the body ended early (client went away)
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def row(name, value):
    """One table row, with both cells HTML-escaped (values come from the
    client and may contain <, > or &: never print them unescaped)."""
    return "<tr><th scope=\"row\"><code>%s</code></th><td><code>%s</code></td></tr>" % (
        html.escape(name), html.escape(value))


# The page, with {placeholders} for str.format (so literal CSS braces are
# doubled). Every value put into it is HTML-escaped first.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>CGI environment &middot; webserv</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
    <style>
        th[scope="row"] {{ width: 13rem; }}
        th code {{ background: none; padding: 0; }}
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
    <h1>CGI environment</h1>
    <p class="lead">This page was written by <code>{script}</code>, a Python
        script that webserv ran for this very request.</p>

    <h2>Request body</h2>
    {body}

    <h2>Environment variables</h2>
    <div class="table-scroll">
    <table>
        <thead><tr><th scope="col">Variable</th><th scope="col">Value</th></tr></thead>
        <tbody>
{rows}
        </tbody>
    </table>
    </div>
    <p>Try <a href="{script}/extra/path?x=1&amp;name=webserv">{script}/extra/path?x=1&amp;name=webserv</a>:
        the part after the script name becomes <code>PATH_INFO</code>, the part
        after <code>?</code> becomes <code>QUERY_STRING</code>.</p>
</main>
</body>
</html>
"""


def main():
    body = read_body()
    env = os.environ

    # Sort the variables in three groups: RFC 3875 ones, HTTP_* ones, others.
    names = [name for name in CGI_VARIABLES if name in env]
    names += sorted(name for name in env if name.startswith("HTTP_"))
    # (Among the others: LC_CTYPE=C.UTF-8 is set by Python itself at start-up
    # when the locale is plain "C", see PEP 538; webserv passes only PATH.)
    names += sorted(name for name in env if name not in names)

    rows = "\n".join(row(name, env[name]) for name in names)
    script = html.escape(env.get("SCRIPT_NAME", "/cgi-bin/env.py"))

    if "CONTENT_LENGTH" not in env:
        body_text = "<p>This request has no body (no <code>CONTENT_LENGTH</code>).</p>"
    else:
        body_text = ("<p><code>CONTENT_LENGTH</code> announced <strong>%s</strong> bytes;"
                     " the script read <strong>%d</strong> bytes from its standard input.</p>"
                     % (html.escape(env["CONTENT_LENGTH"]), len(body)))
    if body:
        # Show the start of the body as text (binary bytes become U+FFFD).
        preview = body[:300].decode("utf-8", errors="replace")
        body_text += "\n    <p>The body%s:</p>\n    <pre><code>%s</code></pre>" % (
            " (first 300 bytes)" if len(body) > 300 else "", html.escape(preview))

    page = PAGE.format(script=script, body=body_text, rows=rows)

    # The header block: one "Name: value" per line, then an empty line.
    # Content-Type is the one header a CGI response must have. Then the
    # body. Everything goes out as UTF-8 bytes, whatever the locale.
    out = sys.stdout.buffer
    out.write(b"Content-Type: text/html; charset=utf-8\r\n")
    out.write(b"\r\n")
    out.write(page.encode("utf-8", errors="replace"))
    out.flush()


if __name__ == "__main__":
    main()
