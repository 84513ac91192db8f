# The smoke test of `duban-load soak` (tests/bench/CMakeLists.txt): passes
# when it exits 0 having printed three samples, no failed call, a growth
# line, and the highest RSS within the 128 MiB budget.
execute_process(
  COMMAND ${LOAD} soak --duband=${DUBAND} --budget=128MiB --rate=100 --duration=30s
          --sample_every=10s --warmup=5s --max_growth=100 --max_threads=256
          --work_dir=${WORK_DIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
message("${out}${err}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "duban-load soak exited ${code}")
endif()
foreach(time "0:10" "0:20" "0:30")
  if(NOT out MATCHES "\n +${time} +[0-9]+\\.[0-9] +[0-9]+\\.[0-9]+ +0 +[0-9]+\\.[0-9]")
    message(FATAL_ERROR "no sample at ${time} with calls, a p99, no failure and the RSS")
  endif()
endforeach()
if(NOT out MATCHES "ok +failed calls: 0 of [1-9][0-9]+")
  message(FATAL_ERROR "no verdict on failed calls")
endif()
if(NOT out MATCHES "ok +growth after the 5s warm-up of the memory outside the block cache: mean [0-9.]+ → [0-9.]+ MiB")
  message(FATAL_ERROR "no verdict on the growth")
endif()
if(NOT out MATCHES "ok +highest RSS [0-9.]+ MiB \\(at [0-9:]+\\) of the 128 MiB budget")
  message(FATAL_ERROR "no verdict on the highest RSS against the budget")
endif()
if(NOT out MATCHES "SOAK PASSED")
  message(FATAL_ERROR "no overall verdict")
endif()
