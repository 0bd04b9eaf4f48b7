/*
 * A CoreMark-like CPU benchmark for Porta's bench harness (our own code, in
 * the spirit of EEMBC CoreMark: the same kinds of work, none of its code).
 *
 * One iteration runs three kernels and folds their results into a CRC-16:
 *   - lists:  build a 256-node singly linked list, search it, merge-sort it
 *             by value and back by id through a comparison function pointer
 *             (call_indirect), reverse it, unlink and re-insert nodes;
 *   - matrix: 24x24 int16 matrices: add a constant, matrix x vector,
 *             matrix x matrix into int32, bit-field extraction, scaling;
 *   - state:  a character-level state machine that classifies the tokens of
 *             a 600-byte comma-separated text as integers, decimals,
 *             scientific numbers, hex numbers or invalid, then corrupts
 *             some bytes and classifies again.
 *
 * Self-checking: the CRC of each kernel in iteration 0 (fixed seeds) is
 * compared with the value the native build computes; a mismatch makes
 * `coremark` return 0xBAD0000k (k: 1 lists, 2 matrix, 4 state, or-ed)
 * instead of the CRC. Later iterations use iteration-dependent seeds.
 *
 * No libc and no imports: built with -nostdlib (see build.sh); -DNATIVE
 * builds a host program that prints the reference values.
 */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef short i16;
typedef int i32;

/* Reference CRCs of iteration 0 (printed by the native build). */
#define EXPECT_LIST 0xb620u
#define EXPECT_MATRIX 0x0b62u
#define EXPECT_STATE 0x764fu

/* ---------------------------------------------------------------- CRC-16 */

/* CRC-16/CCITT (polynomial 0x1021), bit by bit as CoreMark does. */
static u16 crc8(u16 crc, u8 byte) {
    crc ^= (u16)(byte << 8);
    for (int i = 0; i < 8; i++)
        crc = (crc & 0x8000) ? (u16)((crc << 1) ^ 0x1021) : (u16)(crc << 1);
    return crc;
}
/* Not inlined, as in CoreMark: the CRC helpers are real calls. */
__attribute__((noinline)) static u16 crc16(u16 crc, u16 v) { return crc8(crc8(crc, (u8)v), (u8)(v >> 8)); }
static u16 crc32v(u16 crc, u32 v) { return crc16(crc16(crc, (u16)v), (u16)(v >> 16)); }

/* ------------------------------------------------------------ random LCG */

