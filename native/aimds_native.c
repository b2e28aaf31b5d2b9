/*
 * aimds_middleware._native — the per-request text pass in C.
 *
 * One routine walks the text once: it folds every code point through the table defined by
 * aimds_middleware.detection.charmap.fold_char, collapses runs of spaces, records where each
 * folded character came from, and (optionally) feeds the folded stream into signed feature
 * hashing of character n-grams and word uni/bigrams. aimds_middleware.detection.fastpath holds the
 * Python/numpy twin; the parity tests require bit-identical results from both. The hashing scheme
 * itself is documented in native/aimds_hash.h.
 *
 * Non-ASCII folding is not re-implemented here: the module asks the Python fold_char (passed to
 * setup()) once per distinct code point and caches the answer in a two-level table, so both back
 * ends agree by construction, whatever Unicode version the interpreter ships.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "aimds_hash.h"
#include "aimds_words.h"
#include "aimds_gates.h"

/* ------------------------------------------------------------------------------------------ */
/* Fold table                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* Entry encoding (0 = not looked up yet):
 *   E_SINGLE | cp   one code point
 *   E_EMPTY         removed
 *   E_MULTI | idx   several code points: g_multi[idx] = {len, cps...}                            */
#define E_SINGLE 0x80000000u
#define E_EMPTY 0x40000000u
#define E_MULTI 0xC0000000u
#define E_TAGMASK 0xC0000000u
#define NPAGES (0x110000 >> 8)

static unsigned char g_ascii[128];
static int g_ready = 0;
static PyObject *g_fold_char = NULL;  /* charmap.fold_char */
static PyObject *g_frombuffer = NULL; /* numpy.frombuffer */
static PyObject *g_int32 = NULL;      /* numpy.dtype("int32") */
static uint32_t *g_pages[NPAGES];
/* Pages and multi entries live for the process: the table is bounded by the code-point space
 * (at most 4352 pages of 1 KiB) and g_multi entries are never moved once written, so a pointer
 * read before a call back into Python stays valid after it. */
static Py_UCS4 **g_multi = NULL;
static size_t g_multi_n = 0, g_multi_cap = 0;

