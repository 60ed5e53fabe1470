#include "collector/http/dashboard_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "collector/host_evaluator.h"
#include "collector/http/access.h"
#include "collector/http/fleet_reader.h"
#include "collector/http/metrics.h"
#include "collector/http/reports_api.h"
#include "collector/http/session_store.h"
#include "collector/users.h"
#include "common/dates.h"
#include "common/enums.h"
#include "common/report_json.h"

namespace vigie::collector::http {
namespace {

using nlohmann::ordered_json;

constexpr const char* kSessionCookie = "vigie_session";
constexpr std::int64_t kMaxPageSize = 200;
constexpr std::int64_t kCsvPageSize = 1000;

// Applied to every response, files included: the page may load only its own scripts, styles and
// fonts, so that an agent-supplied string that slipped into markup could still not run.
const httplib::Headers kSecurityHeaders = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cache-Control", "no-store"},
};

std::string Dump(const ordered_json& json) {
  return json.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

void SendJson(httplib::Response& res, const ordered_json& json, int status = 200) {
  res.status = status;
  res.set_content(Dump(json), "application/json; charset=utf-8");
}

// Errors are JSON with a machine code and a French message for the page to show.
void SendError(httplib::Response& res, int status, std::string_view code,
               const std::string& message) {
  SendJson(res, {{"error", {{"code", code}, {"message", message}}}}, status);
}

void SendStatus(httplib::Response& res, const Status& status) {
  spdlog::error("dashboard: {}", status.message());
  switch (status.code()) {
    case StatusCode::kUnavailable:
      SendError(res, 503, "UNAVAILABLE", "La base de données est momentanément indisponible.");
      return;
    default:
      SendError(res, 500, "INTERNAL", "Erreur interne du collecteur ; voir son journal.");
  }
}

std::string Iso(Timestamp time) { return FormatTimestamp(time); }

std::string OsName(OsFamily os) { return std::string(EnumName(os)); }

// Replaces invalid UTF-8 sequences with U+FFFD, for outputs that are not JSON (CSV).
std::string ValidUtf8(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80         ? 1
                         : (c >> 5) == 6  ? 2
                         : (c >> 4) == 14 ? 3
                         : (c >> 3) == 30 ? 4
                                          : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// A CSV cell for spreadsheets: quoted, and a leading formula character neutralised (a host name
// such as "=HYPERLINK(...)" must stay text).
std::string CsvCell(std::string_view raw) {
  std::string text = ValidUtf8(raw);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
    text.insert(0, "'");
  }
  std::string cell = "\"";
  for (char c : text) {
    if (c == '"') cell += '"';
    cell += c;
  }
  return cell + "\"";
}

ordered_json VerdictCounts(const std::array<std::int64_t, 6>& counts) {
  ordered_json verdicts = ordered_json::object();
  for (auto verdict : kAllVerdicts) {
    verdicts[std::string(EnumName(verdict))] = counts[static_cast<int>(verdict)];
  }
  return verdicts;
}

ordered_json HostRowJson(const HostRow& row, Timestamp stale_before) {
  return {{"id", row.host_key},
          {"hostname", row.hostname},
          {"ministry", row.ministry},
          {"orgUnit", row.org_unit},
          {"os", OsName(row.os_family)},
          {"osName", row.os_name},
          {"verdict", EnumName(row.verdict)},
          {"firstSeen", Iso(row.first_seen)},
          {"lastSeen", Iso(row.last_seen)},
          {"stale", row.last_seen < stale_before}};
}

std::string DerogationState(const DerogationRecord& record, Date today) {
  if (record.revoked_at) return "REVOKED";
  if (record.derogation.until < today) return "EXPIRED";
  if (record.derogation.from > today) return "FUTURE";
  return "ACTIVE";
}

template <typename Enum>
std::optional<Enum> ParseParam(const httplib::Request& req, const char* name, bool& bad) {
  if (!req.has_param(name) || req.get_param_value(name).empty()) return std::nullopt;
  auto parsed = ParseEnumName<Enum>(req.get_param_value(name));
  if (!parsed) bad = true;
  return parsed;
}

std::optional<std::int64_t> ParseInt(const std::string& text, std::int64_t min, std::int64_t max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

bool IsStateChanging(const httplib::Request& req) {
  return req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
}

// One connection's bytes held in memory: the request to read, the response written.
class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(std::string_view request) : request_(request) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t count = std::min(size, request_.size());
    std::copy_n(request_.data(), count, ptr);
    request_.remove_prefix(count);
    return static_cast<ssize_t>(count);
  }
  ssize_t write(const char* ptr, size_t size) override {
    response_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 50000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8080;
  }
  // No descriptor: cpp-httplib only compares it with FD_SETSIZE.
  socket_t socket() const override { return INVALID_SOCKET; }

  std::string& response() { return response_; }

 private:
  std::string_view request_;
  std::string response_;
};

}  // namespace

