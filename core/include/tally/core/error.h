// Errors at the boundary: a short list of codes a user can act on, and messages that name the file
// and, where it applies, the page. Only problems that stop a document from being read at all are
// errors; everything else is a Diagnostic on the document.
#pragma once

#include <stdexcept>
#include <string>

namespace tally::core {

enum class ErrorCode {
  Usage,             // the command line asks for something impossible
  NotFound,          // the input path does not exist
  NotPdf,            // the file does not start like a PDF
  Damaged,           // a PDF that cannot be parsed (truncated, broken xref)
  Encrypted,         // needs a password and none was given
  BadPassword,       // the given password does not open it
  NoPages,           // parses, but has no pages
  PageTooLarge,      // a page beyond --max-page
  TooLarge,          // the file is larger than the configured limit
  Io,                // reading failed
  OutputUnwritable,  // an output path cannot be written
  Internal,          // a broken invariant of ours
};

const char* to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace tally::core
