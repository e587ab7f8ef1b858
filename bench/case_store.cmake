# Case registry benchmark: 1,000,000 cases in SQLite through CaseStore.
if(TARGET gosline_storage)
  add_executable(gosline_case_store_bench ${CMAKE_CURRENT_LIST_DIR}/case_store_bench.cc)
  target_link_libraries(gosline_case_store_bench PRIVATE gosline_storage benchmark::benchmark)
  # GOSLINE_DATA_KEY set: measures the store with encryption at rest (R22).
  if(TARGET gosline_security)
    target_link_libraries(gosline_case_store_bench PRIVATE gosline_security)
    target_compile_definitions(gosline_case_store_bench PRIVATE GOSLINE_BENCH_HAVE_SECURITY=1)
  endif()
endif()