// cpp-httplib's per-connection request processing, reachable without a socket.
class InMemoryServer : public httplib::Server {
 public:
  std::string Handle(std::string_view request) {
    MemoryStream stream(request);
    bool connection_closed = false;
    process_request(stream, /*close_connection=*/true, connection_closed, nullptr);
    return std::move(stream.response());
  }
};

struct DashboardServer::Impl {
  Impl(const DashboardOptions& given_options, const JudgingRules& judging_rules,
       std::function<Timestamp()> clock, FleetReader fleet_reader, UserDirectory user_directory,
       SessionStore session_store)
      : options(given_options),
        rules(judging_rules),
        ministries(*judging_rules.ministries),
        now(std::move(clock)),
        reader(std::move(fleet_reader)),
        users(std::move(user_directory)),
        sessions(std::move(session_store)) {}

  using Handler =
      std::function<void(const Principal&, const httplib::Request&, httplib::Response&)>;

  DashboardOptions options;
  JudgingRules rules;
  const MinistryList& ministries;
  std::function<Timestamp()> now;
  FleetReader reader;
  UserDirectory users;
  SessionStore sessions;
  LoginThrottle throttle{5, std::chrono::seconds(300)};
  RequestMetrics metrics;
  std::unique_ptr<ReportsApi> reports_api;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::string host;
  int port = 0;

  bool tls() const { return !options.tls_cert.empty(); }

  // The caller, from an API token (Authorization: Bearer) or a session cookie. The account is
  // read again on every request, so a removed account or a changed role takes effect at once.
  Result<std::optional<Principal>> Authenticate(const httplib::Request& req) {
    const std::string authorization = req.get_header_value("Authorization");
    if (authorization.rfind("Bearer ", 0) == 0) {
      auto user = users.AuthenticateToken(authorization.substr(7));
      if (!user.ok()) return user.status();
      if (!*user) return std::optional<Principal>();
      return std::optional<Principal>(
          Principal{(*user)->name, (*user)->role, (*user)->ministry, ""});
    }
    const std::string session_id = CookieValue(req, kSessionCookie);
    if (session_id.empty()) return std::optional<Principal>();
    auto session = sessions.Use(session_id, now());
    if (!session.ok()) return session.status();
    if (!*session) return std::optional<Principal>();
    auto user = users.Find((*session)->user);
    if (!user.ok()) return user.status();
    if (!*user) return std::optional<Principal>();
    return std::optional<Principal>(
        Principal{(*user)->name, (*user)->role, (*user)->ministry, (*session)->csrf_token});
  }

