#include "agent/registry/reg_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace vigie::agent::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::string_literals;

constexpr std::string_view kHeader = "Windows Registry Editor Version 5.00\r\n\r\n";

std::vector<std::uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

// UTF-8 to UTF-16LE with a BOM, written independently of the library's own converter.
std::string Utf16LeWithBom(std::string_view utf8) {
  std::string out = "\xFF\xFE";
  const auto put = [&out](std::uint32_t unit) {
    out += static_cast<char>(unit & 0xFF);
    out += static_cast<char>(unit >> 8);
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    std::uint32_t code_point = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length; ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    i += length;
    if (code_point >= 0x10000) {
      put(0xD800 + ((code_point - 0x10000) >> 10));
      put(0xDC00 + ((code_point - 0x10000) & 0x3FF));
    } else {
      put(code_point);
    }
  }
  return out;
}

RegistrySnapshot MustParse(std::string_view bytes) {
  RegistrySnapshot snapshot;
  const Status status = ParseRegFile(bytes, "test.reg", snapshot);
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

struct ValueCase {
  std::string line;
  ValueType type;
  std::string data;
};

TEST(RegistryRegFileTest, EveryValueSyntax) {
  const std::vector<ValueCase> cases = {
      {R"("v"="text")", ValueType::kSz, "t\0e\0x\0t\0\0\0"s},
      {R"("v"="a\\b\"c")", ValueType::kSz, "a\0\\\0b\0\"\0c\0\0\0"s},
      {R"("v"="C:\Temp")", ValueType::kSz, "C\0:\0\\\0T\0e\0m\0p\0\0\0"s},
      {R"("v"="")", ValueType::kSz, "\0\0"s},
      {R"("v" = "spaced")", ValueType::kSz, "s\0p\0a\0c\0e\0d\0\0\0"s},
      {"\"v\"=dword:0000001f", ValueType::kDword, "\x1f\0\0\0"s},
      {"\"v\"=dword:FFFFFFFe", ValueType::kDword, "\xfe\xff\xff\xff"},
      {"\"v\"=dword:1", ValueType::kDword, "\x01\0\0\0"s},
      {"\"v\"=hex:01,ab,00", ValueType::kBinary, "\x01\xab\0"s},
      {"\"v\"=hex:", ValueType::kBinary, ""},
      {"\"v\"=hex: 01 , 02 ,", ValueType::kBinary, "\x01\x02"},
      {"\"v\"=hex(0):01", ValueType::kNone, "\x01"},
      {"\"v\"=hex(1):41,00,00,00", ValueType::kSz, "A\0\0\0"s},
      {"\"v\"=hex(2):25,00,41,00,25,00,00,00", ValueType::kExpandSz, "%\0A\0%\0\0\0"s},
      {"\"v\"=hex(3):ff", ValueType::kBinary, "\xff"},
      {"\"v\"=hex(4):01,00,00,00", ValueType::kDword, "\x01\0\0\0"s},
      {"\"v\"=hex(5):00,00,00,01", ValueType::kDwordBigEndian, "\0\0\0\x01"s},
      {"\"v\"=hex(6):5c,00", ValueType::kLink, "\\\0"s},
      {"\"v\"=hex(7):61,00,00,00,62,00,00,00,00,00", ValueType::kMultiSz, "a\0\0\0b\0\0\0\0\0"s},
      {"\"v\"=hex(8):08", ValueType::kResourceList, "\x08"},
      {"\"v\"=hex(9):09", ValueType::kFullResourceDescriptor, "\x09"},
      {"\"v\"=hex(a):0a", ValueType::kResourceRequirementsList, "\x0a"},
      {"\"v\"=hex(b):01,02,03,04,05,06,07,08", ValueType::kQword,
       "\x01\x02\x03\x04\x05\x06\x07\x08"},
      {"\"v\"=hex(B):0b", ValueType::kQword, "\x0b"},
      {"\"v\"=hex(ffff0001):02", static_cast<ValueType>(0xffff0001), "\x02"},
      {"@=\"default\"", ValueType::kSz, "d\0e\0f\0a\0u\0l\0t\0\0\0"s},
  };
  for (const ValueCase& test : cases) {
    SCOPED_TRACE(test.line);
    const RegistrySnapshot snapshot =
        MustParse(std::string(kHeader) + "[HKEY_LOCAL_MACHINE\\T]\r\n" + test.line + "\r\n");
    const Key* key = snapshot.FindKey("HKLM\\T");
    ASSERT_NE(key, nullptr);
    ASSERT_EQ(key->values.size(), 1u);
    EXPECT_EQ(key->values[0].name, test.line.starts_with('@') ? "" : "v");
    EXPECT_EQ(key->values[0].type, test.type);
    EXPECT_EQ(key->values[0].data, Bytes(test.data));
  }
}

