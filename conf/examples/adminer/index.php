<?php
// Adminer (Debian's adminer package) for SQLite databases. Adminer refuses a
// login without a password, and SQLite has none: the login-password-less
// plugin accepts the password that ADMINER_PASSWORD names (set it with
// cgi_param in the server's configuration) and opens the database file
// given as "Database" on the login form without one.
define('ADMINER_DIR', '/usr/share/adminer');

function adminer_object()
{
    include_once ADMINER_DIR . '/plugins/plugin.php';
    include_once ADMINER_DIR . '/plugins/login-password-less.php';
    include_once ADMINER_DIR . '/plugins/version-noverify.php';
    $password = getenv('ADMINER_PASSWORD');
    if ($password === false || $password === '')
        $password = bin2hex(random_bytes(16));  // nobody can log in
    return new AdminerPlugin(array(
        new AdminerLoginPasswordLess(password_hash($password, PASSWORD_DEFAULT)),
        new AdminerVersionNoverify(),
    ));
}

include ADMINER_DIR . '/adminer.php';
