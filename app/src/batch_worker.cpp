// One document, one child process: the parent's side (read_in_child) and the child's
// (run_batch_worker). The child is an exec of tally itself, never a fork of the threaded parent.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>

#include "batch_steps.h"
#include "tally/core/error.h"

extern char** environ;

namespace tally::app::detail {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The file descriptor the child writes its record to (stdout and stderr stay the libraries').
constexpr int kResultFd = 3;

const char* format_name(BatchFormat format) {
  switch (format) {
    case BatchFormat::Json: return "json";
    case BatchFormat::Csv: return "csv";
    case BatchFormat::CsvExcel: return "csv-excel";
    case BatchFormat::Xlsx: return "xlsx";
    case BatchFormat::Sqlite: return "sqlite";
    case BatchFormat::Html: return "html";
  }
  return "json";
}

std::string signal_text(int signal) {
  const char* name = sigabbrev_np(signal);
  return std::string("SIG") + (name ? name : std::to_string(signal)) + " (" + strsignal(signal) +
         ")";
}

std::string mib(std::int64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}
}  // namespace

json request_of(const BatchInput& input, const fs::path& outdir, const BatchOptions& options) {
  json formats = json::array();
  for (BatchFormat f : options.formats) formats.push_back(format_name(f));
  const JobOptions& job = options.job;
  json request = {{"path", input.path.string()},
                  {"name", input.name},
                  {"stem", input.stem},
                  {"sha256", input.sha256},
                  {"outdir", outdir.string()},
                  {"formats", formats},
                  {"report_dpi", options.report_dpi},
                  {"database", options.database},
                  {"memory_limit", options.memory_limit},
                  {"job",
                   {{"dpi", job.dpi},
                    {"ocr_dpi", job.ocr_dpi},
                    {"password", job.password},
                    {"ocr", job.ocr == OcrMode::Always  ? "always"
                            : job.ocr == OcrMode::Never ? "never"
                                                        : "auto"},
                    {"repair", job.repair},
                    {"templates_dir", job.templates_dir.string()},
                    {"tessdata_dir", job.tessdata_dir.string()},
                    {"max_bytes", job.max_bytes},
                    {"max_page_points", job.max_page_points}}}};
  if (job.pages) request["job"]["pages"] = {job.pages->first, job.pages->last};
  return request;
}

void read_in_child(const BatchInput& input, const fs::path& outdir, const BatchOptions& options,
                   BatchRecord& record) {
  const std::string request = request_of(input, outdir, options).dump();
  // The request goes in on stdin, not in argv: it may hold a password (--password, a --db URL),
  // and argv is readable by every user of the machine.
  int pipe_fds[2], request_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw core::Error(core::ErrorCode::Internal,
                      input.name + ": cannot start a reader (pipe: " + std::strerror(errno) + ").");
  if (::pipe2(request_fds, O_CLOEXEC) != 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw core::Error(core::ErrorCode::Internal,
                      input.name + ": cannot start a reader (pipe: " + std::strerror(errno) + ").");
  }
  // A child that dies before reading its request must not take the parent with it.
  static const bool sigpipe_ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)sigpipe_ignored;
  // Every end closes on exec; the child gets copies as stdin and kResultFd (dup2 clears the flag).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, request_fds[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], kResultFd);
  // Its own process group: a Ctrl-C at the terminal reaches the parent, which lets running
  // documents finish (the child dies with the parent through PR_SET_PDEATHSIG).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  const std::string worker = options.worker.string();
  std::vector<char*> argv = {const_cast<char*>(worker.c_str()), const_cast<char*>("batch-worker"),
                             nullptr};
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, worker.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  ::close(request_fds[0]);
  if (spawned == 0) write_all(request_fds[1], request);
  ::close(request_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    throw core::Error(core::ErrorCode::Internal, input.name + ": cannot start a reader (" + worker +
                                                     ": " + std::strerror(spawned) + ").");
  }