TEST(RegistryRegFileTest, TypedAccessorsOnParsedValues) {
  const RegistrySnapshot snapshot = MustParse(std::string(kHeader) +
                                              "[HKLM\\T]\n"
                                              "\"Count\"=dword:0000001f\n"
                                              "\"Big\"=hex(b):00,80,3e,d5,de,b1,9d,01\n"
                                              "\"Path\"=hex(2):25,00,41,00,25,00,00,00\n"
                                              "\"List\"=hex(7):61,00,00,00,62,00,00,00,00,00\n");
  EXPECT_EQ(*snapshot.FindValue("HKLM\\T", "count")->AsDword(), 31u);
  EXPECT_EQ(*snapshot.FindValue("HKLM\\T", "Big")->AsQword(), 0x019DB1DED53E8000u);
  EXPECT_EQ(StringOf(snapshot, "HKLM\\T", "Path"), "%A%");
  EXPECT_THAT(*snapshot.FindValue("HKLM\\T", "List")->AsMultiString(), ElementsAre("a", "b"));
}

TEST(RegistryRegFileTest, NamesWithBracketsSpacesEqualsAndQuotes) {
  const RegistrySnapshot snapshot = MustParse(std::string(kHeader) +
                                              "; exported by hand\r\n"
                                              "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Key with spaces]\r\n"
                                              "\"na=me\"=\"v1\"\r\n"
                                              "\"say \\\"hi\\\"\"=\"v2\"\r\n"
                                              "\"back\\\\slash\"=\"v3\"\r\n"
                                              "\r\n"
                                              "[HKEY_CURRENT_USER\\Software\\Odd]Name]  \r\n"
                                              "  \"x\"=\"y\"\r\n");
  EXPECT_EQ(StringOf(snapshot, "HKLM\\SOFTWARE\\Key with spaces", "na=me"), "v1");
  EXPECT_EQ(StringOf(snapshot, "HKLM\\SOFTWARE\\Key with spaces", "say \"hi\""), "v2");
  EXPECT_EQ(StringOf(snapshot, "HKLM\\SOFTWARE\\Key with spaces", "back\\slash"), "v3");
  EXPECT_EQ(StringOf(snapshot, "HKCU\\Software\\Odd]Name", "x"), "y");
  EXPECT_THAT(snapshot.ListSubkeys("HKCU\\Software"), ElementsAre("Odd]Name"));
}

TEST(RegistryRegFileTest, ContinuationLinesWithCrlfAndLf) {
  for (const std::string end : {"\r\n", "\n"}) {
    SCOPED_TRACE(end == "\n" ? "LF" : "CRLF");
    const RegistrySnapshot snapshot = MustParse(
        "Windows Registry Editor Version 5.00" + end + end + "[HKLM\\T]" + end +
        "\"Blob\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,\\" + end +
        "  16,17,18,\\  " + end + "\t19" + end + "\"Multi\"=hex(7):61,00,00,00,62,00,00,\\" + end +
        "  00,00,00" + end + "\"After\"=dword:00000002" + end);
    const Value* blob = snapshot.FindValue("HKLM\\T", "Blob");
    ASSERT_NE(blob, nullptr);
    ASSERT_EQ(blob->data.size(), 26u);
    EXPECT_EQ(blob->data[25], 0x19);
    EXPECT_THAT(*snapshot.FindValue("HKLM\\T", "Multi")->AsMultiString(), ElementsAre("a", "b"));
    EXPECT_EQ(*snapshot.FindValue("HKLM\\T", "After")->AsDword(), 2u);
  }
}

