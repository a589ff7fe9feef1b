/* session.js: greets the visitor in the header of every demo page.
 *
 * The pages in www/ are static files: webserv sends them as they are, so
 * they cannot know who is reading them. This script asks the session demo
 * (/cgi-bin/session.py?format=json, which answers {"name": ..., "visits": ...}
 * without counting a visit) and adds "Hello, NAME" (a link to the session
 * page) or "Log in" to the header, next to the site's name. The browser sends
 * the WEBSERV_SID cookie with the request by itself: the cookie is HttpOnly,
 * so this script never sees it.
 *
 * Without JavaScript, or when the script cannot be run, the header simply
 * has no greeting. The session page renders the same item itself; then this
 * script only adds the styles.
 */
(function () {
    "use strict";

    var SESSION_PAGE = "/cgi-bin/session.py";

    // The header is a wrapping flex row: brand, this item, then the
    // navigation (which takes a line of its own). A zero flex-basis keeps the
    // item on the brand's line even on a narrow screen: it takes the rest of
    // that line, shows the link at its right end, and shortens a long name
    // with an ellipsis.
    var STYLE = [
        ".site-header .session-nav {",
        "    flex: 1 1 0; min-width: 6.5rem; display: flex; justify-content: flex-end; }",
        ".site-header .session-nav a {",
        "    display: inline-flex; align-items: center; gap: 0.45rem; min-width: 0; max-width: 100%;",
        "    padding: 0.15rem 0.8rem; border: 1px solid var(--border); border-radius: 999px;",
        "    background: var(--bg); color: var(--text); font-size: 0.95rem;",
        "    font-weight: 600; text-decoration: none; white-space: nowrap; }",
        ".site-header .session-nav a:hover, .site-header .session-nav a:focus-visible,",
        ".site-header .session-nav a[aria-current=\"page\"] {",
        "    border-color: var(--accent); background: var(--accent-soft); color: var(--accent-dark); }",
        ".site-header .session-nav a::before {",
        "    content: \"\"; flex: none; width: 0.5rem; height: 0.5rem; border-radius: 50%;",
        "    background: var(--muted); }",
        ".site-header .session-nav[data-state=\"in\"] a::before { background: var(--ok); }",
        ".site-header .session-nav[data-state=\"out\"] a { color: var(--accent); }",
        ".site-header .session-nav .session-name {",
        "    min-width: 0; max-width: 14rem; overflow: hidden; text-overflow: ellipsis; }"
    ].join("\n");

    function addStyle() {
        if (document.getElementById("session-style")) {
            return;
        }
        var style = document.createElement("style");
        style.id = "session-style";
        style.textContent = STYLE;
        document.head.appendChild(style);
    }

    // The item, built with textContent: a name is shown, never parsed as HTML.
    function navItem(name) {
        var item = document.createElement("div");
        var link = document.createElement("a");
        item.className = "session-nav";
        item.dataset.state = name ? "in" : "out";
        link.href = SESSION_PAGE;
        if (name) {
            var span = document.createElement("span");
            span.className = "session-name";
            span.textContent = name;
            link.title = "Hello, " + name + ": your session";
            link.appendChild(document.createTextNode("Hello, "));
            link.appendChild(span);
        } else {
            link.textContent = "Log in";
        }
        item.appendChild(link);
        return item;
    }

    function show(header, name) {
        var old = header.querySelector(".session-nav");
        var item = navItem(name);
        var brand = header.querySelector(".brand");
        if (old) {
            header.replaceChild(item, old);
        } else if (brand) {
            header.insertBefore(item, brand.nextSibling);
        } else {
            header.insertBefore(item, header.firstChild);
        }
    }

    function start() {
        var header = document.querySelector(".site-header .wrap");
        if (!header) {
            settled();
            return;
        }
        addStyle();
        if (header.querySelector(".session-nav") || !window.fetch) {
            settled();           // the session page wrote it already, or no fetch
            return;
        }
        fetch(SESSION_PAGE + "?format=json", {
            credentials: "same-origin",
            cache: "no-store",
            headers: {"Accept": "application/json"}
        }).then(function (response) {
            if (!response.ok) {
                throw new Error("HTTP " + response.status);
            }
            return response.json();
        }).then(function (session) {
            var name = session && typeof session.name === "string" ? session.name : "";
            show(header, name);
            settled();
        }).catch(function () {
            // No CGI, no session: the page works without a greeting.
            settled();
        });
    }

    // Marks the header as final, so that scripts driving the page (the
    // browser checks in scripts/) click only once nothing moves any more.
    function settled() {
        document.documentElement.setAttribute("data-session", "settled");
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
