#!/usr/bin/python3
"""form.py: handle an HTML form, with GET and with POST.

  GET  /cgi-bin/form.py           shows the form
  GET  /cgi-bin/form.py?a=1&b=2   shows the form and the parsed query string
  POST /cgi-bin/form.py           reads the submitted form from stdin and
                                  shows the values

A browser sends a form with method="post" as a body of type
application/x-www-form-urlencoded: "name=Ada+Lovelace&colour=blue". The
server tells the script how many bytes that body has in CONTENT_LENGTH and
passes the bytes on standard input. A GET form (or any link with a "?")
puts the same encoding in QUERY_STRING instead.

Try:  curl -d 'name=Ada&colour=green&message=<hi>' http://localhost:8080/cgi-bin/form.py
      curl 'http://localhost:8080/cgi-bin/form.py?name=Ada&colour=red'

Only the standard library: urllib.parse does the decoding (the old `cgi`
module is deprecated and gone since Python 3.13).
"""

import html
import os
import posixpath
import sys
from urllib.parse import parse_qsl

COLOURS = ["red", "green", "blue"]


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


def parse_urlencoded(text):
    """"a=1&b=x+y&b=%3C" -> [("a", "1"), ("b", "x y"), ("b", "<")].

    A list of pairs, not a dict: a name may come several times (checkboxes,
    multiple selects), and the order is the order of the form.
    keep_blank_values keeps fields the user left empty ("a=&b=2").
    """
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace")


def table(pairs):
    """The pairs as an HTML table, every value escaped."""
    if not pairs:
        return "<p>(no fields)</p>"
    rows = "\n".join(
        "<tr><td><code>%s</code></td><td>%s</td></tr>" % (html.escape(name), html.escape(value))
        for name, value in pairs)
    return ("<div class=\"table-scroll\"><table>\n"
            "<thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Value</th></tr></thead>\n"
            "<tbody>\n%s\n</tbody></table></div>" % rows)


def form_html(action, values):
    """The form, pre-filled with the values sent last time (escaped too:
    a value is user input even when it goes back into an attribute)."""
    name = html.escape(values.get("name", ""))
    message = html.escape(values.get("message", ""))
    chosen = values.get("colour", "blue")
    options = "".join(
        "<option value=\"%s\"%s>%s</option>" % (c, " selected" if c == chosen else "", c.capitalize())
        for c in COLOURS)
    return """<form class="cgi-form" method="post" action="{action}">
        <p><label for="name">Your name</label>
            <input id="name" name="name" type="text" value="{name}" placeholder="Ada Lovelace"></p>
        <p><label for="colour">Favourite colour</label>
            <select id="colour" name="colour">{options}</select></p>
        <p><label for="message">Message</label>
            <textarea id="message" name="message" rows="3" placeholder="Try some &lt;b&gt;HTML&lt;/b&gt;: it is shown, not run.">{message}</textarea></p>
        <p><button class="button" type="submit">Send with POST</button></p>
    </form>""".format(action=html.escape(action), name=name, message=message, options=options)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Form handling &middot; webserv</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
    <style>
        .cgi-form {{ background: var(--surface); border: 1px solid var(--border);
                     border-radius: var(--radius); padding: 1.1rem; margin: 0 0 1.25rem; }}
        .cgi-form label {{ display: block; font-weight: 600; margin-bottom: 0.2rem; }}
        .cgi-form input, .cgi-form select, .cgi-form textarea {{
            width: 100%; font: inherit; padding: 0.4rem 0.6rem;
            border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }}
        .cgi-form p:last-child {{ margin-bottom: 0; }}
        button.button {{ font: inherit; font-weight: 600; cursor: pointer; }}
        th[scope="col"]:first-child {{ width: 11rem; }}
        td {{ overflow-wrap: anywhere; white-space: pre-wrap; }}
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
    <h1>Form handling</h1>
    <p class="lead">Written by <code>{script}</code>, a Python CGI script.
        This request was a <strong>{method}</strong>.</p>
{result}
    <h2>The form</h2>
    {form}
    <p>Or <a href="{script}?name=Grace&amp;colour=green&amp;message=sent+in+the+URL">send
        fields in the query string</a> with a plain GET link.</p>
</main>
</body>
</html>
"""


def main():
    env = os.environ
    method = env.get("REQUEST_METHOD", "GET")
    script = env.get("SCRIPT_NAME", "/cgi-bin/form.py")
    status = "200 OK"
    sections = []
    submitted = {}          # last value of each field, to pre-fill the form

    # The query string is there with any method (POST /form.py?x=1 too).
    query = parse_urlencoded(env.get("QUERY_STRING", ""))
    if query:
        sections.append("<h2>Query string</h2>\n<p><code>QUERY_STRING</code> = <code>%s</code></p>\n%s"
                        % (html.escape(env["QUERY_STRING"]), table(query)))
        submitted.update(query)

    if method == "POST":
        body = read_body()
        # CONTENT_TYPE may carry parameters: "application/x-www-form-urlencoded; charset=UTF-8".
        content_type = env.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            fields = parse_urlencoded(body.decode("utf-8", errors="replace"))
            sections.append("<h2>Submitted with POST</h2>\n<p>%d bytes read from standard input"
                            " (<code>CONTENT_LENGTH</code>).</p>\n%s" % (len(body), table(fields)))
            submitted.update(fields)
        else:
            # A script chooses its status with a "Status:" header line.
            status = "415 Unsupported Media Type"
            sections.append("<h2>Not a urlencoded form</h2>\n<p>This script reads"
                            " <code>application/x-www-form-urlencoded</code> bodies; this one was"
                            " <code>%s</code> (%d bytes). Files go to"
                            " <a href=\"%s\">upload.py</a>.</p>"
                            % (html.escape(env.get("CONTENT_TYPE", "(none)")), len(body),
                               html.escape(posixpath.dirname(script) + "/upload.py")))

    page = PAGE.format(script=html.escape(script), method=html.escape(method),
                       result="\n".join(sections), form=form_html(script, submitted))

    out = sys.stdout.buffer
    out.write(("Status: %s\r\n" % status).encode("ascii"))
    out.write(b"Content-Type: text/html; charset=utf-8\r\n")
    out.write(b"\r\n")
    out.write(page.encode("utf-8", errors="replace"))
    out.flush()


if __name__ == "__main__":
    main()
