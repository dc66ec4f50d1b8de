// Templates: the standard tables' identities as data files (templates/*.json, see its README.md).
#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "internal.h"
#include "tally/core/files.h"

namespace tally::reconcile::detail {

namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key))
    for (const json& s : j.at(key)) out.push_back(s.get<std::string>());
  return out;
}

Selector selector_of(const json& j) {
  return {j.value("kind", ""), j.value("column", ""), j.value("row", "")};
}

void read_file(const std::filesystem::path& path, Templates& out) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const json doc = json::parse(buffer.str());
  if (doc.contains("tables"))
    for (const json& t : doc.at("tables")) {
      Template tpl;
      tpl.kind = t.at("kind").get<std::string>();
      tpl.name = t.value("name", "");
      if (t.contains("numbers"))
        for (const json& n : t.at("numbers")) tpl.numbers.push_back(n.get<int>());
      tpl.titles = strings(t, "titles");
      if (t.contains("column_sums"))
        for (const json& s : t.at("column_sums"))
          tpl.column_sums.push_back({s.at("total").get<std::string>(), strings(s, "parts")});
      if (t.contains("row_sums"))
        for (const json& s : t.at("row_sums"))
          tpl.row_sums.push_back({s.at("total").get<std::string>(), strings(s, "parts")});
      out.tables.push_back(std::move(tpl));
    }
  if (doc.contains("cross"))
    for (const json& x : doc.at("cross"))
      out.cross.push_back({x.at("id").get<std::string>(), x.value("description", ""),
                           selector_of(x.at("a")), selector_of(x.at("b")), x.value("by", "total")});
}

}  // namespace

Templates read_templates(const std::filesystem::path& dir);

Templates load_templates(const std::filesystem::path& dir) {
  // Read once per folder and thread: the files are small, but a job reads them for every document.
  thread_local std::map<std::string, std::pair<std::filesystem::file_time_type, Templates>> cache;
  std::error_code ec;
  const std::filesystem::file_time_type stamp = std::filesystem::last_write_time(dir, ec);
  const auto it = cache.find(dir.string());
  if (!ec && it != cache.end() && it->second.first == stamp) return it->second.second;
  Templates out = read_templates(dir);
  if (!ec) cache[dir.string()] = {stamp, out};
  return out;
}

Templates read_templates(const std::filesystem::path& dir) {
  Templates out;
  for (const std::filesystem::path& f : core::files_with_extension(dir, ".json")) {
    try {
      read_file(f, out);
    } catch (const std::exception& e) {
      out.errors.push_back(f.string() + ": " + e.what());
    }
  }
  return out;
}

std::filesystem::path resolve_templates_dir(const std::filesystem::path& configured) {
  std::error_code ec;
  if (std::filesystem::is_directory(configured, ec)) return configured;
#ifdef TALLY_SOURCE_DIR
  if (configured.is_relative()) {
    const std::filesystem::path fallback = std::filesystem::path(TALLY_SOURCE_DIR) / configured;
    if (std::filesystem::is_directory(fallback, ec)) return fallback;
  }
#endif
  return configured;
}

}  // namespace tally::reconcile::detail
