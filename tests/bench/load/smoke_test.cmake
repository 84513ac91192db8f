# The duban-load smoke test (tests/bench/CMakeLists.txt): `compare` for a
# second a phase; passes when it exits 0 and printed non-zero rates for
# CreateTicket, GetTicket and raw RocksDB at half of peak, the machine's
# CPU per call and the CPU ceiling. It checks the generator, not the server's
# speed: --max_threads=256 keeps a busy machine's queue from exhausting
# duband's thread pool (docs/performance.md) and failing the run.
execute_process(
  COMMAND ${LOAD} compare --duband=${DUBAND} --duration=1s --rounds=1 --concurrency=8
          --channels=2 --max_threads=256 --work_dir=${WORK_DIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
message("${out}${err}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "duban-load compare exited ${code}")
endif()
foreach(phase "CreateTicket" "GetTicket" "CreateTicket @ half" "raw synced RocksDB @ [0-9]+/s")
  if(NOT out MATCHES "  ${phase} +[0-9]*[1-9][0-9]*\\.[0-9] ops/s")
    message(FATAL_ERROR "no non-zero ${phase} rate in the output")
  endif()
endforeach()
# Each phase's cost to the machine, and the CPU ceiling made of two of them.
if(NOT out MATCHES "CreateTicket [^\n]* machine [0-9]+ µs/op")
  message(FATAL_ERROR "no machine CPU per CreateTicket in the output")
endif()
if(NOT out MATCHES "CPU ceiling: [0-9]+ cores")
  message(FATAL_ERROR "no CPU ceiling in the output")
endif()
