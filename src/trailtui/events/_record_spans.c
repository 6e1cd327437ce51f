/*
 * Where each record of a CloudTrail `{"Records": [...]}` file starts and ends, and which records may hold
 * some words, found in one pass over the bytes without building any object (see events/screen.py).
 *
 * record_spans(content, groups) -> (count, [(ordinal, start, end), ...]) or None
 *
 * The text is validated as strictly as the parser (orjson) would: JSON's grammar, escapes, no raw
 * control characters, UTF-8 without overlongs or surrogates, nesting below the parser's limit. It must
 * be exactly `{"Records":[{...},{...},...]}` (white space allowed between tokens). `count` is the number
 * of records; a record is listed when it holds one word of every group of `groups` (a tuple of tuples
 * of bytes) or when only the parser can judge it: a `\u` escape (a character written so could complete
 * a word, or be a lone surrogate) or a number other than a short integer (it could overflow). So an
 * unlisted record is one the parser would accept and that cannot match. None when the text is anything
 * else; the caller then reads the file the ordinary way, which judges and reports what is wrong, and
 * numbers the records as it always does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define MAX_DEPTH 1000 /* below the parser's own limit (1024), so a record kept here always parses */

typedef struct {
    const char *data;
    Py_ssize_t size;
    Py_ssize_t at;
} Cursor;

static inline void skip_space(Cursor *c) {
    while (c->at < c->size) {
        char ch = c->data[c->at];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            return;
        c->at++;
    }
}

/* Bytes a string holds as they are: printable ASCII but the quote and the backslash. */
static unsigned char plain[256];

static void fill_plain(void) {
    for (int ch = 0x20; ch < 0x80; ch++)
        plain[ch] = ch != '"' && ch != '\\';
}

static inline int expect_char(Cursor *c, char ch) {
    skip_space(c);
    if (c->at < c->size && c->data[c->at] == ch) {
        c->at++;
        return 1;
    }
    return 0;
}

static int expect(Cursor *c, const char *token) {
    size_t length = strlen(token);
    skip_space(c);
    if ((size_t)(c->size - c->at) < length || memcmp(c->data + c->at, token, length) != 0)
        return 0;
    c->at += length;
    return 1;
}

/* A record that must be parsed to be judged: it holds a `\u` escape (a character written so could
 * complete a word, or be a lone surrogate the parser refuses) or a number that is not a short integer
 * (it could overflow to infinity, which the parser refuses). */
typedef struct {
    int must_parse;
    int escaped; /* the last string read had an escape of any kind */
} Flags;

static int value(Cursor *c, int depth, Flags *flags);