static int
table_fill(Py_UCS4 cp, uint32_t *out)
{
    PyObject *arg = PyLong_FromUnsignedLong(cp);
    if (!arg)
        return -1;
    /* The call may release the GIL: another thread can fill the same slot meanwhile. Both
     * compute the same value, so re-checking and overwriting is harmless. */
    PyObject *res = PyObject_CallOneArg(g_fold_char, arg);
    Py_DECREF(arg);
    if (!res)
        return -1;
    if (!PyUnicode_Check(res)) {
        PyErr_Format(PyExc_TypeError, "fold_char(%lu) returned %.100s, not str", (unsigned long)cp,
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return -1;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(res);
    uint32_t e;
    if (n == 0) {
        e = E_EMPTY;
    }
    else if (n == 1) {
        e = E_SINGLE | (uint32_t)PyUnicode_READ_CHAR(res, 0);
    }
    else {
        if (g_multi_n >= 0x3FFFFFFFu) {
            Py_DECREF(res);
            PyErr_SetString(PyExc_OverflowError, "fold table full");
            return -1;
        }
        Py_UCS4 *buf = PyMem_RawMalloc(sizeof(Py_UCS4) * (size_t)(n + 1));
        if (!buf) {
            Py_DECREF(res);
            PyErr_NoMemory();
            return -1;
        }
        buf[0] = (Py_UCS4)n;
        if (!PyUnicode_AsUCS4(res, buf + 1, n, 0)) {
            PyMem_RawFree(buf);
            Py_DECREF(res);
            return -1;
        }
        if (g_multi_n == g_multi_cap) {
            size_t cap = g_multi_cap ? g_multi_cap * 2 : 256;
            Py_UCS4 **grown = PyMem_RawRealloc(g_multi, cap * sizeof(Py_UCS4 *));
            if (!grown) {
                PyMem_RawFree(buf);
                Py_DECREF(res);
                PyErr_NoMemory();
                return -1;
            }
            g_multi = grown;
            g_multi_cap = cap;
        }
        g_multi[g_multi_n] = buf;
        e = E_MULTI | (uint32_t)g_multi_n;
        g_multi_n++;
    }
    Py_DECREF(res);
    uint32_t *page = g_pages[cp >> 8];
    if (!page) {
        page = PyMem_RawCalloc(256, sizeof(uint32_t));
        if (!page) {
            PyErr_NoMemory();
            return -1;
        }
        g_pages[cp >> 8] = page;
    }
    page[cp & 255] = e;
    *out = e;
    return 0;
}

static inline int
table_get(Py_UCS4 cp, uint32_t *out)
{
    const uint32_t *page = g_pages[cp >> 8];
    uint32_t e = page ? page[cp & 255] : 0;
    if (e) {
        *out = e;
        return 0;
    }
    return table_fill(cp, out);
}

/* ------------------------------------------------------------------------------------------ */
/* Output buffers                                                                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
    Py_UCS4 *chars;
    int32_t *offs; /* NULL while the mapping is still the identity */
    Py_ssize_t len, cap;
} outbuf;

static int
out_grow(outbuf *o, Py_ssize_t extra)
{
    if (o->len + extra <= o->cap)
        return 0;
    Py_ssize_t cap = o->cap;
    while (cap < o->len + extra) {
        if (cap > PY_SSIZE_T_MAX / 2 / (Py_ssize_t)sizeof(Py_UCS4)) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    Py_UCS4 *c = PyMem_Realloc(o->chars, sizeof(Py_UCS4) * (size_t)cap);
    if (!c) {
        PyErr_NoMemory();
        return -1;
    }
    o->chars = c;
    if (o->offs) {
        int32_t *f = PyMem_Realloc(o->offs, sizeof(int32_t) * (size_t)(cap + 1));
        if (!f) {
            PyErr_NoMemory();
            return -1;
        }
        o->offs = f;
    }
    o->cap = cap;
    return 0;
}

/* The mapping stopped being the identity at output position o->len: until now folded char j
 * came from original char j, so the offsets so far are 0..len-1. */
static int
out_materialise(outbuf *o)
{
    if (o->offs)
        return 0;
    o->offs = PyMem_Malloc(sizeof(int32_t) * (size_t)(o->cap + 1));
    if (!o->offs) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t j = 0; j < o->len; j++)
        o->offs[j] = (int32_t)j;
    return 0;
}

static void
out_free(outbuf *o)
{
    PyMem_Free(o->chars);
    PyMem_Free(o->offs);
}

/* Emit one folded char that came from original index i; collapses runs of spaces.
 * Sets dropped when a space was dropped (the mapping is then no longer the identity). */
#define EMIT(o, ch, i, dropped)                                                                \
    do {                                                                                       \
        Py_UCS4 ch_ = (ch);                                                                    \
        if (ch_ == ' ' && (o)->len && (o)->chars[(o)->len - 1] == ' ') {                       \
            dropped = 1;                                                                       \
        }                                                                                      \
        else {                                                                                 \
            if ((o)->offs)                                                                     \
                (o)->offs[(o)->len] = (int32_t)(i);                                            \
            (o)->chars[(o)->len++] = ch_;                                                      \
        }                                                                                      \
    } while (0)

/* ------------------------------------------------------------------------------------------ */
/* The single pass                                                                            */
/* ------------------------------------------------------------------------------------------ */

static int
fold_pass(PyObject *text, outbuf *o)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    o->len = 0;
    o->cap = n + 16;
    o->chars = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)o->cap);
    o->offs = NULL;
    if (!o->chars) {
        PyErr_NoMemory();
        return -1;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        int dropped = 0;
        if (cp < 128) {
            EMIT(o, g_ascii[cp], i, dropped);
        }
        else {
            uint32_t e;
            if (table_get(cp, &e) < 0)
                return -1;
            if ((e & E_TAGMASK) == E_SINGLE) {
                EMIT(o, e & ~E_TAGMASK, i, dropped);
            }
            else if ((e & E_TAGMASK) == E_EMPTY) {
                dropped = 1;
            }
            else {
                const Py_UCS4 *m = g_multi[e & ~E_TAGMASK];
                Py_ssize_t k = (Py_ssize_t)m[0];
                if (out_materialise(o) < 0 || out_grow(o, k) < 0)
                    return -1;
                for (Py_ssize_t j = 0; j < k; j++)
                    EMIT(o, m[1 + j], i, dropped);
                dropped = 1; /* length changed: never the identity */
            }
        }
        if (dropped && !o->offs && out_materialise(o) < 0)
            return -1;
        if (o->len + 1 > o->cap && out_grow(o, 1) < 0)
            return -1;
    }
    return 0;
}

