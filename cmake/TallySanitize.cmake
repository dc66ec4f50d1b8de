# TALLY_SANITIZE=address|thread instruments every target of ours (tests and the CLI included) with
# the sanitizers of the compiler in use (GCC 12 and Clang 14 both work with Debian's libraries, which
# stay uninstrumented). scripts/sanitize.sh configures build-asan/ and build-tsan/ with it.
#   address: AddressSanitizer + UndefinedBehaviorSanitizer; UB aborts (no recovery), so a report
#            fails the test instead of scrolling past.
#   thread:  ThreadSanitizer; suppressions for the uninstrumented libraries in scripts/tsan.supp.
if(TALLY_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(TALLY_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT TALLY_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TALLY_SANITIZE=${TALLY_SANITIZE}: expected address, thread or empty")
endif()