static u32 rng;
static void seed_rng(u32 s) { rng = s * 2654435761u + 1; }
static u32 rnd(void) {
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* ----------------------------------------------------------------- lists */

#define NODES 256

struct node {
    struct node *next;
    i16 value;
    u16 id;
};

static struct node pool[NODES];

typedef int (*cmp_fn)(const struct node *, const struct node *);

static int by_value(const struct node *a, const struct node *b) { return (int)a->value - (int)b->value; }
static int by_id(const struct node *a, const struct node *b) { return (int)a->id - (int)b->id; }

/* Reached through a volatile table so the compiler cannot specialise
   list_sort for each comparison: every comparison is a call_indirect. */
static cmp_fn volatile comparisons[2] = {by_value, by_id};

static struct node *list_build(void) {
    struct node *head = 0;
    for (int i = NODES - 1; i >= 0; i--) {
        pool[i].value = (i16)((int)(rnd() & 0x7fff) - 0x4000);
        pool[i].id = (u16)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_find(struct node *l, int low_byte) {
    while (l && (l->value & 0xff) != low_byte)
        l = l->next;
    return l;
}

static struct node *list_reverse(struct node *l) {
    struct node *prev = 0;
    while (l) {
        struct node *next = l->next;
        l->next = prev;
        prev = l;
        l = next;
    }
    return prev;
}

/* Bottom-up, stable merge sort of a singly linked list. */
__attribute__((noinline)) static struct node *list_sort(struct node *list, cmp_fn cmp) {
    if (!list)
        return list;
    for (int width = 1;; width *= 2) {
        struct node *p = list, *tail = 0;
        int merges = 0;
        list = 0;
        while (p) {
            merges++;
            struct node *q = p;
            int psize = 0;
            while (psize < width && q) {
                psize++;
                q = q->next;
            }
            int qsize = width;
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) {
                    e = q; q = q->next; qsize--;
                } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
                    e = p; p = p->next; psize--;
                } else {
                    e = q; q = q->next; qsize--;
                }
                if (tail)
                    tail->next = e;
                else
                    list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1)
            return list;
    }
}

static u16 bench_list(u32 seed) {
    u16 crc = 0;
    seed_rng(seed);
    struct node *l = list_build();

    for (int i = 0; i < 24; i++) {
        struct node *f = list_find(l, (int)((seed + (u32)i * 37u) & 0xff));
        crc = crc16(crc, f ? f->id : 0xffff);
    }

    l = list_sort(l, comparisons[0]);
    int prev = -0x8000, sorted = 1, k = 0;
    for (struct node *n = l; n; n = n->next, k++) {
        if (n->value < prev)
            sorted = 0;
        prev = n->value;
        if ((k & 3) == 0)
            crc = crc16(crc, (u16)n->value);
    }
    crc = crc16(crc, (u16)(sorted * 0x5a5a + k));

    /* Unlink every 5th node and push it on the front with a new value. */
    l = list_reverse(l);
    struct node *prevn = 0;
    k = 0;
    for (struct node *n = l; n;) {
        struct node *next = n->next;
        if (k % 5 == 0 && prevn) {
            prevn->next = next;
            n->value = (i16)(n->value ^ 0x1234);
            n->next = l;
            l = n;
        } else {
            prevn = n;
        }
        n = next;
        k++;
    }

    l = list_sort(l, comparisons[1]);
    k = 0;
    int ids_ok = 1;
    for (struct node *n = l; n; n = n->next, k++) {
        if (n->id != k)
            ids_ok = 0;
        if ((k & 7) == 0)
            crc = crc16(crc, (u16)n->value);
    }
    return crc16(crc, (u16)(ids_ok * 0xa5a5 + k));
}

/* ---------------------------------------------------------------- matrix */

#define MN 24

static i16 ma[MN * MN], mb[MN * MN];
static i32 mc[MN * MN];
static i32 mv[MN];

static u16 crc_matrix32(u16 crc, const i32 *m, int n) {
    i32 sum = 0;
    for (int i = 0; i < n; i++) {
        sum += m[i];
        if ((i & 15) == 0)
            crc = crc32v(crc, (u32)m[i]);
    }
    return crc32v(crc, (u32)sum);
}

static u16 bench_matrix(u32 seed) {
    u16 crc = 0;
    seed_rng(seed);
    for (int i = 0; i < MN * MN; i++) {
        ma[i] = (i16)((int)(rnd() & 0x1ff) - 0x100);
        mb[i] = (i16)((int)(rnd() & 0xff) - 0x80);
    }

    /* A += c */
    i16 c = (i16)(seed & 0x3f);
    for (int i = 0; i < MN * MN; i++)
        ma[i] = (i16)(ma[i] + c);

    /* v = A x column 0 of B */
    for (int i = 0; i < MN; i++) {
        i32 s = 0;
        for (int j = 0; j < MN; j++)
            s += (i32)ma[i * MN + j] * (i32)mb[j * MN];
        mv[i] = s;
    }
    crc = crc_matrix32(crc, mv, MN);

    /* C = A x B */
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            i32 s = 0;
            for (int k = 0; k < MN; k++)
                s += (i32)ma[i * MN + k] * (i32)mb[k * MN + j];
            mc[i * MN + j] = s;
        }
    crc = crc_matrix32(crc, mc, MN * MN);

    /* Bit fields of C: ((c >> 2) & 0xf) * ((c >> 5) & 0x7f), accumulated. */
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            i32 s = 0;
            for (int k = 0; k < MN; k++) {
                u32 x = (u32)((i32)ma[i * MN + k] * (i32)mb[k * MN + j]);
                s += (i32)(((x >> 2) & 0xf) * ((x >> 5) & 0x7f));
            }
            mc[i * MN + j] = s;
        }
    crc = crc_matrix32(crc, mc, MN * MN);

    /* C = A * c2 (element-wise scaling) */
    i32 c2 = (i32)(seed % 13) + 3;
    for (int i = 0; i < MN * MN; i++)
        mc[i] = (i32)ma[i] * c2;
    return crc_matrix32(crc, mc, MN * MN);
}

/* ----------------------------------------------------------------- state */

#define TEXT 600

static u8 text[TEXT];

enum state { S_START, S_SIGN, S_INT, S_DOT, S_FRAC, S_EXP, S_EXPSIGN, S_SCI, S_ZERO, S_X, S_HEX, S_BAD, S_COUNT };

static const char *const samples[] = {
    "5012", "1234", "-874", "+122", "3.14", "-0.5", ".125", "7e-3", "-2.5E9",
    "0x1f", "0XAB", "0x", "1e", "--3", "abc", "12a", "0", "+.e",
};

