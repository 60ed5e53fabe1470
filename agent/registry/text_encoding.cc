#include "agent/registry/text_encoding.h"

#include <array>

#include "common/text.h"

namespace vigie::agent::registry::internal {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Windows-1252 differs from Latin-1 only in 0x80-0x9F. The five bytes it leaves undefined map to
// the same C1 control code points, as MultiByteToWideChar does.
constexpr std::array<char16_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98-9F
};

// The decoded code point, or nothing for an invalid sequence; `length` is the bytes it spans.
std::optional<char32_t> DecodeUtf8(std::string_view text, std::size_t position,
                                   std::size_t& length) {
  length = 1;
  const auto lead = static_cast<unsigned char>(text[position]);
  if (lead < 0x80) return lead;
  std::size_t count = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    count = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    count = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    count = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - position < count) return std::nullopt;
  for (std::size_t i = 1; i < count; ++i) {
    const auto byte = static_cast<unsigned char>(text[position + i]);
    if ((byte & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return std::nullopt;
  }
  length = count;
  return code_point;
}

bool IsHighSurrogate(char16_t unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool IsLowSurrogate(char16_t unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

}  // namespace

char32_t NextCodePoint(std::string_view text, std::size_t& position) {
  std::size_t length = 0;
  const std::optional<char32_t> code_point = DecodeUtf8(text, position, length);
  position += length;
  return code_point.value_or(kReplacement);
}

std::optional<std::size_t> FindInvalidUtf8(std::string_view text) {
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t length = 0;
    if (!DecodeUtf8(text, position, length)) return position;
    position += length;
  }
  return std::nullopt;
}

void AppendUtf16(char32_t code_point, std::u16string& out) {
  if (code_point < 0x10000) {
    out += static_cast<char16_t>(code_point);
    return;
  }
  code_point -= 0x10000;
  out += static_cast<char16_t>(0xD800 + (code_point >> 10));
  out += static_cast<char16_t>(0xDC00 + (code_point & 0x3FF));
}

std::u16string Utf8ToUtf16(std::string_view text) {
  std::u16string units;
  std::size_t position = 0;
  while (position < text.size()) AppendUtf16(NextCodePoint(text, position), units);
  return units;
}

std::string Utf16ToUtf8(std::u16string_view units) {
  std::string text;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const char16_t unit = units[i];
    if (IsHighSurrogate(unit) && i + 1 < units.size() && IsLowSurrogate(units[i + 1])) {
      AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00), text);
      ++i;
    } else if (IsHighSurrogate(unit) || IsLowSurrogate(unit)) {
      AppendUtf8(kReplacement, text);
    } else {
      AppendUtf8(unit, text);
    }
  }
  return text;
}

std::u16string Utf16FromLeBytes(std::span<const std::uint8_t> bytes) {
  std::u16string units;
  units.reserve(bytes.size() / 2);
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    units += static_cast<char16_t>(bytes[i] | (bytes[i + 1] << 8));
  }
  return units;
}

std::vector<std::uint8_t> Utf16ToLeBytes(std::u16string_view units) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(units.size() * 2);
  for (const char16_t unit : units) {
    bytes.push_back(static_cast<std::uint8_t>(unit & 0xFF));
    bytes.push_back(static_cast<std::uint8_t>(unit >> 8));
  }
  return bytes;
}

std::u16string Windows1252ToUtf16(std::string_view bytes) {
  std::u16string units;
  units.reserve(bytes.size());
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    units += (value >= 0x80 && value <= 0x9F) ? kWindows1252High[value - 0x80]
                                              : static_cast<char16_t>(value);
  }
  return units;
}

}  // namespace vigie::agent::registry::internal
