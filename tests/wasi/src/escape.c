/* Attempts to leave the mount. Every attempt must fail; nothing outside the
 * mount may be read, created, changed or linked in.
 *
 * Host layout the harness prepares for every case (T = fresh temp dir):
 *   T/secret.txt               "TOP SECRET\n"
 *   T/m/                       mounted: -v T/m:/sandbox
 *   T/m/outside_link -> /etc   (absolute symlink)
 *   T/m/outside_up   -> ..     (relative symlink to T)
 * Run: porta run escape.wasm -v T/m:/sandbox -- CASE
 * Afterwards T must hold exactly m/ and secret.txt, secret.txt unchanged. */
#include "common.h"
#include <dirent.h>

#define P(x) SB "/" x

/* libc open for reading must fail. */
static int no_open(const char *path) {
    errno = 0;
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        char b[32] = {0};
        ssize_t n = read(fd, b, sizeof b - 1);
        close(fd);
        for (ssize_t i = 0; i < n; i++) if (b[i] == '\n') b[i] = ' ';
        FAIL("open(\"%s\") succeeded (read %zd bytes: '%s')", path, n, n > 0 ? b : "");
    }
    return 0;
}
#define NO_OPEN(p) do { if (no_open(p)) return 1; } while (0)

/* Raw path_open relative to the mount, following symlinks or not, must fail;
 * so must path_filestat_get, following (and, unless the path names a symlink
 * inside the mount, which may be inspected, also not following). */
