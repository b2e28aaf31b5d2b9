/*
 * Signed feature hashing of character n-grams and word uni/bigrams (scheme version 4).
 *
 * The numpy twin is aimds_middleware.detection.fastpath.hash_text_python; any change here must
 * change it too and bump AIMDS_HASH_VERSION (stored indexes record the embedder identity).
 *
 * For a text c[0..m) of code points, all arithmetic mod 2^64, rotl = 64-bit rotate left:
 *   t[j] = fmix64(c[j] ^ SEED_T)                         (murmur3 finaliser; a table for ASCII)
 *   char n-gram ending at j (j >= n-1):  g = XOR_{i<n} rotl(t[j-i], i);  h = mix(g ^ n*GOLD)
 *   words = maximal runs of alphanumerics (str.isalnum, i.e. Py_UNICODE_ISALNUM)
 *   word hash w = XOR over its chars of rotl(t[j], (e-1-j) mod 64)   (e = one past the word)
 *   unigram  h = mix(w ^ SEED_W1);   bigram of consecutive words  h = mix((prev*B2 + w) ^ SEED_W2)
 *   mix(x) = x * K; with dim = 2^b (1 <= b <= 24) the bucket is the top b bits of h and the sign
 *   the next bit (set: -1, clear: +1), times the family weight (multiplicative hashing: the
 *   top bits of the product are the well-mixed ones)
 * Rotate/XOR windows instead of a polynomial keep the per-character cost at one multiply per
 * emitted n-gram: that is what gets 2 KiB under ~5 us.
 * Output: v_i = sign(c_i) * (sqrt(|c_i|) * (1 / sqrt(sum_j |c_j|))) over the int64 bucket counts
 * c, in double (that exact order of operations), rounded to float32 (the square root damps the n-grams every English text shares).
 * When every count is zero (empty text, nothing long enough to hash) the vector is the one-hot
 * bucket of mix(SEED_EMPTY), so no text embeds to a zero or NaN vector.
 */
#ifndef AIMDS_HASH_H
#define AIMDS_HASH_H

#include <math.h>
#include <stdint.h>

#define AIMDS_HASH_VERSION 4
#define AH_SEED_T 0x94D049BB133111EBULL
#define AH_B2 0x9E3779B97F4A7C15ULL
#define AH_GOLD 0x9E3779B97F4A7C15ULL
#define AH_SEED_W1 0x5851F42D4C957F2DULL
#define AH_SEED_W2 0x14057B7EF767814FULL
#define AH_SEED_EMPTY 0x2545F4914F6CDD1DULL

#define AH_K 0xD6E8FEB86659FD93ULL

static inline uint64_t
ah_mix(uint64_t x)
{
    return x * AH_K;
}

static inline uint64_t
ah_fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* log2 of a power of two (portable: no compiler builtins) */
static inline unsigned
ah_log2(uint64_t pow2)
{
    unsigned b = 0;
    while (pow2 > 1) {
        pow2 >>= 1;
        b++;
    }
    return b;
}

static uint64_t ah_t_ascii[128];
static double ah_sqrt_small[256]; /* sqrt(i): the same correctly rounded value, looked up */

static void
ah_tables_init(void)
{
    for (uint32_t c = 0; c < 128; c++)
        ah_t_ascii[c] = ah_fmix64((uint64_t)c ^ AH_SEED_T);
    for (int i = 0; i < 256; i++)
        ah_sqrt_small[i] = sqrt((double)i);
}

typedef struct {
    uint64_t dim;
    unsigned bits; /* dim == 1 << bits */
    uint64_t mask; /* bit n set: hash char n-grams of size n */
    int64_t wc, w1, w2;
} ah_params;

/* counts[] is int64 like several hasher fields, so the compiler must assume a store to it may
 * change them: the state is therefore kept in locals inside one function per string kind, and
 * `restrict` says the counts alias nothing else. */
#define AH_ADD(counts, bits, x, w)                                                             \
    do {                                                                                       \
        uint64_t x_ = (x);                                                                     \
        int64_t s_ = (int64_t)(x_ << (bits)) >> 63; /* 0 or -1 */                              \
        (counts)[x_ >> (64 - (bits))] += ((w) ^ s_) - s_;                                      \
    } while (0)

#define AH_ROTL(x, r) (((x) << (r)) | ((x) >> (64 - (r))))

#define AH_NGRAM(n, wprev)                                                                     \
    if (maxn >= (n)) {                                                                         \
        g ^= AH_ROTL(wprev, (n) - 1);                                                          \
        if ((mask >> (n)) & 1u && k >= (n))                                                    \
            AH_ADD(counts, bits, ah_mix(g ^ ((uint64_t)(n) * AH_GOLD)), wc);                 \
    }

/* FIXED_MASK >= 0 compiles a copy specialised for that n-gram set without word features (the
 * shipped embedder's configuration): constant masks let the compiler drop the unused sizes. */
