<?php
/*
 * hello.php: a PHP page run through php-cgi.
 *
 * conf/default.conf has `cgi .php /usr/bin/php-cgi;`, so webserv runs
 * "/usr/bin/php-cgi hello.php" with the CGI environment. php-cgi writes the
 * CGI header block itself (Content-Type, and whatever header() calls
 * add), and fills $_GET, $_POST and $_SERVER from the environment and the
 * request body. It needs REDIRECT_STATUS to be set (webserv sets it to 200):
 * without it php-cgi refuses to run a script given by the web server
 * (the cgi.force_redirect security setting).
 *
 * Try:  curl -i 'http://localhost:8080/cgi-bin/hello.php?name=Ada&lang=php'
 */

// Headers must come before any output; php-cgi sends them with the first byte.
header('Content-Type: text/html; charset=utf-8');
header('X-Example: hello.php');   // any other header passes through to the client

// Never print request data unescaped: htmlspecialchars turns < > & " ' into entities.
function h($text)
{
    return htmlspecialchars((string) $text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

$name = isset($_GET['name']) && !is_array($_GET['name']) && $_GET['name'] !== ''
    ? $_GET['name'] : 'world';
$self = isset($_SERVER['SCRIPT_NAME']) ? $_SERVER['SCRIPT_NAME'] : '/cgi-bin/hello.php';
?>
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Hello from PHP &middot; webserv</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/style.css">
    <style>
        th[scope="row"] { width: 17rem; }
        form input { font: inherit; padding: 0.35rem 0.6rem; border: 1px solid var(--border);
                     border-radius: 6px; margin: 0 0.4rem; }
        button.button { font: inherit; font-weight: 600; cursor: pointer; padding: 0.35rem 1rem; }
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
    <h1>Hello, <?= h($name) ?>!</h1>
    <p class="lead">This page comes from <code><?= h($self) ?></code>, run by
        PHP <strong><?= h(PHP_VERSION) ?></strong> (<code><?= h(PHP_SAPI) ?></code>)
        at <?= h(date('H:i:s')) ?>.</p>

    <table>
        <tbody>
            <tr><th scope="row"><code>$_SERVER['REQUEST_METHOD']</code></th>
                <td><code><?= h($_SERVER['REQUEST_METHOD']) ?></code></td></tr>
            <tr><th scope="row"><code>$_SERVER['QUERY_STRING']</code></th>
                <td><code><?= h(isset($_SERVER['QUERY_STRING']) ? $_SERVER['QUERY_STRING'] : '') ?></code></td></tr>
            <tr><th scope="row"><code>$_SERVER['SERVER_SOFTWARE']</code></th>
                <td><code><?= h(isset($_SERVER['SERVER_SOFTWARE']) ? $_SERVER['SERVER_SOFTWARE'] : '') ?></code></td></tr>
        </tbody>
    </table>

    <h2>$_GET</h2>
<?php if (count($_GET) === 0): ?>
    <p>Empty: there is no query string. Try
        <a href="<?= h($self) ?>?name=Ada&amp;lang=php">?name=Ada&amp;lang=php</a>.</p>
<?php else: ?>
    <pre><code><?= h(print_r($_GET, true)) ?></code></pre>
<?php endif; ?>

    <form method="get" action="<?= h($self) ?>">
        <p><label for="name">Greet someone else:</label>
            <input id="name" name="name" type="text" value="<?= h($name === 'world' ? '' : $name) ?>">
            <button class="button" type="submit">Say hello</button></p>
    </form>
</main>
</body>
</html>