/* Hashing arguments of fold_hash/hash_text, parsed once per call (see hash_args_parse). */
typedef struct {
    Py_buffer view;
    ah_params p;
    int64_t stack[1024];
    int64_t *counts;
} hash_args;

/* numpy int32 array over offs[0..m] (offs[m] = n is written here); NULL on error. */
static PyObject *
offsets_array(int32_t *offs, Py_ssize_t m, Py_ssize_t n)
{
    offs[m] = (int32_t)n;
    PyObject *ba = PyByteArray_FromStringAndSize((const char *)offs, (Py_ssize_t)sizeof(int32_t) * (m + 1));
    if (!ba)
        return NULL;
    PyObject *arr = PyObject_CallFunctionObjArgs(g_frombuffer, ba, g_int32, NULL);
    Py_DECREF(ba);
    return arr;
}

static PyObject *
pair(PyObject *folded, int32_t *offs, Py_ssize_t m, Py_ssize_t n)
{
    if (!offs)
        return Py_BuildValue("(NO)", folded, Py_None);
    PyObject *arr = offsets_array(offs, m, n);
    if (!arr) {
        Py_DECREF(folded);
        return NULL;
    }
    return Py_BuildValue("(NN)", folded, arr);
}

/* Build (folded, offsets-or-None) from a finished pass over non-ASCII text. */
static PyObject *
pass_result(PyObject *text, outbuf *o)
{
    PyObject *folded = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, o->chars, o->len);
    if (!folded)
        return NULL;
    return pair(folded, o->offs, o->len, PyUnicode_GET_LENGTH(text));
}

/* ASCII text (the common case): fold straight into the result string, one byte a character,
 * and hash from it when a is set. Same contract as fold_pass + pass_result. The loop is
 * branch-free (a space after a space is written, then overwritten) because whether a character
 * is a space is unpredictable, and offsets are always recorded, then dropped if unused. */
static PyObject *
fold_ascii(PyObject *text, hash_args *a)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    int32_t stack_offs[4097];
    int32_t *offs = n < 4096 ? stack_offs : PyMem_Malloc(sizeof(int32_t) * (size_t)(n + 1));
    if (!offs)
        return PyErr_NoMemory();
    PyObject *folded = PyUnicode_New(n, 127);
    if (!folded) {
        if (offs != stack_offs)
            PyMem_Free(offs);
        return NULL;
    }
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(folded);
    Py_ssize_t m = 0;
    int prev = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS1 c = g_ascii[s[i]];
        int sp = c == ' ';
        d[m] = c;
        offs[m] = (int32_t)i;
        m += !(sp & prev);
        prev = sp;
    }
    if (a)
        AH_DISPATCH(1, d, m, a->counts, &a->p);
    PyObject *res;
    if (m == n) { /* nothing collapsed: the identity map */
        res = pair(folded, NULL, m, n);
    }
    else {
        PyObject *shorter = PyUnicode_New(m, 127);
        if (shorter)
            memcpy(PyUnicode_1BYTE_DATA(shorter), d, (size_t)m);
        Py_DECREF(folded);
        res = shorter ? pair(shorter, offs, m, n) : NULL;
    }
    if (offs != stack_offs)
        PyMem_Free(offs);
    return res;
}

static int
check_ready(void)
{
    if (!g_ready) {
        PyErr_SetString(PyExc_RuntimeError,
                        "aimds_middleware._native.setup() was not called (import it through "
                        "aimds_middleware.detection.fastpath)");
        return -1;
    }
    return 0;
}

