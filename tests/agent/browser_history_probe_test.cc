// The browser history probe against real SQLite databases written by these tests the way the
// browsers lay them out: Chromium `urls`/`visits` with WebKit-epoch microseconds, Firefox
// `moz_places`/`moz_historyvisits` with Unix microseconds.

#include "agent/probes/browser_history_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent/posix_system_view.h"
#include "agent/probes/browser_history_snapshot.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace std::chrono_literals;

const Timestamp kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 12h;
const UserPseudonyms kPseudonyms("browser-history-test-key");

Timestamp Day(int day, std::chrono::hours hour = 10h) {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / day} + hour;
}

std::int64_t UnixMicros(Timestamp time) {
  return std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
}

struct Visit {
  std::string url;
  Timestamp when;
};

// A connection to a test database; closed at scope exit.
class Connection {
 public:
  explicit Connection(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~Connection() { sqlite3_close(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Execute(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error ? error : "");
    sqlite3_free(error);
  }

  void CreateChromium() {
    Execute(
        "CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT, url LONGVARCHAR, title "
        "LONGVARCHAR, visit_count INTEGER DEFAULT 0 NOT NULL, last_visit_time INTEGER NOT NULL);"
        "CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT, url INTEGER NOT NULL, "
        "visit_time INTEGER NOT NULL, transition INTEGER DEFAULT 0 NOT NULL);");
  }
  void AddChromium(const std::vector<Visit>& visits) {
    for (const Visit& visit : visits) {
      const std::int64_t webkit = UnixMicros(visit.when) + 11644473600LL * 1000000;
      Execute("INSERT INTO urls(url, title, last_visit_time) VALUES ('" + visit.url +
              "', 'Titre', " + std::to_string(webkit) + ");");
      Execute("INSERT INTO visits(url, visit_time) VALUES (last_insert_rowid(), " +
              std::to_string(webkit) + ");");
    }
  }
  void CreateFirefox() {
    Execute(
        "CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, "
        "rev_host LONGVARCHAR, last_visit_date INTEGER);"
        "CREATE TABLE moz_historyvisits(id INTEGER PRIMARY KEY, from_visit INTEGER, place_id "
        "INTEGER, visit_date INTEGER, visit_type INTEGER);");
  }
  void AddFirefox(const std::vector<Visit>& visits) {
    for (const Visit& visit : visits) {
      Execute("INSERT INTO moz_places(url, last_visit_date) VALUES ('" + visit.url + "', " +
              std::to_string(UnixMicros(visit.when)) + ");");
      Execute(
          "INSERT INTO moz_historyvisits(place_id, visit_date, visit_type) VALUES "
          "(last_insert_rowid(), " +
          std::to_string(UnixMicros(visit.when)) + ", 1);");
    }
  }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// A fixture host in a temporary directory, with `os`.
class BrowserHistoryProbeTest : public ::testing::Test {
 protected:
  void SetUp() override { Host("linux"); }

  void Host(const std::string& os) {
    root_.Write("host.toml", "os = \"" + os + "\"\nhostname = \"pc-test\"\n");
  }
  std::string Path(const std::string& relative) const { return root_ / relative; }

  ScanFacts Run(int days = 30, OsFamily os = OsFamily::kLinux) const {
    auto view = PosixSystemView::ForRoot(root_.path().string());
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    ScanFacts facts;
    const Status status = BrowserHistoryProbe(os, kPseudonyms, days, kNow).Run(*view, facts);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return facts;
  }

  testing::TempDir root_;
};

Evidence Used(std::string product, ServiceCategory service, std::string tenant, std::string account,
              std::uint32_t count, Timestamp last_seen) {
  Evidence evidence;
  evidence.product = std::move(product);
  evidence.service = service;
  evidence.kind = EvidenceKind::kUsed;
  evidence.tenant = std::move(tenant);
  evidence.source = "any.browser_history";
  evidence.user_pseudonym = kPseudonyms.Of(account);
  evidence.count = count;
  evidence.last_seen = last_seen;
  return evidence;
}

constexpr char kChrome[] = "home/alice/.config/google-chrome/Default/History";

TEST_F(BrowserHistoryProbeTest, CountsVisitsPerServiceWithinTheWindowOnly) {
  {
    Connection chrome(Path(kChrome));
    chrome.CreateChromium();
    chrome.AddChromium({
        {"https://outlook.office.com/mail/inbox/id/1", Day(18)},
        {"https://outlook.office.com/mail/inbox/id/2", Day(19, 23h)},
        {"https://outlook.office.com/mail/old", kNow - std::chrono::days(30) - 1s},
        {"https://outlook.office.com/mail/future", kNow + 1s},
        {"https://contoso.sharepoint.com/sites/A/doc.docx", kNow - std::chrono::days(30)},
        {"https://www.example.org/", Day(19)},
    });
  }
  {
    Connection firefox(Path("home/alice/.mozilla/firefox/ab12cd34.default-release/places.sqlite"));
    firefox.CreateFirefox();
    firefox.AddFirefox({{"https://outlook.office.com/mail/", Day(20, 11h)},
                        {"https://contoso-my.sharepoint.com/personal/alice/x", Day(2)}});
  }
  root_.Write("home/alice/.mozilla/firefox/profiles.ini",
              "[General]\nVersion=2\n\n[Profile0]\nName=default-release\nIsRelative=1\n"
              "Path=ab12cd34.default-release\n");

  const ScanFacts facts = Run();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(
                  Used("Outlook on the web", ServiceCategory::kMail, "", "alice", 3, Day(20, 0h)),
                  Used("OneDrive for Business", ServiceCategory::kPersonalDrive,
                       "contoso.sharepoint.com", "alice", 1, Day(2, 0h)),
                  Used("SharePoint Online", ServiceCategory::kDocuments, "contoso.sharepoint.com",
                       "alice", 1, std::chrono::sys_days{std::chrono::year{2026} / 10 / 21})));
}

TEST_F(BrowserHistoryProbeTest, SeesVisitsStillInTheWriteAheadLog) {
  Connection browser(Path(kChrome));
  browser.Execute("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;");
  browser.CreateChromium();
  browser.AddChromium({{"https://teams.microsoft.com/l/chat/0/0", Day(19)}});
  // The browser is still running: its connection is open and nothing was checkpointed.
  ASSERT_GT(std::filesystem::file_size(Path(kChrome) + "-wal"), 0u);

  const ScanFacts facts = Run();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(Used("Microsoft Teams", ServiceCategory::kInstantMessaging, "",
                                          "alice", 1, Day(19, 0h))));
}

TEST_F(BrowserHistoryProbeTest, ReadsWhileTheBrowserHoldsAnExclusiveLock) {
  Connection browser(Path(kChrome));
  browser.Execute("PRAGMA journal_mode = DELETE;");
  browser.CreateChromium();
  browser.AddChromium({{"https://outlook.office.com/mail/", Day(18)}});
  browser.Execute("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;");
  browser.AddChromium({{"https://contoso.sharepoint.com/uncommitted", Day(19)}});
  {
    // The lock is real: another SQLite connection cannot read the browser's file.
    Connection other(Path(kChrome));
    EXPECT_EQ(
        sqlite3_exec(other.handle(), "SELECT count(*) FROM visits", nullptr, nullptr, nullptr),
        SQLITE_BUSY);
  }

  const ScanFacts facts = Run();
  EXPECT_THAT(facts.errors, IsEmpty());
  // Committed visits only: the uncommitted transaction is not a visit yet.
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(
                  Used("Outlook on the web", ServiceCategory::kMail, "", "alice", 1, Day(18, 0h))));
  browser.Execute("COMMIT;");
}

