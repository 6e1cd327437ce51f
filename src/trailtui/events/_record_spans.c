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
    PyObject *spans = PyList_New(0);
    if (spans == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    Cursor c = {view.buf, view.len, 0};
    Py_ssize_t count = 0;
    int shape = expect_char(&c, '{') && expect(&c, "\"Records\"") && expect_char(&c, ':') && expect_char(&c, '[');
    if (shape && !expect_char(&c, ']')) {
        for (;;) {
            skip_space(&c);
            if (c.at >= c.size || c.data[c.at] != '{') {
                shape = 0;
                break;
            }
            Py_ssize_t start = c.at;
            Flags flags = {0};
            if (!object(&c, 3, &flags)) {
                shape = 0;
                break;
            }
            if (flags.must_parse || holds_words(c.data + start, c.at - start, groups)) {
                if (append_span(spans, count, start, c.at) == NULL) {
                    Py_DECREF(spans);
                    PyBuffer_Release(&view);
                    return NULL;
                }
            }
            count++;
            if (expect_char(&c, ','))
                continue;
            shape = expect_char(&c, ']');
            break;
        }
    }
    shape = shape && expect_char(&c, '}');
    skip_space(&c);
    shape = shape && c.at == c.size;
    PyBuffer_Release(&view);
    if (!shape) {
        Py_DECREF(spans);
        Py_RETURN_NONE;
    }
    PyObject *result = Py_BuildValue("(nN)", count, spans);
    return result;
}

static PyMethodDef methods[] = {
    {"record_spans", record_spans, METH_VARARGS,
     "record_spans(content, groups) -> (count, [(ordinal, start, end), ...]) or None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_record_spans", NULL, -1, methods};

PyMODINIT_FUNC PyInit__record_spans(void) {
    fill_plain();
    return PyModule_Create(&module);
}
