# caseflow — one plain Makefile.
#   make            build ./caseflow
#   make check      deps, then every test (unit, validation, end-to-end), ASan/UBSan, -O0 vs -O2, valgrind
#   make test       unit + validation + end-to-end tests only (no sanitizer rebuild)
#   make asan       the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      benchmarks (never part of the tests)
#   make fuzz       libFuzzer on each parser for FUZZ_SECONDS (clang + libclang-rt-14-dev);
#                   FUZZ_TARGET=scenario|csvin|args picks one
#   make format     reformat with clang-format; make format-check fails on drift
#   make deps       install Debian packages (as root) via scripts/install-deps.sh
#   make run        deps + build + run the bundled default scenario and draw its report (SCENARIO=...)
#   make MPI=1      build build/mpi/caseflow with mpicc, for `mpirun -np N` or `srun` (optional)
#   make check-mpi  the MPI build's tests: test_rep on 1-3 ranks, then run, compare and sweep on 2-3 ranks
#                   byte for byte against one process (needs openmpi-bin, libopenmpi-dev)

CC       ?= cc
PKGS     := gsl libconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ifeq ($(PKG_LIBS),)
PKG_LIBS := -lgsl -lgslcblas -lconfig
endif

# -ffp-contract=off: no fused multiply-add, so -O0 and -O2 builds give the same bytes.
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
OPT      ?= -O2 -g
CFLAGS   ?=
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) -ffp-contract=off $(WARN) \
              -Isim -Imodels $(PKG_CFLAGS) $(CFLAGS)
# GSL and libconfig are linked statically when their archives are installed
# (Debian's libgsl-dev and libconfig-dev ship them), libc and libm dynamically.
# Why: loading libgsl.so, libgslcblas.so and libconfig.so and binding their
# symbols took 0.8 ms of every start on the development VM (caseflow --version:
# 3.1 ms dynamic, 2.4 ms static; /bin/true 1.9 ms), a seventh of the whole
# process budget of make bench; a cluster's compute nodes then need neither
# library installed; and the random-number fast path compares against
# gsl_rng_mt19937 without going through the GOT. The cost: a GSL security
# update needs a rebuild (`make` again). STATIC_DEPS=0 links them dynamically.
STATIC_DEPS ?= 1
DEPS_LIBDIR := $(shell pkg-config --variable=libdir gsl 2>/dev/null || echo /usr/lib)
ifeq ($(STATIC_DEPS)$(wildcard $(DEPS_LIBDIR)/libgsl.a)$(wildcard $(DEPS_LIBDIR)/libconfig.a),1$(DEPS_LIBDIR)/libgsl.a$(DEPS_LIBDIR)/libconfig.a)
LDLIBS   := -Wl,-Bstatic $(filter-out -lm,$(PKG_LIBS)) -Wl,-Bdynamic -lpthread -lm
else
LDLIBS   := $(PKG_LIBS) -lpthread -lm
endif

BUILD    ?= build/release

# The optional MPI build: mpicc, CASEFLOW_MPI (sim/cluster.c), its own folder.
# Without MPI=1 nothing here needs MPI; `mpicc` on the PATH changes nothing.
MPICC    ?= mpicc
ifeq ($(MPI),1)
ifeq ($(shell command -v $(MPICC) 2>/dev/null),)
$(error MPI=1 needs $(MPICC) (Debian: apt-get install openmpi-bin libopenmpi-dev, or make deps-mpi))
endif
CC       := $(MPICC)
BUILD    := build/mpi
ALL_CFLAGS += -DCASEFLOW_MPI
endif
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

