<?php
// A front controller: every request the web server does not find as a file
// comes here (try_files $uri $uri/ /index.php$is_args$args;). It routes on
// the path of REQUEST_URI, as frameworks do, and shows what the server sent.
$uri = isset($_SERVER['REQUEST_URI']) ? $_SERVER['REQUEST_URI'] : '/';
$path = parse_url($uri, PHP_URL_PATH);
if (!is_string($path) || $path === '')
    $path = '/';

$routes = array(
    '#^/$#' => function () { return 'home'; },
    '#^/users/(\d+)$#' => function ($m) { return 'user ' . $m[1]; },
    '#^/users/?$#' => function () { return 'user list'; },
);
$status = 404;
$page = 'no route for ' . $path;
foreach ($routes as $pattern => $handler) {
    if (preg_match($pattern, $path, $m)) {
        $status = 200;
        $page = $handler($m);
        break;
    }
}
if ($status === 404 && preg_match('#^/[a-z]+(/[a-z]+)*$#', $path))
    list($status, $page) = array(200, 'page ' . $path);

http_response_code($status);
header('Content-Type: text/plain; charset=utf-8');
echo "route: $page\n";
foreach (array('REQUEST_METHOD', 'REQUEST_URI', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'SCRIPT_FILENAME') as $name)
    echo $name, ': ', isset($_SERVER[$name]) ? $_SERVER[$name] : '', "\n";
echo 'x: ', isset($_GET['x']) ? $_GET['x'] : '', "\n";
