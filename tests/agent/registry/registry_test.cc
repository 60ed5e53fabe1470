#include "agent/registry/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vigie::agent::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace std::string_literals;

std::vector<std::uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

Value Make(ValueType type, std::string_view data) {
  return {.name = "v", .type = type, .data = Bytes(data)};
}

Edit SetValue(std::string path, std::string name, std::string_view utf16le_data) {
  return {.kind = Edit::Kind::kSetValue,
          .key_path = std::move(path),
          .value = {.name = std::move(name), .type = ValueType::kSz, .data = Bytes(utf16le_data)}};
}

Edit KeyEdit(Edit::Kind kind, std::string path) {
  return {.kind = kind, .key_path = std::move(path), .value = {}};
}

Edit DeleteValue(std::string path, std::string name) {
  return {.kind = Edit::Kind::kDeleteValue,
          .key_path = std::move(path),
          .value = {.name = std::move(name), .type = ValueType::kNone, .data = {}}};
}

TEST(RegistryValueTest, StringTypesDecodeUtf16UpToTheFirstNul) {
  for (const ValueType type : {ValueType::kSz, ValueType::kExpandSz, ValueType::kLink}) {
    const Value value = Make(type, "O\0f\0\xE9\0\0\0x\0\0\0"s);
    const Result<std::string> text = value.AsString();
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    EXPECT_EQ(*text, "Of\xC3\xA9");
  }
}

TEST(RegistryValueTest, StringsKeepSurrogatePairsAndReplaceLoneSurrogates) {
  // U+1F600 as D83D DE00, then a lone DC00, no terminator, and a dangling odd byte.
  const Value value = Make(ValueType::kSz,
                           "\x3D\xD8\x00\xDE\x00\xDC"
                           "a\0"
                           "b"s);
  EXPECT_EQ(*value.AsString(),
            "\xF0\x9F\x98\x80\xEF\xBF\xBD"
            "a");
}

TEST(RegistryValueTest, EmptyStringData) { EXPECT_EQ(*Make(ValueType::kSz, "").AsString(), ""); }

TEST(RegistryValueTest, DwordsAreLittleEndianUnlessBigEndianType) {
  EXPECT_EQ(*Make(ValueType::kDword, "\x1f\x00\x00\x80"s).AsDword(), 0x8000001Fu);
  EXPECT_EQ(*Make(ValueType::kDwordBigEndian, "\x00\x00\x01\x02"s).AsDword(), 0x0102u);
}

TEST(RegistryValueTest, QwordIsLittleEndian) {
  EXPECT_EQ(*Make(ValueType::kQword, "\x01\x02\x03\x04\x05\x06\x07\x08").AsQword(),
            0x0807060504030201u);
}

TEST(RegistryValueTest, MultiStringStopsAtTheEmptyString) {
  const std::string data = "a\0\0\0b\0c\0\0\0\0\0z\0\0\0"s;
  EXPECT_THAT(*Make(ValueType::kMultiSz, data).AsMultiString(), ElementsAre("a", "bc"));
  EXPECT_THAT(*Make(ValueType::kMultiSz, "\0\0"s).AsMultiString(), IsEmpty());
  EXPECT_THAT(*Make(ValueType::kMultiSz, "").AsMultiString(), IsEmpty());
  // A last string missing its terminator still counts.
  EXPECT_THAT(*Make(ValueType::kMultiSz, "x\0\0\0y\0"s).AsMultiString(), ElementsAre("x", "y"));
}

