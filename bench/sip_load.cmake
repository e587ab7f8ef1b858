# SIP load (bench/sip_load.sh): the RTP timing receiver.
add_executable(gosline_sip_rtp_timing ${CMAKE_CURRENT_LIST_DIR}/sip_rtp_timing.cc)
target_link_libraries(gosline_sip_rtp_timing PRIVATE CLI11::CLI11)
