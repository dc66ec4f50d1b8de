# tally_warnings(target): the warning set every target of ours builds with.
# -Wrestrict is off: GCC 12 reports false positives inside std::string at -O3 (GCC bug 105329).
function(tally_warnings target)
  target_compile_options(${target} PRIVATE -Wno-restrict -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wno-missing-field-initializers -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(TALLY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# tally_stage(NAME SOURCES ... [DEPS public tally libs] [PRIVATE_DEPS third-party targets])
# declares the library tally_<NAME> with include/ as its public header root.
function(tally_stage name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(tally_${name} STATIC ${ARG_SOURCES})
  add_library(tally::${name} ALIAS tally_${name})
  target_include_directories(tally_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(tally_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  tally_warnings(tally_${name})
endfunction()

# tally_test(NAME SOURCES ... [DEPS ...]): a GoogleTest executable registered with CTest.
# Tests run from the source tree root so they find fixtures/ and templates/ by relative path.
# Every test carries its executable's name as a label, so `ctest -L layout_tests` selects a whole
# program's tests, including suites added later.
function(tally_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE TALLY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TALLY_BINARY_DIR="${PROJECT_BINARY_DIR}")
  tally_warnings(${name})
  include(GoogleTest)
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${name};${ARG_LABELS}" DISCOVERY_TIMEOUT 60
    DISCOVERY_MODE PRE_TEST)  # test lists read from data files stay current without a rebuild
endfunction()
