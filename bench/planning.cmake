# Capacity planning: a day of 1,000,000 calls and 5,000 operators through the
# day simulator (the real routing core), and the Erlang A staffing search.
if(TARGET gosline_planning)
  add_executable(gosline_planning_bench ${CMAKE_CURRENT_LIST_DIR}/planning_bench.cc)
  target_link_libraries(gosline_planning_bench PRIVATE gosline_planning benchmark::benchmark)
endif()
if(TARGET gosline_planning_bench)
  target_compile_options(gosline_planning_bench PRIVATE -Wno-missing-field-initializers)
endif()
