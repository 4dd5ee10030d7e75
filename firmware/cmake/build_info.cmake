# build_info.cmake - writes build_info.h for the binary info picotool shows
# (app/program_info.c), at every build: git describe of the source tree,
# the build type, the program URL and the model images embedded in the
# UF2. Run as cmake -P with
#   SOURCE_DIR  the source tree (for git)
#   OUTPUT      the header to write (rewritten only when it changes, so an
#               unchanged build recompiles nothing)
#   BUILD_TYPE  CMAKE_BUILD_TYPE
#   URL         the program's web site
#   MODELS      the embedded model images, '|'-separated (may be empty)
find_package(Git QUIET)
set(describe "unknown")
if(GIT_FOUND)
  # not --dirty: that refreshes (writes) the index of a tree others may be
  # using; git status with GIT_OPTIONAL_LOCKS=0 only reads it
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --tags
    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE out RESULT_VARIABLE rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND out)
    set(describe "${out}")
    execute_process(COMMAND ${CMAKE_COMMAND} -E env GIT_OPTIONAL_LOCKS=0
      ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
      WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND changes)
      string(APPEND describe "-dirty")
    endif()
  endif()
endif()

# stories260K-q8.img -> "stories260K (q8)": the name packed, then the precision
set(models "")
set(n 0)
string(REPLACE "|" ";" images "${MODELS}")
foreach(image IN LISTS images)
  get_filename_component(stem "${image}" NAME_WE)
  string(REGEX MATCH "^(.*)-([a-z0-9]+)$" matched "${stem}")
  if(matched)
    set(text "${CMAKE_MATCH_1} (${CMAKE_MATCH_2})")
  else()
    set(text "${stem}")
  endif()
  string(APPEND models " X(${n}, \"${text}\")")
  math(EXPR n "${n} + 1")
endforeach()

set(content "/* build_info.h - written by firmware/cmake/build_info.cmake at build time */
#define PICOLLAMA_GIT_DESCRIBE \"${describe}\"
#define PICOLLAMA_BUILD_TYPE \"${BUILD_TYPE}\"
#define PICOLLAMA_PROGRAM_URL \"${URL}\"
/* X(index, \"name (precision)\") for each model image in the UF2's model slot */
#define PICOLLAMA_EMBEDDED_MODELS(X)${models}
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
endif()
if(NOT old STREQUAL content)
  file(WRITE "${OUTPUT}" "${content}")
endif()
