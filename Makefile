# gosline: two set-up commands on a fresh Debian 12 machine, as root:
#   make run    install what is missing, build Release, serve the demo configuration
#   make test   install, build Debug with ASan/UBSan, run every test (ctest)
#   make fuzz   build the fuzz targets with clang/libFuzzer and run each for FUZZ_SECONDS
JOBS    ?= $(shell nproc)
CONFIG  ?= config/gosline.yaml
RELEASE := build/release
# The release key that signs the installed files' manifest (made once; the
# secret half stays here, never in git). A distributor points it elsewhere.
RELEASE_KEY_DIR ?= $(CURDIR)/var/release-key
DEBUG   := build/debug
FUZZ    := build/fuzz
FUZZ_SECONDS ?= 60

.PHONY: deps build build-debug run test bench fuzz clean

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOSLINE_BUILD_TESTS=OFF \
	  -DGOSLINE_RELEASE_KEY_DIR=$(RELEASE_KEY_DIR)
	cmake --build $(RELEASE) -j $(JOBS)

build-debug: deps
	cmake -S . -B $(DEBUG) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGOSLINE_SANITIZE=ON -DGOSLINE_BUILD_BENCH=OFF
	cmake --build $(DEBUG) -j $(JOBS)

# The demo serves HTTPS on 8443 and SIP over TLS on 5061 beside plain HTTP/SIP:
# a self-signed pair is made once under var/tls, and TLS is switched on in a
# copy of the configuration (tests use the file as it is, on random ports).
# The copy is made once: administrators edit it from the web application
# while the line runs, and the next `make run` keeps their edits (delete
# var/gosline-run.yaml to start again from $(CONFIG)).
RUN_CONFIG := var/gosline-run.yaml
run: build
	mkdir -p var
	scripts/make-demo-certs.sh var/tls
	@if [ ! -f $(RUN_CONFIG) ]; then \
	  sed -e 's/enabled: false\( *# demo: make run turns TLS on\)/enabled: true \1/' $(CONFIG) > $(RUN_CONFIG); \
	  echo "made $(RUN_CONFIG) from $(CONFIG)"; \
	else \
	  echo "serving $(RUN_CONFIG) as last edited (delete it to start again from $(CONFIG))"; \
	fi
	$(RELEASE)/gosline check-config $(RUN_CONFIG)
	$(RELEASE)/gosline serve --config $(RUN_CONFIG) --release-key $(RELEASE_KEY_DIR)/release.pub

test: build-debug
	cd $(DEBUG) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	scripts/run-bench.sh $(RELEASE)

# Only the parsers the fuzz targets need are built with clang (fuzz/CMakeLists.txt).
# Crashing inputs land in fuzz/crashes/<target>/; see scripts/run-fuzz.sh.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DGOSLINE_FUZZ=ON -DGOSLINE_WERROR=OFF -DGOSLINE_BUILD_TESTS=OFF -DGOSLINE_BUILD_BENCH=OFF
	cmake --build $(FUZZ) -j $(JOBS) --target gosline_fuzzers
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzz.sh $(FUZZ)

clean:
	rm -rf build
