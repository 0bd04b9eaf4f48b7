/* String search over a 64 KiB text, with byte-compare loops the
 * auto-vectoriser turns into i8x16 code, checked against naive scalar
 * searches (and a few positions planted by hand).
 *
 * - memchr-like: the first block of 64 bytes that holds the byte is found
 *   by a vectorisable OR-reduction over the block, then scanned.
 * - count: occurrences of a byte, and of a 4-byte needle as a conjunction
 *   of shifted byte compares.
 * - strlen-like: a min-reduction per block finds the first NUL.
 * - case folding and a case-insensitive compare.
 *
 * Instructions clang 19 emits here (roughly): i8x16.eq/ne/lt_u/min_u/add,
 * i8x16.splat, v128.and/or/bitselect, v128.any_true, i8x16.shuffle,
 * i32x4.add (the counts), load32_zero/load8_splat, v128 load/store. */
#include "common.h"

#define TEXT (64 * 1024)
#define BLOCK 64

static uint8_t text[TEXT + BLOCK];

/* A text of lower-case letters, spaces and some upper case, from a small
 * alphabet so that short needles occur often. */
static void make_text(void) {
    rng_seed(0x7e47);
    SCALAR for (int i = 0; i < TEXT; i++) {
        uint32_t r = rng32();
        uint8_t c = (uint8_t)('a' + (r >> 8) % 6);
        if ((r & 15) == 0) c = ' ';
        if ((r & 255) == 1) c = (uint8_t)('A' + (r >> 16) % 6);
        text[i] = c;
    }
    memset(text + TEXT, 0, BLOCK);
}

/* ---- memchr ---- */

static NOINLINE int block_has(const uint8_t *p, uint8_t c) {
    uint8_t any = 0;
    for (int i = 0; i < BLOCK; i++) any |= (uint8_t)(p[i] == c);
    return any;
}

static NOINLINE long find_vec(const uint8_t *p, long n, uint8_t c) {
    long b = 0;
    for (; b + BLOCK <= n; b += BLOCK)
        if (block_has(p + b, c)) break;
    for (long i = b; i < n; i++)
        if (p[i] == c) return i;
    return -1;
}

static NOINLINE long find_ref(const uint8_t *p, long n, uint8_t c) {
    SCALAR for (long i = 0; i < n; i++)
        if (p[i] == c) return i;
    return -1;
}

CASE(memchr) {
    make_text();
    /* Letters that occur at once, '#' planted late, '~' absent. */
    text[TEXT - 77] = '#';
    text[40000] = '@';
    text[40001] = '@';
    const uint8_t needles[] = { 'a', 'f', ' ', 'C', '#', '@', '~', 0 };
    for (size_t k = 0; k < sizeof needles; k++) {
        uint8_t c = needles[k];
        long v = find_vec(text, TEXT, c), r = find_ref(text, TEXT, c);
        CHECK(v == r, "first '%c' (0x%02x): %ld, expected %ld", c ? c : '0', c, v, r);
        /* From every offset in a stretch, to cross block boundaries. */
        for (long off = 39900; off < 40010; off += 3) {
            v = find_vec(text + off, 1000, c);
            r = find_ref(text + off, 1000, c);
            CHECK(v == r, "'%c' from %ld: %ld, expected %ld", c ? c : '0', off, v, r);
        }
    }
    EQ(find_vec(text, TEXT, '#'), TEXT - 77);
    EQ(find_vec(text, TEXT, '@'), 40000);
    EQ(find_vec(text, TEXT, '~'), -1);
    return 0;
}

/* ---- counting ---- */

static NOINLINE uint32_t count_vec(const uint8_t *p, int n, uint8_t c) {
    uint32_t k = 0;
    for (int i = 0; i < n; i++) k += p[i] == c;
    return k;
}

static NOINLINE uint32_t count_ref(const uint8_t *p, int n, uint8_t c) {
    volatile uint32_t k = 0;
    SCALAR for (int i = 0; i < n; i++) k += p[i] == c;
    return k;
}

/* Positions where the 4-byte needle starts (overlapping matches count). */
static NOINLINE uint32_t count4_vec(const uint8_t *p, int n, const uint8_t *nd) {
    uint8_t a = nd[0], b = nd[1], c = nd[2], d = nd[3];
    uint32_t k = 0;
    for (int i = 0; i + 4 <= n; i++)
        k += (p[i] == a) & (p[i + 1] == b) & (p[i + 2] == c) & (p[i + 3] == d);
    return k;
}

static NOINLINE uint32_t count_naive(const uint8_t *p, int n, const uint8_t *nd, int m) {
    volatile uint32_t k = 0;
    SCALAR for (int i = 0; i + m <= n; i++) {
        int j = 0;
        while (j < m && p[i + j] == nd[j]) j++;
        if (j == m) k++;
    }
    return k;
}

