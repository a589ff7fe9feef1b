#ifndef WEBSERV_ROUTER_REQUESTVARIABLES_HPP
#define WEBSERV_ROUTER_REQUESTVARIABLES_HPP

// The values of the configuration's variables ($uri, $args, $http_NAME,
// ...) for one request, from its context as routing has left it: after
// an internal redirect, $uri is the new path.

#include "config/Variables.hpp"
#include "router/RequestContext.hpp"

class RequestVariables : public VariableValues {
public:
    explicit RequestVariables(const RequestContext& ctx) : ctx_(ctx) {}
    void append(Variable variable, const std::string& field, std::string& out) const;

private:
    const RequestContext& ctx_;
};

#endif
