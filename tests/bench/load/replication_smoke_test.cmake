# The smoke test of `duban-load replication` (tests/bench/CMakeLists.txt):
# a second a phase; passes when it exits 0 and printed non-zero rates for
# CreateTicket alone and with a synchronous replica, and their ratio. It
# checks the generator and that semi-synchronous writes are answered, not
# their speed.
execute_process(
  COMMAND ${LOAD} replication --duband=${DUBAND} --duration=1s --rounds=1 --concurrency=8
          --channels=2 --max_threads=256 --work_dir=${WORK_DIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
message("${out}${err}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "duban-load replication exited ${code}")
endif()
foreach(phase "CreateTicket alone" "CreateTicket with 1 sync replica")
  if(NOT out MATCHES "  ${phase} +[0-9]*[1-9][0-9]*\\.[0-9] ops/s")
    message(FATAL_ERROR "no non-zero ${phase} rate in the output")
  endif()
endforeach()
if(NOT out MATCHES "RATIO CreateTicket with 1 sync replica / alone = [0-9.]+ / [0-9.]+ ops/s = [0-9.]+")
  message(FATAL_ERROR "no ratio in the output")
endif()