  // Every data route goes through here: authentication, CSRF for state-changing requests made
  // with a session, timing, and no exception escaping.
  httplib::Server::Handler Guard(std::string route, Handler handler,
                                 bool all_ministries_only = false) {
    return [this, route = std::move(route), handler = std::move(handler), all_ministries_only](
               const httplib::Request& req, httplib::Response& res) {
      const auto started = std::chrono::steady_clock::now();
      auto principal = Authenticate(req);
      if (!principal.ok()) {
        SendStatus(res, principal.status());
      } else if (!*principal) {
        SendError(res, 401, "UNAUTHENTICATED", "Authentification requise.");
      } else if (IsStateChanging(req) && !(*principal)->csrf_token.empty() &&
                 !SecretsEqual(req.get_header_value("X-CSRF-Token"), (*principal)->csrf_token)) {
        SendError(res, 403, "CSRF", "Jeton anti-CSRF absent ou invalide : rechargez la page.");
      } else if (all_ministries_only && !(*principal)->SeesAllMinistries()) {
        SendError(res, 403, "FORBIDDEN", "Réservé aux comptes interministériels.");
      } else {
        handler(**principal, req, res);
      }
      metrics.Record(
          route, res.status,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    };
  }

  std::string MinistryName(const std::string& code) const {
    const Ministry* ministry = ministries.Find(code);
    return ministry ? ministry->name : code;
  }

  // The summary restricted to what the principal may see: aggregates never include others.
  Result<FleetSummary> VisibleSummary(const Principal& principal) {
    auto summary = reader.Summary(rules, now(), options.summary);
    if (!summary.ok()) return summary.status();
    std::erase_if(summary->ministries,
                  [&](const MinistrySummary& m) { return !principal.MaySee(m.code); });
    return summary;
  }

  void Login(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    Respond(req, res);
    metrics.Record(
        "/api/v1/session", res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }

  void Respond(const httplib::Request& req, httplib::Response& res) {
    // A JSON body cannot be sent cross-site without a CORS preflight, which this server never
    // grants: that is what protects the login itself from cross-site requests.
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      SendError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "La connexion attend un corps JSON.");
      return;
    }
    const auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
        !body.contains("password") || !body["password"].is_string()) {
      SendError(res, 400, "INVALID_ARGUMENT",
                "La connexion attend un identifiant (name) et un mot de passe (password).");
      return;
    }
    const std::string name = body["name"].get<std::string>();
    const std::string address_key = "address:" + req.remote_addr;
    const std::string user_key = "user:" + name;
    const auto wait = std::max(throttle.RetryAfter(address_key), throttle.RetryAfter(user_key));
    if (wait.count() > 0) {
      res.set_header("Retry-After", std::to_string(wait.count()));
      SendError(res, 429, "RATE_LIMITED",
                "Trop de tentatives de connexion : réessayez dans " +
                    std::to_string((wait.count() + 59) / 60) + " minute(s).");
      return;
    }
    auto user = users.Authenticate(name, body["password"].get<std::string>());
    if (!user.ok()) {
      SendStatus(res, user.status());
      return;
    }
    if (!*user) {
      throttle.RecordFailure(address_key);
      throttle.RecordFailure(user_key);
      spdlog::warn("dashboard: failed login for '{}' from {}", ValidUtf8(name), req.remote_addr);
      SendError(res, 401, "BAD_CREDENTIALS", "Identifiant ou mot de passe incorrect.");
      return;
    }
    throttle.Forget(user_key);
    auto session = sessions.Create((*user)->name, now());
    if (!session.ok()) {
      SendStatus(res, session.status());
      return;
    }
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session->id +
                                     "; Path=/; HttpOnly; SameSite=Strict" +
                                     (tls() ? "; Secure" : ""));
    spdlog::info("dashboard: {} logged in from {}", (*user)->name, req.remote_addr);
    SendJson(res, SessionJson(Principal{(*user)->name, (*user)->role, (*user)->ministry,
                                        session->csrf_token}));
  }

  ordered_json SessionJson(const Principal& principal) const {
    ordered_json json = {
        {"user", principal.user},
        {"role", RoleName(principal.role)},
        {"ministry", principal.ministry},
        {"ministryName",
         principal.ministry.empty() ? std::string() : MinistryName(principal.ministry)},
        {"csrfToken", principal.csrf_token}};
    return json;
  }

  void Logout(const Principal&, const httplib::Request& req, httplib::Response& res) {
    if (Status removed = sessions.Remove(CookieValue(req, kSessionCookie)); !removed.ok()) {
      return SendStatus(res, removed);
    }
    res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                     "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
                                     (tls() ? "; Secure" : ""));
    SendJson(res, {{"loggedOut", true}});
  }

  void Vocabulary(const Principal&, const httplib::Request&, httplib::Response& res) {
    ordered_json json;
    json["verdicts"] = ordered_json::array();
    for (auto verdict : kAllVerdicts) {
      json["verdicts"].push_back({{"name", EnumName(verdict)}, {"label", FrenchLabel(verdict)}});
    }
    json["services"] = ordered_json::array();
    for (auto service : kAllServiceCategories) {
      json["services"].push_back({{"name", EnumName(service)},
                                  {"label", FrenchLabel(service)},
                                  {"derogable", IsDerogable(service)},
                                  {"onlineService", IsOnlineService(service)}});
    }
    json["evidenceKinds"] = ordered_json::array();
    for (auto kind : {EvidenceKind::kInstalled, EvidenceKind::kConfigured, EvidenceKind::kSignedIn,
                      EvidenceKind::kUsed, EvidenceKind::kPolicy}) {
      json["evidenceKinds"].push_back({{"name", EnumName(kind)}, {"label", FrenchLabel(kind)}});
    }
    json["os"] = ordered_json::array();
    for (auto os : {OsFamily::kWindows, OsFamily::kLinux, OsFamily::kMacos}) {
      json["os"].push_back(EnumName(os));
    }
    SendJson(res, json);
  }

  void Summary(const Principal& principal, const httplib::Request&, httplib::Response& res) {
    auto summary = VisibleSummary(principal);
    if (!summary.ok()) return SendStatus(res, summary.status());
    auto json = ordered_json::parse(SummaryToJson(*summary));
    json["staleAfterDays"] = options.summary.stale_after_days;
    json["expiringWithinDays"] = options.summary.expiring_within_days;
    SendJson(res, json);
  }

  void Ministries(const Principal& principal, const httplib::Request&, httplib::Response& res) {
    auto counts = reader.CountHostsByMinistry();
    if (!counts.ok()) return SendStatus(res, counts.status());
    ordered_json list = ordered_json::array();
    for (const Ministry& ministry : ministries.all()) {
      if (!principal.MaySee(ministry.code)) continue;
      std::array<std::int64_t, 6> verdicts{};
      std::int64_t hosts = 0;
      for (const auto& count : *counts) {
        if (count.ministry == ministry.code) {
          verdicts = count.hosts_by_verdict;
          hosts = count.hosts;
        }
      }
      list.push_back({{"code", ministry.code},
                      {"name", ministry.name},
                      {"hosts", hosts},
                      {"verdicts", VerdictCounts(verdicts)}});
    }
    SendJson(res, {{"ministries", list}});
  }

  void OneMinistry(const Principal& principal, const httplib::Request& req,
                   httplib::Response& res) {
    const std::string code = req.matches[1];
    if (!ministries.Find(code)) {
      return SendError(res, 404, "NOT_FOUND", "Ministère inconnu : " + code + ".");
    }
    if (!principal.MaySee(code)) {
      return SendError(res, 403, "FORBIDDEN", "Ce compte n'a pas accès à ce ministère.");
    }
    auto summary = VisibleSummary(principal);
    if (!summary.ok()) return SendStatus(res, summary.status());
    std::erase_if(summary->ministries, [&](const MinistrySummary& m) { return m.code != code; });
    const auto json = ordered_json::parse(SummaryToJson(*summary));
    ordered_json ministry;
    if (json["ministries"].empty()) {
      ministry = {{"code", code}, {"name", MinistryName(code)}, {"hosts", 0}};
      ministry["verdicts"] = VerdictCounts({});
    } else {
      ministry = json["ministries"][0];
    }
    ministry["staleAfterDays"] = options.summary.stale_after_days;
    ministry["expiringWithinDays"] = options.summary.expiring_within_days;
    SendJson(res, ministry);
  }

  // Reads the host list's filters; false (and the response set) when one is invalid or not
  // allowed.
  bool ReadHostFilter(const Principal& principal, const httplib::Request& req,
                      httplib::Response& res, HostFilter& filter) {
    bool bad = false;
    filter.verdict = ParseParam<VerdictStatus>(req, "verdict", bad);
    if (bad) {
      SendError(res, 400, "INVALID_ARGUMENT", "Paramètre verdict inconnu.");
      return false;
    }
    filter.service = ParseParam<ServiceCategory>(req, "service", bad);
    if (bad) {
      SendError(res, 400, "INVALID_ARGUMENT", "Paramètre service inconnu.");
      return false;
    }
    filter.os = ParseParam<OsFamily>(req, "os", bad);
    if (bad) {
      SendError(res, 400, "INVALID_ARGUMENT", "Paramètre os inconnu.");
      return false;
    }
    filter.search = req.get_param_value("q");
    if (filter.search.size() > 256) {
      SendError(res, 400, "INVALID_ARGUMENT", "Recherche trop longue (256 caractères au plus).");
      return false;
    }
    const std::string ministry = req.get_param_value("ministry");
    if (!ministry.empty()) {
      if (!principal.MaySee(ministry)) {
        SendError(res, 403, "FORBIDDEN", "Ce compte n'a pas accès à ce ministère.");
        return false;
      }
      filter.ministry = ministry;
    } else if (!principal.SeesAllMinistries()) {
      filter.ministry = principal.ministry;
    }
    const std::string org_unit = req.get_param_value("orgUnit");
    if (!org_unit.empty()) {
      // Unit ids are unique within a ministry only; the scope is checked above.
      const Ministry* owner = filter.ministry ? ministries.Find(*filter.ministry) : nullptr;
      if (!filter.ministry) {
        SendError(res, 400, "INVALID_ARGUMENT", "Le paramètre orgUnit demande un ministère.");
        return false;
      }
      if (!owner || !owner->FindOrgUnit(org_unit)) {
        SendError(res, 404, "NOT_FOUND", "Unité inconnue dans ce ministère : " + org_unit + ".");
        return false;
      }
      for (const OrgUnit& unit : owner->org_units) {
        const auto lineage = owner->LineageOf(unit.id);
        if (std::find(lineage.begin(), lineage.end(), org_unit) != lineage.end()) {
          filter.org_units.push_back(unit.id);
        }
      }
    }
    return true;
  }

  void Hosts(const Principal& principal, const httplib::Request& req, httplib::Response& res) {
    HostFilter filter;
    if (!ReadHostFilter(principal, req, res, filter)) return;
    std::string sort_param = req.has_param("sort") ? req.get_param_value("sort") : "hostname";
    const bool descending = !sort_param.empty() && sort_param[0] == '-';
    if (descending) sort_param.erase(0, 1);
    HostSort sort;
    if (sort_param == "hostname") {
      sort = HostSort::kHostname;
    } else if (sort_param == "lastSeen") {
      sort = HostSort::kLastSeen;
    } else if (sort_param == "verdict") {
      sort = HostSort::kVerdict;
    } else {
      return SendError(res, 400, "INVALID_ARGUMENT",
                       "Paramètre sort inconnu (hostname, lastSeen ou verdict, précédé de - "
                       "pour l'ordre décroissant).");
    }
    const auto per_page = req.has_param("perPage")
                              ? ParseInt(req.get_param_value("perPage"), 1, kMaxPageSize)
                              : std::optional<std::int64_t>(50);
    if (!per_page) {
      return SendError(res, 400, "INVALID_ARGUMENT", "Paramètre perPage (1 à 200) invalide.");
    }
    // The cursors are the `next` and `previous` of an earlier answer (a host's row id).
    std::optional<HostCursor> cursor;
    for (const char* name : {"after", "before"}) {
      if (!req.has_param(name)) continue;
      const auto id =
          ParseInt(req.get_param_value(name), 1, std::numeric_limits<std::int64_t>::max());
      if (!id || cursor) {
        return SendError(res, 400, "INVALID_ARGUMENT",
                         "Paramètres after ou before invalides (un seul, tel que donné par next "
                         "ou previous).");
      }
      cursor = HostCursor{*id, std::string_view(name) == "before"};
    }
    auto hosts = reader.ListHosts(filter, sort, descending, cursor, *per_page);
    if (!hosts.ok() && hosts.status().code() == StatusCode::kNotFound) {
      return SendError(res, 400, "INVALID_ARGUMENT",
                       "Cette page n'existe plus (le poste qui la situait a disparu) : revenez "
                       "à la première page.");
    }
    if (!hosts.ok()) return SendStatus(res, hosts.status());
    const Timestamp stale_before = now() - std::chrono::days(options.summary.stale_after_days);
    ordered_json json = {{"total", hosts->total}, {"perPage", *per_page}};
    json["previous"] = hosts->more_before && !hosts->hosts.empty()
                           ? ordered_json(std::to_string(hosts->hosts.front().id))
                           : ordered_json(nullptr);
    json["next"] = hosts->more_after && !hosts->hosts.empty()
                       ? ordered_json(std::to_string(hosts->hosts.back().id))
                       : ordered_json(nullptr);
    json["hosts"] = ordered_json::array();
    for (const HostRow& row : hosts->hosts) json["hosts"].push_back(HostRowJson(row, stale_before));
    SendJson(res, json);
  }

  void HostsCsv(const Principal& principal, const httplib::Request& req, httplib::Response& res) {
    HostFilter filter;
    if (!ReadHostFilter(principal, req, res, filter)) return;
    // A BOM so that spreadsheet programs read UTF-8; semicolons as French locales expect.
    std::string csv =
        "\xEF\xBB\xBFposte;ministère;unité;système;verdict;premier contact;dernier contact\r\n";
    std::optional<HostCursor> cursor;
    while (true) {
      auto hosts = reader.ListHosts(filter, HostSort::kHostname, false, cursor, kCsvPageSize);
      if (!hosts.ok()) return SendStatus(res, hosts.status());
      for (const HostRow& row : hosts->hosts) {
        csv += CsvCell(row.hostname) + ";" + CsvCell(row.ministry) + ";" + CsvCell(row.org_unit) +
               ";" + CsvCell(row.os_name.empty() ? OsName(row.os_family) : row.os_name) + ";" +
               CsvCell(FrenchLabel(row.verdict)) + ";" + CsvCell(Iso(row.first_seen)) + ";" +
               CsvCell(Iso(row.last_seen)) + "\r\n";
      }
      if (!hosts->more_after) break;
      cursor = HostCursor{hosts->hosts.back().id, false};
    }
    res.set_header("Content-Disposition", "attachment; filename=\"postes.csv\"");
    res.set_content(csv, "text/csv; charset=utf-8");
  }

  void Host(const Principal& principal, const httplib::Request& req, httplib::Response& res) {
    const std::string key = req.matches[1];
    auto found = reader.FindHost(key);
    if (!found.ok()) return SendStatus(res, found.status());
    // Another ministry's host is answered exactly like a missing one: its existence is not
    // disclosed.
    if (!*found || !principal.MaySee((*found)->host.ministry)) {
      return SendError(res, 404, "NOT_FOUND", "Poste inconnu.");
    }
    const HostDetail& detail = **found;
    const Timestamp stale_before = now() - std::chrono::days(options.summary.stale_after_days);
    ordered_json json = HostRowJson(detail.host, stale_before);
    json["ministryName"] = MinistryName(detail.host.ministry);
    json["lastScan"] = Iso(detail.last_scan);
    json["osVersion"] = detail.report.host.os_version;
    json["architecture"] = detail.report.host.architecture;
    json["agentVersion"] = detail.report.agent_version;
    json["reasons"] = detail.reasons;
    json["officeInstalls"] = ordered_json::array();
    for (const OfficeInstall& install : detail.report.office_installs) {
      json["officeInstalls"].push_back({{"productId", install.product_id},
                                        {"version", install.version},
                                        {"licenseModel", EnumName(install.license_model)},
                                        {"technology", install.technology},
                                        {"channel", install.channel}});
    }
    json["evidence"] = ordered_json::array();
    for (const Evidence& evidence : detail.report.evidence) {
      ordered_json item = {{"product", evidence.product},
                           {"version", evidence.version},
                           {"service", EnumName(evidence.service)},
                           {"kind", EnumName(evidence.kind)},
                           {"tenant", evidence.tenant},
                           {"source", evidence.source},
                           {"count", evidence.count},
                           {"sovereignAlternative", evidence.sovereign_alternative}};
      item["lastSeen"] = evidence.last_seen ? Iso(*evidence.last_seen) : std::string();
      json["evidence"].push_back(std::move(item));
    }
    json["probeErrors"] = ordered_json::array();
    for (const ProbeError& error : detail.report.probe_errors) {
      json["probeErrors"].push_back({{"probe", error.probe}, {"reason", error.reason}});
    }
    json["history"] = ordered_json::array();
    for (const VerdictChange& change : detail.history) {
      json["history"].push_back(
          {{"at", Iso(change.at)}, {"verdict", EnumName(change.verdict)}, {"cause", change.cause}});
    }
    SendJson(res, json);
  }

  void Services(const Principal& principal, const httplib::Request&, httplib::Response& res) {
    auto summary = VisibleSummary(principal);
    if (!summary.ok()) return SendStatus(res, summary.status());
    ordered_json list = ordered_json::array();
    for (auto service : kAllServiceCategories) {
      ordered_json by_ministry = ordered_json::object();
      std::int64_t hosts = 0;
      for (const MinistrySummary& ministry : summary->ministries) {
        const auto count = ministry.hosts_by_service[static_cast<int>(service)];
        if (count > 0) by_ministry[ministry.code] = count;
        hosts += count;
      }
      list.push_back({{"service", EnumName(service)},
                      {"label", FrenchLabel(service)},
                      {"derogable", IsDerogable(service)},
                      {"hosts", hosts},
                      {"byMinistry", by_ministry}});
    }
    SendJson(res, {{"services", list}});
  }

  void Tenants(const Principal& principal, const httplib::Request&, httplib::Response& res) {
    auto summary = VisibleSummary(principal);
    if (!summary.ok()) return SendStatus(res, summary.status());
    struct Seen {
      doctrine::TenantClass tenant_class = doctrine::TenantClass::kUnknown;
      std::int64_t hosts = 0;
      std::vector<std::string> ministries;
    };
    std::map<std::string, Seen> tenants;
    for (const MinistrySummary& ministry : summary->ministries) {
      for (const TenantCount& count : ministry.tenants) {
        Seen& seen = tenants[count.tenant];
        seen.tenant_class = count.tenant_class;
        seen.hosts += count.hosts;
        seen.ministries.push_back(ministry.code);
      }
    }
    ordered_json list = ordered_json::array();
    for (const auto& [tenant, seen] : tenants) {
      list.push_back({{"tenant", tenant},
                      {"class", doctrine::EnumName(seen.tenant_class)},
                      {"classLabel", doctrine::FrenchLabel(seen.tenant_class)},
                      {"hosts", seen.hosts},
                      {"ministries", seen.ministries}});
    }
    SendJson(res, {{"tenants", list}});
  }

  void Derogations(const Principal& principal, const httplib::Request& req,
                   httplib::Response& res) {
    std::string ministry = req.get_param_value("ministry");
    if (!ministry.empty() && !principal.MaySee(ministry)) {
      return SendError(res, 403, "FORBIDDEN", "Ce compte n'a pas accès à ce ministère.");
    }
    if (ministry.empty() && !principal.SeesAllMinistries()) ministry = principal.ministry;
    auto records = reader.Derogations(ministry);
    if (!records.ok()) return SendStatus(res, records.status());
    const Date today = Today(now());
    ordered_json list = ordered_json::array();
    for (const DerogationRecord& record : *records) {
      const auto& d = record.derogation;
      list.push_back({{"id", record.id},
                      {"ministry", d.ministry},
                      {"service", EnumName(d.service)},
                      {"grantedBy", d.granted_by},
                      {"reference", d.reference},
                      {"from", FormatIsoDate(d.from)},
                      {"until", FormatIsoDate(d.until)},
                      {"state", DerogationState(record, today)},
                      {"recordedAt", Iso(record.recorded_at)},
                      {"revokedAt", record.revoked_at ? Iso(*record.revoked_at) : std::string()}});
    }
    SendJson(res, {{"derogations", list}});
  }

  void Trends(const Principal& principal, const httplib::Request& req, httplib::Response& res) {
    const std::string ministry = req.get_param_value("ministry");
    if (ministry.empty()) {
      return SendError(res, 400, "INVALID_ARGUMENT", "Paramètre ministry requis.");
    }
    if (!ministries.Find(ministry)) {
      return SendError(res, 404, "NOT_FOUND", "Ministère inconnu : " + ministry + ".");
    }
    if (!principal.MaySee(ministry)) {
      return SendError(res, 403, "FORBIDDEN", "Ce compte n'a pas accès à ce ministère.");
    }
    const auto days = req.has_param("days") ? ParseInt(req.get_param_value("days"), 1, 3660)
                                            : std::optional<std::int64_t>(90);
    if (!days)
      return SendError(res, 400, "INVALID_ARGUMENT", "Paramètre days invalide (1 à 3660).");
    const Date today = Today(now());
    auto trend = reader.Trend(ministry, req.get_param_value("orgUnit"),
                              today - std::chrono::days(*days - 1), today);
    if (!trend.ok()) return SendStatus(res, trend.status());
    ordered_json list = ordered_json::array();
    for (const SnapshotDay& day : *trend) {
      list.push_back(
          {{"day", FormatIsoDate(day.day)}, {"verdicts", VerdictCounts(day.hosts_by_verdict)}});
    }
    SendJson(res,
             {{"ministry", ministry}, {"orgUnit", req.get_param_value("orgUnit")}, {"days", list}});
  }

  void Metrics(const Principal&, const httplib::Request&, httplib::Response& res) {
    auto counts = reader.CountHostsByMinistry();
    if (!counts.ok()) return SendStatus(res, counts.status());
    auto reports = reader.ReportsStored();
    if (!reports.ok()) return SendStatus(res, reports.status());
    std::string out;
    out += "# HELP vigie_hosts Hosts by ministry and verdict (latest state of each host).\n";
    out += "# TYPE vigie_hosts gauge\n";
    for (const auto& count : *counts) {
      for (auto verdict : kAllVerdicts) {
        out += "vigie_hosts{ministry=\"" + PrometheusLabel(count.ministry) + "\",verdict=\"" +
               std::string(EnumName(verdict)) + "\"} " +
               std::to_string(count.hosts_by_verdict[static_cast<int>(verdict)]) + "\n";
      }
    }
    out += "# HELP vigie_reports_stored_total Reports stored since the database was created.\n";
    out += "# TYPE vigie_reports_stored_total counter\n";
    out += "vigie_reports_stored_total " + std::to_string(*reports) + "\n";
    if (options.ingest_metrics) options.ingest_metrics->Render(out);
    metrics.Render(out);
    res.set_content(out, "text/plain; version=0.0.4; charset=utf-8");
  }

  void Routes() {
    const auto bind = [this](auto method) {
      return [this, method](const Principal& p, const httplib::Request& req,
                            httplib::Response& res) { (this->*method)(p, req, res); };
    };
    server->set_default_headers(kSecurityHeaders);
    server->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      auto counts = reader.ReportsStored();
      if (!counts.ok()) {
        res.status = 503;
        res.set_content("base de données illisible\n", "text/plain; charset=utf-8");
        return;
      }
      res.set_content("ok\n", "text/plain; charset=utf-8");
    });
    server->Get("/metrics", Guard("/metrics", bind(&Impl::Metrics), true));
    server->Post("/api/v1/session",
                 [this](const httplib::Request& req, httplib::Response& res) { Login(req, res); });
    server->Get("/api/v1/session",
                Guard("/api/v1/session",
                      [this](const Principal& p, const httplib::Request&, httplib::Response& res) {
                        SendJson(res, SessionJson(p));
                      }));
    server->Delete("/api/v1/session", Guard("/api/v1/session", bind(&Impl::Logout)));
    server->Get("/api/v1/vocabulary", Guard("/api/v1/vocabulary", bind(&Impl::Vocabulary)));
    server->Get("/api/v1/summary", Guard("/api/v1/summary", bind(&Impl::Summary)));
    server->Get("/api/v1/ministries", Guard("/api/v1/ministries", bind(&Impl::Ministries)));
    server->Get(R"(/api/v1/ministries/([^/]+))",
                Guard("/api/v1/ministries/{code}", bind(&Impl::OneMinistry)));
    server->Get("/api/v1/hosts", Guard("/api/v1/hosts", bind(&Impl::Hosts)));
    server->Get("/api/v1/hosts.csv", Guard("/api/v1/hosts.csv", bind(&Impl::HostsCsv)));
    server->Get(R"(/api/v1/hosts/([^/]+))", Guard("/api/v1/hosts/{id}", bind(&Impl::Host)));
    server->Get("/api/v1/services", Guard("/api/v1/services", bind(&Impl::Services)));
    server->Get("/api/v1/tenants", Guard("/api/v1/tenants", bind(&Impl::Tenants)));
    server->Get("/api/v1/trends", Guard("/api/v1/trends", bind(&Impl::Trends)));
    server->Get("/api/v1/derogations", Guard("/api/v1/derogations", bind(&Impl::Derogations)));
    server->Get("/api/v1/reports",
                Guard("/api/v1/reports",
                      [this](const Principal& p, const httplib::Request& req,
                             httplib::Response& res) { reports_api->List(p, req, res); }));
    server->Get(R"(/api/v1/reports/([^/]+)/download)",
                Guard("/api/v1/reports/{id}/download",
                      [this](const Principal& p, const httplib::Request& req,
                             httplib::Response& res) { reports_api->Download(p, req, res); }));
    server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (req.path.rfind("/api/", 0) == 0) {
        SendError(res, res.status, res.status == 404 ? "NOT_FOUND" : "ERROR",
                  res.status == 404 ? "Ressource inconnue : " + ValidUtf8(req.path) + "."
                                    : "Requête refusée.");
      } else {
        res.set_content(res.status == 404 ? "Page introuvable.\n" : "Requête refusée.\n",
                        "text/plain; charset=utf-8");
      }
    });
    server->set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
          std::string what = "unknown exception";
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          spdlog::error("dashboard: {} {}: {}", req.method, ValidUtf8(req.path), what);
          SendError(res, 500, "INTERNAL", "Erreur interne du collecteur ; voir son journal.");
        });
  }
};