TEST_F(BrowserHistoryProbeTest, ReadsTheLogOfAnExclusiveWalBrowser) {
  Connection browser(Path(kChrome));
  browser.Execute(
      "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; "
      "PRAGMA wal_autocheckpoint = 0;");
  browser.CreateChromium();
  browser.AddChromium({{"https://teams.microsoft.com/l/meetup-join/1", Day(17)}});

  const ScanFacts facts = Run();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(Used("Microsoft Teams", ServiceCategory::kConferencing, "",
                                          "alice", 1, Day(17, 0h))));
}

TEST_F(BrowserHistoryProbeTest, CorruptDatabaseIsOneErrorAndTheScanGoesOn) {
  root_.Write(kChrome, "not a database, and longer than a header would be .........");
  {
    Connection chrome(Path("home/alice/.config/google-chrome/Profile 1/History"));
    chrome.CreateChromium();
    chrome.AddChromium({{"https://outlook.office.com/mail/", Day(18)}});
    Connection edge(Path("home/bob/.config/microsoft-edge/Default/History"));
    edge.CreateChromium();
    edge.AddChromium({{"https://outlook.office.com/mail/", Day(19)}});
  }
  // A History that is a directory cannot be copied: one more error, nothing else lost.
  std::filesystem::create_directories(Path("home/bob/.config/chromium/Default/History"));

  const ScanFacts facts = Run();
  ASSERT_EQ(facts.errors.size(), 2u);
  EXPECT_EQ(facts.errors[0].probe, "any.browser_history");
  EXPECT_EQ(
      facts.errors[0].reason,
      "Chrome, profile Default: cannot read the history database: file is not a database (user " +
          kPseudonyms.Of("alice") + ")");
  EXPECT_THAT(facts.errors[1].reason,
              AllOf(HasSubstr("Chromium, profile Default: "), HasSubstr(kPseudonyms.Of("bob")),
                    Not(HasSubstr("/home"))));
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(
                  Used("Outlook on the web", ServiceCategory::kMail, "", "alice", 1, Day(18, 0h)),
                  Used("Outlook on the web", ServiceCategory::kMail, "", "bob", 1, Day(19, 0h))));
}

