# Routing core benchmark: 10,000 operators, 50 skills,
# 100,000 waiting calls; and the numbering plan lookup.
if(TARGET gosline_routing AND TARGET gosline_numbering)
  add_executable(gosline_routing_bench ${CMAKE_CURRENT_LIST_DIR}/routing_bench.cc)
  target_link_libraries(gosline_routing_bench PRIVATE gosline_routing gosline_numbering
                        benchmark::benchmark)
endif()
