#ifndef WEBSERV_CORE_SIGNALCOMMAND_HPP
#define WEBSERV_CORE_SIGNALCOMMAND_HPP

// `webserv -s NAME [CONFIG]`, as `nginx -s`: the running server is found by
// the `pid` file its configuration names, and gets the signal for NAME.

#include <string>

// SIGTERM for "stop", SIGQUIT for "quit", SIGHUP for "reload", SIGUSR1 for
// "reopen"; 0 for any other name.
int signalForCommand(const std::string& name);

// The pid a pid file's text holds: decimal digits, then line ends at most,
// as nginx reads it (0 is refused: kill(0) would signal our own group).
bool parsePidText(const std::string& text, long* pid);

// Reads pidFile and sends signo to the process it names. False on a
// failure, with *message in nginx's words and *level its level ("error"
// for the pid file, "alert" for kill()).
bool signalRunningServer(const std::string& pidFile, int signo, std::string* message,
    std::string* level);

#endif