TEST(RegistryRegFileTest, Utf16LeWithBomBuiltFromUtf8) {
  const std::string text = std::string(kHeader) +
                           "[HKEY_CURRENT_USER\\Software\\Société]\r\n"
                           "\"Prix €\"=\"10 € 😀\"\r\n"
                           "\"Exp\"=hex(2):25,00,e9,00,25,00,00,00\r\n";
  const RegistrySnapshot snapshot = MustParse(Utf16LeWithBom(text));
  EXPECT_EQ(StringOf(snapshot, "HKCU\\Software\\Société", "Prix €"), "10 € 😀");
  EXPECT_EQ(snapshot.FindValue("HKCU\\Software\\Société", "Prix €")->data,
            Bytes("1\0"
                  "0\0 \0\xAC\x20 \0\x3D\xD8\x00\xDE\0\0"s));
  EXPECT_EQ(StringOf(snapshot, "HKCU\\Software\\Société", "Exp"), "%é%");
}

TEST(RegistryRegFileTest, Utf8WithAndWithoutBom) {
  const std::string text = std::string(kHeader) + "[HKLM\\Café]\n\"Nom\"=\"Hélène\"\n";
  for (const std::string& bytes : {text, "\xEF\xBB\xBF" + text}) {
    const RegistrySnapshot snapshot = MustParse(bytes);
    EXPECT_EQ(StringOf(snapshot, "HKLM\\Café", "Nom"), "Hélène");
  }
}

TEST(RegistryRegFileTest, Regedit4IsWindows1252AndItsStringBytesBecomeUtf16) {
  const RegistrySnapshot snapshot = MustParse(
      "REGEDIT4\r\n\r\n"
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\xE9]\r\n"
      "\"Prix \x80\"=\"10 \x80 \x93ok\x94\"\r\n"
      "\"Exp\"=hex(2):25,41,25,e9,00\r\n"
      "\"Multi\"=hex(7):e9,00,80,00,00\r\n"
      "\"Sz\"=hex(1):e9,00\r\n"
      "\"Bin\"=hex:e9,80\r\n");
  const std::string key = "HKLM\\SOFTWARE\\Café";
  ASSERT_NE(snapshot.FindKey(key), nullptr);
  EXPECT_EQ(snapshot.FindKey(key)->path, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Café");
  EXPECT_EQ(StringOf(snapshot, key, "Prix €"), "10 € \u201Cok\u201D");
  EXPECT_EQ(snapshot.FindValue(key, "Exp")->data, Bytes("%\0A\0%\0\xE9\0\0\0"s));
  EXPECT_EQ(StringOf(snapshot, key, "Exp"), "%A%é");
  EXPECT_THAT(*snapshot.FindValue(key, "Multi")->AsMultiString(), ElementsAre("é", "€"));
  EXPECT_EQ(StringOf(snapshot, key, "Sz"), "é");
  EXPECT_EQ(snapshot.FindValue(key, "Bin")->data, Bytes("\xE9\x80"));
}

TEST(RegistryRegFileTest, LaterFilesMergeAndDelete) {
  RegistrySnapshot snapshot;
  ASSERT_TRUE(ParseRegFile(std::string(kHeader) +
                               "[HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Common]\n"
                               "\"Keep\"=\"1\"\n\"Drop\"=\"2\"\n@=\"d\"\n"
                               "[HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Word\\Options]\n"
                               "\"x\"=\"3\"\n"
                               "[HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Wordy]\n",
                           "first.reg", snapshot)
                  .ok());
  ASSERT_TRUE(ParseRegFile(std::string(kHeader) +
                               "[-HKEY_LOCAL_MACHINE\\software\\microsoft\\office\\16.0\\WORD]\n"
                               "[HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Common]\n"
                               "\"drop\"=-\n@=-\n\"Keep\"=dword:00000007\n\"New\"=\"4\"\n",
                           "second.reg", snapshot)
                  .ok());
  const std::string common = "HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Common";
  const Key* key = snapshot.FindKey(common);
  ASSERT_NE(key, nullptr);
  ASSERT_EQ(key->values.size(), 2u);
  EXPECT_EQ(key->values[0].name, "Keep");
  EXPECT_EQ(*key->values[0].AsDword(), 7u);
  EXPECT_EQ(key->values[1].name, "New");
  EXPECT_EQ(snapshot.FindKey("HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Word"), nullptr);
  EXPECT_EQ(snapshot.FindKey("HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Word\\Options"), nullptr);
  EXPECT_THAT(snapshot.ListSubkeys("hklm\\software\\microsoft\\office\\16.0"),
              ElementsAre("Common", "Wordy"));
  EXPECT_THAT(snapshot.ListSubkeys("HKLM\\SOFTWARE"), ElementsAre("Microsoft"));
}

