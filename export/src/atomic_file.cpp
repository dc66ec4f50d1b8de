#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>

#include "tally/core/error.h"
#include "tally/export/export.h"

namespace tally::exports {

void write_atomically(
    const std::filesystem::path& path, const std::string& suffix,
    const std::function<void(const std::filesystem::path& temporary)>& write_temporary) {
  const auto fail = [&](const std::string& why) {
    throw core::Error(core::ErrorCode::OutputUnwritable,
                      path.string() + ": cannot write (" + why + ").");
  };
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) fail(ec.message());
  }
  std::random_device random;
  const std::filesystem::path temporary = path.string() + ".tmp-" + std::to_string(::getpid()) +
                                          "-" + std::to_string(random()) + suffix;
  try {
    write_temporary(temporary);
  } catch (...) {
    std::filesystem::remove(temporary, ec);
    throw;
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    fail(ec.message());
  }
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  write_atomically(path, "", [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        path.string() + ": cannot write (" + std::strerror(errno) + ").");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out)
      throw core::Error(core::ErrorCode::OutputUnwritable,
                        path.string() + ": cannot write (write failed).");
  });
}

}  // namespace tally::exports
