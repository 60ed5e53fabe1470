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