#define AH_DEFINE_RUN(NAME, CT, FIXED_MASK)                                                    \
    static void NAME(const CT *restrict s, Py_ssize_t m, int64_t *restrict counts,           \
                     const ah_params *p)                                                       \
    {                                                                                          \
        const unsigned bits = p->bits;                                                     \
        const uint64_t mask = (FIXED_MASK) >= 0 ? (uint64_t)(FIXED_MASK) : (p->wc ? p->mask : 0); \
        const int64_t wc = p->wc;                                                              \
        const int64_t w1 = (FIXED_MASK) >= 0 ? 0 : p->w1, w2 = (FIXED_MASK) >= 0 ? 0 : p->w2;  \
        const int words = (w1 || w2);                                                          \
        uint64_t maxn = 0;                                                                     \
        for (uint64_t n = 1; n <= 7; n++)                                                      \
            if ((mask >> n) & 1u)                                                              \
                maxn = n;                                                                      \
        uint64_t w0 = 0, wa = 0, wb = 0, wcc = 0, wd = 0, we = 0; /* t of previous chars */   \
        uint64_t wh = 0, prev = 0;                                                             \
        int in_word = 0, has_prev = 0;                                                         \
        for (Py_ssize_t i = 0; i < m; i++) {                                                   \
            uint32_t c = s[i];                                                                 \
            uint64_t t = c < 128 ? ah_t_ascii[c] : ah_fmix64((uint64_t)c ^ AH_SEED_T);         \
            uint64_t k = (uint64_t)i + 1;                                                      \
            uint64_t g = t;                                                                    \
            if ((mask & 2u) && maxn >= 1)                                                      \
                AH_ADD(counts, bits, ah_mix(g ^ AH_GOLD), wc);                                \
            AH_NGRAM(2, w0)                                                                    \
            AH_NGRAM(3, wa)                                                                    \
            AH_NGRAM(4, wb)                                                                    \
            AH_NGRAM(5, wcc)                                                                   \
            AH_NGRAM(6, wd)                                                                    \
            AH_NGRAM(7, we)                                                                    \
            we = wd;                                                                           \
            wd = wcc;                                                                          \
            wcc = wb;                                                                          \
            wb = wa;                                                                           \
            wa = w0;                                                                           \
            w0 = t;                                                                            \
            if (words) {                                                                       \
                if (ah_isalnum(c)) {                                                           \
                    wh = in_word ? AH_ROTL(wh, 1) ^ t : t;                                     \
                    in_word = 1;                                                               \
                }                                                                              \
                else if (in_word) {                                                            \
                    AH_END_WORD();                                                             \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
        if (in_word)                                                                           \
            AH_END_WORD();                                                                     \
    }

#define AH_END_WORD()                                                                          \
    do {                                                                                       \
        if (w1)                                                                                \
            AH_ADD(counts, bits, ah_mix(wh ^ AH_SEED_W1), w1);                                \
        if (w2 && has_prev)                                                                    \
            AH_ADD(counts, bits, ah_mix((prev * AH_B2 + wh) ^ AH_SEED_W2), w2);               \
        prev = wh;                                                                             \
        has_prev = 1;                                                                          \
        in_word = 0;                                                                           \
    } while (0)

static inline int
ah_isalnum(uint32_t c)
{
    if (c < 128)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return Py_UNICODE_ISALNUM(c);
}

AH_DEFINE_RUN(ah_run1_any, Py_UCS1, -1)
AH_DEFINE_RUN(ah_run2_any, Py_UCS2, -1)
AH_DEFINE_RUN(ah_run4_any, Py_UCS4, -1)
AH_DEFINE_RUN(ah_run1_c34, Py_UCS1, 0x18)
AH_DEFINE_RUN(ah_run2_c34, Py_UCS2, 0x18)
AH_DEFINE_RUN(ah_run4_c34, Py_UCS4, 0x18)

#define AH_IS_C34(p) ((p)->mask == 0x18 && (p)->wc && !(p)->w1 && !(p)->w2)
#define AH_DISPATCH(K, s, m, counts, p)                                                        \
    (AH_IS_C34(p) ? ah_run##K##_c34((s), (m), (counts), (p)) : ah_run##K##_any((s), (m), (counts), (p)))

/* Write the normalised vector for the counts into out[0..dim). */
static void
ah_finish(const int64_t *counts, uint64_t dim, float *out)
{
    uint64_t total = 0;
    for (uint64_t i = 0; i < dim; i++) {
        int64_t c = counts[i];
        total += (uint64_t)(c < 0 ? -c : c);
    }
    if (total == 0) {
        for (uint64_t i = 0; i < dim; i++)
            out[i] = 0.0f;
        out[dim > 1 ? ah_mix(AH_SEED_EMPTY) >> (64 - ah_log2(dim)) : 0] = 1.0f;
        return;
    }
    double inv = 1.0 / sqrt((double)total);
    for (uint64_t i = 0; i < dim; i++) {
        int64_t c = counts[i];
        uint64_t a = (uint64_t)(c < 0 ? -c : c);
        double v = (a < 256 ? ah_sqrt_small[a] : sqrt((double)a)) * inv;
        out[i] = (float)(c < 0 ? -v : v);
    }
}

#endif
