# HTTP API load generator: creates/s and latency through the REST API.
if(TARGET gosline_http)
  add_executable(gosline_http_load ${CMAKE_CURRENT_LIST_DIR}/http_load.cc)
  target_link_libraries(gosline_http_load PRIVATE gosline_http gosline_storage Boost::headers
    spdlog::spdlog CLI11::CLI11 Threads::Threads)
  target_compile_definitions(gosline_http_load PRIVATE BOOST_ASIO_NO_DEPRECATED
    BOOST_BEAST_USE_STD_STRING_VIEW)
endif()
