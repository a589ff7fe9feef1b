# webserv — `make` builds ./webserv, `make test` runs every test,
# `make test SANITIZE=1` does the same with ASan+UBSan, `make run` serves www/,
# `make fuzz` runs the libFuzzer targets of tests/fuzz/ (see below).
# Tests: `make unit`, `make integration`, `make test FILTER='StartupTest*'`
# (a --gtest_filter), `make test JOBS=4` (processes per binary, default the
# number of cores), `make test VERBOSE=1` (every test's output), see below.

NAME      := webserv
CXX       := c++
CPPFLAGS  := -Iinclude -MMD -MP
CXXFLAGS  := -std=c++98 -Wall -Wextra -Werror -pedantic -O2
LDFLAGS   :=
LDLIBS    := -lcrypt
BUILD     := build
BIN       := $(NAME)

# Test code may use C++14 (GoogleTest needs it); it links the server's own
# C++98 objects.
# -Wno-maybe-uninitialized: GCC 12 false positives inside <regex> under ASan.
# -Wno-deprecated-declarations: the server's headers own with std::auto_ptr,
# C++98's owning pointer, which C++11 deprecates.
TEST_CXXFLAGS := -std=c++14 -Wall -Wextra -Werror -Wno-maybe-uninitialized \
                 -Wno-deprecated-declarations -O1 -g
GTEST_LIBS    := -lgtest -pthread

ifeq ($(SANITIZE),1)
SANFLAGS      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g
# Not UBSan's vptr check in the server: it validates a type it has not seen
# yet through a pipe(), so with no descriptor left (a test drives the server
# to EMFILE) it reports every polymorphic object, Connection among them, as
# invalid. The test code keeps it.
CXXFLAGS      := $(filter-out -O2,$(CXXFLAGS)) -O1 $(SANFLAGS) -fno-sanitize=vptr
TEST_CXXFLAGS += $(SANFLAGS)
LDFLAGS       += $(SANFLAGS)
BUILD         := build/asan
BIN           := $(BUILD)/$(NAME)
endif

SRCS      := $(sort $(shell find src -name '*.cpp'))
OBJS      := $(SRCS:%.cpp=$(BUILD)/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/src/main.o,$(OBJS))

