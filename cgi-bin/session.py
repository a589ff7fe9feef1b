#!/usr/bin/python3
"""session.py: a visit counter and a login form (a name, no password),
kept in webserv's server-side session.

  GET  /cgi-bin/session.py               "Hello, NAME" (or the login form)
                                         and "this is your Nth visit"
  POST /cgi-bin/session.py  action=login&name=Ada   remembers the name
  POST /cgi-bin/session.py  action=logout           forgets everything
  GET  /cgi-bin/session.py?format=json   {"name": "Ada", "visits": 3} for
                                         the other pages (not a visit)

webserv keeps one session per browser, named by a WEBSERV_SID cookie (it
sends Set-Cookie itself; the script never sees or makes the cookie). The
script gets the session in two environment variables:

  SESSION_ID    the session's ID (the value of the cookie)
  SESSION_DATA  the session's map, urlencoded like a form: "name=Ada&visits=3"

and changes it with response header fields, which webserv applies to the
session and removes: the browser never sees them.

  Session-Set: visits=4          set a key (the value url-encoded; several
                                 Session-Set lines are allowed)
  Session-Unset: name            remove a key
  Session-Destroy: 1             forget the session (the browser is told to
                                 delete its cookie)

After a POST the script answers "303 See Other" back to the page, so
reloading the page repeats a GET, never the POST.

Try:  curl -i -c jar -b jar http://localhost:8080/cgi-bin/session.py
      curl -i -c jar -b jar -d 'action=login&name=Ada' http://localhost:8080/cgi-bin/session.py
      curl -s -c jar -b jar 'http://localhost:8080/cgi-bin/session.py?format=json'

Only the standard library.
"""

import html
import json
import os
import sys
import unicodedata
from urllib.parse import parse_qsl, quote

NAME_MAX = 60                     # characters, after clean-up
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


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
    """"a=1&b=x+y" -> {"a": "1", "b": "x y"} (the last value of a key wins)."""
    return dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"))


def clean_name(raw):
    """The name as typed, minus control characters and bidi overrides
    (which could make the greeting read backwards), with runs of white
    space made one space. None when nothing is left or it is too long."""
    kept = []
    for ch in raw:
        if ch.isspace():
            kept.append(" ")
        elif ch not in BIDI_CONTROLS and unicodedata.category(ch) != "Cc":
            kept.append(ch)
    name = " ".join("".join(kept).split())
    if not name or len(name) > NAME_MAX:
        return None
    return name


def ordinal(n):
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return "%d%s" % (n, suffix)


def session_set(key, value):
    """A Session-Set field: the value percent-encoded (UTF-8), so any
    character, even a newline or a '&', survives a header line."""
    return ("Session-Set", "%s=%s" % (key, quote(str(value), safe="")))


def respond(status, fields, body=b""):
    """The CGI answer: Status, the other fields, an empty line, the body."""
    out = sys.stdout.buffer
    out.write(("Status: %s\r\n" % status).encode("ascii"))
    for name, value in fields:
        # Every value here is ASCII (url-encoded or built by this script).
        out.write(("%s: %s\r\n" % (name, value)).encode("ascii"))
    out.write(b"\r\n")
    out.write(body)
    out.flush()


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title} &middot; webserv</title>
    <meta name="description" content="A cookie session demo: webserv remembers your name and counts your visits.">
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
    <script src="/assets/session.js" defer></script>
    <style>
        /* Page-specific additions to /assets/style.css. */
        .session-box {{
            background: var(--surface);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            padding: 1.25rem 1.25rem 1.1rem;
            margin: 0 0 1.5rem;
        }}
        .session-box h2 {{
            margin: 0 0 0.35rem;
            padding: 0;
            font-size: 1.6rem;
            overflow-wrap: anywhere;
        }}
        .session-box .visits {{
            color: var(--muted);
            margin: 0 0 1rem;
        }}
        .session-box .visits strong {{
            color: var(--text);
        }}
        .session-box form {{
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: 0.75rem;
            margin: 0;
        }}
        .session-box .field {{
            flex: 1 1 14rem;
            margin: 0;
        }}
        .session-box label {{
            display: block;
            font-weight: 600;
            margin-bottom: 0.2rem;
        }}
        .session-box input[type="text"] {{
            width: 100%;
            font: inherit;
            line-height: inherit;   /* as tall as the button beside it */
            padding: 0.55rem 0.7rem;
            border: 1px solid var(--border);
            border-radius: 6px;
            background: var(--bg);
        }}
        .session-box input[type="text"]:focus {{
            outline: 2px solid var(--accent);
            outline-offset: 0;
            border-color: var(--accent);
        }}
        .session-box .hint {{
            flex-basis: 100%;
            margin: 0;
            color: var(--muted);
            font-size: 0.9rem;
        }}
        button.button {{
            font: inherit;
            font-weight: 600;
            line-height: inherit;
            cursor: pointer;
        }}
        .message {{
            border-radius: 0 var(--radius) var(--radius) 0;
            padding: 0.7rem 1rem;
            margin: 0 0 1.25rem;
            border-left: 4px solid var(--ok);
            background: var(--ok-soft);
        }}
        .message.is-error {{
            border-left-color: var(--error);
            background: var(--error-soft);
        }}
        td {{
            overflow-wrap: anywhere;
        }}
        th[scope="row"] {{
            width: 9rem;
        }}
    </style>
