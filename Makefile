# aiq -- KQL over JSON-lines logs. See README.md.
#   make            build ./aiq (objects under build/)
#   make test       unit + golden + CLI tests, ends with "N passed, N failed"
#   make asan       the whole test suite built with ASan + UBSan
#   make fuzz       bounded libFuzzer runs (FUZZ_SECONDS per target)
#   make run        run every saved query in queries/ on the bundled data
#   make bench      throughput against DuckDB/jq when installed
#   make install PREFIX=/usr/local DESTDIR=

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
FUZZ_SECONDS ?= 60
OPT     ?= -O3 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wvla
DEPFLAGS = -MMD -MP

PKGS    := jansson libpcre2-8 libzstd zlib
DEPS_OK := $(BUILD)/.deps-ok
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lreadline -lm -pthread

CFLAGS  += $(OPT) $(WARN) -pthread -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) $(EXTRA_CFLAGS) \
           -DAIQ_DATADIR='"$(CURDIR)/testdata"'
LDLIBS  += $(PKG_LIBS)

# Every stage's folder (tools/layers.txt orders them); cli/ holds main().
LIB_SRC := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC := src/cli/main.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(BUILD)/tests/unit_tests


.PHONY: FORCE fuzz-syntax tsan tsan-run all test unit golden asan fuzz run bench install clean testdata check-queries deps valgrind series-cases
all: aiq

deps: $(DEPS_OK)
$(DEPS_OK): tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p $(BUILD) && touch $@

aiq: $(DEPS_OK) $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_OBJ) $(LDLIBS)

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# The list of unit-test files (test_<name>.c defines test_<name>), rewritten
# only when it changes so that it does not force a rebuild.
UNIT_LIST := $(BUILD)/tests/unit_list.h
$(UNIT_LIST): FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(patsubst tests/unit/test_%.c,'UNIT_TEST(%)',$(filter-out tests/unit/test_main.c,$(UNIT_SRC))) > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

$(UNIT_BIN): $(DEPS_OK) $(LIB_OBJ) $(UNIT_SRC) tests/unit/check.h $(UNIT_LIST)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -I$(BUILD)/tests -o $@ $(UNIT_SRC) $(LIB_OBJ) $(LDLIBS)

NDJSON_DIFF := $(BUILD)/tests/ndjson_diff
$(NDJSON_DIFF): tests/tools/ndjson_diff.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# The fuzz targets are built only by make fuzz (with clang); make test checks
# that they still compile against the headers they use.
fuzz-syntax: $(DEPS_OK)
	@for f in tests/fuzz/fuzz_*.c; do $(CC) $(CFLAGS) -fsyntax-only $$f || exit 1; done

# The whole suite: unit tests, golden query tests, error tests, CLI tests.
test: aiq $(UNIT_BIN) $(NDJSON_DIFF) fuzz-syntax
	@sh tools/deps.sh test
	@sh tests/run_all.sh ./aiq $(UNIT_BIN) $(NDJSON_DIFF)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" AIQ_BIN=build-asan/aiq asan-run

# Data races: the reader's worker threads (-j) under ThreadSanitizer.
tsan:
	$(MAKE) CC=clang BUILD=build-tsan OPT="-O1 -g" EXTRA_CFLAGS="-fsanitize=thread" \
	  LDFLAGS="-fsanitize=thread" tsan-run

tsan-run: $(UNIT_BIN) $(BUILD)/aiq $(NDJSON_DIFF)
	@sh tools/deps.sh test
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp sh tests/run_all.sh $(BUILD)/aiq $(UNIT_BIN) $(NDJSON_DIFF)

asan-run: $(UNIT_BIN) $(BUILD)/aiq $(NDJSON_DIFF)
	@sh tools/deps.sh test
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  sh tests/run_all.sh $(BUILD)/aiq $(UNIT_BIN) $(NDJSON_DIFF)

$(BUILD)/aiq: $(DEPS_OK) $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_OBJ) $(LDLIBS)

FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: $(DEPS_OK)
	$(MAKE) CC=clang BUILD=build-fuzz OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  sh tests/fuzz/run.sh build-fuzz/fuzz_$$t $$t $(FUZZ_SECONDS) || exit 1; done

fuzz-build: $(LIB_OBJ)
	@for t in $(FUZZ_TARGETS); do \
	  echo "clang fuzz_$$t"; \
	  $(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz_$$t \
	    tests/fuzz/fuzz_$$t.c $(LIB_OBJ) $(LDLIBS) || exit 1; done

# The golden and saved queries under valgrind's memcheck.
valgrind: aiq
	@sh tests/valgrind.sh ./aiq

run: aiq
	@sh tools/run_queries.sh ./aiq

check-queries: aiq
	./aiq check queries/*.kql

# Regenerates the series oracle's cases, which the unit tests replay against
# src/func/series_*.c (needs python3; make test only reads the committed file).
series-cases:
	python3 tools/series_oracle.py tests/golden/series_cases.json

# Regenerates the bundled sample and the oracle's expected answers (needs python3 and zstd).
testdata:
	python3 tools/gen_testdata.py testdata
	python3 tools/oracle.py testdata tests/golden/queries

bench: aiq
	@sh tools/bench.sh ./aiq

# The binary, its man page, bash and zsh completion (where bash-completion
# and zsh look by default under PREFIX), and the sample data, which only the
# REPL opens and which aiq finds in ../share/aiq/testdata beside itself.
# AIQ_BIN names another build to install (tests/cli/install.sh passes the
# binary under test, so that installing never rebuilds).
AIQ_BIN ?= aiq
install: $(AIQ_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/aiq/testdata/AzureDiagnostics
	install -m 755 $(AIQ_BIN) $(DESTDIR)$(PREFIX)/bin/aiq
	install -m 644 doc/aiq.1 $(DESTDIR)$(PREFIX)/share/man/man1/aiq.1
	install -m 644 completions/aiq.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/aiq
	install -m 644 completions/_aiq $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_aiq
	install -m 644 testdata/NOW testdata/schema.kql testdata/*.jsonl testdata/*.zst $(DESTDIR)$(PREFIX)/share/aiq/testdata/
	install -m 644 testdata/AzureDiagnostics/* $(DESTDIR)$(PREFIX)/share/aiq/testdata/AzureDiagnostics/

clean:
	rm -rf build build-asan build-tsan build-fuzz aiq

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
