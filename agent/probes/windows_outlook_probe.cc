#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "agent/probes/m365_hosts.h"
#include "agent/probes/windows_probes.h"
#include "agent/probes/windows_users.h"
#include "common/catalogue.h"
#include "common/text.h"

namespace vigie::agent {
namespace {

constexpr std::string_view kVersions[] = {"15.0", "16.0"};
// The account manager's section of a MAPI profile: one subkey per account (§5.1).
constexpr std::string_view kAccountManager = "9375CFF0413111d3B88A00104B2A6676";
// The clsid of an Exchange (MSEMS) account in the account manager.
constexpr std::string_view kExchangeAccount = "{ed475414-b0d6-11d2-8c3b-00104b2a6676}";
// Unicode-string MAPI properties of a profile's Exchange service section that name the server
// (§5.1: "e.g. 001f662a / 001f6641"; which tag holds what is unverified, so every one is looked
// at for a host name).
constexpr std::string_view kServerProperties[] = {"001f662a", "001f6641", "001f6608", "001f6614"};
constexpr std::string_view kAutodiscoverCache = "AppData\\Local\\Microsoft\\Outlook\\16";
constexpr std::string_view kNewOutlookData = "AppData\\Local\\Microsoft\\Olk";
constexpr std::size_t kMaxAutodiscoverBytes = 1024 * 1024;

// A text value stored as REG_SZ, or as REG_BINARY holding UTF-16LE, as Outlook writes most of its
// profile's strings. nullopt when absent.
Result<std::optional<std::string>> ProfileText(Result<registry::Value> value) {
  if (!value.ok()) {
    if (value.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return value.status();
  }
  registry::Value text = std::move(value).value();
  if (text.type == registry::ValueType::kBinary) text.type = registry::ValueType::kSz;
  auto decoded = text.AsString();
  if (!decoded.ok()) return decoded.status().Annotate("value " + text.name);
  return std::optional<std::string>(std::move(decoded).value());
}

// The host a server value names: a bare host ("outlook.office365.com"), or the host of a URL.
std::string HostIn(std::string_view text) {
  text = TrimWhitespace(text);
  if (auto host = HttpHost(text)) return *host;
  if (text.find_first_of("/\\@ ") != std::string_view::npos) return {};
  return AsciiLowercase(text);
}

// Where an account's mail is, as far as its profile says.
enum class Server { kNotNamed, kExchangeOnline, kElsewhere };

Server Classify(const std::vector<std::string>& servers) {
  Server found = Server::kNotNamed;
  for (const auto& server : servers) {
    const std::string host = HostIn(server);
    if (host.empty()) continue;
    if (IsExchangeOnlineHost(host)) return Server::kExchangeOnline;
    found = Server::kElsewhere;
  }
  return found;
}

// The text of each <tag>...</tag> element of an XML document, without parsing it further: an
// AutoDiscover response is machine-written, and only a few element texts are looked at.
std::vector<std::string> ElementTexts(std::string_view xml, std::string_view tag) {
  std::vector<std::string> texts;
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  for (auto at = xml.find(open); at != std::string_view::npos; at = xml.find(open, at)) {
    at += open.size();
    const auto end = xml.find(close, at);
    if (end == std::string_view::npos) break;
    texts.emplace_back(TrimWhitespace(xml.substr(at, end - at)));
  }
  return texts;
}

}  // namespace

Status WindowsOutlookProbe::Run(const SystemView& system, ScanFacts& facts) const {
  const auto add = [&](std::string_view product, EvidenceKind kind, std::string tenant,
                       const std::string& pseudonym) {
    Evidence evidence;
    evidence.product = product;
    evidence.service = ServiceCategory::kMail;
    evidence.kind = kind;
    evidence.tenant = std::move(tenant);
    evidence.source = name();
    evidence.user_pseudonym = pseudonym;
    facts.evidence.push_back(std::move(evidence));
  };
  return ForEachUserHive(
      system, pseudonyms_, name(), facts, [&](const WindowsUser& user, const UserHive& hive) {
        std::set<std::string> tenants;  // Of accounts on Exchange Online.
        int undecided = 0;              // Exchange accounts whose server is not named.
        const auto subkeys = [&](const std::string& key) -> Result<std::vector<std::string>> {
          auto names = hive.ListSubkeys(key);
          if (!names.ok() && names.status().code() == StatusCode::kNotFound) {
            return std::vector<std::string>();
          }
          return names;
        };

        // The AutoDiscover answers Outlook cached, one file per mailbox: the mailbox address and
        // the servers Exchange named for it.
        std::set<std::string> autodiscovered_online;
        bool autodiscovered_elsewhere = false;
        const std::string cache = user.profile_path + "\\" + std::string(kAutodiscoverCache);
        auto cached = system.ListDirectory(cache);
        if (!cached.ok() && cached.status().code() != StatusCode::kNotFound) {
          return cached.status();
        }
        for (const auto& entry : cached.ok() ? *cached : std::vector<DirectoryEntry>()) {
          if (entry.is_directory || !AsciiLowercase(entry.name).ends_with("autodiscover.xml")) {
            continue;
          }
          auto xml = system.ReadFile(cache + "\\" + entry.name, kMaxAutodiscoverBytes);
          if (!xml.ok()) return xml.status();
          std::vector<std::string> servers = ElementTexts(*xml, "Server");
          for (auto& url : ElementTexts(*xml, "EwsUrl")) servers.push_back(std::move(url));
          const Server server = Classify(servers);
          if (server == Server::kExchangeOnline) {
            for (const auto& address : ElementTexts(*xml, "AutoDiscoverSMTPAddress")) {
              autodiscovered_online.insert(TenantOfAddress(address));
            }
            if (ElementTexts(*xml, "AutoDiscoverSMTPAddress").empty()) {
              autodiscovered_online.insert("");
            }
          } else if (server == Server::kElsewhere) {
            autodiscovered_elsewhere = true;
          }
        }

        for (const std::string_view version : kVersions) {
          const std::string profiles =
              "Software\\Microsoft\\Office\\" + std::string(version) + "\\Outlook\\Profiles";
          auto names = subkeys(profiles);
          if (!names.ok()) return names.status();
          for (const auto& profile : *names) {
            const std::string manager =
                profiles + "\\" + profile + "\\" + std::string(kAccountManager);
            auto accounts = subkeys(manager);
            if (!accounts.ok()) return accounts.status();
            for (const auto& account : *accounts) {
              const std::string key = manager + "\\" + account;
              const auto text = [&](std::string_view value) {
                return ProfileText(hive.ReadValue(key, value));
              };
              std::optional<std::string> address;
              for (const std::string_view value : {"SMTP Email Address", "Email", "Account Name"}) {
                auto found = text(value);
                if (!found.ok()) return found.status().Annotate(key);
                if (*found && !TenantOfAddress(**found).empty()) {
                  address = *found;
                  break;
                }
              }
              const std::string tenant = address ? TenantOfAddress(*address) : std::string();
              std::vector<std::string> servers;
              for (const std::string_view value : {"IMAP Server", "POP3 Server", "SMTP Server"}) {
                auto found = text(value);
                if (!found.ok()) return found.status().Annotate(key);
                if (*found) servers.push_back(**found);
              }
              auto clsid = text("clsid");
              if (!clsid.ok()) return clsid.status().Annotate(key);
              const bool exchange =
                  AsciiLowercase(TrimWhitespace(clsid->value_or(""))) == kExchangeAccount;
              if (!exchange) {
                if (Classify(servers) == Server::kExchangeOnline) tenants.insert(tenant);
                continue;
              }
              // The Exchange service's own section is named by the account's Service UID.
              auto service = hive.ReadValue(key, "Service UID");
              if (service.ok() && service->data.size() == 16) {
                std::string section;
                for (const std::uint8_t byte : service->data) {
                  section += fmt::format("{:02x}", byte);
                }
                for (const std::string_view property : kServerProperties) {
                  auto found = ProfileText(
                      hive.ReadValue(profiles + "\\" + profile + "\\" + section, property));
                  if (!found.ok()) return found.status().Annotate(section);
                  if (*found) servers.push_back(**found);
                }
              } else if (!service.ok() && service.status().code() != StatusCode::kNotFound) {
                return service.status();
              }
              switch (Classify(servers)) {
                case Server::kExchangeOnline:
                  tenants.insert(tenant);
                  break;
                case Server::kElsewhere:
                  break;
                case Server::kNotNamed:
                  if (autodiscovered_online.count(tenant) > 0) {
                    tenants.insert(tenant);
                  } else if (!autodiscovered_elsewhere) {
                    ++undecided;
                  }
                  break;
              }
            }
          }
        }
        for (const auto& tenant : tenants) {
          add(kClassicOutlook, EvidenceKind::kConfigured, tenant, user.pseudonym);
        }

        auto olk = system.ListDirectory(user.profile_path + "\\" + std::string(kNewOutlookData));
        if (olk.ok()) {
          add(kNewOutlook, EvidenceKind::kInstalled, "", user.pseudonym);
        } else if (olk.status().code() != StatusCode::kNotFound) {
          return olk.status();
        }
        if (undecided > 0) {
          return FailedPrecondition(fmt::format(
              "{} Exchange account(s) of classic Outlook whose server neither the profile nor "
              "an AutoDiscover answer names: Exchange Online or on premises is unknown",
              undecided));
        }
        return Status::Ok();
      });
}

}  // namespace vigie::agent