static int hex_digit(char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Length of the UTF-8 sequence at `at` (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or 0. */
static int utf8_length(const unsigned char *text, Py_ssize_t at, Py_ssize_t size) {
    unsigned char lead = text[at];
    int length;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else
        return 0;
    if (size - at < length)
        return 0;
    if (text[at + 1] < low || text[at + 1] > high)
        return 0;
    for (int i = 2; i < length; i++)
        if (text[at + i] < 0x80 || text[at + i] > 0xBF)
            return 0;
    return length;
}

/* A string at c->at (its opening quote): valid escapes, no raw control characters, valid UTF-8. */
static int string(Cursor *c, Flags *flags) {
    flags->escaped = 0;
    const unsigned char *text = (const unsigned char *)c->data;
    Py_ssize_t at = c->at + 1, size = c->size;
    for (;;) {
        while (at < size && plain[text[at]])
            at++;
        if (at >= size)
            return 0;
        unsigned char ch = text[at];
        if (ch == '"') {
            c->at = at + 1;
            return 1;
        }
        if (ch == '\\') {
            flags->escaped = 1;
            if (at + 1 >= size)
                return 0;
            char escape = (char)text[at + 1];
            if (escape == 'u') {
                if (size - at < 6 || !hex_digit(text[at + 2]) || !hex_digit(text[at + 3]) ||
                    !hex_digit(text[at + 4]) || !hex_digit(text[at + 5]))
                    return 0;
                flags->must_parse = 1;
                at += 6;
            } else if (strchr("\"\\/bfnrt", escape) != NULL && escape != '\0') {
                at += 2;
            } else
                return 0;
        } else if (ch < 0x20) {
            return 0;
        } else {
            int length = utf8_length(text, at, size);
            if (length == 0)
                return 0;
            at += length;
        }
    }
}

static int digits(Cursor *c) {
    Py_ssize_t begin = c->at;
    while (c->at < c->size && c->data[c->at] >= '0' && c->data[c->at] <= '9')
        c->at++;
    return (int)(c->at - begin);
}

/* A number by JSON's grammar; any but an integer of at most 18 digits must be parsed to be judged. */
static int number(Cursor *c, Flags *flags) {
    if (c->data[c->at] == '-')
        c->at++;
    if (c->at >= c->size)
        return 0;
    int integer_digits;
    if (c->data[c->at] == '0') {
        c->at++;
        integer_digits = 1;
    } else {
        integer_digits = digits(c);
        if (integer_digits == 0)
            return 0;
    }
    if (integer_digits > 18)
        flags->must_parse = 1;
    if (c->at < c->size && c->data[c->at] == '.') {
        c->at++;
        if (digits(c) == 0)
            return 0;
        flags->must_parse = 1;
    }
    if (c->at < c->size && (c->data[c->at] == 'e' || c->data[c->at] == 'E')) {
        c->at++;
        if (c->at < c->size && (c->data[c->at] == '+' || c->data[c->at] == '-'))
            c->at++;
        if (digits(c) == 0)
            return 0;
        flags->must_parse = 1;
    }
    return 1;
}

static int literal(Cursor *c, const char *word) {
    size_t length = strlen(word);
    if ((size_t)(c->size - c->at) < length || memcmp(c->data + c->at, word, length) != 0)
        return 0;
    c->at += length;
    return 1;
}

static int object(Cursor *c, int depth, Flags *flags) {
    c->at++;
    if (expect_char(c, '}'))
        return 1;
    for (;;) {
        skip_space(c);
        if (c->at >= c->size || c->data[c->at] != '"' || !string(c, flags) || !expect_char(c, ':'))
            return 0;
        if (!value(c, depth + 1, flags))
            return 0;
        if (expect_char(c, ','))
            continue;
        return expect_char(c, '}');
    }
}

static int array(Cursor *c, int depth, Flags *flags) {
    c->at++;
    if (expect_char(c, ']'))
        return 1;
    for (;;) {
        if (!value(c, depth + 1, flags))
            return 0;
        if (expect_char(c, ','))
            continue;
        return expect_char(c, ']');
    }
}

/* Any JSON value at c->at (after white space), nested at most MAX_DEPTH deep. */
static int value(Cursor *c, int depth, Flags *flags) {
    skip_space(c);
    if (c->at >= c->size || depth > MAX_DEPTH)
        return 0;
    switch (c->data[c->at]) {
    case '{':
        return object(c, depth, flags);
    case '[':
        return array(c, depth, flags);
    case '"':
        return string(c, flags);
    case 't':
        return literal(c, "true");
    case 'f':
        return literal(c, "false");
    case 'n':
        return literal(c, "null");
    default:
        return number(c, flags);
    }
}

static int holds_words(const char *start, Py_ssize_t length, PyObject *groups) {
    Py_ssize_t group_count = PyTuple_GET_SIZE(groups);
    for (Py_ssize_t g = 0; g < group_count; g++) {
        PyObject *words = PyTuple_GET_ITEM(groups, g);
        Py_ssize_t word_count = PyTuple_GET_SIZE(words);
        int found = 0;
        for (Py_ssize_t w = 0; w < word_count && !found; w++) {
            PyObject *word = PyTuple_GET_ITEM(words, w);
            found = memmem(start, length, PyBytes_AS_STRING(word), PyBytes_GET_SIZE(word)) != NULL;
        }
        if (!found)
            return 0;
    }
    return 1;
}

static int valid_groups(PyObject *groups) {
    if (!PyTuple_Check(groups))
        return 0;
    for (Py_ssize_t g = 0; g < PyTuple_GET_SIZE(groups); g++) {
        PyObject *words = PyTuple_GET_ITEM(groups, g);
        if (!PyTuple_Check(words))
            return 0;
        for (Py_ssize_t w = 0; w < PyTuple_GET_SIZE(words); w++)
            if (!PyBytes_Check(PyTuple_GET_ITEM(words, w)))
                return 0;
    }
    return 1;
}

static PyObject *append_span(PyObject *spans, Py_ssize_t ordinal, Py_ssize_t start, Py_ssize_t end) {
    PyObject *span = Py_BuildValue("(nnn)", ordinal, start, end);
    if (span == NULL || PyList_Append(spans, span) < 0) {
        Py_XDECREF(span);
        return NULL;
    }
    Py_DECREF(span);
    return spans;
}

/* Calls `handle` on each record of exactly `{"Records":[{...},...]}`, in order; each must move the
 * cursor past its record. 1 when the whole text has that shape, 0 when not, -1 on a Python error. */
typedef int (*RecordHandler)(Cursor *c, Py_ssize_t ordinal, void *context);

static int walk_records(Cursor *c, RecordHandler handle, void *context, Py_ssize_t *count) {
    *count = 0;
    if (!(expect_char(c, '{') && expect(c, "\"Records\"") && expect_char(c, ':') && expect_char(c, '[')))
        return 0;
    if (!expect_char(c, ']')) {
        for (;;) {
            skip_space(c);
            if (c->at >= c->size || c->data[c->at] != '{')
                return 0;
            int handled = handle(c, *count, context);
            if (handled <= 0)
                return handled;
            (*count)++;
            if (expect_char(c, ','))
                continue;
            if (!expect_char(c, ']'))
                return 0;
            break;
        }
    }
    if (!expect_char(c, '}'))
        return 0;
    skip_space(c);
    return c->at == c->size;
}

typedef struct {
    PyObject *groups;
    PyObject *spans;
} SpansContext;

static int span_if_matching(Cursor *c, Py_ssize_t ordinal, void *context) {
    SpansContext *spans = context;
    Py_ssize_t start = c->at;
    Flags flags = {0, 0};
    if (!object(c, 3, &flags))
        return 0;
    if (flags.must_parse || holds_words(c->data + start, c->at - start, spans->groups))
        return append_span(spans->spans, ordinal, start, c->at) == NULL ? -1 : 1;
    return 1;
}

static PyObject *walked(Py_buffer *view, RecordHandler handle, void *context, PyObject *items) {
    Cursor c = {view->buf, view->len, 0};
    Py_ssize_t count;
    int shape = walk_records(&c, handle, context, &count);
    PyBuffer_Release(view);
    if (shape <= 0) {
        Py_DECREF(items);
        if (shape < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    return Py_BuildValue("(nN)", count, items);
}

static PyObject *record_spans(PyObject *module, PyObject *args) {
    Py_buffer view;
    PyObject *groups;
    if (!PyArg_ParseTuple(args, "y*O", &view, &groups))
        return NULL;
    if (!valid_groups(groups)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "groups must be a tuple of tuples of bytes");
        return NULL;
    }
    SpansContext context = {groups, PyList_New(0)};
    if (context.spans == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    return walked(&view, span_if_matching, &context, context.spans);
}

/* --- record_values ------------------------------------------------------------------------------ */

typedef struct {
    PyObject *keys;
    PyObject *rows;
    PyObject **slots;
    int with_spans;
} ValuesContext;

/* The value just read at [start, end) as Python gives it, when that needs no parser; NULL with no error
 * set when it does (a string with escapes, a number other than a short integer). */
static PyObject *simple_value(const char *start, Py_ssize_t end_offset, const Flags *flags) {
    switch (start[0]) {
    case '"':
        if (flags->escaped)
            return NULL;
        return PyUnicode_DecodeUTF8(start + 1, end_offset - 2, "strict");
    case 't':
        Py_RETURN_TRUE;
    case 'f':
        Py_RETURN_FALSE;
    case 'n':
        Py_RETURN_NONE;
    case '{':
    case '[':
        return PyBytes_FromStringAndSize(start, end_offset);
    default: {
        char digits_text[24];
        if (end_offset >= (Py_ssize_t)sizeof digits_text)
            return NULL;
        memcpy(digits_text, start, end_offset);
        digits_text[end_offset] = '\0';
        return PyLong_FromString(digits_text, NULL, 10);
    }
    }
}

static Py_ssize_t key_slot(PyObject *keys, const char *key, Py_ssize_t length) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(keys); k++) {
        PyObject *wanted = PyTuple_GET_ITEM(keys, k);
        if (PyBytes_GET_SIZE(wanted) == length && memcmp(PyBytes_AS_STRING(wanted), key, length) == 0)
            return k;
    }
    return -1;
}

/* A record's top-level members: the wanted ones into `slots`; the rest validated only. 1, 0 (invalid)
 * or -1 (Python error); `flags->must_parse` when only the parser can give the wanted values. */
static int record_members(Cursor *c, ValuesContext *context, Flags *flags) {
    c->at++;
    if (expect_char(c, '}'))
        return 1;
    for (;;) {
        skip_space(c);
        if (c->at >= c->size || c->data[c->at] != '"')
            return 0;
        Py_ssize_t key_start = c->at;
        if (!string(c, flags))
            return 0;
        Py_ssize_t key_end = c->at;
        int key_escaped = flags->escaped;
        if (!expect_char(c, ':'))
            return 0;
        skip_space(c);
        Py_ssize_t value_start = c->at;
        if (!value(c, 4, flags))
            return 0;
        Py_ssize_t slot = key_escaped ? -1 : key_slot(context->keys, c->data + key_start + 1, key_end - key_start - 2);
        if (key_escaped)
            flags->must_parse = 1; /* written with escapes, it may be a wanted key */
        if (slot >= 0 && !flags->must_parse) {
            PyObject *item = simple_value(c->data + value_start, c->at - value_start, flags);
            if (item == NULL) {
                if (PyErr_Occurred())
                    return -1;
                flags->must_parse = 1;
            } else
                Py_XSETREF(context->slots[slot], item);
        }
        if (expect_char(c, ','))
            continue;
        return expect_char(c, '}');
    }
}

static int values_of_record(Cursor *c, Py_ssize_t ordinal, void *raw_context) {
    ValuesContext *context = raw_context;
    Py_ssize_t key_count = PyTuple_GET_SIZE(context->keys);
    for (Py_ssize_t k = 0; k < key_count; k++)
        context->slots[k] = NULL;
    Py_ssize_t start = c->at;
    Flags flags = {0, 0};
    int valid = record_members(c, context, &flags);
    PyObject *row = NULL;
    if (valid == 1) {
        if (flags.must_parse)
            row = PyBytes_FromStringAndSize(c->data + start, c->at - start);
        else if ((row = PyTuple_New(key_count + (context->with_spans ? 2 : 0))) != NULL) {
            Py_ssize_t at = 0;
            if (context->with_spans) {
                PyTuple_SET_ITEM(row, at++, PyLong_FromSsize_t(start));
                PyTuple_SET_ITEM(row, at++, PyLong_FromSsize_t(c->at));
            }
            for (Py_ssize_t k = 0; k < key_count; k++) {
                PyObject *item = context->slots[k] != NULL ? context->slots[k] : Py_NewRef(Py_Ellipsis);
                context->slots[k] = NULL;
                PyTuple_SET_ITEM(row, at++, item);
            }
        }
        if (row == NULL || PyList_Append(context->rows, row) < 0)
            valid = -1;
        Py_XDECREF(row);
    }
    for (Py_ssize_t k = 0; k < key_count; k++)
        Py_CLEAR(context->slots[k]);
    return valid;
}

static PyObject *record_values(PyObject *module, PyObject *args) {
    Py_buffer view;
    PyObject *keys;
    int with_spans = 0;
    if (!PyArg_ParseTuple(args, "y*O!|p", &view, &PyTuple_Type, &keys, &with_spans))
        return NULL;
    Py_ssize_t key_count = PyTuple_GET_SIZE(keys);
    for (Py_ssize_t k = 0; k < key_count; k++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(keys, k))) {
            PyBuffer_Release(&view);
            PyErr_SetString(PyExc_TypeError, "keys must be a tuple of bytes");
            return NULL;
        }
    }
    PyObject **slots = PyMem_Calloc(key_count ? key_count : 1, sizeof(PyObject *));
    ValuesContext context = {keys, PyList_New(0), slots, with_spans};
    if (slots == NULL || context.rows == NULL) {
        PyMem_Free(slots);
        Py_XDECREF(context.rows);
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    PyObject *result = walked(&view, values_of_record, &context, context.rows);
    PyMem_Free(slots);
    return result;
}

static PyMethodDef methods[] = {
    {"record_spans", record_spans, METH_VARARGS,
     "record_spans(content, groups) -> (count, [(ordinal, start, end), ...]) or None"},
    {"record_values", record_values, METH_VARARGS,
     "record_values(content, keys, with_spans=False) -> (count, [values tuple or record bytes, ...]) or None;"
     " with spans, each tuple starts with the record's start and end"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_record_spans", NULL, -1, methods};

PyMODINIT_FUNC PyInit__record_spans(void) {
    fill_plain();
    return PyModule_Create(&module);
}
