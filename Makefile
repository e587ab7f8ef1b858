# gosline: two set-up commands on a fresh Debian 12 machine, as root:
#   make run    install what is missing, build Release, serve the demo configuration
#   make test   install, build Debug with ASan/UBSan, run every test (ctest)
JOBS    ?= $(shell nproc)
CONFIG  ?= config/gosline.yaml
RELEASE := build/release
DEBUG   := build/debug

.PHONY: deps build build-debug run test bench clean

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOSLINE_BUILD_TESTS=OFF
	cmake --build $(RELEASE) -j $(JOBS)

build-debug: deps
	cmake -S . -B $(DEBUG) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGOSLINE_SANITIZE=ON -DGOSLINE_BUILD_BENCH=OFF
	cmake --build $(DEBUG) -j $(JOBS)

run: build
	mkdir -p var
	$(RELEASE)/gosline serve --config $(CONFIG)

test: build-debug
	cd $(DEBUG) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	scripts/run-bench.sh $(RELEASE)

clean:
	rm -rf build