TEST_F(BrowserHistoryProbeTest, DatabaseOfAnotherSchemaIsAnError) {
  {
    Connection other(Path(kChrome));
    other.Execute("CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT);");
  }
  root_.Write("home/alice/.mozilla/firefox/profiles.ini/unexpected", "a directory, not a file");
  const ScanFacts facts = Run();
  ASSERT_EQ(facts.errors.size(), 2u);
  EXPECT_THAT(facts.errors[0].reason,
              HasSubstr("Chrome, profile Default: cannot read the history database: no such "
                        "table: visits"));
  EXPECT_THAT(facts.errors[1].reason,
              AllOf(HasSubstr("Firefox profiles: "), HasSubstr("~/.mozilla/firefox/profiles.ini"),
                    Not(HasSubstr("/home"))));
  EXPECT_THAT(facts.evidence, IsEmpty());
}

TEST_F(BrowserHistoryProbeTest, FirefoxProfilesComeFromProfilesIni) {
  root_.Write("home/alice/.mozilla/firefox/profiles.ini",
              "[Profile1]\nName=work\nIsRelative=0\nPath=/srv/profiles/alice-work\n\n"
              "[Profile0]\nName=gone\nIsRelative=1\nPath=deleted.profile\n\n"
              "[Install1234]\nDefault=/srv/profiles/alice-work\n");
  {
    Connection firefox(Path("srv/profiles/alice-work/places.sqlite"));
    firefox.CreateFirefox();
    firefox.AddFirefox({{"https://login.microsoftonline.com/contoso.onmicrosoft.com/x", Day(3)}});
  }
  const ScanFacts facts = Run();
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(Used("Microsoft Entra ID", ServiceCategory::kCloudIdentity,
                                          "contoso.onmicrosoft.com", "alice", 1, Day(3, 0h))));
}

