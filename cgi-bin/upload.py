#!/usr/bin/python3
"""upload.py: read a multipart/form-data upload from standard input.

  GET  /cgi-bin/upload.py   shows an upload form
  POST /cgi-bin/upload.py   parses the body and shows each part: its field
                            name, file name, size and SHA-256. Nothing is
                            stored (webserv's own /uploads/ location does
                            that, without any CGI).

A form with enctype="multipart/form-data" sends its fields as "parts",
separated by a boundary line that the browser picks and announces in the
Content-Type header (CGI: the CONTENT_TYPE variable):

    CONTENT_TYPE=multipart/form-data; boundary=----x7

    ------x7\r\n
    Content-Disposition: form-data; name="comment"\r\n
    \r\n
    hello\r\n
    ------x7\r\n
    Content-Disposition: form-data; name="file"; filename="a.txt"\r\n
    Content-Type: text/plain\r\n
    \r\n
    <the bytes of a.txt>\r\n
    ------x7--\r\n

That is: "--" + boundary starts each part, "--" + boundary + "--" ends the
body, and the CRLF before a boundary line belongs to the boundary, not to
the content (RFC 2046 section 5.1.1, RFC 7578). This script splits the body
by hand so you can see how it works; the email package parses each part's
Content-Disposition parameters (quoting, RFC 2231 file names).

Try:  curl -F comment=hi -F file=@README.md http://localhost:8080/cgi-bin/upload.py

The whole body is read into memory, which is fine here: webserv refuses
bodies over client_max_body_size (1 MiB in conf/default.conf) with 413
before the script runs. A script meant for big files would parse as it
reads.
"""

import hashlib
import html
import os
import sys
from email.message import Message
from email.utils import collapse_rfc2231_value


