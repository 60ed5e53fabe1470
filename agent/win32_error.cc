#include "agent/win32_error.h"

#include <fmt/format.h>

#include <utility>

#include "common/text.h"

namespace vigie::agent {

std::wstring Wide(std::string_view text) {
  if (text.empty()) return {};
  const int size =
      MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(size), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
  return out;
}

std::string Narrow(std::wstring_view text) {
  if (text.empty()) return {};
  const int size = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                       nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(size), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size,
                      nullptr, nullptr);
  return out;
}

// The system's text for `code`, in English when the system has it (logs and probe errors are
// in English), with the number, which stays searchable on a French Windows.
std::string ErrorText(DWORD code) {
  wchar_t* buffer = nullptr;
  const DWORD flags =
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;
  DWORD size = FormatMessageW(flags, nullptr, code, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US),
                              reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  if (size == 0) {
    size = FormatMessageW(flags, nullptr, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
                          reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  }
  std::string text = size == 0 ? std::string() : Narrow(std::wstring_view(buffer, size));
  if (buffer != nullptr) LocalFree(buffer);
  text = std::string(TrimWhitespace(text));
  while (!text.empty() && text.back() == '.') text.pop_back();
  return fmt::format("{} (Win32 error {})", text.empty() ? "unknown error" : text, code);
}

// The one place Win32 error codes become Status: "absent" must stay NOT_FOUND so that probes
// tell it from "unreadable".
Status Win32Error(DWORD code, std::string_view what) {
  std::string message = fmt::format("{}: {}", what, ErrorText(code));
  switch (code) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
      return NotFound(std::move(message));
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
      return PermissionDenied(std::move(message));
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
      return Unavailable(std::move(message));
    case ERROR_BADDB:
    case ERROR_BADKEY:
    case ERROR_REGISTRY_CORRUPT:
    case ERROR_REGISTRY_IO_FAILED:
    case ERROR_NOT_REGISTRY_FILE:
    case ERROR_HANDLE_EOF:
      return DataLoss(std::move(message));
    default:
      return Unavailable(std::move(message));
  }
}

}  // namespace vigie::agent
