// GNOME Online Accounts: ~/.config/goa-1.0/accounts.conf, one GKeyFile group per account
// (detection-signals.md §9.4). The Microsoft 365 provider ("ms_graph") is the cloud by definition;
// the Exchange provider is Exchange Online only when its host is one of Microsoft's.

#include <fmt/format.h>

#include "agent/probes/linux_keyfile.h"
#include "agent/probes/linux_user_files.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kSource = "linux.goa";
constexpr std::string_view kAccountsFile = ".config/goa-1.0/accounts.conf";
constexpr std::size_t kMaxAccountsBytes = 4 * 1024 * 1024;

// GOA enables every service of a new account; the keys record the user's later choices.
bool Enabled(const KeyFileGroup& account, std::string_view key) {
  const std::string* value = account.Find(key);
  return value == nullptr || *value == "true";
}

// The tenant in an authorisation endpoint, "https://login.microsoftonline.com/<tenant>/oauth2/
// v2.0/authorize": a GUID or domain, nothing for the multi-tenant "common" and "organizations",
// the consumer tenant for "consumers".
std::string TenantOfAuthorizationUri(std::string_view uri) {
  const auto scheme = uri.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view path = uri.substr(scheme + 3);
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return {};
  path = path.substr(slash + 1);
  const std::string tenant = AsciiLowercase(path.substr(0, path.find('/')));
  if (tenant == "common" || tenant == "organizations" || tenant.empty()) return {};
  if (tenant == "consumers") return std::string(kConsumerTenantId);
  return tenant;
}

void AddAccountEvidence(const UserFiles& user, ServiceCategory service, EvidenceKind kind,
                        const std::string& tenant) {
  Evidence evidence;
  evidence.product = kProductGnomeOnlineAccounts;
  evidence.service = service;
  evidence.kind = kind;
  evidence.tenant = tenant;
  evidence.source = kSource;
  user.AddEvidence(std::move(evidence));
}

void ReadAccount(const UserFiles& user, const KeyFileGroup& account) {
  const std::string* provider = account.Find("Provider");
  if (provider == nullptr) return;
  const std::string* identity = account.Find("Identity");
  const std::string* presentation = account.Find("PresentationIdentity");
  std::string address_tenant = TenantOfAddress(presentation ? *presentation : "");
  if (address_tenant.empty()) address_tenant = TenantOfAddress(identity ? *identity : "");

  if (*provider == "ms_graph") {
    const std::string* uri = account.Find("OAuth2AuthorizationUri");
    std::string tenant = uri ? TenantOfAuthorizationUri(*uri) : std::string();
    if (tenant.empty()) tenant = address_tenant;
    AddAccountEvidence(user, ServiceCategory::kCloudIdentity, EvidenceKind::kSignedIn, tenant);
    if (Enabled(account, "MailEnabled") || Enabled(account, "CalendarEnabled") ||
        Enabled(account, "ContactsEnabled")) {
      AddAccountEvidence(user, ServiceCategory::kMail, EvidenceKind::kConfigured, tenant);
    }
    if (Enabled(account, "FilesEnabled")) {
      AddAccountEvidence(user, ServiceCategory::kPersonalDrive, EvidenceKind::kConfigured, tenant);
    }
  } else if (*provider == "exchange") {
    const std::string* host = account.Find("Host");
    if (host == nullptr || !IsExchangeOnlineHost(*host)) return;
    if (Enabled(account, "MailEnabled") || Enabled(account, "CalendarEnabled") ||
        Enabled(account, "ContactsEnabled")) {
      AddAccountEvidence(user, ServiceCategory::kMail, EvidenceKind::kConfigured, address_tenant);
    }
  } else if (*provider == "windows_live") {
    // Microsoft personal accounts (provider removed from GOA 3.55, still on older systems).
    AddAccountEvidence(user, ServiceCategory::kCloudIdentity, EvidenceKind::kSignedIn,
                       std::string(kConsumerTenantId));
    if (Enabled(account, "MailEnabled")) {
      AddAccountEvidence(user, ServiceCategory::kMail, EvidenceKind::kConfigured,
                         std::string(kConsumerTenantId));
    }
  }
}

}  // namespace

void ReadGnomeOnlineAccounts(const UserFiles& user) {
  const auto text = user.ReadFile(kSource, kAccountsFile, kMaxAccountsBytes);
  if (!text) return;
  const KeyFile accounts = ParseKeyFile(*text, KeyFileDialect::kGKeyFile);
  if (accounts.malformed_lines > 0) {
    user.AddError(kSource, kAccountsFile,
                  fmt::format("damaged: {} line(s) are not key file syntax (first at line {}); "
                              "the accounts around them were still read",
                              accounts.malformed_lines, accounts.first_malformed_line));
  }
  for (const auto& group : accounts.groups) {
    if (group.name.starts_with("Account ")) ReadAccount(user, group);
  }
}

}  // namespace vigie::agent