</head>
<body>
<header class="site-header">
    <div class="wrap">
        <a class="brand" href="/index.html"><img src="/assets/logo.svg" alt="" width="32" height="32">webserv</a>
        {nav}
        <nav aria-label="Main">
            <ul class="site-nav">
                <li><a href="/index.html">Home</a></li>
                <li><a href="/static.html">Static files</a></li>
                <li><a href="/files/">Directory listing</a></li>
                <li><a href="/upload.html">Upload</a></li>
                <li><a href="/files.html">File manager</a></li>
                <li><a href="/cgi.html">CGI</a></li>
                <li><a href="/status.html">Status</a></li>
                <li><a href="/index.html#try-it">Try it</a></li>
            </ul>
        </nav>
    </div>
</header>

<main class="wrap">
    <h1>Cookie sessions</h1>
    <p class="lead">This page is <code>{script}</code>, a Python CGI script
        that remembers you: webserv keeps a session for your browser and
        hands it to the script on every request.</p>
{message}
    <section class="session-box" id="session-box" data-state="{state}" aria-labelledby="greeting">
{box}
    </section>

    <h2 id="remembered">What the server remembers</h2>
{remembered}

    <h2 id="how">How it works</h2>
    <ul>
        <li>The <code>/cgi-bin/</code> location has <code>session on</code>.
            On your first request webserv made a session and sent
            <code>Set-Cookie: WEBSERV_SID=&hellip;; Path=/; Max-Age=&hellip;; HttpOnly; SameSite=Lax</code>;
            your browser sends the cookie back with every request.</li>
        <li>The script gets the session in <code>SESSION_ID</code> and
            <code>SESSION_DATA</code> (urlencoded, like a form), and changes
            it with <code>Session-Set</code>, <code>Session-Unset</code> and
            <code>Session-Destroy</code> lines in its answer. webserv applies
            them and removes them: the browser never sees them.</li>
        <li>The session is forgotten after <code>session_timeout</code>
            without a request (30 minutes in <code>conf/default.conf</code>);
            the next visit starts a new one. <em>Log out</em> destroys it at
            once and the browser deletes its cookie.</li>
        <li>After a form is sent the script answers <code>303 See Other</code>
            back to this page, so reloading it never sends the form again.</li>
    </ul>
    <p>This answer's session fields, removed by webserv before it reached you:</p>
<pre><code>{fields}</code></pre>

    <h2 id="curl">Try it with curl</h2>
    <p>A cookie jar (<code>-c</code> to save, <code>-b</code> to send) plays the browser:</p>
<pre><code>curl -i -c jar -b jar localhost:8080{script}
curl -i -c jar -b jar -d 'action=login&amp;name=Ada' localhost:8080{script}
curl -s -c jar -b jar 'localhost:8080{script}?format=json'
curl -i -c jar -b jar -d action=logout localhost:8080{script}</code></pre>
</main>

<footer class="site-footer">
    <div class="wrap">
        <p>Served by webserv &middot; written by a CGI script, a little
            JavaScript, no external resources.</p>
    </div>
