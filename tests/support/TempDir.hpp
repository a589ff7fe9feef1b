#ifndef WEBSERV_TESTS_SUPPORT_TEMPDIR_HPP
#define WEBSERV_TESTS_SUPPORT_TEMPDIR_HPP

// Test helpers for code that touches the file system.
//
// TempDir: a fresh directory under /tmp (mkdtemp), removed with everything
// in it when the object goes out of scope. Paths given to its methods are
// relative to the directory; missing parent directories are created.
//
// ScopedChdir / ScopedEnv: change the working directory / an environment
// variable for the lifetime of the object and restore it afterwards.

#include <sys/types.h>

#include <set>
#include <string>

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // The directory, absolute, without a trailing slash (symlinks resolved,
    // so it compares equal to what getcwd() reports after a chdir into it).
    const std::string& path() const { return path_; }
    // path() + "/" + relative (no file-system access).
    std::string file(const std::string& relative) const;
    // Writes content to relative (creating parent directories) with mode;
    // returns the absolute path.
    std::string write(const std::string& relative, const std::string& content,
        mode_t mode = 0644) const;
    // mkdir -p relative; returns the absolute path.
    std::string mkdir(const std::string& relative) const;

private:
    std::string path_;
};

// The names in a directory, without "." and ".." (empty if it cannot be
// read).
std::set<std::string> listDirectory(const std::string& path);
// A file's bytes ("" if it cannot be read).
std::string readFile(const std::string& path);

class ScopedChdir {
public:
    explicit ScopedChdir(const std::string& directory);
    ~ScopedChdir();
    ScopedChdir(const ScopedChdir&) = delete;
    ScopedChdir& operator=(const ScopedChdir&) = delete;

private:
    std::string previous_;
};

class ScopedEnv {
public:
    ScopedEnv(const std::string& name, const std::string& value);
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string name_;
    bool hadValue_;
    std::string previous_;
};

#endif