  // Read the record until the child closes its end, or the time limit.
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      Clock::now() +
      std::chrono::milliseconds(static_cast<std::int64_t>(options.time_limit * 1000));
  std::string result;
  bool timed_out = false;
  for (;;) {
    int wait_ms = -1;
    if (options.time_limit > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<std::int64_t>(left, 60'000));
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  const auto fail = [&](const char* code, const std::string& message) {
    record.status = "error";
    record.error_code = code;
    record.message = input.name + ": " + message;
  };
  if (timed_out) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", options.time_limit);
    fail("time_limit", std::string("stopped at the time limit of ") + seconds +
                           " s (--time-limit); the batch went on.");
    return;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !result.empty()) {
    try {
      const std::string keep_name = record.name, keep_sha = record.sha256;
      record = record_of(json::parse(result));
      record.name = keep_name;
      if (record.sha256.empty()) record.sha256 = keep_sha;
      return;
    } catch (const std::exception&) {
      // falls through: an unreadable record is the child's failure
    }
  }
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    if (signal == SIGTERM || signal == SIGINT || signal == SIGHUP) {
      fail("stopped", "the reading process was stopped by " + signal_text(signal) +
                          " from outside (a scheduler's cancel or time limit, a shutdown); "
                          "--resume reads it again.");
      return;
    }
    std::string why = "the reading process was killed by " + signal_text(signal);
    if (signal == SIGKILL)
      why += ": out of memory (the kernel's OOM killer) or stopped from outside";
    else if (signal == SIGABRT && options.memory_limit > 0)
      why += ": a library gave up, perhaps at the memory limit of " + mib(options.memory_limit);
    else
      why += ": a crash in a library on this document";
    fail("crashed", why + "; the batch went on.");
  } else {
    fail("crashed", "the reading process exited with code " +
                        std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                        " without a record; the batch went on.");
  }
}

}  // namespace tally::app::detail

namespace tally::app {

using namespace detail;

int run_batch_worker(const std::string& request_text, int result_fd) {
  // Dies with the parent (a second Ctrl-C, a scheduler's kill) rather than reading on alone.
  const pid_t parent = ::getppid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) return 1;
  BatchInput input;
  BatchOptions options;
  BatchRecord record;
  try {
    const json request = json::parse(request_text);
    input.path = request.at("path").get<std::string>();
    input.name = request.at("name").get<std::string>();
    input.stem = request.at("stem").get<std::string>();
    input.sha256 = request.value("sha256", "");
    std::string formats;
    for (const json& f : request.at("formats")) formats += f.get<std::string>() + ",";
    options.formats = batch_formats_from_text(formats);
    options.report_dpi = request.value("report_dpi", options.report_dpi);
    options.database = request.value("database", "");
    options.memory_limit = request.value("memory_limit", std::int64_t{0});
    options.worker = "/proc/self/exe";  // for messages: this is a child
    const json& job = request.at("job");
    options.job.dpi = job.value("dpi", options.job.dpi);
    options.job.ocr_dpi = job.value("ocr_dpi", options.job.ocr_dpi);
    options.job.password = job.value("password", "");
    const std::string ocr = job.value("ocr", "auto");
    options.job.ocr = ocr == "always"  ? OcrMode::Always
                      : ocr == "never" ? OcrMode::Never
                                       : OcrMode::Auto;
    options.job.repair = job.value("repair", true);
    options.job.templates_dir = job.value("templates_dir", options.job.templates_dir.string());
    options.job.tessdata_dir = job.value("tessdata_dir", "");
    options.job.max_bytes = job.value("max_bytes", options.job.max_bytes);
    options.job.max_page_points = job.value("max_page_points", options.job.max_page_points);
    if (job.contains("pages"))
      options.job.pages = PageRange{job["pages"][0].get<int>(), job["pages"][1].get<int>()};
    record.name = input.name;
    record.sha256 = input.sha256;
    const fs::path outdir = request.at("outdir").get<std::string>();

    // No core files from a crash on a bad PDF; the address space capped before any work.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    if (options.memory_limit > 0 && kMemoryLimitApplies) {
      const rlimit memory{static_cast<rlim_t>(options.memory_limit),
                          static_cast<rlim_t>(options.memory_limit)};
      ::setrlimit(RLIMIT_AS, &memory);
    }
    std::unique_ptr<exports::CorpusWriter> database;
    try {
      database = open_batch_database(outdir, options);
    } catch (const core::Error& error) {
      record.status = "error";
      record.error_code = core::to_string(error.code());
      record.message = error.what();
    }
    if (record.status.empty())
      read_one_document(input, outdir, options, database.get(), nullptr, record);
  } catch (const std::exception& error) {
    record.status = "error";
    record.error_code = "internal";
    record.message = input.name + ": the reading process got a bad request (" + error.what() + ").";
  }
  write_all(result_fd, json_of(record).dump());
  ::close(result_fd);
  return 0;
}

}  // namespace tally::app
