#include "agent/registry/wine_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "agent/registry/reg_file.h"

namespace vigie::agent::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;
using namespace std::string_literals;

// An excerpt in the shape Wine's server writes system.reg.
constexpr std::string_view kSystemReg = R"(WINE REGISTRY Version 2
;; All keys relative to \\Machine

#arch=win64

[Software\\Microsoft\\Office\\16.0\\Common] 1700000000
#time=1da1b2c3d4e5f60
@="d\x00e9faut"
"Caf\xe9"="\x20ac 5"
"Path"=str(2):"%ProgramFiles%\\Microsoft Office\\root"
"Places"=str(7):"OneDrive - Minist\xe8re\0SharePoint\0"
"Plain"=str:"plain"
"Count"=dword:0000001f
"Big"=hex(b):00,80,3e,d5,de,b1,9d,01
"Blob"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,16,\
  17,18,19
"Controls"="a\nb\tc\r\\d\"e\a\b\e\f\v"
"Octal"="\1x\0012"
"Emoji"="\xd83d\xde00"
"HexThenDigit"="\x00e9a"
"BareX"="\xyz"
"say \"hi\""="v"
"Odd"=hex(1):41,00,42

[Software\\Classes\\Key\[with\]brackets] 1700000001
#time=1da1b2c3d4e5f61
#class="Some class"
"x"=""

[Software\\Wine\\Link] 1700000002
#link
"SymbolicLinkValue"=hex(6):5c,00,52,00
)";

RegistrySnapshot MustParse(std::string_view bytes, std::string_view root) {
  RegistrySnapshot snapshot;
  const Status status = ParseWineRegistry(bytes, "system.reg", root, snapshot);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return snapshot;
}

std::string StringOf(const RegistrySnapshot& snapshot, std::string_view key,
                     std::string_view name) {
  const Value* value = snapshot.FindValue(key, name);
  if (value == nullptr) return "<absent>";
  const Result<std::string> text = value->AsString();
  return text.ok() ? *text : text.status().ToString();
}

std::vector<std::uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

TEST(RegistryWineTest, SystemRegExcerpt) {
  const RegistrySnapshot snapshot = MustParse(kSystemReg, "HKEY_LOCAL_MACHINE");
  const std::string common = "HKLM\\Software\\Microsoft\\Office\\16.0\\Common";
  ASSERT_NE(snapshot.FindKey(common), nullptr);
  EXPECT_EQ(snapshot.FindKey(common)->path,
            "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Office\\16.0\\Common");
  EXPECT_EQ(StringOf(snapshot, common, ""), "défaut");
  EXPECT_EQ(StringOf(snapshot, common, "café"), "€ 5");
  const Value* path = snapshot.FindValue(common, "Path");
  EXPECT_EQ(path->type, ValueType::kExpandSz);
  EXPECT_EQ(*path->AsString(), "%ProgramFiles%\\Microsoft Office\\root");
  const Value* places = snapshot.FindValue(common, "Places");
  EXPECT_EQ(places->type, ValueType::kMultiSz);
  // Wine leaves the last NUL implicit: the data ends with the registry's double NUL.
  EXPECT_TRUE(places->data.size() >= 4 && places->data[places->data.size() - 4] == 0 &&
              places->data.back() == 0 && places->data[places->data.size() - 2] == 0);
  EXPECT_THAT(*places->AsMultiString(), ElementsAre("OneDrive - Ministère", "SharePoint"));
  EXPECT_EQ(StringOf(snapshot, common, "Plain"), "plain");
  EXPECT_EQ(*snapshot.FindValue(common, "Count")->AsDword(), 31u);
  EXPECT_EQ(*snapshot.FindValue(common, "Big")->AsQword(), 0x019DB1DED53E8000u);
  const Value* blob = snapshot.FindValue(common, "Blob");
  EXPECT_EQ(blob->type, ValueType::kBinary);
  ASSERT_EQ(blob->data.size(), 26u);
  EXPECT_EQ(blob->data[25], 0x19);
  EXPECT_EQ(StringOf(snapshot, common, "Controls"), "a\nb\tc\r\\d\"e\a\b\x1b\f\v");
  EXPECT_EQ(snapshot.FindValue(common, "Octal")->data, Bytes("\x01\0x\0\x01\0"
                                                             "2\0\0\0"s));
  EXPECT_EQ(StringOf(snapshot, common, "Emoji"), "😀");
  EXPECT_EQ(StringOf(snapshot, common, "HexThenDigit"), "éa");
  EXPECT_EQ(StringOf(snapshot, common, "BareX"), "xyz");
  EXPECT_EQ(StringOf(snapshot, common, "say \"hi\""), "v");
  EXPECT_EQ(snapshot.FindValue(common, "Odd")->data, Bytes("A\0B"s));
  EXPECT_EQ(StringOf(snapshot, common, "Odd"), "A");

  EXPECT_THAT(snapshot.ListSubkeys("HKLM\\Software\\Classes"), ElementsAre("Key[with]brackets"));
  EXPECT_EQ(StringOf(snapshot, "HKLM\\Software\\Classes\\Key[with]brackets", "x"), "");
  EXPECT_EQ(snapshot.FindValue("HKLM\\Software\\Wine\\Link", "SymbolicLinkValue")->type,
            ValueType::kLink);
  EXPECT_THAT(snapshot.ListSubkeys("HKLM\\Software"), ElementsAre("Classes", "Microsoft", "Wine"));
}

