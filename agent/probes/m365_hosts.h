#pragma once

// Microsoft 365 host names (shared/reference/detection-signals.md §11.1) and what they mean, for
// probes that see URLs (browser history, OneDrive's SharePoint hosts). Only the service and the
// tenant come out: never the URL, its path or a host below the service level.

#include <optional>
#include <string>
#include <string_view>

#include "common/model.h"

namespace vigie::agent {

// The tenant id of Microsoft personal accounts (common/data/doctrine.toml consumer-tenants).
inline constexpr std::string_view kConsumerTenant = "9188040d-6c67-4c5b-b112-36a304b66dad";

// Whether `text` has the form of a tenant id (a GUID). Values that claim to be one are checked
// before they leave: a misfiled e-mail address must not.
bool IsTenantId(std::string_view text);

// The host of an http(s) URL, lowercased, without user information, port or trailing dot;
// nullopt for any other scheme ("file:", "chrome-extension:", "view-source:"...).
std::optional<std::string> HttpHost(std::string_view url);

// The tenant a SharePoint Online host names: "contoso-my.sharepoint.com",
// "contoso-admin.sharepoint.com" and "contoso.sharepoint.com" all give "contoso.sharepoint.com"
// (the SharePoint name is the tenant's initial onmicrosoft.com name, so it names one tenant).
// nullopt for any other host, look-alikes such as "sharepoint.com.evil.example" included.
std::optional<std::string> SharePointTenant(std::string_view host);

// Whether `host` is a SharePoint Online personal site (OneDrive for Business) host.
bool IsOneDriveBusinessHost(std::string_view host);

// A Microsoft 365 service seen in a URL.
struct WebServiceUse {
  std::string_view product;
  ServiceCategory service = ServiceCategory::kUnspecified;
  std::string tenant;  // Domain or id when the URL names it, else empty.
};

// The service a visited URL shows in use, or nullopt when it is none of them:
//   outlook.office.com, outlook.office365.com       MAIL ("Outlook on the web")
//   outlook.live.com                                MAIL, consumer tenant
//   <name>-my.sharepoint.com (and -myfiles)         PERSONAL_DRIVE ("OneDrive for Business")
//   <name>.sharepoint.com (and -admin, -files)      DOCUMENTS ("SharePoint Online")
//   *.officeapps.live.com                           DOCUMENTS ("Office for the web")
//   teams.microsoft.com, teams.cloud.microsoft      INSTANT_MESSAGING for chat pages,
//                                                   CONFERENCING for meeting pages,
//                                                   COLLABORATION otherwise ("Microsoft Teams")
//   teams.live.com                                  as above, consumer tenant
//   login.microsoftonline.com                       CLOUD_IDENTITY ("Microsoft Entra ID"), with
//                                                   the tenant when the path starts with a tenant
//                                                   id or domain
// The path is looked at only to choose among these, never kept.
std::optional<WebServiceUse> ClassifyUrl(std::string_view url);

}  // namespace vigie::agent