DashboardServer::DashboardServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DashboardServer::~DashboardServer() { Stop(); }

namespace {

// The dashboard's state on its database, routes not mounted yet.
Result<std::unique_ptr<DashboardServer::Impl>> OpenDashboard(const DashboardOptions& options,
                                                             const JudgingRules& rules,
                                                             std::function<Timestamp()> now) {
  if (!options.web_root.empty() &&
      !std::filesystem::is_regular_file(std::filesystem::path(options.web_root) / "index.html")) {
    return NotFound("no web application in " + options.web_root +
                    " (index.html missing): build it (scripts/build.sh) or pass --web-root");
  }
  auto reader = FleetReader::Open(options.database);
  if (!reader.ok()) return reader.status();
  auto users = UserDirectory::Open(options.database);
  if (!users.ok()) return users.status();
  auto sessions = SessionStore::Open(options.database, std::chrono::minutes(8 * 60));
  if (!sessions.ok()) return sessions.status();
  auto reports_api = ReportsApi::Open(options.database, *rules.ministries);
  if (!reports_api.ok()) return reports_api.status();
  auto impl = std::make_unique<DashboardServer::Impl>(
      options, rules, std::move(now), std::move(reader).value(), std::move(users).value(),
      std::move(sessions).value());
  impl->reports_api = std::make_unique<ReportsApi>(std::move(reports_api).value());
  return impl;
}

// Routes, web application and limits on `impl->server`.
Status MountDashboard(DashboardServer::Impl& impl) {
  impl.Routes();
  if (!impl.options.web_root.empty() && !impl.server->set_mount_point("/", impl.options.web_root)) {
    return NotFound("cannot serve the web application from " + impl.options.web_root);
  }
  impl.server->set_payload_max_length(64 * 1024);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<DashboardServer>> DashboardServer::Start(const DashboardOptions& options,
                                                                const JudgingRules& rules,
                                                                std::function<Timestamp()> now) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return InvalidArgument("http-tls-cert and http-tls-key go together: give both or neither");
  }
  const auto colon = options.listen.rfind(':');
  const auto port = colon == std::string::npos
                        ? std::nullopt
                        : ParseInt(options.listen.substr(colon + 1), 0, 65535);
  if (!port || colon == 0) {
    return InvalidArgument("http-listen: '" + options.listen + "' is not HOST:PORT");
  }
  auto opened = OpenDashboard(options, rules, std::move(now));
  if (!opened.ok()) return opened.status();
  std::unique_ptr<Impl> impl = std::move(opened).value();
  if (impl->tls()) {
    auto tls =
        std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!tls->is_valid()) {
      return InvalidArgument("cannot load the dashboard's TLS certificate " + options.tls_cert +
                             " or key " + options.tls_key);
    }
    impl->server = std::move(tls);
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }
  VIGIE_RETURN_IF_ERROR(MountDashboard(*impl));
  impl->host = options.listen.substr(0, colon);
  const std::string bind_host = impl->host.size() > 2 && impl->host.front() == '['
                                    ? impl->host.substr(1, impl->host.size() - 2)
                                    : impl->host;
  impl->port = *port == 0 ? impl->server->bind_to_any_port(bind_host)
                          : (impl->server->bind_to_port(bind_host, static_cast<int>(*port))
                                 ? static_cast<int>(*port)
                                 : -1);
  if (impl->port <= 0) {
    return Unavailable("cannot listen on " + options.listen +
                       " for the dashboard (address in use, or not an address)");
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server->listen_after_bind(); });
  // stop() is a no-op until the loop runs: wait for it, so that Stop() can never hang.
  while (!impl->server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<DashboardServer>(new DashboardServer(std::move(impl)));
}

