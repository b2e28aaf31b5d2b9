/*
 * Word scanner: which of a fixed set of words (UTF-8, at least 3 bytes each) occur in a text.
 *
 * The matcher gates its regex rules on a few thousand literals and only needs to know *which*
 * occur (plus every occurrence of the few dozen that carry literal rules or fuzzy anchors).
 * pyahocorasick reports every occurrence to Python, ~200 per 2 KiB of ordinary English at
 * ~0.15 us each; this pass reports each word once. aimds_middleware.detection.wordscan holds the
 * Python twin (pyahocorasick over the same bytes); the parity tests require identical results.
 *
 * Table: words grouped by their first eight bytes (four for words of 4-7 bytes, three for 3-byte
 * words) in an open-addressing hash table, plus a 65,536-bit filter per prefix length so most text
 * positions cost a few bit tests. (Three-byte prefixes let ~30% of English positions through to
 * ~5 comparisons each; four-byte ones far fewer. Eight-byte ones for the long words: the gates
 * spell out phrases, and ~250 of them began "the " or "with", ~11,000 comparisons per 2 KiB of
 * English with four-byte prefixes, ~600 with eight.) Scan: at every byte position, test the
 * filters, then compare the bucket's words. Results:
 *   found  distinct word ids, ascending
 *   occ    (end byte, id) of every occurrence of a "positional" word, sorted
 * The cost is linear in the text times the words sharing a prefix (bounded by the table).
 */
#ifndef AIMDS_WORDS_H
#define AIMDS_WORDS_H

#define WT_CAPSULE "aimds_middleware._native.WordTable"
#define WT_MIN 3

typedef struct {
    uint32_t nwords;
    uint32_t mask;      /* buckets - 1 (power of two) */
    int has3, has8;     /* any 3-byte word, any word of 8 bytes or more */
    uint64_t *bkey;     /* prefix (3, 4 or 8 bytes) */
    uint8_t *bklen;     /* its length, 0 when the bucket is empty */
    uint32_t *bstart;   /* first entry of the bucket's prefix */
    uint32_t *bcount;   /* entries with that prefix */
    uint32_t *eoff;     /* entry -> offset of its word in bytes */
    uint32_t *elen;     /* entry -> word length */
    uint64_t *etail;    /* entry -> the (up to) 8 bytes after its prefix, little-endian, zero-padded */
    uint32_t *eid;      /* entry -> word id */
    uint8_t *positional; /* word id -> report every occurrence */
    char *bytes;
    uint64_t filter[3][1024]; /* 3- and 4-byte prefixes (rows 0, 1; row 2 unused) */
    uint64_t filter8[4096];   /* 8-byte prefixes: 2^18 bits, as ~13,000 of them filled 20% of 2^16 */
} word_table;

/* the prefix length a word is filed under */
static inline uint32_t
wt_klen(size_t len)
{
    return len >= 8 ? 8 : len >= 4 ? 4 : 3;
}

/* filter[] row of a prefix length */
static inline uint32_t
wt_row(uint32_t klen)
{
    return klen == 8 ? 2 : klen - 3;
}

static inline uint64_t
wt_key(const unsigned char *p, uint32_t klen)
{
    uint64_t k = 0;
    for (uint32_t j = 0; j < klen; j++)
        k |= (uint64_t)p[j] << (8 * j);
    return k;
}

static inline uint32_t
wt_filter_bit(uint64_t key)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 48);
}

/* the 8-byte row's bit: its prefixes are many (the gates spell out phrases) */
static inline uint32_t
wt_filter_bit8(uint64_t key)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 46);
}

