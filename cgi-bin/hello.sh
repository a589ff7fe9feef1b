#!/bin/sh
# hello.sh: a CGI script in plain POSIX sh.
#
# conf/default.conf has `cgi .sh;` with no interpreter: webserv executes the
# file itself, so it must be executable (chmod +x) and start with a #! line.
# (Without the execute bit the server answers 403.)
#
# The environment holds the CGI variables and PATH only, so `date` and
# `uname` are found, but nothing from the server's own environment leaks in.
#
# Try:  curl -i 'http://localhost:8080/cgi-bin/hello.sh?name=<shell>&x=1'

# Turn & < > " ' into HTML entities: anything from the request (or from a
# command) must be escaped before it goes into the page. & comes first, or
# the & of the other entities would be escaped again.
escape_html() {
    printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' \
                           -e 's/"/\&quot;/g' -e "s/'/\&#39;/g"
}

query=$(escape_html "${QUERY_STRING:-}")
method=$(escape_html "${REQUEST_METHOD:-GET}")
self=$(escape_html "${SCRIPT_NAME:-/cgi-bin/hello.sh}")
now=$(escape_html "$(date)")
system=$(escape_html "$(uname -s)")

if [ -z "$query" ]; then
    query_text="(empty) &mdash; try <a href=\"$self?name=shell&amp;x=1\">?name=shell&amp;x=1</a>"
else
    query_text="<code>$query</code>"
fi

# The CGI header block: printf, because echo's handling of \r differs
# between shells. Then the empty line, then the page.
printf 'Content-Type: text/html; charset=utf-8\r\n'
printf '\r\n'

cat <<EOF
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Hello from sh &middot; webserv</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
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
    <h1>Hello from the shell!</h1>
    <p class="lead">This page comes from <code>$self</code>, a POSIX
        <code>sh</code> script that webserv executed directly.</p>
    <table>
        <tbody>
            <tr><th scope="row"><code>date</code></th><td>$now</td></tr>
            <tr><th scope="row"><code>uname -s</code></th><td>$system</td></tr>
            <tr><th scope="row"><code>REQUEST_METHOD</code></th><td><code>$method</code></td></tr>
            <tr><th scope="row"><code>QUERY_STRING</code></th><td>$query_text</td></tr>
        </tbody>
    </table>
    <p>The query string is shown as it arrived, still URL-encoded: decoding
        it is left to the scripts in other languages.</p>
</main>
</body>
</html>
EOF
