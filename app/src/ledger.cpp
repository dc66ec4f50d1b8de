// The batch's ledger: an append-only file of JSON lines (batch_steps.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "batch_steps.h"
#include "tally/core/error.h"

namespace tally::app {

namespace detail {

namespace fs = std::filesystem;

namespace {

core::Error unwritable(const fs::path& path, const char* what) {
  return core::Error(core::ErrorCode::OutputUnwritable,
                     path.string() + ": cannot " + what + " (" + std::strerror(errno) + ").");
}

}  // namespace

bool write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

LedgerWriter::LedgerWriter(fs::path path) : path_(std::move(path)) {
  // O_CLOEXEC: the documents' child processes must not inherit it.
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw unwritable(path_, "open the ledger");
  // The last byte, through a reading descriptor (this one only appends).
  char last = '\n';
  const int reader = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (reader >= 0) {
    if (::fstat(reader, &info) == 0 && info.st_size > 0 &&
        ::pread(reader, &last, 1, info.st_size - 1) != 1)
      last = '\n';
    ::close(reader);
  }
  if (last != '\n' && !write_all(fd_, "\n")) {
    ::close(fd_);
    throw unwritable(path_, "write the ledger");
  }
}

LedgerWriter::~LedgerWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void LedgerWriter::append(const BatchRecord& record) {
  // One write() of the whole line: a crash leaves at most one torn line, at the end.
  if (!write_all(fd_, json_of(record).dump() + "\n") || ::fdatasync(fd_) != 0)
    throw unwritable(path_, "write the ledger");
}

void for_each_ledger_record(const fs::path& outdir,
                            const std::function<void(BatchRecord&&)>& visit) {
  // An earlier version's ledger first: a folder resumed by this version holds both, and the lines
  // appended since supersede it.
  if (std::ifstream legacy(outdir / kLegacyLedgerName); legacy) try {
      const nlohmann::json j = nlohmann::json::parse(legacy);
      for (const nlohmann::json& d : j.at("documents")) visit(record_of(d));
    } catch (const nlohmann::json::exception&) {
      // an unreadable ledger is a fresh start, not a failure
    }
  std::ifstream in(outdir / kLedgerName);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    try {
      visit(record_of(nlohmann::json::parse(line)));
    } catch (const nlohmann::json::exception&) {
      // a torn line: the record it was writing is as if never written
    }
  }
}

void write_ledger(const fs::path& outdir, const std::map<std::string, BatchRecord>& records) {
  std::string text;
  for (const auto& [name, record] : records) text += json_of(record).dump() + "\n";
  exports::write_file_atomically(outdir / kLedgerName, text);
}

}  // namespace detail

std::map<std::string, BatchRecord> read_batch_ledger(const std::filesystem::path& outdir) {
  std::map<std::string, BatchRecord> records;
  detail::for_each_ledger_record(outdir, [&](BatchRecord&& r) {
    std::string name = r.name;
    records[std::move(name)] = std::move(r);
  });
  return records;
}

}  // namespace tally::app