CASE(count) {
    make_text();
    const uint8_t which[] = { 'a', 'f', ' ', 'A', 'F', 0, 0xff, 'g' };
    for (size_t k = 0; k < sizeof which; k++) {
        uint8_t c = which[k];
        uint32_t v = count_vec(text, TEXT, c), r = count_ref(text, TEXT, c);
        CHECK(v == r, "count of 0x%02x: %u, expected %u", c, v, r);
    }
    EQ(count_vec(text, TEXT, ' '), count_ref(text, TEXT, ' '));
    EQ(count_vec(text + 3, TEXT - 10, 'b'), count_ref(text + 3, TEXT - 10, 'b'));
    EQ(count_vec(text, TEXT, 'a') + count_vec(text, TEXT, 'b') + count_vec(text, TEXT, 'c')
       + count_vec(text, TEXT, 'd') + count_vec(text, TEXT, 'e') + count_vec(text, TEXT, 'f')
       + count_vec(text, TEXT, ' ') + count_vec(text, TEXT, 'A') + count_vec(text, TEXT, 'B')
       + count_vec(text, TEXT, 'C') + count_vec(text, TEXT, 'D') + count_vec(text, TEXT, 'E')
       + count_vec(text, TEXT, 'F'), TEXT);
    return 0;
}

CASE(strstr) {
    make_text();
    /* Plant a needle over a block boundary and at the very end. */
    memcpy(text + 4094, "QxyZ", 4);
    memcpy(text + TEXT - 4, "QxyZ", 4);
    const char *needles[] = { "abca", "aaaa", "f ed", "QxyZ", " a b", "zzzz" };
    for (size_t k = 0; k < sizeof needles / sizeof needles[0]; k++) {
        const uint8_t *nd = (const uint8_t *)needles[k];
        uint32_t v = count4_vec(text, TEXT, nd), r = count_naive(text, TEXT, nd, 4);
        CHECK(v == r, "matches of \"%s\": %u, expected %u", needles[k], v, r);
    }
    EQ(count4_vec(text, TEXT, (const uint8_t *)"QxyZ"), 2);
    EQ(count4_vec(text, TEXT, (const uint8_t *)"zzzz"), 0);
    CHECK(count_naive(text, TEXT, (const uint8_t *)"abca", 4) > 10, "too few matches of abca");
    return 0;
}

/* ---- strlen ---- */

static NOINLINE int block_min(const uint8_t *p) {
    uint8_t m = 255;
    for (int i = 0; i < BLOCK; i++) m = p[i] < m ? p[i] : m;
    return m;
}

static NOINLINE long strlen_vec(const uint8_t *p) {
    long b = 0;
    while (block_min(p + b) != 0) b += BLOCK;
    while (p[b]) b++;
    return b;
}

static NOINLINE long strlen_ref(const uint8_t *p) {
    long n = 0;
    SCALAR while (p[n]) n++;
    return n;
}

CASE(strlen) {
    make_text();
    EQ(strlen_vec(text), TEXT);
    EQ(strlen_ref(text), TEXT);
    for (long at = 1000; at < 1200; at += 7) {
        text[at] = 0;
        EQ(strlen_vec(text), at);
        EQ(strlen_vec(text + 13), at - 13);
        text[at] = 'x';
    }
    /* A byte above 127 must not count as a NUL (unsigned compares). */
    text[5] = 0x80;
    text[6] = 0xff;
    EQ(strlen_vec(text), TEXT);
    return 0;
}

/* ---- case folding ---- */

static NOINLINE void lower_vec(uint8_t *restrict out, const uint8_t *restrict in, int n) {
    for (int i = 0; i < n; i++) {
        uint8_t c = in[i];
        out[i] = (uint8_t)(c - 'A') < 26 ? (uint8_t)(c | 0x20) : c;
    }
}

static NOINLINE void lower_ref(uint8_t *restrict out, const uint8_t *restrict in, int n) {
    SCALAR for (int i = 0; i < n; i++) {
        uint8_t c = in[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
    }
}

/* Number of positions where a and b differ ignoring ASCII case. */
static NOINLINE uint32_t casecmp_vec(const uint8_t *a, const uint8_t *b, int n) {
    uint32_t d = 0;
    for (int i = 0; i < n; i++) {
        uint8_t x = a[i], y = b[i];
        x = (uint8_t)(x - 'A') < 26 ? (uint8_t)(x | 0x20) : x;
        y = (uint8_t)(y - 'A') < 26 ? (uint8_t)(y | 0x20) : y;
        d += x != y;
    }
    return d;
}

static uint8_t low_v[TEXT], low_r[TEXT], all_bytes[TEXT];

CASE(casefold) {
    make_text();
    SCALAR for (int i = 0; i < TEXT; i++) all_bytes[i] = (uint8_t)(i * 7 + (i >> 8));
    lower_vec(low_v, all_bytes, TEXT);
    lower_ref(low_r, all_bytes, TEXT);
    SCALAR for (int i = 0; i < TEXT; i++)
        CHECK(low_v[i] == low_r[i], "lower(0x%02x) = 0x%02x, expected 0x%02x", all_bytes[i], low_v[i], low_r[i]);
    lower_vec(low_v, text, TEXT);
    EQ(casecmp_vec(low_v, text, TEXT), 0);
    low_v[100] = '!';
    low_v[TEXT - 1] = '!';
    EQ(casecmp_vec(low_v, text, TEXT), 2);
    EQ(casecmp_vec(all_bytes, low_r, TEXT), 0);
    return 0;
}

#define CASES(X) X(memchr) X(count) X(strstr) X(strlen) X(casefold)
TEST_MAIN(CASES)