static inline uint32_t
wt_bucket(uint64_t key, uint32_t klen, uint32_t mask)
{
    return (uint32_t)(((key ^ klen) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static void
wt_free(word_table *t)
{
    if (!t)
        return;
    PyMem_Free(t->bkey);
    PyMem_Free(t->bklen);
    PyMem_Free(t->bstart);
    PyMem_Free(t->bcount);
    PyMem_Free(t->eoff);
    PyMem_Free(t->elen);
    PyMem_Free(t->etail);
    PyMem_Free(t->eid);
    PyMem_Free(t->positional);
    PyMem_Free(t->bytes);
    PyMem_Free(t);
}

static void
wt_capsule_free(PyObject *cap)
{
    wt_free((word_table *)PyCapsule_GetPointer(cap, WT_CAPSULE));
}

/* qsort context: sort entries by prefix length and key, then id. A global is safe: tables are
 * built with the GIL held. */
static const uint64_t *g_sort_keys;
static const uint32_t *g_sort_klen;
static int
wt_cmp_entry(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (g_sort_klen[x] != g_sort_klen[y])
        return g_sort_klen[x] < g_sort_klen[y] ? -1 : 1;
    if (g_sort_keys[x] != g_sort_keys[y])
        return g_sort_keys[x] < g_sort_keys[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

PyDoc_STRVAR(word_table_doc,
             "word_table(words, positional) -> table\n\n"
             "A scanner table for ``words`` (a list of distinct bytes, each at least 3 long; the id\n"
             "of a word is its index) and ``positional`` (a list of bools, one per word: report every\n"
             "occurrence).");

static PyObject *
native_word_table(PyObject *self, PyObject *args)
{
    PyObject *words, *positional;
    if (!PyArg_ParseTuple(args, "O!O!:word_table", &PyList_Type, &words, &PyList_Type, &positional))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(words);
    if (PyList_GET_SIZE(positional) != n) {
        PyErr_SetString(PyExc_ValueError, "word_table: words and positional differ in length");
        return NULL;
    }
    if (n >= (1 << 24)) {
        PyErr_SetString(PyExc_ValueError, "word_table: too many words");
        return NULL;
    }
    word_table *t = PyMem_Calloc(1, sizeof(word_table));
    if (!t)
        return PyErr_NoMemory();
    /* scratch, per word id: prefix key, prefix length (wt_klen), offset */
    uint64_t *keys = NULL;
    uint32_t *klen = NULL, *woff = NULL;
    PyObject *cap = NULL;
    size_t total = 0;
    /* both lists are checked before anything is read from them: no Python code runs after this
     * (exact bools, immutable bytes), so neither list can change under the build */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = PyList_GET_ITEM(words, i);
        if (!PyBytes_Check(w) || PyBytes_GET_SIZE(w) < WT_MIN || PyBytes_GET_SIZE(w) > 0xFFFF) {
            PyErr_Format(PyExc_ValueError, "word_table: word %zd must be bytes of 3..65535 bytes", i);
            goto done;
        }
        if (!PyBool_Check(PyList_GET_ITEM(positional, i))) {
            PyErr_Format(PyExc_TypeError, "word_table: positional[%zd] must be a bool", i);
            goto done;
        }
        total += (size_t)PyBytes_GET_SIZE(w);
    }
    uint32_t buckets = 16;
    while (buckets < 2 * (uint32_t)n)
        buckets <<= 1;
    t->nwords = (uint32_t)n;
    t->mask = buckets - 1;
    t->bkey = PyMem_Calloc(buckets, sizeof(uint64_t));
    t->bklen = PyMem_Calloc(buckets, 1);
    t->bstart = PyMem_Calloc(buckets, sizeof(uint32_t));
    t->bcount = PyMem_Calloc(buckets, sizeof(uint32_t));
    t->eoff = PyMem_Calloc(n + 1, sizeof(uint32_t));
    t->elen = PyMem_Calloc(n + 1, sizeof(uint32_t));
    t->etail = PyMem_Calloc(n + 1, sizeof(uint64_t));
    t->eid = PyMem_Calloc(n + 1, sizeof(uint32_t));
    t->positional = PyMem_Calloc(n + 1, 1);
    t->bytes = PyMem_Malloc(total + 1);
    keys = PyMem_Calloc(n + 1, sizeof(uint64_t));
    klen = PyMem_Calloc(n + 1, sizeof(uint32_t));
    woff = PyMem_Calloc(n + 1, sizeof(uint32_t));
    if (!t->bkey || !t->bklen || !t->bstart || !t->bcount || !t->eoff || !t->elen || !t->etail || !t->eid || !t->positional ||
        !t->bytes || !keys || !klen || !woff) {
        PyErr_NoMemory();
        goto done;
    }
    size_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = PyList_GET_ITEM(words, i);
        Py_ssize_t len = PyBytes_GET_SIZE(w);
        memcpy(t->bytes + at, PyBytes_AS_STRING(w), (size_t)len);
        woff[i] = (uint32_t)at;
        t->positional[i] = PyList_GET_ITEM(positional, i) == Py_True;
        klen[i] = wt_klen((size_t)len);
        keys[i] = wt_key((const unsigned char *)t->bytes + at, klen[i]);
        at += (size_t)len;
    }
    /* entries: word ids sorted by prefix, so a bucket is one contiguous range */
    for (Py_ssize_t i = 0; i < n; i++)
        t->eid[i] = (uint32_t)i;
    g_sort_keys = keys;
    g_sort_klen = klen;
    qsort(t->eid, (size_t)n, sizeof(uint32_t), wt_cmp_entry);
    for (Py_ssize_t e = 0; e < n; e++) {
        uint32_t id = t->eid[e];
        t->eoff[e] = woff[id];
        t->elen[e] = (uint32_t)PyBytes_GET_SIZE(PyList_GET_ITEM(words, id));
        uint32_t rest = t->elen[e] - klen[id];
        t->etail[e] = wt_key((const unsigned char *)t->bytes + woff[id] + klen[id], rest < 8 ? rest : 8);
    }
    for (Py_ssize_t e = 0; e < n;) {
        uint64_t key = keys[t->eid[e]];
        uint32_t kl = klen[t->eid[e]];
        Py_ssize_t end = e;
        while (end < n && keys[t->eid[end]] == key && klen[t->eid[end]] == kl)
            end++;
        uint32_t h = wt_bucket(key, kl, t->mask);
        while (t->bklen[h])
            h = (h + 1) & t->mask;
        t->bkey[h] = key;
        t->bklen[h] = (uint8_t)kl;
        t->bstart[h] = (uint32_t)e;
        t->bcount[h] = (uint32_t)(end - e);
        if (kl == 8) {
            uint32_t f = wt_filter_bit8(key);
            t->filter8[f >> 6] |= (uint64_t)1 << (f & 63);
        } else {
            uint32_t f = wt_filter_bit(key);
            t->filter[wt_row(kl)][f >> 6] |= (uint64_t)1 << (f & 63);
        }
        if (kl == 3)
            t->has3 = 1;
        if (kl == 8)
            t->has8 = 1;
        e = end;
    }
    cap = PyCapsule_New(t, WT_CAPSULE, wt_capsule_free);
done:
    PyMem_Free(keys);
    PyMem_Free(klen);
    PyMem_Free(woff);
    if (!cap)
        wt_free(t);
    return cap;
}

typedef struct {
    uint32_t end, id;
} wt_occ;

static int
wt_cmp_occ(const void *a, const void *b)
{
    const wt_occ *x = a, *y = b;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->id < y->id ? -1 : (x->id > y->id);
}

static int
wt_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : (x > y);
}

/* a == b over len bytes. Inline: the rest of a word is a few bytes, and a call to the library's
 * memcmp per bucket entry was a fifth of the scan (perf) */
static inline int
wt_same(const unsigned char *a, const unsigned char *b, uint32_t len)
{
    for (; len >= 8; a += 8, b += 8, len -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
    }
    for (; len; len--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

/* Compare the words of one bucket (they share their first ``kl`` bytes with p + i) and record
 * the hits. Returns -1 when the occurrence buffer cannot grow. */
static int
wt_bucket_hits(const word_table *t, const unsigned char *p, size_t n, size_t i, uint32_t kl, uint32_t e,
               uint32_t stop, uint8_t *seen, uint32_t *found, uint32_t *nfound, wt_occ **occ, size_t *nocc,
               size_t *capocc)
{
    for (; e < stop; e++) {
        uint32_t len = t->elen[e];
        if (len > n - i)
            continue;
        uint32_t rest = len - kl;
        if (i + kl + 8 <= n) {
            /* the next 8 bytes of the text against the word's (up to) 8 after the prefix, masked
             * to the word: one compare for every word of up to prefix + 8 bytes */
            uint64_t x;
            memcpy(&x, p + i + kl, 8);
            uint64_t mask = rest >= 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * rest)) - 1);
            if ((x ^ t->etail[e]) & mask)
                continue;
            if (rest > 8 &&
                !wt_same(p + i + kl + 8, (const unsigned char *)t->bytes + t->eoff[e] + kl + 8, rest - 8))
                continue;
        } else if (!wt_same(p + i + kl, (const unsigned char *)t->bytes + t->eoff[e] + kl, rest)) {
            continue;
        }
        uint32_t id = t->eid[e];
        if (!seen[id]) {
            seen[id] = 1;
            found[(*nfound)++] = id;
        }
        if (t->positional[id]) {
            if (*nocc == *capocc) {
                size_t cap = *capocc ? *capocc * 2 : 64;
                wt_occ *grown = PyMem_RawRealloc(*occ, cap * sizeof(wt_occ));
                if (!grown)
                    return -1;
                *occ = grown;
                *capocc = cap;
            }
            (*occ)[*nocc].end = (uint32_t)(i + len);
            (*occ)[*nocc].id = id;
            (*nocc)++;
        }
    }
    return 0;
}

/* The bucket of prefix ``key`` (``kl`` bytes long) found at p + i, if any: compare its words. */
static int
wt_lookup(const word_table *t, const unsigned char *p, size_t n, size_t i, uint64_t key, uint32_t kl,
          uint8_t *seen, uint32_t *found, uint32_t *nfound, wt_occ **occ, size_t *nocc, size_t *capocc)
{
    uint32_t h = wt_bucket(key, kl, t->mask);
    while (t->bklen[h] && (t->bklen[h] != kl || t->bkey[h] != key))
        h = (h + 1) & t->mask;
    if (!t->bklen[h])
        return 0;
    return wt_bucket_hits(t, p, n, i, kl, t->bstart[h], t->bstart[h] + t->bcount[h], seen, found, nfound, occ,
                          nocc, capocc);
}

/* The scan itself; touches no Python object, so it can run without the GIL. Returns -1 when
 * the occurrence buffer cannot grow. */
static int
wt_scan(const word_table *t, const unsigned char *p, size_t n, uint8_t *seen, uint32_t *found,
        uint32_t *nfound, wt_occ **occ, size_t *nocc, size_t *capocc)
{
    if (n < WT_MIN)
        return 0;
    for (size_t i = 0; i + WT_MIN <= n; i++) {
        /* the 3-byte key, and the 4- and 8-byte ones where the text is long enough */
        uint64_t k3 = (uint64_t)p[i] | ((uint64_t)p[i + 1] << 8) | ((uint64_t)p[i + 2] << 16);
        if (i + 4 <= n) {
            uint64_t k4 = k3 | ((uint64_t)p[i + 3] << 24);
            uint32_t f = wt_filter_bit(k4);
            if ((t->filter[1][f >> 6] >> (f & 63)) & 1) {
                if (wt_lookup(t, p, n, i, k4, 4, seen, found, nfound, occ, nocc, capocc) < 0)
                    return -1;
            }
            if (t->has8 && i + 8 <= n) {
                uint64_t k8 = k4 | ((uint64_t)p[i + 4] << 32) | ((uint64_t)p[i + 5] << 40) | ((uint64_t)p[i + 6] << 48) |
                              ((uint64_t)p[i + 7] << 56);
                f = wt_filter_bit8(k8);
                if ((t->filter8[f >> 6] >> (f & 63)) & 1) {
                    if (wt_lookup(t, p, n, i, k8, 8, seen, found, nfound, occ, nocc, capocc) < 0)
                        return -1;
                }
            }
        }
        if (t->has3) {
            uint32_t f = wt_filter_bit(k3);
            if ((t->filter[0][f >> 6] >> (f & 63)) & 1) {
                if (wt_lookup(t, p, n, i, k3, 3, seen, found, nfound, occ, nocc, capocc) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

PyDoc_STRVAR(word_scan_doc,
             "word_scan(table, data) -> (found, occurrences)\n\n"
             "``found``: the ids of the table's words that occur in ``data`` (bytes), ascending.\n"
             "``occurrences``: (end, id) of every occurrence of a positional word, sorted; ``end``\n"
             "is the byte offset just past the occurrence.");

static PyObject *
native_word_scan(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "word_scan(table, data) takes 2 arguments");
        return NULL;
    }
    word_table *t = PyCapsule_GetPointer(args[0], WT_CAPSULE);
    if (!t)
        return NULL;
    if (!PyBytes_Check(args[1])) {
        PyErr_Format(PyExc_TypeError, "word_scan: data must be bytes, not %s", Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(args[1]);
    size_t n = (size_t)PyBytes_GET_SIZE(args[1]);
    if (n > 0xFFFFFFF0u) {
        PyErr_SetString(PyExc_ValueError, "word_scan: data over 4 GiB");
        return NULL;
    }
    uint8_t *seen = PyMem_RawCalloc(t->nwords + 1, 1);
    uint32_t *found = PyMem_RawMalloc((t->nwords + 1) * sizeof(uint32_t));
    wt_occ *occ = NULL;
    size_t nocc = 0, capocc = 0;
    uint32_t nfound = 0;
    PyObject *res = NULL, *lf = NULL, *lo = NULL;
    if (!seen || !found) {
        PyErr_NoMemory();
        goto done;
    }
    int rc;
    if (n >= 16384) { /* bytes are immutable: long scans let other threads run */
        Py_BEGIN_ALLOW_THREADS
        rc = wt_scan(t, p, n, seen, found, &nfound, &occ, &nocc, &capocc);
        Py_END_ALLOW_THREADS
    } else {
        rc = wt_scan(t, p, n, seen, found, &nfound, &occ, &nocc, &capocc);
    }
    if (rc < 0) {
        PyErr_NoMemory();
        goto done;
    }
    qsort(found, nfound, sizeof(uint32_t), wt_cmp_u32);
    if (nocc > 1)
        qsort(occ, nocc, sizeof(wt_occ), wt_cmp_occ);
    lf = PyList_New(nfound);
    lo = PyList_New((Py_ssize_t)nocc);
    if (!lf || !lo)
        goto done;
    for (uint32_t k = 0; k < nfound; k++) {
        PyObject *v = PyLong_FromUnsignedLong(found[k]);
        if (!v)
            goto done;
        PyList_SET_ITEM(lf, k, v);
    }
    for (size_t k = 0; k < nocc; k++) {
        PyObject *v = Py_BuildValue("(kk)", (unsigned long)occ[k].end, (unsigned long)occ[k].id);
        if (!v)
            goto done;
        PyList_SET_ITEM(lo, (Py_ssize_t)k, v);
    }
    res = PyTuple_Pack(2, lf, lo);
done:
    Py_XDECREF(lf);
    Py_XDECREF(lo);
    PyMem_RawFree(seen);
    PyMem_RawFree(found);
    PyMem_RawFree(occ);
    return res;
}

#endif /* AIMDS_WORDS_H */
