#include "agent/windows/private_directory.h"

#include <windows.h>
// After windows.h, which they need.
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>

#include "agent/win32_error.h"

namespace vigie::agent {

Result<std::string> ServiceDirectory() {
  wchar_t* program_data = nullptr;
  const HRESULT result = SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &program_data);
  if (FAILED(result)) {
    CoTaskMemFree(program_data);
    return Win32Error(static_cast<DWORD>(HRESULT_CODE(result)),
                      "cannot find the ProgramData folder");
  }
  std::string path = Narrow(program_data) + "\\Vigie";
  CoTaskMemFree(program_data);
  return path;
}

Status MakePrivateDirectory(const std::string& path) {
  const std::wstring wide = Wide(path);
  // SHCreateDirectoryExW makes the missing parents too; an existing folder is fine.
  const int created = SHCreateDirectoryExW(nullptr, wide.c_str(), nullptr);
  if (created != ERROR_SUCCESS && created != ERROR_ALREADY_EXISTS && created != ERROR_FILE_EXISTS) {
    return Win32Error(static_cast<DWORD>(created), "cannot create " + path);
  }
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
          Wide(kPrivateDirectorySddl).c_str(), SDDL_REVISION_1, &descriptor, nullptr)) {
    return Win32Error(GetLastError(), "cannot build the security descriptor of " + path);
  }
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted);
  const DWORD set =
      SetNamedSecurityInfoW(const_cast<wchar_t*>(wide.c_str()), SE_FILE_OBJECT,
                            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                            nullptr, nullptr, dacl, nullptr);
  LocalFree(descriptor);
  if (set != ERROR_SUCCESS) return Win32Error(set, "cannot restrict access to " + path);
  return Status();
}

Result<std::string> DirectoryDacl(const std::string& path) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  const DWORD got =
      GetNamedSecurityInfoW(Wide(path).c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                            nullptr, nullptr, nullptr, &descriptor);
  if (got != ERROR_SUCCESS) return Win32Error(got, "cannot read who may open " + path);
  wchar_t* sddl = nullptr;
  const BOOL converted = ConvertSecurityDescriptorToStringSecurityDescriptorW(
      descriptor, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &sddl, nullptr);
  const DWORD error = GetLastError();
  LocalFree(descriptor);
  if (!converted) return Win32Error(error, "cannot describe who may open " + path);
  std::string text = Narrow(sddl);
  LocalFree(sddl);
  return text;
}

}  // namespace vigie::agent