</footer>
</body>
</html>
"""


def nav_item(script, name):
    """The header's session link, the same markup /assets/session.js adds
    to the static pages (which cannot ask the session themselves)."""
    if name:
        return ('<div class="session-nav" data-state="in"><a href="%s" aria-current="page"'
                ' title="Hello, %s: your session">Hello, <span class="session-name">%s</span></a></div>'
                % (html.escape(script), html.escape(name), html.escape(name)))
    return ('<div class="session-nav" data-state="out"><a href="%s" aria-current="page">Log in</a></div>'
            % html.escape(script))


def login_box(script, visits, value=""):
    visit_line = ""
    if visits:
        visit_line = ('\n        <p class="visits" id="visits" data-visits="%d">This is your'
                      ' <strong>%s</strong> visit.</p>' % (visits, ordinal(visits)))
    return """        <h2 id="greeting">Who are you?</h2>{visit_line}
        <form id="login-form" method="post" action="{action}">
            <input type="hidden" name="action" value="login">
            <p class="field"><label for="name">Your name</label>
                <input id="name" name="name" type="text" value="{value}" maxlength="{max}"
                       autocomplete="nickname" placeholder="Ada Lovelace" required></p>
            <button class="button" type="submit" id="login-button">Log in</button>
            <p class="hint">No password: this demo is about sessions, not security.
                Every page of the site will greet you by name.</p>
        </form>""".format(visit_line=visit_line, action=html.escape(script),
                          value=html.escape(value), max=NAME_MAX)


def greeting_box(script, name, visits):
    return """        <h2 id="greeting">Hello, <span class="session-name">{name}</span></h2>
        <p class="visits" id="visits" data-visits="{visits}">This is your <strong>{nth}</strong> visit.
            Every page of the site greets you now: <a href="/index.html">try the home page</a>.</p>
        <form id="logout-form" method="post" action="{action}">
            <input type="hidden" name="action" value="logout">
            <button class="button button-secondary" type="submit" id="logout-button">Log out</button>
        </form>""".format(name=html.escape(name), visits=visits, nth=ordinal(visits),
                          action=html.escape(script))


def remembered_table(session_id, data):
    if not session_id:
        return "    <p>Nothing: you have no session now.</p>"
    # The ID is the key to the session: show only its start.
    rows = ['<tr><th scope="row">Session</th><td><code>%s&hellip;</code> (the start of its ID)</td></tr>'
            % html.escape(session_id[:8])]
    for key in sorted(data):
        rows.append('<tr><th scope="row"><code>%s</code></th><td>%s</td></tr>'
                    % (html.escape(key), html.escape(data[key])))
    return ('    <div class="table-scroll">\n    <table id="session-data">\n        <tbody>\n'
            '        %s\n        </tbody>\n    </table>\n    </div>' % "\n        ".join(rows))


def page(script, status, fields, title, state, box, nav, message, session_id, data):
    shown = "\n".join("%s: %s" % field for field in fields if field[0].startswith("Session-"))
    text = PAGE.format(
        title=html.escape(title), script=html.escape(script), state=state, box=box, nav=nav,
        message=message, remembered=remembered_table(session_id, data),
        fields=html.escape(shown or "(none: this answer left the session as it was)"))
    fields = fields + [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
    respond(status, fields, text.encode("utf-8"))


def message_html(text, error=False):
    return ('    <p class="message%s" id="message" role="%s">%s</p>\n'
            % (" is-error" if error else "", "alert" if error else "status", text))


def main():
    env = os.environ
    method = env.get("REQUEST_METHOD", "GET")
    script = env.get("SCRIPT_NAME", "/cgi-bin/session.py")
    session_id = env.get("SESSION_ID", "")
    data = parse_urlencoded(env.get("SESSION_DATA", ""))
    query = parse_urlencoded(env.get("QUERY_STRING", ""))
    name = data.get("name", "")
    try:
        visits = max(0, int(data.get("visits", "0")))
    except ValueError:
        visits = 0

    if method == "POST":
        # Back to this page with a GET (303: the browser drops the body).
        # A relative reference is enough (RFC 9110 section 10.2.2); SCRIPT_NAME
        # is not URL-encoded, so encode it for the header.
        location = quote(script, safe="/")
        form = parse_urlencoded(read_body().decode("utf-8", errors="replace"))
        action = form.get("action", "")
        if action == "login":
            new_name = clean_name(form.get("name", ""))
            if new_name is None:
                # Nothing changes: show the form again with the reason.
                page(script, "400 Bad Request", [], "Cookie sessions", "out",
                     login_box(script, visits, form.get("name", "")[:NAME_MAX * 2]),
                     nav_item(script, name),
                     message_html("Please type a name of 1 to %d characters." % NAME_MAX, True),
                     session_id, data)
                return
            respond("303 See Other", [session_set("name", new_name), ("Location", location),
                                      ("Cache-Control", "no-store")])
            return
        if action == "logout":
            respond("303 See Other", [("Session-Destroy", "1"),
                                      ("Location", location + "?logged-out=1"),
                                      ("Cache-Control", "no-store")])
            return
        page(script, "400 Bad Request", [], "Cookie sessions", "out" if not name else "in",
             greeting_box(script, name, visits) if name else login_box(script, visits),
             nav_item(script, name),
             message_html("Unknown action %s: this form sends <code>login</code> or"
                          " <code>logout</code>." % html.escape(repr(action)), True),
             session_id, data)
        return

    if query.get("format") == "json":
        # For the header of the other pages: read only, not a visit.
        body = json.dumps({"name": name or None, "visits": visits}, ensure_ascii=False)
        respond("200 OK", [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                body.encode("utf-8"))
        return

    if "logged-out" in query and not name:
        # Just logged out: the browser came back without a cookie, so webserv
        # made a fresh session for this request. Destroy it too, so the
        # browser really ends up with no session cookie.
        page(script, "200 OK", [("Session-Destroy", "1")], "Logged out", "out",
             login_box(script, 0), nav_item(script, ""),
             message_html("You have logged out: the server destroyed your session"
                          " and your browser deleted its cookie."),
             "", {})
        return

    fields = []
    if method != "HEAD":
        visits += 1
        fields.append(session_set("visits", visits))
        data["visits"] = str(visits)
    if name:
        page(script, "200 OK", fields, "Hello, " + name, "in", greeting_box(script, name, visits),
             nav_item(script, name), "", session_id, data)
    else:
        page(script, "200 OK", fields, "Cookie sessions", "out", login_box(script, visits),
             nav_item(script, ""), "", session_id, data)


if __name__ == "__main__":
    main()
