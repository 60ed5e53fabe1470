#pragma once

#include <string>

#include "collector/http/access.h"
#include "collector/report_archive.h"
#include "common/ministries.h"
#include "common/status.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace vigie::collector::http {

// The archived compliance reports in the API (docs/reports.md, "In the dashboard"):
// GET /api/v1/reports lists those the caller may see; GET /api/v1/reports/{id}/download sends
// one file. A ministry account sees its ministry's reports only, never the interministerial ones;
// a report it may not see is answered 404, exactly like one that does not exist.
class ReportsApi {
 public:
  // `ministries` must outlive the API.
  static Result<ReportsApi> Open(const std::string& database, const MinistryList& ministries);

  void List(const Principal& principal, const httplib::Request& req, httplib::Response& res);
  void Download(const Principal& principal, const httplib::Request& req, httplib::Response& res);

 private:
  ReportsApi(ReportArchive archive, const MinistryList& ministries)
      : archive_(std::move(archive)), ministries_(&ministries) {}

  ReportArchive archive_;
  const MinistryList* ministries_;
};

}  // namespace vigie::collector::http
