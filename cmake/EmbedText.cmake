# Script mode: writes OUTPUT, a C++ file returning the bytes of INPUT from vigie::embedded::SYMBOL().
file(READ "${INPUT}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE "${OUTPUT}" "#include <string_view>\nnamespace vigie::embedded {\nnamespace {\nconstexpr char kData[] = {${bytes} '\\0'};\n}\nstd::string_view ${SYMBOL}() { return {kData, sizeof(kData) - 1}; }\n}  // namespace vigie::embedded\n")
