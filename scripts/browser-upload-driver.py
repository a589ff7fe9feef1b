"""Drives the upload page and the file manager through Chromium's DevTools
protocol, for scripts/browser-upload-check.sh, which sets BASE,
DEVTOOLS_PORT, STORE, OUT and FIXTURES. Standard library only, with
scripts/devtools.py."""
import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import devtools
from devtools import fail, log

BASE = os.environ["BASE"]
DEVTOOLS = int(os.environ["DEVTOOLS_PORT"])
STORE = os.environ["STORE"]
OUT = os.environ["OUT"]
FIXTURES = os.environ["FIXTURES"]
# conf/default.conf puts the store's POST and DELETE behind Basic
# authentication with this user of conf/demo.htpasswd.
USER, PASSWORD = "demo", "webserv"
REALM = "webserv demo uploads"
CHALLENGE = 'Basic realm="%s", charset="UTF-8"' % REALM


class UploadPage(devtools.Page):
    DESCRIBE_JS = ("location.href + ' | status: ' + "
                   "((document.querySelector('[role=status]:not([hidden])') || {}).textContent || '-')"
                   ".trim() + ' | body: ' + document.body.innerText.slice(0, 300).replace(/\\s+/g, ' ')")

    def __init__(self, ws, out_dir):
        super().__init__(ws, out_dir)
        self.dialogs = []
        # The browser's credentials prompt, answered as a user would: with
        # the demo's user and password, or (False) by pressing Cancel.
        self.sign_in = True
        self.challenges = []    # (method, path, scheme, realm) of each prompt

    def on_event(self, method, params):
        if method == "Page.javascriptDialogOpening":
            # The file manager asks before deleting: accept, as a user would.
            self.dialogs.append(params.get("message", ""))
            self.send("Page.handleJavaScriptDialog", {"accept": True})
        elif method == "Fetch.requestPaused":
            self.send("Fetch.continueRequest", {"requestId": params["requestId"]})
        elif method == "Fetch.authRequired":
            request, challenge = params["request"], params["authChallenge"]
            self.challenges.append((request["method"], urllib.parse.urlsplit(request["url"]).path,
                                    challenge.get("scheme"), challenge.get("realm")))
            answer = ({"response": "ProvideCredentials", "username": USER, "password": PASSWORD}
                      if self.sign_in else {"response": "CancelAuth"})
            self.send("Fetch.continueWithAuth", {"requestId": params["requestId"],
                                                 "authChallengeResponse": answer})

    def navigate(self, url, scripts=True):
        self.open_url(url)
        self.wait_for("loading " + url,
                      "document.readyState === 'complete' && location.href === %s" % json.dumps(url)
                      + ("" if not scripts else devtools.SESSION_GREETING_SETTLED))
        return self.status()

    def set_files(self, selector, paths):
        root = self.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            fail("no %s on the page to choose files with" % selector)
        self.call("DOM.setFileInputFiles", {"nodeId": node, "files": paths})