TEST(RegistryRegFileTest, CheckedInUtf16Fixture) {
  std::ifstream file(VIGIE_FIXTURES_DIR "/registry/office_c2r_utf16.reg", std::ios::binary);
  ASSERT_TRUE(file) << "missing fixture";
  const std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  ASSERT_TRUE(bytes.starts_with("\xFF\xFE"));
  const RegistrySnapshot snapshot = MustParse(bytes);
  const std::string c2r = "HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration";
  EXPECT_EQ(StringOf(snapshot, c2r, "ProductReleaseIds"), "O365ProPlusRetail");
  EXPECT_EQ(StringOf(snapshot, c2r, "InstallationPath"), "C:\\Program Files\\Microsoft Office");
  const std::string user = "HKU\\S-1-5-21-1004336348-1177238915-682003330-1001";
  EXPECT_THAT(snapshot.ListSubkeys(user + "\\Software\\Microsoft\\Office\\16.0\\Common"),
              ElementsAre("General", "Identity"));
  const std::string identity = user + "\\Software\\Microsoft\\Office\\16.0\\Common\\Identity";
  EXPECT_EQ(*snapshot.FindValue(identity, "EnableADAL")->AsDword(), 1u);
  EXPECT_EQ(*snapshot.FindValue(identity, "LastSignIn")->AsQword(), 0x019DB1DED53E8000u);
  const std::string general = user + "\\Software\\Microsoft\\Office\\16.0\\Common\\General";
  EXPECT_EQ(StringOf(snapshot, general, ""), "Paramètres — défaut");
  EXPECT_EQ(StringOf(snapshot, general, "Dossier"), "%USERPROFILE%\\Documents\\Société");
  EXPECT_THAT(*snapshot.FindValue(general, "Places")->AsMultiString(),
              ElementsAre("OneDrive - Ministère", "SharePoint"));
}

struct ErrorCase {
  std::string bytes;
  std::string message;  // The whole Status message.
};

