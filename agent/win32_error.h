#pragma once

#include <windows.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie::agent {

// UTF-8 (the program's strings) to and from UTF-16 (the W functions of the Win32 API).
std::wstring Wide(std::string_view text);
std::string Narrow(std::wstring_view text);

// The system's text for `code`, in English when the system has it, with the number.
std::string ErrorText(DWORD code);

// The one place Win32 error codes become Status (docs/windows.md): absent is NOT_FOUND, denied
// is PERMISSION_DENIED, a sharing violation UNAVAILABLE, a damaged hive DATA_LOSS.
Status Win32Error(DWORD code, std::string_view what);

}  // namespace vigie::agent