int DashboardServer::port() const { return impl_->port; }

std::string DashboardServer::url() const {
  return std::string(impl_->tls() ? "https" : "http") + "://" + impl_->host + ":" +
         std::to_string(impl_->port);
}

void DashboardServer::Stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->server->stop();
  impl_->thread.join();
}

DashboardRequestHandler::DashboardRequestHandler(std::unique_ptr<DashboardServer::Impl> impl,
                                                 InMemoryServer* server)
    : impl_(std::move(impl)), server_(server) {}

DashboardRequestHandler::~DashboardRequestHandler() = default;

Result<std::unique_ptr<DashboardRequestHandler>> DashboardRequestHandler::Create(
    const DashboardOptions& options, const JudgingRules& rules, std::function<Timestamp()> now) {
  auto opened = OpenDashboard(options, rules, std::move(now));
  if (!opened.ok()) return opened.status();
  std::unique_ptr<DashboardServer::Impl> impl = std::move(opened).value();
  auto server = std::make_unique<InMemoryServer>();
  InMemoryServer* raw = server.get();
  impl->server = std::move(server);
  VIGIE_RETURN_IF_ERROR(MountDashboard(*impl));
  return std::unique_ptr<DashboardRequestHandler>(
      new DashboardRequestHandler(std::move(impl), raw));
}

std::string DashboardRequestHandler::Handle(std::string_view request) {
  return server_->Handle(request);
}

}  // namespace vigie::collector::http
