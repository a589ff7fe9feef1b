#include "http/Negotiation.hpp"

#include <cstdlib>
#include <vector>

#include "util/Strings.hpp"

double acceptQuality(const std::string& accept, const std::string& type)
{
    std::string family = type.substr(0, type.find('/')) + "/*";
    double best = 0;
    int bestSpecificity = -1;
    std::vector<std::string> ranges = splitAny(accept, ",");
    for (size_t i = 0; i < ranges.size(); ++i) {
        std::vector<std::string> params = splitAny(ranges[i], ";");
        std::string range = toLower(trimOws(params.empty() ? "" : params[0]));
        int specificity = range == type ? 2 : range == family ? 1 : range == "*/*" ? 0 : -1;
        if (specificity < bestSpecificity || specificity < 0)
            continue;
        double q = 1;
        for (size_t p = 1; p < params.size(); ++p) {
            std::string param = trimOws(params[p]);
            if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
                q = std::strtod(param.c_str() + 2, 0);
        }
        best = q;
        bestSpecificity = specificity;
    }
    return best;
}

bool prefersJson(const std::string& accept)
{
    return acceptQuality(accept, "application/json") > acceptQuality(accept, "text/html");
}

bool prefersJson(const HeaderMap& headers)
{
    const std::string* accept = headers.find("Accept");
    return accept && prefersJson(*accept);
}
