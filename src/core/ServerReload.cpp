// The server's answers to SIGHUP and SIGUSR1: a new configuration without
// dropping a connection, and log files reopened (for logrotate).

#include "core/Server.hpp"

#include <algorithm>

#include "config/ConfigError.hpp"
#include "config/Loader.hpp"
#include "util/Log.hpp"

namespace {

// The upstreams config names: the responders of its `fastcgi` lines and
// the servers of its `proxy_pass` lines (the pools' keys).
void upstreamAddresses(const Config& config, std::set<std::string>* fastcgi,
    std::set<std::string>* proxy)
{
    for (size_t s = 0; s < config.servers.size(); ++s)
        for (size_t l = 0; l < config.servers[s].locations.size(); ++l) {
            const LocationConfig& location = config.servers[s].locations[l];
            for (size_t r = 0; r < location.cgi.size(); ++r)
                if (location.cgi[r].fastcgi)
                    fastcgi->insert(location.cgi[r].responder.text);
            if (location.proxyPass.enabled)
                proxy->insert(location.proxyPass.upstream.text);
        }
}

bool contains(const std::vector<ListenAddress>& list, const ListenAddress& address)
{
    return std::find(list.begin(), list.end(), address) != list.end();
}

}

// Opens every address, all or nothing: on a failure the ones opened here
// are closed again and *error says why. An IPv6 address this machine cannot
// have is skipped with a warning instead (the shipped `listen [::1]:8080`
// must not stop the demo on a host without IPv6); whether anything is left
// to listen on is the caller's question.
bool Server::openListeners(const std::vector<ListenAddress>& addresses,
    std::vector<Listener*>* opened, std::string* error)
{
    std::vector<Listener*> fresh;
    for (size_t i = 0; i < addresses.size(); ++i) {
        Listener* listener = new Listener;
        ListenerOpening result = openListener(addresses[i], listener, error);
        if (result == LISTENER_OPENED) {
            fresh.push_back(listener);
            continue;
        }
        delete listener;
        if (result == LISTENER_NO_IPV6) {
            logMessage(LOG_WARN, *error + ": no IPv6 on this machine for "
                + addresses[i].toString() + ", skipped");
            error->clear();
            continue;
        }
        for (size_t j = 0; j < fresh.size(); ++j)
            delete fresh[j];
        return false;
    }
    opened->insert(opened->end(), fresh.begin(), fresh.end());
    return true;
}

// Keeps the sockets of addresses still wanted (clients in their accept
// queues are not lost), closes the others. New ones are already open.
void Server::replaceListeners(const std::vector<ListenAddress>& wanted)
{
    std::vector<Listener*> kept;
    for (size_t i = 0; i < listeners_.size(); ++i) {
        if (contains(wanted, listeners_[i]->address)) {
            kept.push_back(listeners_[i]);
        } else {
            logMessage(LOG_NOTICE, "no longer listening on http://"
                + listeners_[i]->address.toString() + "/");
            delete listeners_[i];
        }
    }
    listeners_.swap(kept);
}

// SIGHUP: a valid new configuration takes over for new requests; requests
// in flight finish on the one they started with. An invalid one (or one
// whose new addresses cannot be bound) changes nothing.
void Server::reload()
{
    Config fresh;
    ConfigWarnings warnings;
    try {
        fresh = loadConfig(configPath_, &warnings);
    } catch (const ConfigError& error) {
        logMessage(LOG_ERROR, std::string("reload failed, the running configuration stays: ")
            + error.what());
        return;
    }
    for (size_t i = 0; i < warnings.size(); ++i)
        logMessage(LOG_WARN, warnings[i]);
    std::vector<ListenAddress> wanted = addressesToBind(fresh);
    std::vector<ListenAddress> missing;
    for (size_t i = 0; i < wanted.size(); ++i) {
        bool bound = false;
        for (size_t j = 0; j < listeners_.size(); ++j)
            bound = bound || listeners_[j]->address == wanted[i];
        if (!bound)
            missing.push_back(wanted[i]);
    }
    std::vector<Listener*> added;
    std::string error;
    if (!openListeners(missing, &added, &error)) {
        logMessage(LOG_ERROR, "reload failed, the running configuration stays: " + error);
        return;
    }
    if (added.empty() && missing.size() == wanted.size()) {
        logMessage(LOG_ERROR, "reload failed, the running configuration stays: "
            + std::string(kNothingToListenOn));
        return;
    }
    for (size_t i = 0; i < added.size(); ++i)
        logMessage(LOG_NOTICE, "listening on http://" + added[i]->address.toString() + "/");
    listeners_.insert(listeners_.end(), added.begin(), added.end());
    replaceListeners(wanted);
    retired_.push_back(current_);
    current_ = new ConfigGeneration(fresh);
    services_.context.current = current_;
    services_.sessions.setMaxSessions(static_cast<size_t>(fresh.sessionMax));
    std::set<std::string> fastcgi;
    std::set<std::string> proxy;
    upstreamAddresses(fresh, &fastcgi, &proxy);
    services_.fastcgi.keepOnly(fastcgi);
    services_.proxy.keepOnly(proxy);
    reopenLogs();
    rebuildPollSet();
    logMessage(LOG_NOTICE, "configuration reloaded from " + configPath_);
}

// SIGUSR1 (and every reload): files are opened again by name, so a log
// moved away by logrotate is replaced by a fresh one.
void Server::reopenLogs()
{
    services_.accessLog.flush();
    services_.accessLog.reopen();
    std::string error;
    const std::string& errorLog = config().errorLog;
    if (!errorLog.empty() && !openErrorLog(errorLog, &error))
        logMessage(LOG_ERROR, error);
}

void Server::releaseRetiredConfigs()
{
    for (size_t i = 0; i < retired_.size();) {
        if (retired_[i]->users == 0) {
            delete retired_[i];
            retired_.erase(retired_.begin() + static_cast<long>(i));
        } else {
            ++i;
        }
    }
}