TEST(RegistryWineTest, UserAndUserdefRoots) {
  const std::string user_reg =
      "WINE REGISTRY Version 2\n"
      ";; All keys relative to \\\\User\\\\S-1-5-21-0-0-0-1000\n\n#arch=win64\n\n"
      "[Software\\\\Microsoft\\\\Office\\\\16.0\\\\Common\\\\Identity] 1700000000\n"
      "#time=1da1b2c3d4e5f60\n\"EnableADAL\"=dword:00000001\n";
  RegistrySnapshot snapshot;
  ASSERT_TRUE(ParseWineRegistry(user_reg, "user.reg", "HKEY_CURRENT_USER", snapshot).ok());
  ASSERT_TRUE(ParseWineRegistry(user_reg, "userdef.reg", "HKEY_USERS\\.Default", snapshot).ok());
  EXPECT_EQ(
      *snapshot
           .FindValue("HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity", "EnableADAL")
           ->AsDword(),
      1u);
  EXPECT_NE(snapshot.FindKey("HKEY_USERS\\.DEFAULT\\Software\\Microsoft"), nullptr);
  EXPECT_THAT(snapshot.ListSubkeys("HKU"), ElementsAre(".Default"));
}

TEST(RegistryWineTest, MergesWithRegFilesAndTheRootKeyItself) {
  RegistrySnapshot snapshot;
  ASSERT_TRUE(ParseWineRegistry("WINE REGISTRY Version 2\n[] 1\n\"AtRoot\"=\"r\"\n"
                                "[Software\\\\A] 1\n\"v\"=\"wine\"\n",
                                "system.reg", "HKLM", snapshot)
                  .ok());
  ASSERT_TRUE(ParseRegFile("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\"
                           "Software\\A]\n\"v\"=\"reg\"\n",
                           "later.reg", snapshot)
                  .ok());
  EXPECT_EQ(StringOf(snapshot, "HKLM", "AtRoot"), "r");
  EXPECT_EQ(StringOf(snapshot, "HKLM\\Software\\A", "v"), "reg");
}

TEST(RegistryWineTest, MalformedInputNamesTheLineAndAppliesNothing) {
  const std::string head = "WINE REGISTRY Version 2\n[Software\\\\T] 1700000000\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"WINE REGISTRY Version 1\n",
       "system.reg:1: not a Wine registry file: the first line must be \"WINE REGISTRY Version "
       "2\""},
      {"",
       "system.reg:1: not a Wine registry file: the first line must be \"WINE REGISTRY "
       "Version 2\""},
      {"WINE REGISTRY Version 2\n#arch=win64\n\"v\"=\"x\"\n",
       "system.reg:3: value line outside a key: a [key] line must precede it"},
      {head + "\"v\"=\"abc\n", "system.reg:3: unterminated string"},
      {head + "\"v\"=str(2):abc\n", "system.reg:3: malformed str(N): prefix"},
      {head + "\"v\"=str(x):\"abc\"\n", "system.reg:3: malformed str(N): prefix"},
      {head + "\"v\"=-\n",
       "system.reg:3: unrecognised value data: expected \"string\", dword:, hex: or hex(N):"},
      {head + "\"v\"=hex:0,1,zz\n", "system.reg:3: bad byte in hex list: expected two hex digits"},
      {head + "\"v\"=hex:00,\\\n", "system.reg:3: hex list continues past the end of the file"},
      {head + "[Software\\\\x 1\n", "system.reg:3: key line without a closing ']'"},
      {head + "[Software\\\\x] later\n",
       "system.reg:3: unexpected text after the key's ']': expected a modification time"},
      {head + "text\n",
       "system.reg:3: unrecognised line: expected [key], \"name\"=, @=, # option or ; comment"},
      {head + "\"v\"=\"\xE9\"\n", "system.reg:3: invalid UTF-8"},
  };
  for (const auto& [bytes, message] : cases) {
    SCOPED_TRACE(message);
    RegistrySnapshot snapshot;
    const Status status = ParseWineRegistry(bytes, "system.reg", "HKEY_LOCAL_MACHINE", snapshot);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), message);
    EXPECT_EQ(snapshot.key_count(), 0u);
  }
}

TEST(RegistryWineTest, UnknownRootKey) {
  RegistrySnapshot snapshot;
  const Status status = ParseWineRegistry(kSystemReg, "system.reg", "\\\\Machine", snapshot);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("system.reg: root key: unknown root key"));
}

TEST(RegistryWineTest, RandomBytesAreAnErrorNotACrash) {
  std::mt19937 random(99);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 600);
  for (int round = 0; round < 500; ++round) {
    std::string bytes(length(random), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    if (round % 2 == 1) bytes = "WINE REGISTRY Version 2\n[x] 1\n" + bytes;
    RegistrySnapshot snapshot;
    const Status status = ParseWineRegistry(bytes, "random.reg", "HKLM", snapshot);
    // Only a header-less input is sure to be wrong: a few random bytes may be blank lines.
    if (round % 2 == 0 || !status.ok()) {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << "round " << round;
      EXPECT_THAT(status.message(), StartsWith("random.reg:"));
    }
  }
}

}  // namespace
}  // namespace vigie::agent::registry
