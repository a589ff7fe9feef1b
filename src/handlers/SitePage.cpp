#include "handlers/SitePage.hpp"

namespace {

// www/assets/style.css reduced to what these pages use. Narrow screens
// show a listing as one block per entry, the date and size under the name.
const char* const kSiteStyle =
    "<style>\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:#f7f8fa;color:#1d2330;line-height:1.6;"
    "font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Liberation Sans\","
    "Arial,sans-serif}\n"
    "main{max-width:48rem;margin:0 auto;padding:2rem 1.25rem 3rem}\n"
    "h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem;overflow-wrap:anywhere}\n"
    "table{width:100%;border-collapse:separate;border-spacing:0;background:#fff;"
    "border:1px solid #dde2ea;border-radius:10px;font-size:.95rem}\n"
    "th,td{text-align:left;padding:.55rem .8rem;border-bottom:1px solid #dde2ea}\n"
    "th{background:#f1f3f7;font-weight:600}\n"
    "th:first-child{border-top-left-radius:10px}th:last-child{border-top-right-radius:10px}\n"
    "tr:last-child td{border-bottom:none}\n"
    "td.name{width:100%;overflow-wrap:anywhere}\n"
    "td.date,td.size{color:#566074;white-space:nowrap}\n"
    ".size{text-align:right}\n"
    "ul.files{list-style:none;margin:0 0 1.5rem;padding:0;background:#fff;"
    "border:1px solid #dde2ea;border-radius:10px}\n"
    "ul.files li{padding:.55rem .8rem;border-bottom:1px solid #dde2ea;overflow-wrap:anywhere}\n"
    "ul.files li:last-child{border-bottom:none}\n"
    "nav{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}\n"
    "a{color:#1f5fbf;font-weight:600;text-underline-offset:.15em}a:hover{color:#174a96}\n"
    "@media (max-width:34rem){main{padding-top:1.5rem}thead{display:none}"
    "table,tbody,tr,td{display:block}"
    "tr{display:flex;flex-wrap:wrap;gap:0 .75rem;padding:.5rem .8rem;"
    "border-bottom:1px solid #dde2ea}"
    "tr:last-child{border-bottom:none}td{padding:0;border:none}"
    "td.name{flex-basis:100%}td.date,td.size{font-size:.875rem}}\n"
    "</style>\n";

}

std::string sitePage(const std::string& title, const std::string& body)
{
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>" + title + "</title>\n" + kSiteStyle + "</head>\n"
        "<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
}