TEST(RegistryValueTest, WrongTypeIsFailedPrecondition) {
  const Value dword = Make(ValueType::kDword, "\x01\x00\x00\x00"s);
  EXPECT_EQ(dword.AsString().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(dword.AsString().status().message(), "value is REG_DWORD, not a string");
  EXPECT_EQ(dword.AsQword().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(dword.AsMultiString().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Make(ValueType::kBinary, "\x01\x00\x00\x00"s).AsDword().status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Make(ValueType::kMultiSz, "a\0"s).AsString().status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(RegistryValueTest, WrongSizeIsDataLoss) {
  const Status dword = Make(ValueType::kDword, "\x01\x00"s).AsDword().status();
  EXPECT_EQ(dword.code(), StatusCode::kDataLoss);
  EXPECT_EQ(dword.message(), "REG_DWORD value has 2 bytes instead of 4");
  EXPECT_EQ(Make(ValueType::kQword, "\x01\x02\x03\x04").AsQword().status().code(),
            StatusCode::kDataLoss);
}

TEST(RegistryValueTest, TypeNames) {
  const std::vector<std::pair<std::uint32_t, std::string>> cases = {
      {0, "REG_NONE"},
      {1, "REG_SZ"},
      {2, "REG_EXPAND_SZ"},
      {3, "REG_BINARY"},
      {4, "REG_DWORD"},
      {5, "REG_DWORD_BIG_ENDIAN"},
      {6, "REG_LINK"},
      {7, "REG_MULTI_SZ"},
      {8, "REG_RESOURCE_LIST"},
      {9, "REG_FULL_RESOURCE_DESCRIPTOR"},
      {10, "REG_RESOURCE_REQUIREMENTS_LIST"},
      {11, "REG_QWORD"},
      {0x1f, "type 0x1f"},
  };
  for (const auto& [number, name] : cases) {
    EXPECT_EQ(ValueTypeName(static_cast<ValueType>(number)), name);
  }
}

TEST(RegistryValueTest, NormalizeKeyPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"HKLM\\SOFTWARE\\Microsoft", "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft"},
      {"hkcu\\Software", "HKEY_CURRENT_USER\\Software"},
      {"HKU\\S-1-5-21-1\\Software", "HKEY_USERS\\S-1-5-21-1\\Software"},
      {"HKCR\\.docx", "HKEY_CLASSES_ROOT\\.docx"},
      {"HKCC\\System", "HKEY_CURRENT_CONFIG\\System"},
      {"hkey_local_machine", "HKEY_LOCAL_MACHINE"},
      {"\\HKLM\\\\Software\\\\", "HKEY_LOCAL_MACHINE\\Software"},
      {"HKLM\\Key with spaces]\\x", "HKEY_LOCAL_MACHINE\\Key with spaces]\\x"},
  };
  for (const auto& [input, expected] : cases) {
    const Result<std::string> normalized = NormalizeKeyPath(input);
    ASSERT_TRUE(normalized.ok()) << input << ": " << normalized.status().ToString();
    EXPECT_EQ(*normalized, expected);
  }
  for (const std::string bad : {"", "\\\\", "HKEY_DYN_DATA\\x", "Software\\Microsoft", "HKLMX"}) {
    EXPECT_EQ(NormalizeKeyPath(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(RegistrySnapshotTest, LookupsFoldCaseAndKeepTheOriginalSpelling) {
  RegistrySnapshot snapshot;
  ASSERT_TRUE(
      snapshot.Apply({SetValue("HKLM\\SOFTWARE\\Microsoft\\Office", "Platform", "x\0\0\0"s)}).ok());
  const Key* key = snapshot.FindKey("hkey_local_machine\\software\\MICROSOFT\\office");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->path, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office");
  const Value* value = snapshot.FindValue("HKLM\\Software\\Microsoft\\Office", "PLATFORM");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->name, "Platform");
  EXPECT_EQ(snapshot.FindValue("HKLM\\Software\\Microsoft\\Office", "Other"), nullptr);
  EXPECT_EQ(snapshot.FindValue("HKLM\\Software\\Nothing", "Platform"), nullptr);
  EXPECT_EQ(snapshot.FindKey("HKCU\\Software\\Microsoft\\Office"), nullptr);
  EXPECT_EQ(snapshot.FindKey("Bogus\\Root"), nullptr);
}

TEST(RegistrySnapshotTest, IntermediateKeysExistAndAreListed) {
  RegistrySnapshot snapshot;
  ASSERT_TRUE(snapshot
                  .Apply({KeyEdit(Edit::Kind::kCreateKey, "HKU\\S-1\\Software\\B"),
                          KeyEdit(Edit::Kind::kCreateKey, "HKU\\S-1\\Software\\a\\x"),
                          KeyEdit(Edit::Kind::kCreateKey, "HKU\\S-1\\Software\\A-z"),
                          KeyEdit(Edit::Kind::kCreateKey, "HKU\\S-2")})
                  .ok());
  EXPECT_EQ(snapshot.key_count(), 8u);
  EXPECT_THAT(snapshot.ListSubkeys("HKEY_USERS"), ElementsAre("S-1", "S-2"));
  EXPECT_THAT(snapshot.ListSubkeys("hku\\s-1\\SOFTWARE"), ElementsAre("a", "A-z", "B"));
  EXPECT_THAT(snapshot.ListSubkeys("HKU\\S-1\\Software\\A"), ElementsAre("x"));
  ASSERT_NE(snapshot.FindKey("HKU\\S-1\\Software\\A"), nullptr);
  EXPECT_THAT(snapshot.FindKey("HKU\\S-1\\Software\\A")->values, IsEmpty());
  EXPECT_THAT(snapshot.ListSubkeys("HKU\\S-1\\Software\\B"), IsEmpty());
  EXPECT_THAT(snapshot.ListSubkeys("HKU\\Nothing"), IsEmpty());
  EXPECT_THAT(snapshot.ListSubkeys("Bogus"), IsEmpty());
}

TEST(RegistrySnapshotTest, LaterEditsReplaceValuesAndDeleteSubtrees) {
  RegistrySnapshot snapshot;
  ASSERT_TRUE(
      snapshot
          .Apply({SetValue("HKLM\\S\\Office", "A", "1"), SetValue("HKLM\\S\\Office", "B", "2"),
                  SetValue("HKLM\\S\\Office\\16.0\\Common", "C", "3"),
                  SetValue("HKLM\\S\\Office2", "D", "4")})
          .ok());
  ASSERT_TRUE(snapshot
                  .Apply({SetValue("HKLM\\S\\OFFICE", "a", "5"),
                          DeleteValue("HKLM\\S\\Office", "b"), DeleteValue("HKLM\\S\\Absent", "b"),
                          KeyEdit(Edit::Kind::kDeleteKey, "HKLM\\S\\office\\16.0")})
                  .ok());
  const Key* office = snapshot.FindKey("HKLM\\S\\Office");
  ASSERT_NE(office, nullptr);
  ASSERT_EQ(office->values.size(), 1u);
  EXPECT_EQ(office->values[0].name, "A");
  EXPECT_EQ(office->values[0].data, Bytes("5"));
  EXPECT_EQ(snapshot.FindKey("HKLM\\S\\Office\\16.0"), nullptr);
  EXPECT_EQ(snapshot.FindKey("HKLM\\S\\Office\\16.0\\Common"), nullptr);
  EXPECT_NE(snapshot.FindKey("HKLM\\S\\Office2"), nullptr);
  EXPECT_THAT(snapshot.ListSubkeys("HKLM\\S"), ElementsAre("Office", "Office2"));
}

TEST(RegistrySnapshotTest, AnInvalidPathAppliesNothing) {
  RegistrySnapshot snapshot;
  const Status status =
      snapshot.Apply({SetValue("HKLM\\A", "x", "1"), SetValue("HKEY_NOWHERE\\B", "y", "2")});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(snapshot.key_count(), 0u);
}

}  // namespace
}  // namespace vigie::agent::registry