SUPPORT_SRCS := $(sort $(wildcard tests/support/*.cpp))
UNIT_SRCS    := $(sort $(wildcard tests/unit/*.cpp))
INTEG_SRCS   := $(sort $(wildcard tests/integration/*.cpp))
SUPPORT_OBJS := $(SUPPORT_SRCS:%.cpp=$(BUILD)/%.o)
UNIT_OBJS    := $(UNIT_SRCS:%.cpp=$(BUILD)/%.o)
INTEG_OBJS   := $(INTEG_SRCS:%.cpp=$(BUILD)/%.o)
UNIT_BIN     := $(BUILD)/unit_tests
INTEG_BIN    := $(BUILD)/integration_tests

.PHONY: all clean fclean re run test unit integration check-test-names asan check-gtest fuzz check-fuzz

all: $(BIN)

$(BIN): $(OBJS)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/src/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.cpp | check-gtest
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -Itests $(TEST_CXXFLAGS) -c $< -o $@

# main() is tests/support/Main.cpp, not gtest_main: a filter that selects
# no test fails.
$(UNIT_BIN): $(UNIT_OBJS) $(SUPPORT_OBJS) $(LIB_OBJS)
	$(CXX) $(LDFLAGS) $^ -o $@ $(GTEST_LIBS) $(LDLIBS)

$(INTEG_BIN): $(INTEG_OBJS) $(SUPPORT_OBJS) $(LIB_OBJS)
	$(CXX) $(LDFLAGS) $^ -o $@ $(GTEST_LIBS) $(LDLIBS)

check-gtest:
	@printf '#include <gtest/gtest.h>\nint main() { return 0; }\n' \
	  | $(CXX) -x c++ -std=c++14 - -o /dev/null $(GTEST_LIBS) 2>/dev/null \
	  || { echo "GoogleTest not found. Install it with:  sudo apt-get install -y libgtest-dev" >&2; exit 1; }

# Tests run through scripts/run-tests.sh: each binary as JOBS GoogleTest
# shards at once (unit and integration at the same time), each shard's
# output in $(BUILD)/test-logs/NAME-K.log; the terminal gets one line per
# shard, the failed tests' output, and last
#   unit: 553 passed, 0 failed; integration: 455 passed, 0 failed
#   1008 passed, 0 failed
# The status is non-zero when a test fails or when FILTER selects no test.
# Integration tests start the real binary named by WEBSERV_BIN, from the
# repository root (so relative paths in test configs resolve here).
# scripts/check-test-names.sh first: each suite is named after its file, so
# FILTER='FileNameTest*' runs one file.
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
# Compiling too runs JOBS at once, unless make was given its own -j (a
# sub-make shares its parent's jobs).
ifeq ($(MAKELEVEL)$(filter -j%,$(MAKEFLAGS)),0)
MAKEFLAGS += -j$(JOBS)
endif
FILTER  ?=
VERBOSE ?=
RUN_TESTS = scripts/run-tests.sh -j '$(JOBS)' -o $(BUILD)/test-logs \
            $(if $(FILTER),-f '$(FILTER)') $(if $(filter 1,$(VERBOSE)),-v)
TEST_RUNS := unit=$(UNIT_BIN) $(if $(INTEG_SRCS),integration=$(INTEG_BIN))

test: $(UNIT_BIN) $(if $(INTEG_SRCS),$(INTEG_BIN)) $(BIN) check-test-names
	@WEBSERV_BIN=$(abspath $(BIN)) $(RUN_TESTS) $(TEST_RUNS)

unit: $(UNIT_BIN) check-test-names
	@$(RUN_TESTS) unit=$(UNIT_BIN)

integration: $(INTEG_BIN) $(BIN) check-test-names
	@WEBSERV_BIN=$(abspath $(BIN)) $(RUN_TESTS) integration=$(INTEG_BIN)

check-test-names:
	@scripts/check-test-names.sh

asan:
	$(MAKE) test SANITIZE=1

# Fuzzing: one libFuzzer target per parser, tests/fuzz/fuzz_NAME.cpp.
# `make fuzz` builds them with clang++ and ASan+UBSan in build/fuzz/ (the
# server's objects too, as C++98; never mixed with build/ or build/asan/),
# then runs each for FUZZ_SECONDS from the repository root, on a copy of its
# seeds tests/fuzz/corpus/fuzz_NAME/ in build/fuzz/work/fuzz_NAME/ (the
# repository's corpus is never written to), after replaying the inputs of
# tests/fuzz/regressions/fuzz_NAME/ if any (so a bug found once fails every
# run until it is fixed). A crash, leak, timeout or out-of-memory fails the
# make; the input is left in the work directory. Inputs may grow to
# FUZZ_MAX_LEN bytes, past the parsers' 8 KiB/32 KiB limits.
# One target alone: `make fuzz-run-fuzz_cookie FUZZ_SECONDS=600`.
FUZZ_SECONDS   ?= 60
FUZZ_MAX_LEN   ?= 65536
FUZZ_CXX       := clang++
FUZZ_BUILD     := build/fuzz
FUZZ_WORK      := $(FUZZ_BUILD)/work
FUZZ_SANFLAGS  := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                  -fno-omit-frame-pointer -g -O1
FUZZ_LIB_FLAGS := -std=c++98 -Wall -Wextra $(FUZZ_SANFLAGS)
FUZZ_CXXFLAGS  := -std=c++14 -Wall -Wextra -Werror $(FUZZ_SANFLAGS)
FUZZ_RUN_FLAGS  = -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
                  -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1

FUZZ_NAMES    := $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.cpp))))
FUZZ_BINS     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/bin/%)
FUZZ_RUNS     := $(FUZZ_NAMES:%=fuzz-run-%)
.PHONY: $(FUZZ_RUNS)
FUZZ_LIB_OBJS := $(LIB_OBJS:$(BUILD)/%=$(FUZZ_BUILD)/%)

fuzz: $(FUZZ_BINS)
	@$(MAKE) --no-print-directory -k $(FUZZ_RUNS) \
	  || { echo "make fuzz: FAILED (inputs and logs in $(FUZZ_WORK)/)" >&2; exit 1; }

# Prints "NAME: N runs, cov: C ft: F, corpus: INPUTS/SIZE, RESULT" from the
# last status line of libFuzzer ("#N DONE cov: C ft: F corp: INPUTS/SIZE ...").
$(FUZZ_RUNS): fuzz-run-%: $(FUZZ_BUILD)/bin/%
	@rm -rf $(FUZZ_WORK)/$* && mkdir -p $(FUZZ_WORK)/$*/corpus
	@cp tests/fuzz/corpus/$*/* $(FUZZ_WORK)/$*/corpus/
	@log=$(FUZZ_WORK)/$*/log; \
	./$< $(FUZZ_RUN_FLAGS) -artifact_prefix=$(FUZZ_WORK)/$*/ $(FUZZ_WORK)/$*/corpus \
	  $(wildcard tests/fuzz/regressions/$*) >$$log 2>&1; status=$$?; \
	stats=$$(awk '/^#[0-9]+.*cov: / { n = substr($$1, 2); for (i = 2; i < NF; i++) v[$$i] = $$(i + 1) } \
	  END { if (n != "") printf "%s runs, cov: %s ft: %s, corpus: %s", n, v["cov:"], v["ft:"], v["corp:"] }' $$log); \
	if [ $$status -eq 0 ]; then echo "$*: $$stats, OK"; else \
	  found=$$(ls $(FUZZ_WORK)/$*/ | grep -E '^(crash|leak|timeout|oom)-' | head -n 1); \
	  echo "$*: $${stats:-no stats}, FAILED (status $$status): $(FUZZ_WORK)/$*/$${found:-log}" >&2; \
	  grep -E '^(==[0-9]+==ERROR|SUMMARY|FUZZ_CHECK)' $$log | head -n 5 >&2; exit 1; fi

$(FUZZ_BINS): $(FUZZ_BUILD)/bin/%: $(FUZZ_BUILD)/tests/fuzz/%.o $(FUZZ_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_SANFLAGS) $^ -o $@ $(LDLIBS)

$(FUZZ_BUILD)/src/%.o: src/%.cpp | check-fuzz
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(CPPFLAGS) $(FUZZ_LIB_FLAGS) -c $< -o $@

$(FUZZ_BUILD)/tests/fuzz/%.o: tests/fuzz/%.cpp | check-fuzz
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(CPPFLAGS) $(FUZZ_CXXFLAGS) -c $< -o $@

check-fuzz:
	@command -v $(FUZZ_CXX) >/dev/null 2>&1 || { echo "clang++ not found." \
	  "Install it with:  sudo apt-get install -y clang libclang-rt-14-dev" >&2; exit 1; }
	@printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' \
	  | $(FUZZ_CXX) -x c++ - -fsanitize=fuzzer,address,undefined -o /dev/null 2>/dev/null \
	  || { echo "The libFuzzer runtime of clang++ is missing." \
	    "Install it with:  sudo apt-get install -y libclang-rt-14-dev" >&2; exit 1; }

run: $(BIN)
	./$(BIN) conf/default.conf

clean:
	rm -rf build

fclean: clean
	rm -f $(NAME)

re: fclean
	$(MAKE) all

-include $(OBJS:.o=.d) $(SUPPORT_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(INTEG_OBJS:.o=.d)
-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_NAMES:%=$(FUZZ_BUILD)/tests/fuzz/%.d)