static int no_raw_(int sb, const char *path, int is_link) {
    for (int follow = 0; follow < 2; follow++) {
        int e = raw_open(sb, path, follow, 0, R_FILE_RO, NULL);
        CHECK(e != 0, "path_open(\"%s\", %s) succeeded", path, follow ? "follow" : "nofollow");
        e = raw_open(sb, path, follow, __WASI_OFLAGS_DIRECTORY, R_FILE_RO | __WASI_RIGHTS_FD_READDIR, NULL);
        CHECK(e != 0, "path_open(\"%s\", DIRECTORY, %s) succeeded", path, follow ? "follow" : "nofollow");
        if (!follow && is_link) continue;
        __wasi_filestat_t st;
        e = __wasi_path_filestat_get(sb, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
        CHECK(e != 0, "path_filestat_get(\"%s\", %s) succeeded", path, follow ? "follow" : "nofollow");
    }
    return 0;
}
#define NO_RAW(sb, p) do { if (no_raw_(sb, p, 0)) return 1; } while (0)
/* The same for a path whose last component is a symlink inside the mount. */
#define NO_RAW_LINK(sb, p) do { if (no_raw_(sb, p, 1)) return 1; } while (0)

static int need_links(void) {
    char b[64];
    struct stat st;
    CHECK(lstat(P("outside_link"), &st) == 0 && S_ISLNK(st.st_mode),
          "harness must create outside_link -> /etc in the mount dir (lstat: %s)", ename(errno));
    /* A host may refuse to read an absolute link (wasmtime: EPERM); if it reads it, it is /etc. */
    ssize_t n = readlink(P("outside_link"), b, sizeof b);
    CHECK(n < 0 || (n == 4 && !memcmp(b, "/etc", 4)), "readlink(outside_link) gave %zd '%.*s'",
          n, (int)(n > 0 ? n : 0), b);
    n = readlink(P("outside_up"), b, sizeof b);
    CHECK(n == 2 && !memcmp(b, "..", 2),
          "harness must create outside_up -> .. in the mount dir (readlink: %zd %s)", n, ename(errno));
    return 0;
}
#define NEED_LINKS() do { if (need_links()) return 1; } while (0)

CASE(dotdot) {
    SANDBOX(sb);
    NO_OPEN(P("../secret.txt"));
    NO_OPEN(SB "/..");
    NO_RAW(sb, "../secret.txt");
    NO_RAW(sb, "..");
    NO_RAW(sb, "../");
    NO_RAW(sb, "../m");          /* back into the mount through its parent */
    NO_RAW(sb, "./../secret.txt");
    CHECK(opendir(SB "/..") == NULL, "opendir(" SB "/..) succeeded");
    return 0;
}

CASE(dotdot_deep) {
    SANDBOX(sb);
    NO_OPEN(SB "/../../etc/passwd");
    NO_OPEN(SB "/../../../../../../../../../../etc/passwd");
    NO_RAW(sb, "../../etc/passwd");
    NO_RAW(sb, "../../../../../../../../../../../../etc/passwd");
    NO_RAW(sb, "../../../../../../../../../../../../");
    return 0;
}

CASE(absolute) {
    SANDBOX(sb);
    NO_OPEN("/etc/passwd");
    NO_OPEN("/secret.txt");
    CHECK(opendir("/") == NULL, "opendir(\"/\") succeeded");
    NO_RAW(sb, "/etc/passwd");
    NO_RAW(sb, "/etc");
    NO_RAW(sb, "/");
    NO_RAW(sb, "//etc/passwd");
    return 0;
}

CASE(inner_dotdot) {
    SANDBOX(sb);
    OK(mkdir(P("a"), 0755));
    OK(mkdir(P("a/b"), 0755));
    NO_OPEN(P("a/../../secret.txt"));
    NO_OPEN(P("a/b/../../../secret.txt"));
    NO_RAW(sb, "a/../../secret.txt");
    NO_RAW(sb, "a/../a/../../secret.txt");
    NO_RAW(sb, "a/./../../secret.txt");
    NO_RAW(sb, "a/b/../../..");
    /* control: staying inside works */
    CHECK(write_file(P("a/../x"), "inside") == 0, "a/../x (inside the mount) failed: %s", ename(errno));
    CHECK(exists(P("x")), "x missing");
    return 0;
}

CASE(symlink_abs) {
    SANDBOX(sb);
    /* Creating the link may itself be refused; if it exists, it must lead nowhere. */
    if (symlink("/etc", P("l_etc")) == 0) {
        NO_OPEN(P("l_etc/passwd"));
        NO_RAW(sb, "l_etc/passwd");
        int e = raw_open(sb, "l_etc", 1, __WASI_OFLAGS_DIRECTORY, R_FILE_RO | __WASI_RIGHTS_FD_READDIR, NULL);
        CHECK(e != 0, "opened l_etc -> /etc as a directory");
        CHECK(opendir(P("l_etc")) == NULL, "opendir(l_etc) succeeded");
    }
    if (symlink("/etc/passwd", P("l_pw")) == 0) {
        NO_OPEN(P("l_pw"));
        int e = raw_open(sb, "l_pw", 1, 0, R_FILE_RO, NULL);
        CHECK(e != 0, "opened l_pw -> /etc/passwd");
    }
    if (symlink("/", P("l_root")) == 0) {
        NO_OPEN(P("l_root/etc/passwd"));
        NO_OPEN(P("l_root/secret.txt"));
    }
    return 0;
}

CASE(symlink_up) {
    SANDBOX(sb);
    if (symlink("../", P("l_up")) == 0) {
        NO_OPEN(P("l_up/secret.txt"));
        NO_RAW(sb, "l_up/secret.txt");
        NO_RAW_LINK(sb, "l_up");
        ERRANY(open(P("l_up/pwned"), O_WRONLY | O_CREAT, 0644));
        ERRANY(mkdir(P("l_up/pwned_dir"), 0755));
    }
    if (symlink("../../../../../../etc/passwd", P("l_deep")) == 0) {
        NO_OPEN(P("l_deep"));
        NO_RAW_LINK(sb, "l_deep");
    }
    OK(mkdir(P("sub"), 0755));
    if (symlink("../../secret.txt", P("sub/l2")) == 0) {
        NO_OPEN(P("sub/l2"));
        NO_RAW_LINK(sb, "sub/l2");
    }
    /* A chain whose every link stays inside, then one more `..`. */
    OK(symlink("..", P("sub/l3")));        /* sub/l3 -> mount root: fine */
    OK(symlink("sub/l3", P("c1")));        /* c1 -> sub/l3 -> root */
    struct stat st;
    OK(stat(P("c1"), &st));
    CHECK(S_ISDIR(st.st_mode), "c1 should resolve to the mount root");
    NO_OPEN(P("c1/../secret.txt"));
    NO_RAW(sb, "c1/../secret.txt");
    NO_RAW(sb, "sub/l3/..");
    return 0;
}

CASE(symlink_loop) {
    SANDBOX(sb);
    OK(symlink("loop2", P("loop1")));
    OK(symlink("loop1", P("loop2")));
    OK(symlink("self", P("self")));
    OK(mkdir(P("d"), 0755));
    OK(symlink("../d/dl", P("d/dl")));
    ERR(open(P("loop1"), O_RDONLY), ELOOP);
    ERR(open(P("self"), O_RDONLY), ELOOP);
    ERR(open(P("loop1/x"), O_RDONLY), ELOOP);
    ERR(open(P("d/dl"), O_RDONLY), ELOOP);
    ERR(open(P("loop1"), O_WRONLY | O_CREAT, 0644), ELOOP);
    struct stat st;
    ERR(stat(P("loop1"), &st), ELOOP);
    OK(lstat(P("loop1"), &st)); /* the link itself is fine */
    WASI(raw_open(sb, "self", 1, 0, R_FILE_RO, NULL), __WASI_ERRNO_LOOP);
    __wasi_filestat_t f;
    WASI(__wasi_path_filestat_get(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "loop2", &f), __WASI_ERRNO_LOOP);
    return 0;
}

CASE(trailing_slash_file) {
    SANDBOX(sb);
    CHECK(write_file(P("f"), "file") == 0, "setup: %s", ename(errno));
    OK(symlink("f", P("lf")));
    ERR(open(P("f/"), O_RDONLY), ENOTDIR);
    ERR(open(P("f/."), O_RDONLY), ENOTDIR);
    ERR(open(P("f/.."), O_RDONLY), ENOTDIR);
    ERR(open(P("f/../f"), O_RDONLY), ENOTDIR);
    ERR(open(P("lf/"), O_RDONLY), ENOTDIR);
    ERR2(open(P("f/"), O_WRONLY | O_CREAT, 0644), ENOTDIR, EISDIR);
    struct stat st;
    ERR(stat(P("f/"), &st), ENOTDIR);
    WASI(raw_open(sb, "f/", 1, 0, R_FILE_RO, NULL), __WASI_ERRNO_NOTDIR);
    WASI(raw_open(sb, "f/", 0, 0, R_FILE_RO, NULL), __WASI_ERRNO_NOTDIR);
    __wasi_filestat_t fs;
    WASI(__wasi_path_filestat_get(sb, 0, "f/", &fs), __WASI_ERRNO_NOTDIR);
    char b[8];
    CHECK(read_file(P("f"), b, sizeof b) == 4, "f damaged");
    return 0;
}

CASE(harness_link) {
    SANDBOX(sb);
    NEED_LINKS();
    NO_OPEN(P("outside_link/passwd"));
    NO_OPEN(P("outside_up/secret.txt"));
    NO_OPEN(P("outside_up/m/outside_up/secret.txt"));
    NO_RAW(sb, "outside_link/passwd");
    NO_RAW(sb, "outside_up/secret.txt");
    NO_RAW(sb, "outside_up/m");
    int e = raw_open(sb, "outside_link", 1, __WASI_OFLAGS_DIRECTORY, R_FILE_RO | __WASI_RIGHTS_FD_READDIR, NULL);
    CHECK(e != 0, "opened outside_link as a directory");
    e = raw_open(sb, "outside_up", 1, __WASI_OFLAGS_DIRECTORY, R_FILE_RO | __WASI_RIGHTS_FD_READDIR, NULL);
    CHECK(e != 0, "opened outside_up as a directory");
    CHECK(opendir(P("outside_link")) == NULL, "opendir(outside_link) succeeded");
    CHECK(opendir(P("outside_up")) == NULL, "opendir(outside_up) succeeded");
    __wasi_filestat_t f;
    WASI_FAILS(__wasi_path_filestat_get(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "outside_link", &f));
    /* The links themselves live inside the mount and may be inspected. */
    WASI_OK(__wasi_path_filestat_get(sb, 0, "outside_link", &f));
    CHECK(f.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "lstat outside_link type %d", f.filetype);
    return 0;
}

CASE(write_out) {
    SANDBOX(sb);
    NEED_LINKS();
    ERRANY(open(P("../pwned"), O_WRONLY | O_CREAT, 0644));
    ERRANY(open(P("outside_up/pwned"), O_WRONLY | O_CREAT, 0644));
    ERRANY(open(P("outside_up/secret.txt"), O_WRONLY | O_TRUNC));
    ERRANY(open(P("outside_up/secret.txt"), O_WRONLY | O_APPEND));
    ERRANY(mkdir(P("../pwned_dir"), 0755));
    ERRANY(mkdir(P("outside_up/pwned_dir"), 0755));
    ERRANY(symlink("x", P("../pwned_link")));
    ERRANY(symlink("x", P("outside_up/pwned_link")));
    ERRANY(unlink(P("../secret.txt")));
    ERRANY(unlink(P("outside_up/secret.txt")));
    ERRANY(rmdir(P("../m")));
    ERRANY(rmdir(P("outside_up/m")));
    ERRANY(truncate(P("outside_up/secret.txt"), 0));
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    ERRANY(utimensat(AT_FDCWD, P("outside_up/secret.txt"), ts, 0));
    ERRANY(utimensat(AT_FDCWD, P("../secret.txt"), ts, 0));
    WASI_FAILS(raw_open(sb, "../pwned", 0, __WASI_OFLAGS_CREAT, R_FILE_RW, NULL));
    WASI_FAILS(__wasi_path_create_directory(sb, "../pwned_dir"));
    WASI_FAILS(__wasi_path_symlink("x", sb, "../pwned_link"));
    WASI_FAILS(__wasi_path_unlink_file(sb, "../secret.txt"));
    WASI_FAILS(__wasi_path_filestat_set_times(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "outside_up/secret.txt",
                                              0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    return 0;
}

CASE(rename_out) {
    SANDBOX(sb);
    NEED_LINKS();
    CHECK(write_file(P("f"), "mine") == 0, "setup: %s", ename(errno));
    ERRANY(rename(P("f"), P("../f")));
    ERRANY(rename(P("f"), P("outside_up/f")));
    ERRANY(rename(P("f"), P("outside_up/secret.txt")));   /* replace the outside file */
    ERRANY(rename(P("../secret.txt"), P("stolen")));      /* pull an outside file in */
    ERRANY(rename(P("outside_up/secret.txt"), P("stolen")));
    WASI_FAILS(__wasi_path_rename(sb, "f", sb, "../f"));
    WASI_FAILS(__wasi_path_rename(sb, "../secret.txt", sb, "stolen"));
    OK(mkdir(P("d"), 0755));
    ERRANY(rename(P("d"), P("../d")));
    CHECK(exists(P("f")) && exists(P("d")), "a failed rename removed its source");
    CHECK(!exists(P("stolen")), "stolen exists");
    return 0;
}

CASE(link_out) {
    SANDBOX(sb);
    NEED_LINKS();
    CHECK(write_file(P("f"), "mine") == 0, "setup: %s", ename(errno));
    ERRANY(link(P("f"), P("../l")));
    ERRANY(link(P("f"), P("outside_up/l")));
    ERRANY(link(P("../secret.txt"), P("stolen1")));
    ERRANY(link(P("outside_up/secret.txt"), P("stolen2")));
    WASI_FAILS(__wasi_path_link(sb, 0, "f", sb, "../l"));
    WASI_FAILS(__wasi_path_link(sb, 0, "../secret.txt", sb, "stolen3"));
    WASI_FAILS(__wasi_path_link(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "outside_link/passwd", sb, "stolen4"));
    /* Following a guest-made symlink that points out must not link the target in. */
    OK(symlink("../secret.txt", P("ls")));
    WASI_FAILS(__wasi_path_link(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "ls", sb, "stolen5"));
    WASI_FAILS(__wasi_path_link(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "outside_up", sb, "stolen6"));
    for (int i = 1; i <= 6; i++) {
        char p[32];
        snprintf(p, sizeof p, SB "/stolen%d", i);
        if (exists(p)) {
            NO_OPEN(p);
            FAIL("%s was created", p);
        }
    }
    return 0;
}

CASE(readlink_out) {
    SANDBOX(sb);
    NEED_LINKS();
    OK(symlink("../secret.txt", P("rl")));
    char b[64];
    ssize_t n = readlink(P("rl"), b, sizeof b - 1);
    CHECK(n == 13 && !memcmp(b, "../secret.txt", 13), "readlink(rl) gave %zd", n);
    b[n] = 0;
    /* Knowing the target's name does not make it reachable. */
    NO_OPEN(P("rl"));
    char p[128];
    snprintf(p, sizeof p, SB "/%s", b);
    NO_OPEN(p);
    NO_RAW(sb, b);
    n = readlink(P("outside_link"), b, sizeof b - 1);
    if (n < 0) snprintf(b, sizeof b, "/etc"); /* host refused to read an absolute link */
    else b[n] = 0;
    CHECK(!strcmp(b, "/etc"), "readlink(outside_link) gave '%s'", b);
    snprintf(p, sizeof p, "%s/passwd", b);
    NO_OPEN(p);
    NO_RAW(sb, p);
    /* readlink through a path that leaves the mount fails */
    ERRANY(readlink(P("../m/rl"), b, sizeof b));
    ERRANY(readlink(P("outside_up/m/rl"), b, sizeof b));
    __wasi_size_t used;
    WASI_FAILS(__wasi_path_readlink(sb, "../m/rl", (uint8_t *)b, sizeof b, &used));
    return 0;
}

/* Creating through a dangling symlink whose target is outside. */
CASE(dangling_out) {
    SANDBOX(sb);
    OK(symlink("../pwned_excl", P("dl1")));
    OK(symlink("../pwned_creat", P("dl2")));
    OK(symlink("outside_up/pwned_via_link", P("dl3")));
    ERRANY(open(P("dl1"), O_WRONLY | O_CREAT | O_EXCL, 0644));
    ERRANY(open(P("dl2"), O_WRONLY | O_CREAT, 0644));
    ERRANY(open(P("dl3"), O_WRONLY | O_CREAT, 0644));
    WASI_FAILS(raw_open(sb, "dl2", 1, __WASI_OFLAGS_CREAT, R_FILE_RW, NULL));
    /* the host checks that T/pwned_excl, T/pwned_creat, T/pwned_via_link do not exist */
    return 0;
}

/* A descriptor for a subdirectory is no key to its parent's parent. */
CASE(subdir_fd) {
    SANDBOX(sb);
    OK(mkdir(P("sub"), 0755));
    CHECK(write_file(P("sub/in.txt"), "in") == 0, "setup: %s", ename(errno));
    __wasi_fd_t sub;
    WASI_OK(raw_open(sb, "sub", 1, __WASI_OFLAGS_DIRECTORY, R_ALL & ~__WASI_RIGHTS_FD_WRITE, &sub));
    WASI_OK(raw_open(sub, "in.txt", 1, 0, R_FILE_RO, NULL));
    NO_RAW(sub, "../../secret.txt");
    NO_RAW(sub, "../../etc/passwd");
    NO_RAW(sub, "/etc/passwd");
    WASI_FAILS(raw_open(sub, "../../pwned", 0, __WASI_OFLAGS_CREAT, R_FILE_RW, NULL));
    WASI_OK(__wasi_fd_close(sub));
    /* A file descriptor is not a directory to resolve from. */
    __wasi_fd_t f;
    WASI_OK(raw_open(sb, "sub/in.txt", 1, 0, R_FILE_RO, &f));
    WASI_FAILS(raw_open(f, "../../secret.txt", 1, 0, R_FILE_RO, NULL));
    WASI_FAILS(raw_open(f, "..", 1, 0, R_FILE_RO, NULL));
    WASI_OK(__wasi_fd_close(f));
    return 0;
}

/* The raw import, to pass a path with an explicit length. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")))
int32_t raw_path_open_import(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
                             int32_t oflags, int64_t base, int64_t inh, int32_t fdflags, int32_t out);

CASE(path_nul) {
    SANDBOX(sb);
    CHECK(write_file(P("f"), "inside") == 0, "setup: %s", ename(errno));
    static const char path[] = "f\0/../../secret.txt";
    static const char path2[] = "../secret.txt\0";
    __wasi_fd_t out = 0;
    int e = raw_path_open_import(sb, 1, (int32_t)(uintptr_t)path, (int32_t)(sizeof path - 1), 0,
                                 (int64_t)R_FILE_RO, 0, 0, (int32_t)(uintptr_t)&out);
    CHECK(e != 0, "path_open of a path with an embedded NUL succeeded");
    e = raw_path_open_import(sb, 1, (int32_t)(uintptr_t)path2, (int32_t)(sizeof path2 - 1), 0,
                             (int64_t)R_FILE_RO, 0, 0, (int32_t)(uintptr_t)&out);
    CHECK(e != 0, "path_open of '../secret.txt\\0' succeeded");
    return 0;
}

/* Long paths with many components. */
CASE(many_dotdot) {
    SANDBOX(sb);
    OK(mkdir(P("d"), 0755));
    static char p[4096];
    size_t o = 0;
    for (int i = 0; i < 400; i++) o += (size_t)snprintf(p + o, sizeof p - o, "d/../");
    snprintf(p + o, sizeof p - o, "../secret.txt");
    NO_RAW(sb, p);
    snprintf(p + o, sizeof p - o, "inside.txt");
    __wasi_fd_t fd;
    int e = raw_open(sb, p, 0, __WASI_OFLAGS_CREAT, R_FILE_RW, &fd);
    CHECK(e == 0 || e == __WASI_ERRNO_NAMETOOLONG, "a long path that stays inside: %s", ename(e));
    if (e == 0) {
        WASI_OK(__wasi_fd_close(fd));
        CHECK(exists(P("inside.txt")), "inside.txt missing");
    }
    static char up[8192];
    o = 0;
    for (int i = 0; i < 2000; i++) o += (size_t)snprintf(up + o, sizeof up - o, "../");
    snprintf(up + o, sizeof up - o, "etc/passwd");
    NO_RAW(sb, up);
    return 0;
}

#define CASES(X) X(dotdot) X(dotdot_deep) X(absolute) X(inner_dotdot) X(symlink_abs) X(symlink_up) \
    X(symlink_loop) X(trailing_slash_file) X(harness_link) X(write_out) X(rename_out) X(link_out) \
    X(readlink_out) X(dangling_out) X(subdir_fd) X(path_nul) X(many_dotdot)
TEST_MAIN(CASES)
