#!/usr/bin/perl
# hello.pl: a Perl CGI script that writes everything itself.
#
# conf/default.conf has `cgi .pl /usr/bin/perl;`, so webserv runs
# "/usr/bin/perl hello.pl". Unlike php-cgi, perl knows nothing about CGI:
# the script prints the header block (here just Content-Type), an empty
# line, then the page. The query string is decoded by hand below, with core
# Perl only (CGI.pm left the core distribution in Perl 5.22).
#
# Try:  curl -i 'http://localhost:8080/cgi-bin/hello.pl?name=Larry&lang=perl'

use strict;
use warnings;

# "a=1&b=x+y%21" -> ("a", "1", "b", "x y!"): split on & and =, then undo the
# URL encoding (+ is a space, %XX is a byte).
sub parse_query {
    my ($query) = @_;
    my @pairs;
    for my $field (split /[&;]/, $query) {
        next if $field eq '';
        my ($name, $value) = split /=/, $field, 2;
        for ($name, $value) {
            $_ = '' unless defined $_;
            tr/+/ /;
            s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge;
        }
        push @pairs, [$name, $value];
    }
    return @pairs;
}

# Request data goes into HTML escaped: & < > " ' become entities.
sub escape_html {
    my ($text) = @_;
    $text =~ s/&/&amp;/g;
    $text =~ s/</&lt;/g;
    $text =~ s/>/&gt;/g;
    $text =~ s/"/&quot;/g;
    $text =~ s/'/&#39;/g;
    return $text;
}

my $query  = defined $ENV{QUERY_STRING} ? $ENV{QUERY_STRING} : '';
my $method = escape_html(defined $ENV{REQUEST_METHOD} ? $ENV{REQUEST_METHOD} : 'GET');
my $self   = escape_html($ENV{SCRIPT_NAME} || '/cgi-bin/hello.pl');
my @pairs  = parse_query($query);

my $name = 'world';
for my $pair (@pairs) {
    $name = $pair->[1] if $pair->[0] eq 'name' && $pair->[1] ne '';
}

my $rows = '';
for my $pair (@pairs) {
    $rows .= sprintf "            <tr><td><code>%s</code></td><td><code>%s</code></td></tr>\n",
        escape_html($pair->[0]), escape_html($pair->[1]);
}
$rows ||= "            <tr><td colspan=\"2\">No query string. Try "
        . "<a href=\"$self?name=Larry&amp;lang=perl\">?name=Larry&amp;lang=perl</a>.</td></tr>\n";

# The decoded values are bytes; the page says UTF-8, so UTF-8 input shows
# correctly without decoding it.
my $version = sprintf '%vd', $^V;
my $time    = scalar localtime;
$name  = escape_html($name);
$query = escape_html($query);

# The CGI header block, then an empty line, then the body.
print "Content-Type: text/html; charset=utf-8\r\n";
print "\r\n";
print <<"HTML";
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Hello from Perl &middot; webserv</title>
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
    <h1>Hello, $name!</h1>
    <p class="lead">This page comes from <code>$self</code>, run by Perl
        <strong>$version</strong> on $time.</p>
    <p>Request method: <code>$method</code>; query string: <code>$query</code></p>
    <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
        <tbody>
$rows        </tbody>
    </table>
</main>
</body>
</html>
HTML
