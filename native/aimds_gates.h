/*
 * Gate table: which regex rules a text opens, given the gate words the word scanner found.
 *
 * Each word belongs to some gate groups (matchers.py: a rule's two rarest required literal
 * groups). A rule is listed under its first group as (other group or -1, its RE2 set, rule id)
 * and opens when both of its groups are present. The matcher then runs a set whole when more
 * than ``alone`` of its rules opened, and searches the rules of the other sets one by one.
 * In Python (aimds_middleware.detection.gating holds the twin, and the parity tests require
 * identical results) the union of ~200 group ids per 2 KiB and the trigger walk cost ~9 us of a
 * ~160 us scan; here they cost well under one.
 *
 * Table (flat arrays):
 *   wg_start[w] .. wg_start[w + 1]   the groups of word w in wg[]
 *   tr_start[g] .. tr_start[g + 1]   the triggers of group g in tr_other[], tr_set[], tr_rule[]
 */
#ifndef AIMDS_GATES_H
#define AIMDS_GATES_H

#define GT_CAPSULE "aimds_middleware._native.GateTable"

typedef struct {
    uint32_t nwords, ngroups, nsets, ntrig;
    uint32_t *wg_start, *wg;
    uint32_t *tr_start, *tr_set, *tr_rule;
    int32_t *tr_other;
} gate_table;

static void
gt_free(gate_table *t)
{
    if (!t)
        return;
    PyMem_Free(t->wg_start);
    PyMem_Free(t->wg);
    PyMem_Free(t->tr_start);
    PyMem_Free(t->tr_set);
    PyMem_Free(t->tr_rule);
    PyMem_Free(t->tr_other);
    PyMem_Free(t);
}

static void
gt_capsule_free(PyObject *cap)
{
    gt_free((gate_table *)PyCapsule_GetPointer(cap, GT_CAPSULE));
}

/* an int in [lo, hi) from ``o``, or -1 with ValueError/TypeError set (lo >= -1) */
static long long
gt_int(PyObject *o, long long lo, long long hi, const char *what)
{
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "gate_table: %s must be ints", what);
        return -2;
    }
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -2;
    if (v < lo || v >= hi) {
        PyErr_Format(PyExc_ValueError, "gate_table: %s %lld out of range", what, v);
        return -2;
    }
    return v;
}

PyDoc_STRVAR(gate_table_doc,
             "gate_table(word_groups, triggers) -> table\n\n"
             "``word_groups``: per word id, a tuple of gate group ids. ``triggers``: per gate group id,\n"
             "a tuple of (other group id or -1, set id, rule id) triples: the rules listed under it.");