def read_body():
    """Read exactly CONTENT_LENGTH bytes from stdin (b"" without a body)."""
    try:
        length = int(os.environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    data = bytearray()
    while len(data) < length:
        chunk = sys.stdin.buffer.read(length - len(data))
        if not chunk:          # the body ended early
            break
        data += chunk
    return bytes(data)


def header_params(name, value):
    """Parse a header such as 'form-data; name="file"; filename="a b.txt"'.

    email.message.Message knows the quoting rules (and RFC 2231's
    filename*=UTF-8''...), so we let it do the work.
    """
    message = Message()
    message[name] = value
    return message


def parse_multipart(body, boundary):
    """Split a multipart body into a list of (headers, content) pairs.

    headers is a dict with lower-case names; content is bytes.
    """
    delimiter = b"\r\n--" + boundary
    # Put a CRLF in front so that the first boundary line looks like all the
    # others ("\r\n--boundary"), then split the body on it.
    pieces = (b"\r\n" + body).split(delimiter)
    parts = []
    # pieces[0] is the preamble (usually empty) before the first boundary.
    for piece in pieces[1:]:
        if piece.startswith(b"--"):
            break              # "--boundary--": the closing delimiter
        # The rest of the boundary line (optional spaces), then the headers,
        # an empty line, and the content.
        _, _, piece = piece.partition(b"\r\n")
        if piece.startswith(b"\r\n"):
            head, content = b"", piece[2:]     # a part without any header
        else:
            head, _, content = piece.partition(b"\r\n\r\n")
        headers = {}
        for line in head.split(b"\r\n"):
            key, colon, value = line.decode("utf-8", errors="replace").partition(":")
            if colon:
                headers[key.strip().lower()] = value.strip()
        parts.append((headers, content))
    return parts


def describe(headers, content):
    """One table row for a part: field name, file name, type, size, SHA-256."""
    disposition = header_params("Content-Disposition", headers.get("content-disposition", ""))
    name = collapse_rfc2231_value(disposition.get_param("name", "", header="content-disposition"))
    filename = disposition.get_filename()    # None for a plain text field
    # A part's own Content-Type; a text field usually has none (RFC 7578: text/plain).
    kind = headers.get("content-type") or ("text/plain" if filename is None else "(none)")
    if filename is None:
        # A text field: show its value rather than a file name.
        shown = "<em>text field:</em> %s" % html.escape(
            content[:100].decode("utf-8", errors="replace"))
    elif filename == "":
        shown = "<em>no file chosen</em>"
    else:
        shown = "<code>%s</code>" % html.escape(filename)
    return ("<tr><td><code>{name}</code></td><td>{shown}</td><td>{kind}</td>"
            "<td class=\"num\">{size}</td><td><code class=\"hash\">{digest}</code></td></tr>").format(
        name=html.escape(name), shown=shown, kind=html.escape(kind),
        size="{:,}".format(len(content)), digest=hashlib.sha256(content).hexdigest())


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Multipart upload &middot; webserv</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
    <style>
        .cgi-form {{ background: var(--surface); border: 1px solid var(--border);
                     border-radius: var(--radius); padding: 1.1rem; margin: 0 0 1.25rem; }}
        .cgi-form label {{ display: block; font-weight: 600; margin-bottom: 0.2rem; }}
        .cgi-form input[type="text"] {{ width: 100%; font: inherit; padding: 0.4rem 0.6rem;
            border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }}
        .cgi-form input[type="file"] {{ max-width: 100%; font: inherit; }}
        .cgi-form p:last-child {{ margin-bottom: 0; }}
        button.button {{ font: inherit; font-weight: 600; cursor: pointer; }}
        td {{ overflow-wrap: anywhere; }}
        td:nth-child(1), td:nth-child(3) {{ white-space: nowrap; overflow-wrap: normal; }}
        td.num {{ text-align: right; white-space: nowrap; }}
        code.hash {{ font-size: 0.8rem; word-break: break-all; }}
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
    <h1>Multipart upload</h1>
    <p class="lead">Written by <code>{script}</code>, a Python CGI script that
        parses a <code>multipart/form-data</code> body. It stores nothing.</p>
{result}
    <h2>Send some files</h2>
    <form class="cgi-form" method="post" action="{script}" enctype="multipart/form-data">
        <p><label for="comment">Comment</label>
            <input id="comment" name="comment" type="text" placeholder="A text field travels as a part too"></p>
        <p><label for="file">Files (up to 1 MiB in all)</label>
            <input id="file" name="file" type="file" multiple></p>
        <p><button class="button" type="submit">Upload to the script</button></p>
    </form>
</main>
</body>
</html>
"""


def main():
    env = os.environ
    script = env.get("SCRIPT_NAME", "/cgi-bin/upload.py")
    status = "200 OK"
    result = ""

    if env.get("REQUEST_METHOD") == "POST":
        body = read_body()
        # "multipart/form-data; boundary=----WebKitFormBoundaryAbc123"
        content_type = header_params("Content-Type", env.get("CONTENT_TYPE", ""))
        boundary = content_type.get_param("boundary")
        if content_type.get_content_type() != "multipart/form-data" or not boundary:
            status = "400 Bad Request"
            result = ("<h2>Not a multipart body</h2>\n<p>Expected"
                      " <code>multipart/form-data</code> with a boundary, got <code>%s</code>.</p>"
                      % html.escape(env.get("CONTENT_TYPE", "(none)")))
        else:
            parts = parse_multipart(body, boundary.encode("utf-8"))
            rows = "\n".join(describe(headers, content) for headers, content in parts)
            result = """<h2>Received {count} part{s}</h2>
    <p>{size:,} bytes read from standard input, boundary <code>{boundary}</code>.</p>
    <div class="table-scroll"><table>
        <thead><tr><th scope="col">Field</th><th scope="col">File</th><th scope="col">Type</th>
            <th scope="col">Bytes</th><th scope="col">SHA-256</th></tr></thead>
        <tbody>
{rows}
        </tbody>
    </table></div>
    <p>Check a hash on your side with <code>sha256sum FILE</code>.</p>
""".format(count=len(parts), s="" if len(parts) == 1 else "s", size=len(body),
           boundary=html.escape(boundary), rows=rows)

    page = PAGE.format(script=html.escape(script), result=result)

    out = sys.stdout.buffer
    out.write(("Status: %s\r\n" % status).encode("ascii"))
    out.write(b"Content-Type: text/html; charset=utf-8\r\n")
    out.write(b"\r\n")
    out.write(page.encode("utf-8", errors="replace"))
    out.flush()


if __name__ == "__main__":
    main()