LIB_SRC  := $(wildcard sim/*.c) $(filter-out models/cli/main.c,$(wildcard models/*.c models/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/models/cli/main.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/tests/bench_engine

.PHONY: all check check-mpi test unit e2e asan repro valgrind options bench fuzz fuzz-scenario \
        fuzz-csvin fuzz-args format format-check deps deps-mpi run clean

SCENARIO ?= scenarios/bridgend-2022.cfg

ifeq ($(MPI),1)
# The MPI binary stays in build/mpi: ./caseflow is always the plain one.
all: $(BUILD)/caseflow
else
all: caseflow
endif

caseflow: $(BUILD)/caseflow
	cp $< $@

$(BUILD)/caseflow: $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCASEFLOW_VERSION='"$(VERSION)"' -MMD -MP -c -o $@ $<

# The random streams' block refill (sim/rng.c) vectorises two words at a time;
# -O2 alone does not vectorise it (gcc 12). Integer arithmetic only: the same
# words at any optimisation level.
$(BUILD)/sim/rng.o: ALL_CFLAGS += -ftree-vectorize

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(BUILD)/tests/bench_pathway: $(BUILD)/tests/bench/bench_pathway.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BENCH_BIN): $(BUILD)/tests/bench/bench_engine.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# Unit and validation tests: one binary per tests/test_<module>.c, then each
# fuzz harness replays its regression inputs and seed corpus (tests/fuzz/).
# Adding a harness tests/fuzz/fuzz_NAME.c: add NAME to FUZZ_TARGETS, a
# tests/fuzz/regressions-NAME/ folder, and its seed corpus to fuzz-NAME.
FUZZ_TARGETS := scenario csvin args
REPLAY_BINS := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/replay_%)
inputs_of = $(filter-out %/.keep,$(wildcard $(1)))
unit: $(TEST_BIN) $(REPLAY_BINS)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; CASEFLOW_ROOT=$(CURDIR) $$t; done
	@$(BUILD)/tests/fuzz/replay_scenario $(wildcard scenarios/*.cfg scenarios/*/*.cfg) \
	  $(call inputs_of,tests/fuzz/regressions/*)
	@$(BUILD)/tests/fuzz/replay_csvin $(call inputs_of,tests/fuzz/corpus-csv/* tests/fuzz/regressions-csv/*)
	@$(BUILD)/tests/fuzz/replay_args $(call inputs_of,tests/fuzz/corpus-args/* tests/fuzz/regressions-args/*)

$(BUILD)/tests/fuzz/replay_%: $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzz_%.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# libFuzzer, FUZZ_SECONDS per harness. Crashing inputs land in the harness's
# regression folder (the scenario harness's is tests/fuzz/regressions/).
FUZZ_SECONDS ?= 60
FUZZ_TARGET ?= $(FUZZ_TARGETS)
FUZZ_DIR := build/fuzz
FUZZ_BUILD = $(MAKE) BUILD=$(FUZZ_DIR) CC=clang OPT='-O1 -g' \
	  CFLAGS='-fsanitize=fuzzer-no-link,address,undefined' $(FUZZ_DIR)/fuzz_$(1)
FUZZ_RUN = $(FUZZ_DIR)/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(2)

fuzz: $(FUZZ_TARGET:%=fuzz-%)

fuzz-scenario:
	$(call FUZZ_BUILD,scenario)
	@mkdir -p $(FUZZ_DIR)/corpus
	cp scenarios/*/*.cfg $(FUZZ_DIR)/corpus/ 2>/dev/null || true
	@# Pathway scenarios without their calendar file, which a string has no folder to find.
	for f in scenarios/*.cfg; do grep -v '^calendar' $$f > $(FUZZ_DIR)/corpus/$$(basename $$f); done
	$(call FUZZ_RUN,scenario,tests/fuzz/regressions/) -max_len=8192 $(FUZZ_DIR)/corpus

# Seeds: the CSVs a short run of the default scenario writes, and the small
# hand-made ones (a comparison's, malformed ones) in tests/fuzz/corpus-csv/.
fuzz-csvin: $(BUILD)/caseflow
	$(call FUZZ_BUILD,csvin)
	@mkdir -p $(FUZZ_DIR)/corpus-csvin tests/fuzz/regressions-csv
	$(BUILD)/caseflow run scenarios/bridgend-2022.cfg --replications 2 --jobs 1 \
	  --out $(FUZZ_DIR)/csv-run >/dev/null
	for f in summary timeseries annual; do cp $(FUZZ_DIR)/csv-run/$$f.csv $(FUZZ_DIR)/corpus-csvin/run-$$f.csv; done
	cp tests/fuzz/corpus-csv/* $(FUZZ_DIR)/corpus-csvin/
	$(call FUZZ_RUN,csvin,tests/fuzz/regressions-csv/) -max_len=65536 $(FUZZ_DIR)/corpus-csvin

fuzz-args:
	$(call FUZZ_BUILD,args)
	@mkdir -p $(FUZZ_DIR)/corpus-args tests/fuzz/regressions-args
	cp tests/fuzz/corpus-args/* $(FUZZ_DIR)/corpus-args/
	$(call FUZZ_RUN,args,tests/fuzz/regressions-args/) -max_len=512 $(FUZZ_DIR)/corpus-args

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/tests/fuzz/fuzz_%.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# End-to-end tests drive the real binary on scenario files.
e2e: $(BUILD)/caseflow
	@CASEFLOW_BIN=$(abspath $(BUILD))/caseflow bash tests/e2e/run.sh
	@CASEFLOW_BIN=$(abspath $(BUILD))/caseflow bash tests/e2e/compare.sh
	@CASEFLOW_BIN=$(abspath $(BUILD))/caseflow bash tests/e2e/report.sh
	@CASEFLOW_BIN=$(abspath $(BUILD))/caseflow bash tests/e2e/errors.sh
	@CASEFLOW_BIN=$(abspath $(BUILD))/caseflow bash tests/e2e/sweep.sh

test: unit e2e

# Installs what is missing first (a no-op when all is there), so the README's
# test command works on a fresh machine as `make run` does.
check: deps
	$(MAKE) test
	$(MAKE) asan
	$(MAKE) repro
	$(MAKE) valgrind

# The MPI build on two local ranks: the rep tests, then outputs compared
# byte for byte with one process (tests/e2e/mpi.sh). Not part of `check`,
# which must not need MPI; CI runs both (.ci/run).
check-mpi: $(BUILD)/caseflow
	$(MAKE) MPI=1 build/mpi/caseflow build/mpi/tests/test_rep
	@bash tests/e2e/mpi.sh --unit build/mpi/tests/test_rep
	@CASEFLOW_BIN=$(CURDIR)/build/mpi/caseflow CASEFLOW_PLAIN_BIN=$(abspath $(BUILD))/caseflow \
	  bash tests/e2e/mpi.sh

# The release binary under valgrind on the commands users run.
valgrind: $(BUILD)/caseflow
	@CASEFLOW_BIN=$(abspath $(BUILD))/caseflow bash tests/e2e/valgrind.sh

# The operating-model options compared with the baseline; the results are
# written into scenarios/README.md.
options: $(BUILD)/caseflow
	bash scripts/options.sh $(abspath $(BUILD))/caseflow $(CURDIR)/output/options

# Outputs must not depend on the optimisation level: an -O0 build runs the
# default scenario and the validation network and must write the same bytes.
repro: $(BUILD)/caseflow
	$(MAKE) BUILD=build/o0 OPT='-O0 -g' build/o0/caseflow
	@set -e; d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; \
	for s in scenarios/bridgend-2022.cfg scenarios/validation/mmc.cfg; do \
	  n=$$(basename $$s .cfg); \
	  $(BUILD)/caseflow run $$s --out $$d/o2-$$n --replications 4 --jobs 2 >/dev/null; \
	  build/o0/caseflow run $$s --out $$d/o0-$$n --replications 4 --jobs 1 >/dev/null; \
	  for f in $$d/o2-$$n/*.csv; do cmp $$f $$d/o0-$$n/$$(basename $$f); done; \
	done; echo "repro: -O0 and -O2 outputs identical"

export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

asan:
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  CFLAGS='-fsanitize=address,undefined -fno-sanitize-recover=all' test

bench: $(BENCH_BIN) $(BUILD)/caseflow $(BUILD)/tests/bench_pathway
	CASEFLOW_BIN=$(abspath $(BUILD))/caseflow $(BENCH_BIN)
	CASEFLOW_ROOT=$(CURDIR) $(BUILD)/tests/bench_pathway

format:
	clang-format -i sim/*.[ch] models/*/*.[ch] tests/*.c tests/*/*.c

format-check:
	clang-format --dry-run --Werror sim/*.[ch] models/*/*.[ch] tests/*.c tests/*/*.c

deps:
	bash scripts/install-deps.sh

deps-mpi:
	bash scripts/install-deps.sh --mpi

run: deps
	$(MAKE) caseflow
	./caseflow run $(SCENARIO)
	./caseflow report output/$(basename $(notdir $(SCENARIO)))

clean:
	rm -rf build caseflow

-include $(sort $(shell find build $(BUILD) -name '*.d' 2>/dev/null))