TEST(RegistryRegFileTest, MalformedInputNamesTheLineAndAppliesNothing) {
  // Line 3 deletes a key loaded before, line 4 opens a new one: neither may take effect.
  const std::string head = std::string(kHeader) + "[-HKLM\\Before]\r\n[HKLM\\T]\r\n";
  const std::vector<ErrorCase> cases = {
      {head + "\"v\"=\"abc\r\n", "bad.reg:5: unterminated string"},
      {head + "\"v=\"abc\"\r\n", "bad.reg:5: expected '=' after the value name"},
      {head + "\"v=1\r\n", "bad.reg:5: unterminated value name"},
      {head + "\"v\"=\"a\" x\r\n", "bad.reg:5: unexpected text after the string's closing quote"},
      {head + "\"v\"=hex:01,0g\r\n", "bad.reg:5: bad byte in hex list: expected two hex digits"},
      {head + "\"v\"=hex:123\r\n", "bad.reg:5: bad byte in hex list: expected two hex digits"},
      {head + "\"v\"=hex:01,,02\r\n", "bad.reg:5: empty byte in hex list"},
      {head + "\"v\"=hex:01,\\\r\n  02,zz\r\n",
       "bad.reg:6: bad byte in hex list: expected two hex digits"},
      {head + "\"v\"=hex(zz):01\r\n", "bad.reg:5: malformed hex(N): prefix"},
      {head + "\"v\"=hex(2)01\r\n", "bad.reg:5: malformed hex(N): prefix"},
      {head + "\"v\"=dword:123456789\r\n", "bad.reg:5: bad dword: expected up to 8 hex digits"},
      {head + "\"v\"=dword:\r\n", "bad.reg:5: bad dword: expected up to 8 hex digits"},
      {head + "\"v\"=dword:-1\r\n", "bad.reg:5: bad dword: expected up to 8 hex digits"},
      {head + "\"v\"=qword:1\r\n",
       "bad.reg:5: unrecognised value data: expected \"string\", dword:, hex: or hex(N):"},
      {head + "\"v\"=str(2):\"x\"\r\n",
       "bad.reg:5: unrecognised value data: expected \"string\", dword:, hex: or hex(N):"},
      {head + "garbage\r\n",
       "bad.reg:5: unrecognised line: expected [key], \"name\"=, @= or a ; comment"},
      {head + "[HKLM\\x\r\n", "bad.reg:5: key line without a closing ']'"},
      {head + "[HKLM\\x] y\r\n", "bad.reg:5: unexpected text after the key's ']'"},
      {head + "[]\r\n", "bad.reg:5: empty key path"},
      {head + "[HKEY_NOWHERE\\x]\r\n",
       "bad.reg:5: unknown root key: expected HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, "
       "HKEY_USERS, HKEY_CLASSES_ROOT or HKEY_CURRENT_CONFIG"},
      {std::string(kHeader) + "\"v\"=\"x\"\r\n",
       "bad.reg:3: value line outside a key: a [key] line must precede it"},
      {head + "[-HKLM\\T]\r\n\"v\"=\"x\"\r\n",
       "bad.reg:6: value line outside a key: a [key] line must precede it"},
      {"Windows Registry Editor Version 4.00\r\n",
       "bad.reg:1: not a .reg file: the first line must be \"Windows Registry Editor Version "
       "5.00\" or \"REGEDIT4\""},
      {"", "bad.reg:1: empty file"},
      // Truncated files: cut inside a wrapped hex list, and inside a string.
      {head + "\"v\"=hex:01,02,\\\r\n", "bad.reg:5: hex list continues past the end of the file"},
      {head + "\"v\"=\"C:\\\\Prog", "bad.reg:5: unterminated string"},
      {Utf16LeWithBom(head + "\"v\"=\"x\"\r\n") + "\x41",
       "bad.reg:6: UTF-16 text with an odd number of bytes (truncated file?)"},
      {"\xFE\xFF" + head, "bad.reg:1: UTF-16BE text: regedit reads UTF-16LE, UTF-8 or ANSI"},
      {Utf16LeWithBom(head).substr(2), "bad.reg:1: UTF-16 text without a byte order mark"},
      {head + "\"v\"=\"\xC3\x28\"\r\n", "bad.reg:5: invalid UTF-8"},
  };
  for (const ErrorCase& test : cases) {
    SCOPED_TRACE(test.message);
    RegistrySnapshot snapshot;
    ASSERT_TRUE(ParseRegFile(std::string(kHeader) + "[HKLM\\Before]\r\n\"old\"=\"1\"\r\n",
                             "good.reg", snapshot)
                    .ok());
    const Status status = ParseRegFile(test.bytes, "bad.reg", snapshot);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), test.message);
    EXPECT_EQ(snapshot.key_count(), 2u);
    EXPECT_EQ(StringOf(snapshot, "HKLM\\Before", "old"), "1");
    EXPECT_EQ(snapshot.FindKey("HKLM\\T"), nullptr);
  }
}

TEST(RegistryRegFileTest, RandomBytesAreAnErrorNotACrash) {
  std::mt19937 random(20240521);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 600);
  for (int round = 0; round < 500; ++round) {
    std::string bytes(length(random), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    if (round % 3 == 1) bytes = "\xFF\xFE" + bytes;
    RegistrySnapshot snapshot;
    const Status status = ParseRegFile(bytes, "random.reg", snapshot);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << "round " << round;
    EXPECT_THAT(status.message(), StartsWith("random.reg:"));
    EXPECT_EQ(snapshot.key_count(), 0u);
  }
}

TEST(RegistryRegFileTest, RandomLinesAfterAValidHeaderNeverCrash) {
  // Shuffled fragments of real syntax reach deeper into the parser than random bytes do.
  const std::vector<std::string> fragments = {
      "[HKLM\\A]", "[-HKLM\\A]", "[",    "]",    "\"", "\\",      "\\\"",     "=",    "@",   "-",
      "dword:",    "1f",         "hex",  "hex(", "7",  "):",      ":",        "00,",  "ab",  ",",
      "\\\r\n",    "\n",         "\r\n", "  ",   ";",  "str(2):", "\xC3\xA9", "\xFF", "\x80"};
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
  std::uniform_int_distribution<int> count(0, 80);
  int accepted = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text = std::string(kHeader);
    for (int i = count(random); i > 0; --i) text += fragments[pick(random)];
    RegistrySnapshot snapshot;
    const Status status = ParseRegFile(text, "fuzz.reg", snapshot);
    if (status.ok()) {
      ++accepted;
    } else {
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(status.message(), StartsWith("fuzz.reg:"));
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace vigie::agent::registry
