# Makefile - the README's commands; CMake does the building.
#   make          build the host tools (and, once present, the firmware)
#   make test     fetch missing models, build, run every test
#   make test-sanitize   the same tests under AddressSanitizer + UBSan
#   make models   download the models into models/ (SHA-256 checked)
#   make story    tell a story: the firmware on the virtual board
#   make story-host   the same engine on this PC
#   make fuzz     run the libFuzzer targets (FUZZ_SECONDS each, default 60)
#   make bench    /bench on the virtual board for every precision and core count
#   make models-15m   download stories15M.bin into models/ (SHA-256 checked)
#   make bench-15m    stories15M (or a random model of its shape) streamed from flash
#   make flash    build, then put pico_llama.uf2 on the board (picotool, or the
#                 RP2350 boot drive); make flash MODEL=x.uf2 puts x.uf2 there
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

FUZZ_SECONDS ?= 60

.PHONY: all test test-sanitize models models-15m story story-host fuzz clean bench bench-15m flash

all:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

test:
	scripts/download-models.sh --if-missing
	$(MAKE) all
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

test-sanitize:
	$(MAKE) test BUILD=$(BUILD)-sanitize CMAKE_ARGS=-DPICOLLAMA_SANITIZE=ON

models:
	scripts/download-models.sh

models-15m:
	scripts/download-models.sh stories15M.bin

story:
	scripts/download-models.sh --if-missing
	$(MAKE) all
	$(BUILD)/sim/picollama-sim $(BUILD)/firmware/pico_llama.uf2

story-host:
	scripts/download-models.sh --if-missing
	$(MAKE) all
	$(BUILD)/tools/picollama run stories260K.bin -z tok512.bin -i "Once upon a time"

fuzz:
	scripts/download-models.sh --if-missing
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench:
	scripts/download-models.sh --if-missing
	$(MAKE) all
	scripts/bench.sh $(BUILD)

bench-15m:
	scripts/download-models.sh --if-missing
	$(MAKE) all
	scripts/bench-15m.sh $(BUILD)

# scripts/flash.sh: picotool load -f -x, or a copy onto the RP2350 drive
flash:
ifeq ($(MODEL),)
	$(MAKE) all
	scripts/flash.sh $(BUILD)/firmware/pico_llama.uf2
else
	scripts/flash.sh $(MODEL)
endif

clean:
	rm -rf $(BUILD) $(BUILD)-sanitize build-fuzz