def http(method, path, signed_in=True):
    """A request straight to webserv (not through the browser), with the
    demo's credentials unless signed_in is False; (status, headers, body)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(BASE + path, method=method)
    if signed_in:
        token = base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()
        request.add_header("Authorization", "Basic " + token)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def stored_names():
    return sorted(n for n in os.listdir(STORE) if n != ".gitkeep")


def expect_file(name, content, how):
    path = os.path.join(STORE, name)
    if not os.path.isfile(path):
        fail("%s: %s is not on disk (the store holds %s)" % (how, path, stored_names()))
    with open(path, "rb") as f:
        data = f.read()
    if data != content:
        fail("%s: %s holds %d bytes that differ from the %d bytes uploaded"
             % (how, path, len(data), len(content)))


def expect_site_look(page, what):
    """The server's own pages: a phone viewport and the inline stylesheet
    applied (the site's background and column)."""
    look = page.js("[!!document.querySelector('meta[name=viewport][content*=device-width]'), "
                   "getComputedStyle(document.body).backgroundColor, "
                   "getComputedStyle(document.querySelector('main')).maxWidth]")
    if look != [True, "rgb(247, 248, 250)", "768px"]:
        fail("%s does not have the site's look: viewport, background, column = %s" % (what, look))


def row(name):
    return "#file-rows tr[data-name=%s]" % json.dumps(name, ensure_ascii=False)


LIST_READY = "document.getElementById('file-table').dataset.state === 'ready'"


def refused_without_credentials(page):
    """Before the browser holds any credentials: a stored file, its Delete
    button pressed and the prompt cancelled. The server challenged the
    DELETE, the file stays, and the page says why."""
    name = "protected.txt"
    with open(os.path.join(STORE, name), "wb") as f:
        f.write(b"only the demo user may delete this\n")
    status, headers, _ = http("DELETE", "/uploads/" + name, signed_in=False)
    if status != 401 or headers.get("WWW-Authenticate") != CHALLENGE:
        fail("DELETE without credentials answered %s with WWW-Authenticate %r, expected 401 with %r"
             % (status, headers.get("WWW-Authenticate"), CHALLENGE))
    if page.navigate(BASE + "/files.html") != 200:
        fail("GET /files.html did not answer 200")
    page.wait_for("the file manager's list", "!!document.querySelector(%s)" % json.dumps(row(name)))
    page.sign_in = False
    page.js("document.getElementById('status').dataset.state = 'idle'")
    page.click(row(name) + " button[data-action=delete]", "pressing Delete for %r, then Cancel" % name)
    page.wait_for("the refused delete", "document.getElementById('status').dataset.state === 'error' && "
                  + LIST_READY)
    page.sign_in = True
    message = page.js("document.getElementById('status').textContent")
    if ("DELETE", "/uploads/" + name, "basic", REALM) not in page.challenges:
        fail("pressing Delete did not bring the browser's credentials prompt for realm %r: prompts %s"
             % (REALM, page.challenges))
    if "401 Unauthorized" not in message or "demo / webserv" not in message:
        fail("after a cancelled credentials prompt the page says %r, expected the 401 and how to sign in"
             % message)
    if not os.path.isfile(os.path.join(STORE, name)) or not page.js("!!document.querySelector(%s)"
                                                                      % json.dumps(row(name))):
        fail("a DELETE refused with 401 removed %s (from disk or from the list)" % name)
    log("files.html: DELETE without credentials: the browser's prompt (realm %r), cancelled: 401, "
        "the file stays, the page says %r" % (REALM, message.strip()))
    page.screenshot("files-401-1280.png")
    status, _, _ = http("DELETE", "/uploads/" + name)
    if status != 204:
        fail("DELETE with the demo's credentials answered %s, expected 204" % status)
    return "/uploads/" + name


def upload_state(page):
    return page.js("document.getElementById('upload-status').dataset.state")


def main():
    # Files to upload: names with a space and an '&' (encoded in URLs),
    # one of them binary with NUL bytes.
    text_name, bin_name = "webserv check.txt", "bytes & nulls.bin"
    text = ("uploaded by scripts/browser-upload-check.sh at %s\n" % time.time()).encode() * 20
    binary = bytes(range(256)) * 40 + b"\r\n--boundary-like--\r\n" + os.urandom(3000)
    fixtures = {text_name: text, bin_name: binary}
    paths = {}
    for name, data in fixtures.items():
        paths[name] = os.path.join(FIXTURES, name)
        with open(paths[name], "wb") as f:
            f.write(data)

    page = UploadPage(devtools.connect(DEVTOOLS), OUT)
    for domain in ("Page", "Runtime", "DOM", "Log"):
        page.call(domain + ".enable")
    # Every request pauses (and is let go at once), so that the server's
    # Basic challenges come to on_event as the browser's credentials prompt.
    page.call("Fetch.enable", {"handleAuthRequests": True, "patterns": [{"urlPattern": "*"}]})
    page.viewport(1280, 900, False)

    # 0. Deleting without credentials: refused, and the page says why.
    refused_path = refused_without_credentials(page)

    # 1. The upload page, and its no-JavaScript contract.
    status = page.navigate(BASE + "/upload.html")
    if status != 200:
        fail("GET /upload.html answered %s" % status)
    form = page.js("""(() => {
        const f = document.querySelector('form');
        const i = f && f.querySelector('input[type=file]');
        return f && {method: f.method, enctype: f.enctype,
                     action: new URL(f.getAttribute('action'), location.href).pathname,
                     input: !!i, name: i && i.name, multiple: i && i.multiple,
                     nav: ['/upload.html', '/files.html'].every(h =>
                         document.querySelector('nav a[href="' + h + '"]'))};
    })()""")
    want = {"method": "post", "enctype": "multipart/form-data", "action": "/uploads/",
            "input": True, "name": "file", "multiple": True, "nav": True}
    if form != want:
        fail("upload.html's form is %s, expected %s" % (form, want))
    log("upload.html: a POST multipart/form-data form to /uploads/ with <input type=file name=file multiple>")

    # 2. Choose two files and press Upload.
    page.set_files("#file-input", [paths[text_name], paths[bin_name]])
    chosen = page.js("document.getElementById('file-input').files.length")
    if chosen != 2:
        fail("DOM.setFileInputFiles: the input holds %s files, expected 2" % chosen)
    page.click("#upload-button", "pressing Upload")
    page.wait_for("uploading two files", "document.getElementById('upload-status').dataset.state === 'done'",
                  fail_when="document.getElementById('upload-status').dataset.state === 'error' && "
                            "document.getElementById('upload-status').textContent")
    if page.js("location.pathname") != "/upload.html":
        fail("the upload left the page (now at %s): the fetch enhancement did not run" % page.js("location.href"))
    items = page.js("""Array.from(document.querySelectorAll('#upload-list li')).map(li => ({
        name: li.dataset.name, renamed: li.dataset.renamed,
        href: new URL(li.querySelector('a').getAttribute('href'), location.href).pathname}))""")
    names = sorted(i["name"] for i in items)
    if names != sorted([text_name, bin_name]) or any(i["renamed"] != "false" for i in items):
        fail("after uploading %s the page lists %s" % ([text_name, bin_name], items))
    for item in items:
        expected = "/uploads/" + urllib.parse.quote(item["name"])
        if item["href"] != expected:
            fail("the link for %s is %s, expected %s" % (item["name"], item["href"], expected))
    expect_file(text_name, text, "upload through the page")
    expect_file(bin_name, binary, "upload through the page")
    if ("POST", "/uploads/", "basic", REALM) not in page.challenges:
        fail("the upload did not bring the browser's credentials prompt for realm %r: prompts %s"
             % (REALM, page.challenges))
    log("upload.html: two files uploaded with fetch (the browser signed in as %r when asked), "
        "listed with links, stored byte-identical on disk" % USER)

    # 3. The same name again: stored under a new name, and the page says so.
    page.set_files("#file-input", [paths[text_name]])
    page.js("document.getElementById('upload-status').dataset.state = 'idle'")
    page.click("#upload-button", "pressing Upload again")
    page.wait_for("uploading an existing name", "document.getElementById('upload-status').dataset.state === 'done'",
                  fail_when="document.getElementById('upload-status').dataset.state === 'error' && "
                            "document.getElementById('upload-status').textContent")
    item = page.js("""(() => { const li = document.querySelector('#upload-list li');
        return li && {name: li.dataset.name, renamed: li.dataset.renamed, text: li.textContent,
                      count: document.querySelectorAll('#upload-list li').length}; })()""")
    if not item or item["count"] != 1 or item["renamed"] != "true" or item["name"] == text_name:
        fail("uploading %s again: the page shows %s, expected one renamed file" % (text_name, item))
    if "saved as" not in item["text"] or item["name"] not in item["text"]:
        fail("uploading %s again: the page does not say it was saved as %s: %r"
             % (text_name, item["name"], item["text"]))
    renamed_name = item["name"]
    expect_file(renamed_name, text, "upload of an existing name")
    expect_file(text_name, text, "the first file after uploading its name again")
    log("upload.html: the same name again was saved as %r and the page says so" % renamed_name)

    page.screenshot("upload-1280.png")
    page.no_horizontal_scroll("upload.html at 1280px", 1280)
    page.viewport(400, 860, True)
    page.no_horizontal_scroll("upload.html at 400px", 400)
    page.screenshot("upload-400.png")
    page.viewport(1280, 900, False)

    # 4. With JavaScript off the plain form still uploads.
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})
    page.navigate(BASE + "/upload.html", scripts=False)
    page.set_files("#file-input", [paths[bin_name]])
    page.click("#upload-button", "pressing Upload without JavaScript")
    page.wait_for("the form's POST without JavaScript",
                  "location.pathname === '/uploads/' && document.readyState === 'complete'")
    status = page.js("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0")
    links = page.js("Array.from(document.querySelectorAll('a')).map(a => a.textContent)")
    page.call("Emulation.setScriptExecutionDisabled", {"value": False})
    if status != 201:
        fail("the plain form POST answered %s, expected 201" % status)
    plain_names = [n for n in links if n != bin_name and n.startswith("bytes & nulls")]
    if len(plain_names) != 1:
        fail("the server's answer to the plain form lists %s, expected one renamed %r" % (links, bin_name))
    plain_name = plain_names[0]
    expect_file(plain_name, binary, "upload without JavaScript")
    log("upload.html without JavaScript: 201 page from the server, stored as %r" % plain_name)
    expect_site_look(page, "the 201 page")
    nav = page.js("Array.from(document.querySelectorAll('nav a')).map(a => [a.textContent, a.href])")
    wanted = [["Back to the form", BASE + "/upload.html"], ["All files in /uploads/", BASE + "/uploads/"],
              ["Home", BASE + "/"]]
    if nav != wanted:
        fail("the 201 page links on to %s, expected %s" % (nav, wanted))
    log("the 201 page: the site's look, links back to the form, the store's listing and home")
    page.both_widths("the 201 page", "upload-answer", 390)

    # 4b. Its link to the store's listing: a styled page, human sizes.
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})
    page.click("nav a[href='/uploads/']", "following the link to the store's listing")
    page.wait_for("the store's listing", "location.pathname === '/uploads/' && "
                  "document.readyState === 'complete' && !!document.querySelector('table')")
    page.call("Emulation.setScriptExecutionDisabled", {"value": False})
    expect_site_look(page, "the listing of /uploads/")
    sizes = page.js("Object.fromEntries(Array.from(document.querySelectorAll('tbody tr')).map(tr => "
                    "[tr.querySelector('td.name').textContent, tr.querySelector('td.size').textContent]))")
    wanted_size = "%dK" % ((len(binary) + 512) // 1024)
    if sizes.get(plain_name) != wanted_size or sizes.get(text_name) != str(len(text)):
        fail("the listing shows sizes %s, expected %s for %r and %d for %r"
             % (sizes, wanted_size, plain_name, len(text), text_name))
    log("the listing of /uploads/: the site's look, sizes as nginx's autoindex_exact_size off (%s)" % wanted_size)
    page.both_widths("the listing of /uploads/", "listing", 390)
    page.viewport(390, 860, True)
    if page.js("getComputedStyle(document.querySelector('thead')).display") != "none":
        fail("the listing at 390px still shows its table head: the narrow layout did not apply")
    page.viewport(1280, 900, False)

    # 5. The file manager lists everything with sizes; downloads match.
    expected = {text_name: len(text), bin_name: len(binary), renamed_name: len(text),
                plain_name: len(binary)}
    if set(stored_names()) != set(expected):
        fail("the store holds %s, expected %s" % (stored_names(), sorted(expected)))
    status = page.navigate(BASE + "/files.html")
    if status != 200:
        fail("GET /files.html answered %s" % status)
    rows_js = """Array.from(document.querySelectorAll('#file-rows tr')).map(tr => ({
        name: tr.dataset.name, size: Number(tr.dataset.size),
        href: tr.querySelector('.name a') && new URL(tr.querySelector('.name a').getAttribute('href'), location.href).pathname,
        download: !!tr.querySelector('a[download]'), del: !!tr.querySelector('button[data-action=delete]'),
        date: (tr.querySelector('.date') || {}).textContent || ''}))"""
    ready = LIST_READY
    failed = ("document.getElementById('file-table').dataset.state === 'error' && "
              "document.getElementById('status').textContent")
    page.wait_for("the file manager's list", ready, fail_when=failed)
    rows = page.js(rows_js)
    listed = dict((r["name"], r["size"]) for r in rows)
    if listed != expected:
        fail("files.html lists %s, expected %s" % (listed, expected))
    for r in rows:
        if not (r["download"] and r["del"] and r["date"].strip()
                and r["href"] == "/uploads/" + urllib.parse.quote(r["name"])):
            fail("files.html row for %r is incomplete: %s" % (r["name"], r))
    summary = page.js("document.getElementById('summary').textContent")
    if not summary.startswith("4 files"):
        fail("files.html summary says %r, expected 4 files" % summary)
    got = page.js("""fetch(document.querySelector(%s).href, {cache: 'no-store'})
        .then(r => r.arrayBuffer()).then(b => btoa(String.fromCharCode(...new Uint8Array(b))))"""
                  % json.dumps('#file-rows tr[data-name=%s] a[download]' % json.dumps(bin_name, ensure_ascii=False)))
    if base64.b64decode(got) != binary:
        fail("the download link of %r does not give back the uploaded bytes" % bin_name)
    log("files.html: lists the 4 stored files with sizes, dates, download and delete; a download is byte-identical")
    page.screenshot("files-1280.png")
    page.no_horizontal_scroll("files.html at 1280px", 1280)

    def delete_through_page(name, outcome):
        dialogs = len(page.dialogs)
        page.js("document.getElementById('status').dataset.state = 'idle'")
        page.click(row(name) + " button[data-action=delete]", "pressing Delete for %r" % name)
        page.wait_for("deleting %r" % name,
                      "document.getElementById('status').dataset.state !== 'idle' && " + ready
                      + " && !document.querySelector(%s)" % json.dumps(row(name)),
                      fail_when=None if outcome == "error" else
                      "document.getElementById('status').dataset.state === 'error' && "
                      "document.getElementById('status').textContent")
        if len(page.dialogs) != dialogs + 1 or name not in page.dialogs[-1]:
            fail("deleting %r: expected one confirmation dialog naming it, got %s"
                 % (name, page.dialogs[dialogs:]))
        state, message = page.js("[document.getElementById('status').dataset.state, "
                                 "document.getElementById('status').textContent]")
        if state != outcome:
            fail("deleting %r: the page's status is %s (%r), expected %s" % (name, state, message, outcome))
        return message

    # 6. Delete one file with its Delete button.
    message = delete_through_page(bin_name, "done")
    if os.path.exists(os.path.join(STORE, bin_name)):
        fail("the page says %r but %s is still on disk" % (message, bin_name))
    left = sorted(page.js(rows_js), key=lambda r: r["name"])
    if sorted(r["name"] for r in left) != sorted(set(expected) - {bin_name}):
        fail("after deleting %r the page lists %s" % (bin_name, [r["name"] for r in left]))
    if set(stored_names()) != set(expected) - {bin_name}:
        fail("after deleting %r the store holds %s" % (bin_name, stored_names()))
    log("files.html: Delete removed %r from the list and from disk (%s)" % (bin_name, message.strip()))
    page.screenshot("files-after-delete-1280.png")
    page.viewport(400, 860, True)
    page.no_horizontal_scroll("files.html at 400px", 400)
    page.screenshot("files-400.png")
    page.viewport(1280, 900, False)

    # 7. A file deleted behind the page's back: its button shows the 404.
    status, _, body = http("DELETE", "/uploads/" + urllib.parse.quote(renamed_name))
    if status != 204:
        fail("DELETE /uploads/%s answered %s: %r" % (urllib.parse.quote(renamed_name), status, body[:200]))
    message = delete_through_page(renamed_name, "error")
    if "404" not in message:
        fail("deleting a file that is already gone: the page says %r, expected a 404 error" % message)
    log("files.html: deleting a file that was already gone shows %r and drops it from the list"
        % message.strip())
    page.screenshot("files-error-1280.png")

    # 8. Delete the rest: the list is empty, and so is the store.
    for name in (text_name, plain_name):
        delete_through_page(name, "done")
    page.wait_for("the empty state", "!document.getElementById('empty').hidden && "
                  "document.getElementById('table-box').hidden")
    if stored_names():
        fail("after deleting everything the store still holds %s" % stored_names())
    leftovers = [n for n in os.listdir(STORE) if n != ".gitkeep"]
    if leftovers:
        fail("the store holds leftover (temporary?) files: %s" % leftovers)
    log("files.html: after deleting every file the page shows its empty state; the store is empty")
    page.viewport(400, 860, True)
    page.screenshot("files-empty-400.png")

    asked = sorted(set((method, realm) for method, _, _, realm in page.challenges))
    if asked != [("DELETE", REALM), ("POST", REALM)]:
        fail("the browser was asked for credentials for %s, expected for DELETE and POST only"
             % page.challenges)
    log("credentials were asked for storing and deleting only, never for reading")
    if page.exceptions:
        fail("JavaScript exceptions on the pages: %s" % page.exceptions)
    # Expected: the 401 of the cancelled delete in step 0, the 404 of the
    # stale delete in step 7, and /favicon.ico asked for by the server's own
    # (icon-less) pages in step 4.
    allowed = (refused_path, "/uploads/" + urllib.parse.quote(renamed_name), "/favicon.ico")
    unexpected = [e for e in page.console_errors if not e.endswith(allowed)]
    if unexpected:
        fail("errors in the browser console: %s" % unexpected)
    log("no JavaScript exceptions, no unexpected console errors")
    page.close_browser()


if __name__ == "__main__":
    devtools.run(main)