TEST_F(BrowserHistoryProbeTest, DamagedFirefoxDatabaseIsNamedByItsProfilesIniSection) {
  root_.Write("home/alice/.mozilla/firefox/profiles.ini",
              "[Profile0]\nName=alice-perso\nIsRelative=1\nPath=x1.alice-perso\n");
  root_.Write("home/alice/.mozilla/firefox/x1.alice-perso/places.sqlite", "garbage");
  const ScanFacts facts = Run();
  ASSERT_EQ(facts.errors.size(), 1u);
  EXPECT_THAT(facts.errors[0].reason, AllOf(HasSubstr("Firefox, profile Profile0 of profiles.ini"),
                                            Not(HasSubstr("alice-perso"))));
}

TEST_F(BrowserHistoryProbeTest, ReadsEveryUserOfAWindowsHost) {
  Host("windows");
  {
    Connection edge(Path("C/Users/bob/AppData/Local/Microsoft/Edge/User Data/Profile 2/History"));
    edge.CreateChromium();
    edge.AddChromium({{"https://word-edit.officeapps.live.com/we/x", Day(12)}});
  }
  const ScanFacts facts = Run(30, OsFamily::kWindows);
  EXPECT_THAT(facts.errors, IsEmpty());
  EXPECT_THAT(facts.evidence,
              ::testing::ElementsAre(Used("Office for the web", ServiceCategory::kDocuments, "",
                                          "bob", 1, Day(12, 0h))));
}

TEST_F(BrowserHistoryProbeTest, LeavesNoCopyBehind) {
  root_.Write(kChrome, "corrupt");
  {
    Connection edge(Path("home/bob/.config/microsoft-edge/Default/History"));
    edge.CreateChromium();
    edge.AddChromium({{"https://outlook.office.com/mail/", Day(19)}});
  }
  testing::TempDir temporary;
  const char* previous = std::getenv("TMPDIR");
  const std::optional<std::string> saved =
      previous ? std::optional<std::string>(previous) : std::nullopt;
  ::setenv("TMPDIR", temporary.path().c_str(), 1);
  const ScanFacts facts = Run();
  if (saved) {
    ::setenv("TMPDIR", saved->c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  EXPECT_EQ(facts.evidence.size(), 1u);
  EXPECT_TRUE(std::filesystem::is_empty(temporary.path()));
}

TEST_F(BrowserHistoryProbeTest, CopiesArePrivateAndRemoved) {
  {
    Connection browser(Path(kChrome));
    browser.Execute("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;");
    browser.CreateChromium();
    auto view = PosixSystemView::ForRoot(root_.path().string());
    ASSERT_TRUE(view.ok());
    std::filesystem::path directory;
    {
      auto snapshot = HistorySnapshot::Take(*view, "/" + std::string(kChrome));
      ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
      directory = snapshot->directory();
      struct stat info {};
      ASSERT_EQ(::stat(directory.c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 0777, 0700u);
      ASSERT_EQ(::stat(snapshot->database().c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 0777, 0600u);
      EXPECT_TRUE(std::filesystem::exists(snapshot->database().string() + "-wal"));
    }
    EXPECT_FALSE(std::filesystem::exists(directory));
  }
  auto view = PosixSystemView::ForRoot(root_.path().string());
  ASSERT_TRUE(view.ok());
  auto absent = HistorySnapshot::Take(*view, "/home/alice/none/History");
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), StatusCode::kNotFound);
}

TEST_F(BrowserHistoryProbeTest, RefusesAWindowOutOfBounds) {
  auto view = PosixSystemView::ForRoot(root_.path().string());
  ASSERT_TRUE(view.ok());
  for (const int days : {0, -3, 366}) {
    ScanFacts facts;
    const Status status =
        BrowserHistoryProbe(OsFamily::kLinux, kPseudonyms, days, kNow).Run(*view, facts);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << days;
    EXPECT_THAT(status.message(), HasSubstr("1 to 365")) << days;
  }
}

}  // namespace
}  // namespace vigie::agent
