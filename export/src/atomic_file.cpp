#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "tally/core/error.h"
#include "tally/export/export.h"

namespace tally::exports {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  const auto fail = [&](const std::string& why) {
    throw core::Error(core::ErrorCode::OutputUnwritable, path.string() + ": cannot write (" + why + ").");
  };
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) fail(ec.message());
  }
  std::random_device random;
  const std::filesystem::path temporary =
      path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail(std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(temporary, ec);
      fail("write failed");
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    fail(ec.message());
  }
}

}  // namespace tally::exports
