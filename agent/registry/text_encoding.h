#pragma once

// Conversions between the encodings registry files use. Internal to vigie_registry.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::agent::registry::internal {

// Decodes the UTF-8 sequence at text[position] and moves past it. An invalid sequence gives
// U+FFFD and moves one byte.
char32_t NextCodePoint(std::string_view text, std::size_t& position);

// The offset of the first invalid UTF-8 sequence (overlong forms and surrogates included).
std::optional<std::size_t> FindInvalidUtf8(std::string_view text);

void AppendUtf16(char32_t code_point, std::u16string& out);

// Invalid sequences become U+FFFD.
std::u16string Utf8ToUtf16(std::string_view text);

// Unpaired surrogates, which registry names and data may hold, become U+FFFD.
std::string Utf16ToUtf8(std::u16string_view units);

// Little-endian code units; a trailing odd byte cannot be part of one and is ignored.
std::u16string Utf16FromLeBytes(std::span<const std::uint8_t> bytes);
std::vector<std::uint8_t> Utf16ToLeBytes(std::u16string_view units);

// The ANSI code page of Western-European Windows, which REGEDIT4 files are written in.
std::u16string Windows1252ToUtf16(std::string_view bytes);

}  // namespace vigie::agent::registry::internal