static int
check_text(PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "expected str, not %.100s", Py_TYPE(text)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return -1;
#endif
    if (PyUnicode_GET_LENGTH(text) >= INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "text too long for 32-bit offsets");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Hashing arguments: (out, char_mask, char_weight, word_weight, bigram_weight)               */
/* ------------------------------------------------------------------------------------------ */

static int
hash_args_parse(PyObject *const *args, Py_ssize_t nargs, hash_args *a)
{
    /* args[0] is the text; args[1..5] the hashing parameters */
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError,
                        "expected (text, out, char_mask, char_weight, word_weight, bigram_weight)");
        return -1;
    }
    long p[4];
    for (int j = 0; j < 4; j++) {
        p[j] = PyLong_AsLong(args[2 + j]);
        if (p[j] == -1 && PyErr_Occurred())
            return -1;
    }
    if (p[0] < 0 || p[0] > 0xFE || (p[0] & 1)) {
        PyErr_SetString(PyExc_ValueError, "char_mask selects n-gram sizes 1..7 (bits 1..7)");
        return -1;
    }
    for (int j = 1; j < 4; j++) {
        if (p[j] < 0 || p[j] > 1000) {
            PyErr_SetString(PyExc_ValueError, "weights must be integers in 0..1000");
            return -1;
        }
    }
    if (PyObject_GetBuffer(args[1], &a->view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    const char *fmt = a->view.format ? a->view.format : "B";
    if (a->view.itemsize != 4 || !(strcmp(fmt, "f") == 0 || strcmp(fmt, "<f") == 0 || strcmp(fmt, "=f") == 0)) {
        PyBuffer_Release(&a->view);
        PyErr_SetString(PyExc_TypeError, "out must be a contiguous float32 buffer");
        return -1;
    }
    Py_ssize_t dim = a->view.len / 4;
    if (dim < 2 || dim > (1 << 24) || (dim & (dim - 1))) {
        PyBuffer_Release(&a->view);
        PyErr_SetString(PyExc_ValueError, "out must hold a power of two (2..16777216) of floats");
        return -1;
    }
    if (dim <= 1024) {
        a->counts = a->stack;
        memset(a->counts, 0, sizeof(int64_t) * (size_t)dim);
    }
    else {
        a->counts = PyMem_Calloc((size_t)dim, sizeof(int64_t));
        if (!a->counts) {
            PyBuffer_Release(&a->view);
            PyErr_NoMemory();
            return -1;
        }
    }
    a->p.dim = (uint64_t)dim;
    a->p.bits = ah_log2((uint64_t)dim);
    a->p.mask = (uint64_t)p[0];
    a->p.wc = p[1];
    a->p.w1 = p[2];
    a->p.w2 = p[3];
    return 0;
}

static void
hash_args_finish(hash_args *a)
{
    ah_finish(a->counts, a->p.dim, (float *)a->view.buf);
    if (a->counts != a->stack)
        PyMem_Free(a->counts);
    PyBuffer_Release(&a->view);
}

/* ------------------------------------------------------------------------------------------ */
/* Module functions                                                                           */
/* ------------------------------------------------------------------------------------------ */

PyDoc_STRVAR(setup_doc,
             "setup(fold_char, ascii_table, frombuffer, int32_dtype)\n\n"
             "Install the fold table source (charmap.fold_char and its 128-byte ASCII table) and\n"
             "numpy's frombuffer/int32 used to return offsets. Called once by fastpath.");

static PyObject *
native_setup(PyObject *self, PyObject *args)
{
    PyObject *fc, *table, *fb, *dt;
    if (!PyArg_ParseTuple(args, "OSOO", &fc, &table, &fb, &dt))
        return NULL;
    if (!PyCallable_Check(fc) || !PyCallable_Check(fb)) {
        PyErr_SetString(PyExc_TypeError, "fold_char and frombuffer must be callable");
        return NULL;
    }
    if (PyBytes_GET_SIZE(table) < 128) {
        PyErr_SetString(PyExc_ValueError, "ascii_table must have at least 128 bytes");
        return NULL;
    }
    memcpy(g_ascii, PyBytes_AS_STRING(table), 128);
    for (int b = 0; b < 128; b++) {
        if (g_ascii[b] >= 128) {
            PyErr_SetString(PyExc_ValueError, "ascii_table must map ASCII to ASCII");
            return NULL;
        }
    }
    Py_INCREF(fc);
    Py_XSETREF(g_fold_char, fc);
    Py_INCREF(fb);
    Py_XSETREF(g_frombuffer, fb);
    Py_INCREF(dt);
    Py_XSETREF(g_int32, dt);
    g_ready = 1;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(fold_doc, "fold(text) -> (folded, offsets: numpy int32 array | None)");

static PyObject *
native_fold(PyObject *self, PyObject *text)
{
    if (check_ready() < 0 || check_text(text) < 0)
        return NULL;
    if (PyUnicode_IS_ASCII(text))
        return fold_ascii(text, NULL);
    outbuf o = {0};
    PyObject *res = NULL;
    if (fold_pass(text, &o) == 0)
        res = pass_result(text, &o);
    out_free(&o);
    return res;
}

PyDoc_STRVAR(fold_hash_doc,
             "fold_hash(text, out, char_mask, char_weight, word_weight, bigram_weight)\n"
             "    -> (folded, offsets | None)\n\n"
             "fold(text) and, in the same pass, the hashed n-gram vector of the folded text written\n"
             "into ``out`` (a writable float32 buffer whose length is the dimension).");

static PyObject *
native_fold_hash(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_ready() < 0)
        return NULL;
    if (nargs < 1 || check_text(args[0]) < 0)
        return NULL;
    hash_args a;
    if (hash_args_parse(args, nargs, &a) < 0)
        return NULL;
    if (PyUnicode_IS_ASCII(args[0])) {
        PyObject *res = fold_ascii(args[0], &a);
        hash_args_finish(&a);
        return res;
    }
    outbuf o = {0};
    PyObject *res = NULL;
    if (fold_pass(args[0], &o) == 0) {
        /* the folded chars are still in L1: hash them from the output buffer */
        AH_DISPATCH(4, o.chars, o.len, a.counts, &a.p);
        res = pass_result(args[0], &o);
    }
    hash_args_finish(&a);
    out_free(&o);
    return res;
}

PyDoc_STRVAR(hash_text_doc,
             "hash_text(text, out, char_mask, char_weight, word_weight, bigram_weight) -> None\n\n"
             "The hashed n-gram vector of ``text`` as given (no folding), written into ``out``.\n"
             "hash_text(fold(t)[0], ...) equals the vector fold_hash(t, ...) writes.");

static PyObject *
native_hash_text(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || check_text(args[0]) < 0)
        return NULL;
    hash_args a;
    if (hash_args_parse(args, nargs, &a) < 0)
        return NULL;
    PyObject *text = args[0];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        AH_DISPATCH(1, PyUnicode_1BYTE_DATA(text), n, a.counts, &a.p);
        break;
    case PyUnicode_2BYTE_KIND:
        AH_DISPATCH(2, PyUnicode_2BYTE_DATA(text), n, a.counts, &a.p);
        break;
    default:
        AH_DISPATCH(4, PyUnicode_4BYTE_DATA(text), n, a.counts, &a.p);
    }
    hash_args_finish(&a);
    Py_RETURN_NONE;
}

