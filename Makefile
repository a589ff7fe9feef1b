# webserv — `make` builds ./webserv, `make test` runs every test,
# `make test SANITIZE=1` does the same with ASan+UBSan, `make run` serves www/.

NAME      := webserv
CXX       := c++
CPPFLAGS  := -Iinclude -MMD -MP
CXXFLAGS  := -std=c++98 -Wall -Wextra -Werror -pedantic -O2
LDFLAGS   :=
BUILD     := build
BIN       := $(NAME)

# Test code may use C++14 (GoogleTest needs it); it links the server's own
# C++98 objects.
# -Wno-maybe-uninitialized: GCC 12 false positives inside <regex> under ASan.
TEST_CXXFLAGS := -std=c++14 -Wall -Wextra -Werror -Wno-maybe-uninitialized -O1 -g
GTEST_LIBS    := -lgtest -pthread

ifeq ($(SANITIZE),1)
SANFLAGS      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g
CXXFLAGS      := $(filter-out -O2,$(CXXFLAGS)) -O1 $(SANFLAGS)
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

.PHONY: all clean fclean re run test unit integration asan check-gtest

all: $(BIN)

$(BIN): $(OBJS)
	$(CXX) $(LDFLAGS) $^ -o $@

$(BUILD)/src/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.cpp | check-gtest
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) -Itests $(TEST_CXXFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS) $(SUPPORT_OBJS) $(LIB_OBJS)
	$(CXX) $(LDFLAGS) $^ -o $@ $(GTEST_LIBS) -lgtest_main

$(INTEG_BIN): $(INTEG_OBJS) $(SUPPORT_OBJS) $(LIB_OBJS)
	$(CXX) $(LDFLAGS) $^ -o $@ $(GTEST_LIBS) -lgtest_main

check-gtest:
	@printf '#include <gtest/gtest.h>\nint main() { return 0; }\n' \
	  | $(CXX) -x c++ -std=c++14 - -o /dev/null $(GTEST_LIBS) 2>/dev/null \
	  || { echo "GoogleTest not found. Install it with:  sudo apt-get install -y libgtest-dev" >&2; exit 1; }

# Integration tests start the real binary named by WEBSERV_BIN, from the
# repository root (so relative paths in test configs resolve here).
test: unit integration

unit: $(UNIT_BIN)
	./$(UNIT_BIN)

integration: $(INTEG_BIN) $(BIN)
	@if [ -n "$(INTEG_SRCS)" ]; then WEBSERV_BIN=$(abspath $(BIN)) ./$(INTEG_BIN); fi

asan:
	$(MAKE) test SANITIZE=1

run: $(BIN)
	./$(BIN) conf/default.conf

clean:
	rm -rf build

fclean: clean
	rm -f $(NAME)

re: fclean
	$(MAKE) all

-include $(OBJS:.o=.d) $(SUPPORT_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(INTEG_OBJS:.o=.d)
