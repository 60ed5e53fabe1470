#include "agent/probes/m365_hosts.h"

#include <cctype>

#include "common/text.h"

namespace vigie::agent {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// `host` is `domain` or one of its subdomains (label boundary respected).
bool InDomain(std::string_view host, std::string_view domain) {
  return host == domain || (host.size() > domain.size() && EndsWith(host, domain) &&
                            host[host.size() - domain.size() - 1] == '.');
}

bool IsGuidText(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

bool IsDomainName(std::string_view text) {
  if (text.empty() || !Contains(text, ".") || text.front() == '.' || text.back() == '.') {
    return false;
  }
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return true;
}

// What follows the host: path, query and fragment, lowercased.
std::string AfterHost(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view rest = url.substr(scheme_end + 3);
  const auto path = rest.find_first_of("/?#");
  return path == std::string_view::npos ? std::string() : AsciiLowercase(rest.substr(path));
}

ServiceCategory TeamsService(std::string_view after_host) {
  if (Contains(after_host, "meetup-join") || Contains(after_host, "/meet/") ||
      Contains(after_host, "/l/meeting/")) {
    return ServiceCategory::kConferencing;
  }
  if (Contains(after_host, "/l/chat/") || Contains(after_host, "ctx=chat") ||
      Contains(after_host, "@unq.gbl.spaces") || Contains(after_host, "/_#/chat") ||
      Contains(after_host, "#/chat")) {
    return ServiceCategory::kInstantMessaging;
  }
  return ServiceCategory::kCollaboration;
}

// The tenant named by the first path segment of a sign-in URL,
// "login.microsoftonline.com/<tenant>/..."
std::string SignInTenant(std::string_view after_host) {
  if (!StartsWith(after_host, "/")) return {};
  const std::string_view path = after_host.substr(1);
  const std::string_view segment = path.substr(0, path.find_first_of("/?#"));
  if (segment == "consumers") return std::string(kConsumerTenant);
  if (IsGuidText(segment) || IsDomainName(segment)) return std::string(segment);
  return {};
}

}  // namespace

bool IsTenantId(std::string_view text) { return IsGuidText(text); }

std::optional<std::string> HttpHost(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string scheme = AsciiLowercase(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#\\"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (StartsWith(authority, "[")) return std::nullopt;  // An IPv6 literal names no service.
  authority = authority.substr(0, authority.find(':'));
  while (!authority.empty() && authority.back() == '.') authority.remove_suffix(1);
  if (authority.empty()) return std::nullopt;
  return AsciiLowercase(authority);
}

std::optional<std::string> SharePointTenant(std::string_view host) {
  constexpr std::string_view kSuffix = ".sharepoint.com";
  if (!EndsWith(host, kSuffix)) return std::nullopt;
  std::string_view name = host.substr(0, host.size() - kSuffix.size());
  if (name.empty() || Contains(name, ".")) return std::nullopt;
  for (const std::string_view role : {"-myfiles", "-my", "-admin", "-files"}) {
    if (EndsWith(name, role) && name.size() > role.size()) {
      name.remove_suffix(role.size());
      break;
    }
  }
  return std::string(name) + std::string(kSuffix);
}

bool IsOneDriveBusinessHost(std::string_view host) {
  return SharePointTenant(host) &&
         (EndsWith(host, "-my.sharepoint.com") || EndsWith(host, "-myfiles.sharepoint.com"));
}

std::optional<WebServiceUse> ClassifyUrl(std::string_view url) {
  const auto host = HttpHost(url);
  if (!host) return std::nullopt;
  if (*host == "outlook.office.com" || *host == "outlook.office365.com") {
    return WebServiceUse{"Outlook on the web", ServiceCategory::kMail, ""};
  }
  if (*host == "outlook.live.com") {
    return WebServiceUse{"Outlook on the web", ServiceCategory::kMail,
                         std::string(kConsumerTenant)};
  }
  if (auto tenant = SharePointTenant(*host)) {
    if (IsOneDriveBusinessHost(*host)) {
      return WebServiceUse{"OneDrive for Business", ServiceCategory::kPersonalDrive, *tenant};
    }
    return WebServiceUse{"SharePoint Online", ServiceCategory::kDocuments, *tenant};
  }
  if (InDomain(*host, "officeapps.live.com")) {
    return WebServiceUse{"Office for the web", ServiceCategory::kDocuments, ""};
  }
  if (*host == "teams.microsoft.com" || *host == "teams.cloud.microsoft") {
    return WebServiceUse{"Microsoft Teams", TeamsService(AfterHost(url)), ""};
  }
  if (*host == "teams.live.com") {
    return WebServiceUse{"Microsoft Teams", TeamsService(AfterHost(url)),
                         std::string(kConsumerTenant)};
  }
  if (*host == "login.microsoftonline.com") {
    return WebServiceUse{"Microsoft Entra ID", ServiceCategory::kCloudIdentity,
                         SignInTenant(AfterHost(url))};
  }
  return std::nullopt;
}

}  // namespace vigie::agent