static void text_build(void) {
    int pos = 0;
    while (pos < TEXT - 1) {
        const char *s = samples[rnd() % (sizeof samples / sizeof samples[0])];
        while (*s && pos < TEXT - 1)
            text[pos++] = (u8)*s++;
        if (pos < TEXT - 1)
            text[pos++] = ',';
    }
    text[pos] = 0;
}

static int is_digit(u8 c) { return c >= '0' && c <= '9'; }
static int is_hex(u8 c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

__attribute__((noinline)) static enum state next_state(enum state s, u8 c, u32 *transitions) {
    enum state n = S_BAD;
    switch (s) {
    case S_START:
        if (c == '0') n = S_ZERO;
        else if (is_digit(c)) n = S_INT;
        else if (c == '+' || c == '-') n = S_SIGN;
        else if (c == '.') n = S_DOT;
        break;
    case S_SIGN:
        if (is_digit(c)) n = S_INT;
        else if (c == '.') n = S_DOT;
        break;
    case S_ZERO:
        if (c == 'x' || c == 'X') n = S_X;
        else if (is_digit(c)) n = S_INT;
        else if (c == '.') n = S_FRAC;
        else if (c == 'e' || c == 'E') n = S_EXP;
        break;
    case S_INT:
        if (is_digit(c)) n = S_INT;
        else if (c == '.') n = S_FRAC;
        else if (c == 'e' || c == 'E') n = S_EXP;
        break;
    case S_DOT:
        if (is_digit(c)) n = S_FRAC;
        break;
    case S_FRAC:
        if (is_digit(c)) n = S_FRAC;
        else if (c == 'e' || c == 'E') n = S_EXP;
        break;
    case S_EXP:
        if (is_digit(c)) n = S_SCI;
        else if (c == '+' || c == '-') n = S_EXPSIGN;
        break;
    case S_EXPSIGN:
    case S_SCI:
        if (is_digit(c)) n = S_SCI;
        break;
    case S_X:
    case S_HEX:
        if (is_hex(c)) n = S_HEX;
        break;
    default:
        break;
    }
    if (n != s)
        transitions[s]++;
    return n;
}

/* Classifies every token; returns a CRC of the final-state counts. */
static u16 scan(u16 crc) {
    u32 finals[S_COUNT] = {0}, transitions[S_COUNT] = {0};
    const u8 *p = text;
    while (*p) {
        enum state s = S_START;
        while (*p && *p != ',')
            s = next_state(s, *p++, transitions);
        finals[s]++;
        if (*p == ',')
            p++;
    }
    for (int i = 0; i < S_COUNT; i++) {
        crc = crc32v(crc, finals[i]);
        crc = crc32v(crc, transitions[i]);
    }
    return crc;
}

static u16 bench_state(u32 seed) {
    seed_rng(seed);
    text_build();
    u16 crc = scan(0);
    /* Corrupt every 7th byte (never the terminator) and scan again. */
    for (int i = (int)(seed % 7); i < TEXT - 1; i += 7)
        text[i] = (u8)(text[i] ^ (u8)(rnd() & 0x1f));
    for (int i = 0; i < TEXT - 1; i++)
        if (text[i] == 0)
            text[i] = '#';
    crc = scan(crc);
    /* Restore separators at fixed places and scan a third time. */
    for (int i = 13; i < TEXT - 1; i += 13)
        text[i] = ',';
    return scan(crc);
}

/* ------------------------------------------------------------------ main */

static u16 last_list, last_matrix, last_state;

#ifndef NATIVE
__attribute__((export_name("coremark")))
#endif
u32 coremark(u32 iterations) {
    u16 crc = 0;
    u32 bad = 0;
    for (u32 it = 0; it < iterations; it++) {
        u16 l = bench_list(0x66 + it);
        u16 m = bench_matrix(0x4d + it * 3);
        u16 s = bench_state(0x53 + it * 5);
        if (it == 0) {
            last_list = l;
            last_matrix = m;
            last_state = s;
            if (l != EXPECT_LIST) bad |= 1;
            if (m != EXPECT_MATRIX) bad |= 2;
            if (s != EXPECT_STATE) bad |= 4;
        }
        crc = crc16(crc, l);
        crc = crc16(crc, m);
        crc = crc16(crc, s);
    }
    return bad ? 0xBAD00000u | bad : crc;
}

#ifdef NATIVE
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    u32 n = argc > 1 ? (u32)strtoul(argv[1], 0, 0) : 1;
    u32 r = coremark(n);
    printf("EXPECT_LIST 0x%04x\nEXPECT_MATRIX 0x%04x\nEXPECT_STATE 0x%04x\ncoremark(%u) = 0x%08x\n",
           last_list, last_matrix, last_state, n, r);
    return 0;
}
#endif