static PyMethodDef native_methods[] = {
    {"setup", native_setup, METH_VARARGS, setup_doc},
    {"fold", native_fold, METH_O, fold_doc},
    {"fold_hash", (PyCFunction)(void (*)(void))native_fold_hash, METH_FASTCALL, fold_hash_doc},
    {"hash_text", (PyCFunction)(void (*)(void))native_hash_text, METH_FASTCALL, hash_text_doc},
    {"word_table", native_word_table, METH_VARARGS, word_table_doc},
    {"word_scan", (PyCFunction)(void (*)(void))native_word_scan, METH_FASTCALL, word_scan_doc},
    {"gate_table", native_gate_table, METH_VARARGS, gate_table_doc},
    {"gate_open", (PyCFunction)(void (*)(void))native_gate_open, METH_FASTCALL, gate_open_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "aimds_middleware._native",
    "C hot path of aimds-middleware: folding + n-gram hashing in one pass (see fastpath.py), and the\n"
    "word scanner and gate table that choose the regex rules to run (see wordscan.py, gating.py).", -1,
    native_methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    ah_tables_init();
    PyObject *m = PyModule_Create(&native_module);
    if (!m)
        return NULL;
    if (PyModule_AddIntConstant(m, "HASH_VERSION", AIMDS_HASH_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