static PyObject *
native_gate_table(PyObject *self, PyObject *args)
{
    PyObject *wgl, *trl;
    if (!PyArg_ParseTuple(args, "O!O!:gate_table", &PyList_Type, &wgl, &PyList_Type, &trl))
        return NULL;
    Py_ssize_t nw = PyList_GET_SIZE(wgl), ng = PyList_GET_SIZE(trl);
    if (nw >= (1 << 24) || ng >= (1 << 24)) {
        PyErr_SetString(PyExc_ValueError, "gate_table: too many words or groups");
        return NULL;
    }
    gate_table *t = PyMem_Calloc(1, sizeof(gate_table));
    if (!t)
        return PyErr_NoMemory();
    PyObject *cap = NULL;
    /* first pass: shapes and sizes (every item a tuple: nothing Python runs can change them) */
    size_t nwg = 0, ntr = 0;
    for (Py_ssize_t w = 0; w < nw; w++) {
        PyObject *g = PyList_GET_ITEM(wgl, w);
        if (!PyTuple_Check(g)) {
            PyErr_Format(PyExc_TypeError, "gate_table: word_groups[%zd] must be a tuple", w);
            goto done;
        }
        nwg += (size_t)PyTuple_GET_SIZE(g);
    }
    for (Py_ssize_t g = 0; g < ng; g++) {
        PyObject *tr = PyList_GET_ITEM(trl, g);
        if (!PyTuple_Check(tr)) {
            PyErr_Format(PyExc_TypeError, "gate_table: triggers[%zd] must be a tuple", g);
            goto done;
        }
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(tr); j++) {
            PyObject *x = PyTuple_GET_ITEM(tr, j);
            if (!PyTuple_Check(x) || PyTuple_GET_SIZE(x) != 3) {
                PyErr_Format(PyExc_TypeError, "gate_table: triggers[%zd][%zd] must be a 3-tuple", g, j);
                goto done;
            }
        }
        ntr += (size_t)PyTuple_GET_SIZE(tr);
    }
    if (nwg >= (1u << 31) || ntr >= (1u << 31)) {
        PyErr_SetString(PyExc_ValueError, "gate_table: too large");
        goto done;
    }
    t->nwords = (uint32_t)nw;
    t->ngroups = (uint32_t)ng;
    t->ntrig = (uint32_t)ntr;
    t->wg_start = PyMem_Calloc((size_t)nw + 1, sizeof(uint32_t));
    t->wg = PyMem_Calloc(nwg + 1, sizeof(uint32_t));
    t->tr_start = PyMem_Calloc((size_t)ng + 1, sizeof(uint32_t));
    t->tr_set = PyMem_Calloc(ntr + 1, sizeof(uint32_t));
    t->tr_rule = PyMem_Calloc(ntr + 1, sizeof(uint32_t));
    t->tr_other = PyMem_Calloc(ntr + 1, sizeof(int32_t));
    if (!t->wg_start || !t->wg || !t->tr_start || !t->tr_set || !t->tr_rule || !t->tr_other) {
        PyErr_NoMemory();
        goto done;
    }
    size_t at = 0;
    for (Py_ssize_t w = 0; w < nw; w++) {
        PyObject *g = PyList_GET_ITEM(wgl, w);
        t->wg_start[w] = (uint32_t)at;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(g); j++) {
            long long v = gt_int(PyTuple_GET_ITEM(g, j), 0, ng, "group ids");
            if (v < -1)
                goto done;
            t->wg[at++] = (uint32_t)v;
        }
    }
    t->wg_start[nw] = (uint32_t)at;
    at = 0;
    for (Py_ssize_t g = 0; g < ng; g++) {
        PyObject *tr = PyList_GET_ITEM(trl, g);
        t->tr_start[g] = (uint32_t)at;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(tr); j++) {
            PyObject *x = PyTuple_GET_ITEM(tr, j);
            long long other = gt_int(PyTuple_GET_ITEM(x, 0), -1, ng, "other group ids");
            long long k = other < -1 ? -2 : gt_int(PyTuple_GET_ITEM(x, 1), 0, 1 << 24, "set ids");
            long long i = k < -1 ? -2 : gt_int(PyTuple_GET_ITEM(x, 2), 0, 1 << 24, "rule ids");
            if (i < -1)
                goto done;
            t->tr_other[at] = (int32_t)other;
            t->tr_set[at] = (uint32_t)k;
            t->tr_rule[at] = (uint32_t)i;
            if ((uint32_t)k >= t->nsets)
                t->nsets = (uint32_t)k + 1;
            at++;
        }
    }
    t->tr_start[ng] = (uint32_t)at;
    cap = PyCapsule_New(t, GT_CAPSULE, gt_capsule_free);
done:
    if (!cap)
        gt_free(t);
    return cap;
}

static int
gt_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : (x > y);
}

static PyObject *
gt_list(const uint32_t *v, size_t n)
{
    PyObject *l = PyList_New((Py_ssize_t)n);
    if (!l)
        return NULL;
    for (size_t j = 0; j < n; j++) {
        PyObject *x = PyLong_FromUnsignedLong(v[j]);
        if (!x) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)j, x);
    }
    return l;
}

PyDoc_STRVAR(gate_open_doc,
             "gate_open(table, found, alone) -> (sets, rules)\n\n"
             "The rules whose gate groups are all among the groups of the words ``found`` (a list of\n"
             "word ids): ``sets``, the ids of the sets with more than ``alone`` of them open, ascending;\n"
             "``rules``, the open rules of every other set, ascending.");

