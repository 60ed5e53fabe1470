#pragma once

// The Windows probes beyond Click-to-Run Office (office_c2r_probe.h), one per signal family.
// Where each signal lives and what is unverified about it: docs/windows-signals.md.
// Per-user probes read every profile's registry (ForEachUserHive, windows_users.h) and carry the
// user's pseudonym; one unreadable profile is one error of the probe, and the others are read.

#include <string_view>

#include "agent/probe.h"
#include "agent/user_pseudonyms.h"

namespace vigie::agent {

// Office installed by Windows Installer (2010, 2013, 2016 MSI): the Uninstall keys named by an
// Office product code, in both registry views.
class WindowsOfficeMsiProbe : public Probe {
 public:
  static constexpr std::string_view kTechnology = "MSI";
  std::string_view name() const override { return "windows.office_msi"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

// The device's Entra ID (Azure AD) join and its tenant:
// HKLM\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\<thumbprint> TenantId.
class WindowsEntraJoinProbe : public Probe {
 public:
  std::string_view name() const override { return "windows.entra_join"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;
};

// Accounts signed in to Office: HKCU\Software\Microsoft\Office\16.0\Common\Identity\Identities.
class WindowsOfficeIdentityProbe : public Probe {
 public:
  explicit WindowsOfficeIdentityProbe(UserPseudonyms pseudonyms)
      : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.office_identity"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

// OneDrive accounts (HKCU\Software\Microsoft\OneDrive\Accounts: Personal, Business1...) and the
// SharePoint libraries they sync (HKCU\Software\SyncEngines\Providers\OneDrive).
class WindowsOneDriveProbe : public Probe {
 public:
  explicit WindowsOneDriveProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.onedrive"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

}  // namespace vigie::agent

namespace vigie::agent {

// Microsoft Teams, per profile (shared/reference/detection-signals.md §4.1, §4.2): classic Teams
// installed for the user (%LOCALAPPDATA%\Microsoft\Teams, unless marked uninstalled by ".dead")
// and its tenant (%APPDATA%\Microsoft\Teams\desktop-config.json); the new Teams (MSIX package
// MSTeams_8wekyb3d8bbwe: the user's package folder, or the package provisioned for every user)
// and its accounts (%LOCALAPPDATA%\Publishers\8wekyb3d8bbwe\TeamsSharedConfig\tma_settings.json).
class WindowsTeamsProbe : public Probe {
 public:
  static constexpr std::string_view kNewTeams = "Microsoft Teams";
  static constexpr std::string_view kClassicTeams = "Microsoft Teams classic";

  explicit WindowsTeamsProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.teams"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

// Classic Outlook's mail profiles (HKCU\Software\Microsoft\Office\<version>\Outlook\Profiles):
// each account on Exchange Online, or on IMAP/POP servers of Exchange Online, is MAIL CONFIGURED
// with the domain of its address; an Exchange account whose server the profile does not name is
// a per-user error. The new Outlook installed for a user (%LOCALAPPDATA%\Microsoft\Olk) is MAIL
// INSTALLED: its accounts have no documented source.
class WindowsOutlookProbe : public Probe {
 public:
  static constexpr std::string_view kClassicOutlook = "Outlook";
  static constexpr std::string_view kNewOutlook = "Nouvel Outlook (comptes non lus)";

  explicit WindowsOutlookProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.outlook"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

// Office's modern ("vNext") subscription licences, per user: the products listed with the value 2
// under HKCU\Software\Microsoft\Office\16.0\Common\Licensing\LicensingNext, and licence files
// under %LOCALAPPDATA%\Microsoft\Office\Licenses. CLOUD_LICENSING SIGNED_IN per product.
class WindowsOfficeLicensingProbe : public Probe {
 public:
  explicit WindowsOfficeLicensingProbe(UserPseudonyms pseudonyms)
      : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.office_licensing"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

// Policies that reduce exposure to the Microsoft cloud (§3.4, §6), machine-wide (HKLM) and per
// user: Office connected experiences disabled, sign-in to Office restricted, OneDrive sync
// blocked or limited to listed tenants. POLICY evidence, one per policy in force.
class WindowsOfficePolicyProbe : public Probe {
 public:
  explicit WindowsOfficePolicyProbe(UserPseudonyms pseudonyms)
      : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.office_policy"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

// Office's recent documents and places (§7: HKCU\Software\Microsoft\Office\<version>\<app>\File
// MRU and Place MRU, and the same under User MRU\<identity>): the items on SharePoint Online or
// OneDrive are counted per service and tenant, with the day of the latest one, as USED evidence.
// The paths are read and dropped.
class WindowsOfficeMruProbe : public Probe {
 public:
  explicit WindowsOfficeMruProbe(UserPseudonyms pseudonyms) : pseudonyms_(std::move(pseudonyms)) {}
  std::string_view name() const override { return "windows.office_mru"; }
  Status Run(const SystemView& system, ScanFacts& facts) const override;

 private:
  UserPseudonyms pseudonyms_;
};

}  // namespace vigie::agent
