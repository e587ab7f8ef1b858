# Historical reports: a month of 3,000,000 calls rolled up into 15-minute
# intervals, and reports over that month by every grouping and dimension.
if(TARGET gosline_storage)
  add_executable(gosline_report_rollup_bench ${CMAKE_CURRENT_LIST_DIR}/report_rollup_bench.cc)
  target_link_libraries(gosline_report_rollup_bench PRIVATE gosline_storage benchmark::benchmark)
endif()