static PyObject *
native_gate_open(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "gate_open(table, found, alone) takes 3 arguments");
        return NULL;
    }
    gate_table *t = PyCapsule_GetPointer(args[0], GT_CAPSULE);
    if (!t)
        return NULL;
    if (!PyList_Check(args[1])) {
        PyErr_Format(PyExc_TypeError, "gate_open: found must be a list, not %s", Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    long alone = PyLong_AsLong(args[2]);
    if (alone == -1 && PyErr_Occurred())
        return NULL;
    if (alone < 0) {
        PyErr_SetString(PyExc_ValueError, "gate_open: alone must be >= 0");
        return NULL;
    }
    PyObject *found = args[1];
    Py_ssize_t nf = PyList_GET_SIZE(found);
    uint8_t *mark = PyMem_Calloc((size_t)t->ngroups + 1, 1);
    uint32_t *groups = PyMem_Malloc(((size_t)t->ngroups + 1) * sizeof(uint32_t));
    uint32_t *count = PyMem_Calloc((size_t)t->nsets + 1, sizeof(uint32_t));
    uint32_t *open_k = PyMem_Malloc(((size_t)t->ntrig + 1) * sizeof(uint32_t));
    uint32_t *open_i = PyMem_Malloc(((size_t)t->ntrig + 1) * sizeof(uint32_t));
    uint32_t *out = PyMem_Malloc(((size_t)t->ntrig + (size_t)t->nsets + 1) * sizeof(uint32_t));
    PyObject *res = NULL, *ls = NULL, *lr = NULL;
    if (!mark || !groups || !count || !open_k || !open_i || !out) {
        PyErr_NoMemory();
        goto done;
    }
    /* the groups present, each once */
    uint32_t ng = 0;
    for (Py_ssize_t j = 0; j < nf; j++) {
        PyObject *o = PyList_GET_ITEM(found, j);
        long w = PyLong_Check(o) ? PyLong_AsLong(o) : -1;
        if (w < 0 || (unsigned long)w >= t->nwords) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "gate_open: found[%zd] is not a word id of this table", j);
            goto done;
        }
        for (uint32_t a = t->wg_start[w]; a < t->wg_start[w + 1]; a++) {
            uint32_t g = t->wg[a];
            if (!mark[g]) {
                mark[g] = 1;
                groups[ng++] = g;
            }
        }
    }
    /* the rules they open (each rule is listed under one group: no duplicates), counted per set */
    size_t nopen = 0;
    for (uint32_t j = 0; j < ng; j++) {
        uint32_t g = groups[j];
        for (uint32_t a = t->tr_start[g]; a < t->tr_start[g + 1]; a++) {
            int32_t other = t->tr_other[a];
            if (other < 0 || mark[other]) {
                open_k[nopen] = t->tr_set[a];
                open_i[nopen] = t->tr_rule[a];
                count[t->tr_set[a]]++;
                nopen++;
            }
        }
    }
    size_t nout = 0;
    for (uint32_t k = 0; k < t->nsets; k++)
        if (count[k] > (unsigned long)alone)
            out[nout++] = k;
    ls = gt_list(out, nout);
    nout = 0;
    for (size_t j = 0; j < nopen; j++)
        if (count[open_k[j]] <= (unsigned long)alone)
            out[nout++] = open_i[j];
    qsort(out, nout, sizeof(uint32_t), gt_cmp_u32);
    lr = ls ? gt_list(out, nout) : NULL;
    if (ls && lr)
        res = PyTuple_Pack(2, ls, lr);
done:
    Py_XDECREF(ls);
    Py_XDECREF(lr);
    PyMem_Free(mark);
    PyMem_Free(groups);
    PyMem_Free(count);
    PyMem_Free(open_k);
    PyMem_Free(open_i);
    PyMem_Free(out);
    return res;
}

#endif /* AIMDS_GATES_H */
