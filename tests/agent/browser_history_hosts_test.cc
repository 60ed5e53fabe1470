#include <gtest/gtest.h>

#include <string>

#include "agent/probes/m365_hosts.h"
#include "common/enums.h"

namespace vigie::agent {
namespace {

struct UrlCase {
  const char* url;
  const char* product;  // nullptr: no service.
  ServiceCategory service;
  const char* tenant;
};

constexpr char kConsumer[] = "9188040d-6c67-4c5b-b112-36a304b66dad";

const UrlCase kCases[] = {
    {"https://outlook.office.com/mail/inbox", "Outlook on the web", ServiceCategory::kMail, ""},
    {"https://OUTLOOK.Office365.com:443/owa/", "Outlook on the web", ServiceCategory::kMail, ""},
    {"https://outlook.live.com/mail/0/", "Outlook on the web", ServiceCategory::kMail, kConsumer},
    {"https://contoso-my.sharepoint.com/personal/a_b/Documents/x.docx", "OneDrive for Business",
     ServiceCategory::kPersonalDrive, "contoso.sharepoint.com"},
    {"https://contoso-myfiles.sharepoint.com/x", "OneDrive for Business",
     ServiceCategory::kPersonalDrive, "contoso.sharepoint.com"},
    {"https://contoso.sharepoint.com./sites/Team", "SharePoint Online", ServiceCategory::kDocuments,
     "contoso.sharepoint.com"},
    {"https://contoso-admin.sharepoint.com/", "SharePoint Online", ServiceCategory::kDocuments,
     "contoso.sharepoint.com"},
    {"https://word-edit.officeapps.live.com/we/wordeditorframe.aspx", "Office for the web",
     ServiceCategory::kDocuments, ""},
    {"https://teams.microsoft.com/l/meetup-join/19%3ameeting_x@thread.v2/0", "Microsoft Teams",
     ServiceCategory::kConferencing, ""},
    {"https://teams.microsoft.com/l/chat/19:a_b@unq.gbl.spaces/conversations", "Microsoft Teams",
     ServiceCategory::kInstantMessaging, ""},
    {"https://teams.microsoft.com/_#/conversations/General?threadId=19:x@thread.tacv2&ctx=channel",
     "Microsoft Teams", ServiceCategory::kCollaboration, ""},
    {"https://teams.cloud.microsoft/", "Microsoft Teams", ServiceCategory::kCollaboration, ""},
    {"https://teams.live.com/_#/chat", "Microsoft Teams", ServiceCategory::kInstantMessaging,
     kConsumer},
    {"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
     "Microsoft Entra ID", ServiceCategory::kCloudIdentity, "contoso.onmicrosoft.com"},
    {"https://login.microsoftonline.com/3F2504E0-4F89-11D3-9A0C-0305E82C3301/saml2",
     "Microsoft Entra ID", ServiceCategory::kCloudIdentity, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"},
    {"https://login.microsoftonline.com/common/oauth2/authorize", "Microsoft Entra ID",
     ServiceCategory::kCloudIdentity, ""},
    {"https://login.microsoftonline.com/consumers/", "Microsoft Entra ID",
     ServiceCategory::kCloudIdentity, kConsumer},
    // Look-alikes, odd schemes and other sites count as nothing.
    {"https://contoso.sharepoint.com.evil.example/phish", nullptr, {}, ""},
    {"https://evilsharepoint.com/", nullptr, {}, ""},
    {"https://a.b.sharepoint.com/", nullptr, {}, ""},
    {"https://sharepoint.com/", nullptr, {}, ""},
    {"https://outlook.office.com@evil.example/mail", nullptr, {}, ""},
    {"https://evil.example/https://outlook.office.com/mail", nullptr, {}, ""},
    {"https://outlook.office.com.evil.example/", nullptr, {}, ""},
    {"https://notteams.microsoft.com/", nullptr, {}, ""},
    {"view-source:https://outlook.office.com/owa/", nullptr, {}, ""},
    {"file:///home/alice/outlook.office.com.html", nullptr, {}, ""},
    {"chrome-extension://abc/https://teams.microsoft.com", nullptr, {}, ""},
    {"ftp://contoso.sharepoint.com/", nullptr, {}, ""},
    {"https://[::1]/", nullptr, {}, ""},
    {"outlook.office.com", nullptr, {}, ""},
    {"https://www.office.com/", nullptr, {}, ""},
};

TEST(ClassifyUrlTest, MapsMicrosoft365HostsToServices) {
  for (const UrlCase& test : kCases) {
    const auto use = ClassifyUrl(test.url);
    if (!test.product) {
      EXPECT_FALSE(use) << test.url << " counted as " << use->product;
      continue;
    }
    ASSERT_TRUE(use) << test.url;
    EXPECT_EQ(use->product, test.product) << test.url;
    EXPECT_EQ(use->service, test.service) << test.url << ": " << EnumName(use->service);
    EXPECT_EQ(use->tenant, test.tenant) << test.url;
  }
}

TEST(SharePointTenantTest, NamesTheTenantOfEverySharePointRole) {
  EXPECT_EQ(SharePointTenant("minint-my.sharepoint.com"), "minint.sharepoint.com");
  EXPECT_EQ(SharePointTenant("minint-files.sharepoint.com"), "minint.sharepoint.com");
  EXPECT_EQ(SharePointTenant("minint.sharepoint.com"), "minint.sharepoint.com");
  EXPECT_EQ(SharePointTenant("minint.sharepoint.com.evil.example"), std::nullopt);
  EXPECT_EQ(SharePointTenant("sharepoint.com"), std::nullopt);
}

TEST(IsTenantIdTest, OnlyGuids) {
  EXPECT_TRUE(IsTenantId("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
  EXPECT_FALSE(IsTenantId("alice@contoso.com"));
  EXPECT_FALSE(IsTenantId("3f2504e0-4f89-11d3-9a0c-0305e82c330"));
  EXPECT_FALSE(IsTenantId(""));
}

}  // namespace
}  // namespace vigie::agent
