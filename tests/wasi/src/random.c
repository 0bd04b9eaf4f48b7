/* Random bytes. Needs the `random` capability.
 * Run: porta run random.wasm --allow random -- CASE */
#include "common.h"

static int all_zero(const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++) if (b[i]) return 0;
    return 1;
}

CASE(getentropy) {
    unsigned char a[256], b[256];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    OK(getentropy(a, sizeof a));
    OK(getentropy(b, sizeof b));
    CHECK(!all_zero(a, sizeof a), "256 random bytes are all zero");
    CHECK(memcmp(a, b, sizeof a) != 0, "two calls gave the same 256 bytes");
    OK(getentropy(a, 0));
    unsigned char big[257];
    ERR(getentropy(big, sizeof big), EIO); /* wasi-libc's limit, checked before the host */
    return 0;
}

/* One large random_get: every byte value shows up, the halves differ. */
CASE(random_get_large) {
    static unsigned char buf[65536];
    WASI_OK(__wasi_random_get(buf, sizeof buf));
    unsigned counts[256] = {0};
    for (size_t i = 0; i < sizeof buf; i++) counts[buf[i]]++;
    for (int v = 0; v < 256; v++)
        CHECK(counts[v] > 100 && counts[v] < 420, "byte value %d appears %u times in 64 KiB", v, counts[v]);
    CHECK(memcmp(buf, buf + 32768, 32768) != 0, "the two halves are equal");
    WASI_OK(__wasi_random_get(buf, 0));
    return 0;
}

#define CASES(X) X(getentropy) X(random_get_large)
TEST_MAIN(CASES)
