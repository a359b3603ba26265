/* `isolint lsp`: a language server on standard input/output (LSP 3.17,
 * INTEGRATION.md section 7). JSON-RPC 2.0 messages framed by Content-Length
 * headers; stdout carries the protocol only, problems go to stderr.
 *
 * Documents are synchronized incrementally (change kind 2: ranged edits) and
 * analyzed as `isolint scan FILE` run from the document's project root would
 * (doc_root): il_scan with the buffer as the in-memory source, so the same config
 * (config_for: what scan gives its path), target detection and files an import
 * leads to (read from disk, or from another open buffer: il_scan_opts.overlays);
 * the findings in the document are kept. Diagnostics are pushed
 * (publishDiagnostics), or pulled (textDocument/diagnostic) by clients that can;
 * a code action inserts a suppression comment. Single-threaded: analysis runs
 * when no input is waiting, so a burst of edits is analyzed once (the debounce);
 * an edit of one buffer analyzes the other open ones again.
 *
 * Positions come from the findings' byte offsets, counted against LSP's own
 * line breaks (\n, \r\n and a lone \r) in the negotiated encoding: UTF-16 code
 * units by default, bytes when the client offers "utf-8". */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "base/position.h"
#include "rules/rule.h"
#include "base/jsonw.h"
#include "frontend/frontend.h"
#include "output/output.h"

/* What the suppression quick fix writes after "--": the user replaces it. The
 * invalid-suppression rule only asks for a non-empty reason, so it is accepted. */
#define SUPPRESS_REASON "TODO: explain why sharing this across requests is safe"

enum {
  MAX_HEADER_LINE = 8192,
  MAX_MESSAGE = 256 << 20, /* bigger messages are skipped, not buffered */
};

/* JSON-RPC and LSP error codes */
enum {
  ERR_PARSE = -32700,
  ERR_INVALID_REQUEST = -32600,
  ERR_METHOD_NOT_FOUND = -32601,
  ERR_INVALID_PARAMS = -32602,
  ERR_SERVER_NOT_INITIALIZED = -32002,
};

/* LSP MessageType */
enum { MSG_ERROR = 1, MSG_WARNING = 2 };

/* ---- jansson helpers --------------------------------------------------------- */

static const char *get_str(const json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

static json_t *get_obj(const json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_object(v) ? v : NULL;
}

/* ---- framing ----------------------------------------------------------------------- */

typedef struct {
  int fd;
  size_t pos, len;
  char buf[65536];
} reader;

/* Next byte, or -1 at end of input or on a read error. */
static int rd_byte(reader *r) {
  if (r->pos == r->len) {
    ssize_t n;
    do
      n = read(r->fd, r->buf, sizeof r->buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
      return -1;
    r->pos = 0;
    r->len = (size_t)n;
  }
  return (unsigned char)r->buf[r->pos++];
}

/* True when a message (or the end of input) is already waiting. */
static bool rd_ready(reader *r) {
  if (r->pos < r->len)
    return true;
  struct pollfd p = {.fd = r->fd, .events = POLLIN};
  int n;
  do
    n = poll(&p, 1, 0);
  while (n < 0 && errno == EINTR);
  return n != 0; /* an error counts as ready: the read will report it */
}

typedef enum { READ_OK, READ_EOF, READ_BAD, READ_SKIPPED } read_status;

/* Reads one header line without its line break (CRLF, or a lone LF); false at EOF. */
static bool read_line(reader *r, char *line, size_t cap, size_t *n, bool *too_long) {
  *n = 0;
  *too_long = false;
  for (;;) {
    int c = rd_byte(r);
    if (c < 0)
      return false;
    if (c == '\n')
      break;
    if (*n + 1 < cap)
      line[(*n)++] = (char)c;
    else
      *too_long = true;
  }
  if (*n && line[*n - 1] == '\r')
    (*n)--;
  line[*n] = '\0';
  return true;
}

/* One framed message into *body (malloc'd, NUL-terminated, caller frees).
 * READ_EOF: input ended between messages; READ_BAD: broken framing or input
 * ending inside a message (*why says which); READ_SKIPPED: a message over
 * MAX_MESSAGE was read and dropped. */
static read_status read_message(reader *r, char **body, size_t *len, const char **why) {
  char line[MAX_HEADER_LINE];
  size_t n;
  bool too_long, any = false, have_len = false;
  unsigned long long clen = 0;
  *body = NULL;
  for (;;) {
    if (!read_line(r, line, sizeof line, &n, &too_long)) {
      *why = "the input ended inside a message header";
      return any ? READ_BAD : READ_EOF;
    }
    if (too_long) {
      *why = "a header line is too long";
      return READ_BAD;
    }
    if (n == 0) {
      if (!any)
        continue; /* tolerate blank lines between messages */
      break;
    }
    any = true;
    char *colon = strchr(line, ':');
    if (!colon) {
      *why = "a header line has no ':'";
      return READ_BAD;
    }
    *colon = '\0';
    if (strcasecmp(line, "Content-Length") != 0)
      continue; /* Content-Type and unknown headers */
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
      v++;
    if (*v < '0' || *v > '9') {
      *why = "Content-Length is not a number";
      return READ_BAD;
    }
    unsigned long long x = 0;
    for (; *v >= '0' && *v <= '9'; v++) {
      x = x * 10 + (unsigned)(*v - '0');
      if (x > (1ull << 40)) {
        *why = "Content-Length is too large";
        return READ_BAD;
      }
    }
    while (*v == ' ' || *v == '\t')
      v++;
    if (*v || (have_len && x != clen)) {
      *why = *v ? "Content-Length is not a number" : "two different Content-Length headers";
      return READ_BAD;
    }
    clen = x;
    have_len = true;
  }
  if (!have_len) {
    *why = "a message has no Content-Length header";
    return READ_BAD;
  }
  bool keep = clen <= MAX_MESSAGE;
  char *b = keep ? il_xmalloc((size_t)clen + 1) : NULL;
  for (unsigned long long i = 0; i < clen; i++) {
    int c = rd_byte(r);
    if (c < 0) {
      free(b);
      *why = "the input ended inside a message body";
      return READ_BAD;
    }
    if (keep)
      b[i] = (char)c;
  }
  if (!keep) {
    *why = "a message is larger than 256 MiB";
    return READ_SKIPPED;
  }
  b[clen] = '\0';
  *body = b;
  *len = (size_t)clen;
  return READ_OK;
}

/* ---- server state ------------------------------------------------------------------ */

typedef struct {
  char *uri;
  char *path;     /* file system path of a file:// URI (absolute, normalized), else NULL */
  char *analyzed; /* the path handed to the analyzer (language from its extension) */
  bool lintable;  /* a TypeScript, JavaScript or C document */
  json_int_t version;
  char *text;
  size_t len;
  bool dirty;     /* changed (or a file it may depend on changed) since it was analyzed */
  json_t *diags;  /* the diagnostics of the last analysis (pull diagnostics), or NULL */
  unsigned result_id; /* their resultId */
} doc;

/* One document's configuration, loaded once and again whenever its nearest isolint.json
 * changes on disk. */
typedef struct {
  char *path;     /* the document's */
  struct stat id; /* its nearest isolint.json as it was when loaded: reloaded when this changes */
  bool have_id;
  bool ok; /* cfg holds it; otherwise the built-in defaults are used */
  il_config cfg;
} cfg_entry;

typedef enum { ST_NEW, ST_RUNNING, ST_SHUT_DOWN } server_state;

typedef struct {
  reader in;
  server_state state;
  bool utf8; /* negotiated position encoding: utf-8 instead of utf-16 */
  bool pull; /* the client pulls diagnostics (textDocument/diagnostic): none are pushed */
  bool refresh_support, refresh_pending; /* workspace/diagnostic/refresh */
  bool c_said; /* told once that this build has no C support */
  bool watch_dynamic, watch_registered;
  char *cwd; /* the starting directory: analyses run from a project root, then return
               * (a path, not a descriptor: the WASI build has no fchdir) */
  IL_ARRAY(char *) folders; /* workspace folders (absolute, normalized), longest match wins */
  bool out_broken;
  const char *kb_dir;
  il_config defaults;
  IL_ARRAY(doc *) docs;
  IL_ARRAY(cfg_entry *) cfgs;
  unsigned next_id;
} server;

static void send_msg(server *s, json_t *msg) {
  il_json_set(msg, "jsonrpc", il_json_must(json_string("2.0")));
  char *body = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  if (!body)
    il_json_must(NULL);
  if (!s->out_broken) {
    size_t n = strlen(body);
    if (printf("Content-Length: %zu\r\n\r\n", n) < 0 || fwrite(body, 1, n, stdout) != n ||
        fflush(stdout) != 0) {
      fprintf(stderr, "isolint lsp: cannot write to the client: %s\n", strerror(errno));
      s->out_broken = true;
    }
  }
  free(body);
}

static void respond(server *s, json_t *id, json_t *result) {
  json_t *m = il_json_obj();
  il_json_set(m, "id", json_incref(id));
  il_json_set(m, "result", result);
  send_msg(s, m);
}

static void respond_error(server *s, json_t *id, int code, const char *text) {
  json_t *m = il_json_obj();
  il_json_set(m, "id", id ? json_incref(id) : json_null());
  json_t *e = il_json_obj();
  il_json_set(e, "code", json_integer(code));
  il_json_set(e, "message", il_json_str(text));
  il_json_set(m, "error", e);
  send_msg(s, m);
}

static void notify(server *s, const char *method, json_t *params) {
  json_t *m = il_json_obj();
  il_json_set(m, "method", il_json_str(method));
  il_json_set(m, "params", params);
  send_msg(s, m);
}

static void show_message(server *s, int type, char *text_owned) {
  fprintf(stderr, "isolint lsp: %s\n", text_owned);
  json_t *p = il_json_obj();
  il_json_set(p, "type", json_integer(type));
  il_json_set(p, "message", il_json_str_own(text_owned));
  notify(s, "window/showMessage", p);
}

/* ---- URIs and paths ---------------------------------------------------------------- */

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The file system path of a file:// URI (percent-decoded), or NULL when the URI
 * is not a local file: another scheme, a remote host, a NUL byte. */
static char *uri_to_path(const char *uri) {
  if (strncasecmp(uri, "file://", 7) != 0)
    return NULL;
  const char *p = uri + 7;
  if (strncasecmp(p, "localhost/", 10) == 0)
    p += 9;
  if (*p != '/')
    return NULL; /* file://host/share: not on this machine */
  size_t n = strcspn(p, "?#");
  char *out = il_xmalloc(n + 1), *o = out;
  for (size_t i = 0; i < n; i++) {
    int hi, lo;
    if (p[i] == '%' && i + 2 < n && (hi = hexval(p[i + 1])) >= 0 &&
        (lo = hexval(p[i + 2])) >= 0) {
      char c = (char)(hi * 16 + lo);
      if (c == '\0') {
        free(out);
        return NULL;
      }
      *o++ = c;
      i += 2;
    } else {
      *o++ = p[i];
    }
  }
  *o = '\0';
  return out;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static bool is_config_path(const char *path) {
  return path && strcmp(base_name(path), "isolint.json") == 0;
}

/* Decides whether a document is analyzed and under which path: a file with a
 * TypeScript/JavaScript or C extension is, under its own path (a .d.ts is not); a
 * document without such an extension (untitled, no extension) is when the
 * client says its language is one of them, under a name with that extension. */
static void classify(doc *d, const char *language_id) {
  const char *name = d->path ? d->path : d->uri;
  int lang;
  const char *base = base_name(name);
  const char *dot = strrchr(base, '.');
  static const char *const exts[] = {".ts", ".mts", ".cts", ".tsx", ".js",
                                     ".jsx", ".mjs", ".cjs", ".c", ".h"};
  bool source_ext = false;
  for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++)
    source_ext |= strcmp(dot, exts[i]) == 0;
  if (source_ext) {
    d->lintable = il_lang_of_path(name, &lang);
    d->analyzed = il_xstrdup(name);
    return;
  }
  static const struct {
    const char *id, *ext;
  } ids[] = {{"typescript", ".ts"},
             {"typescriptreact", ".tsx"},
             {"javascript", ".js"},
             {"javascriptreact", ".jsx"}};
  for (size_t i = 0; language_id && i < sizeof ids / sizeof ids[0]; i++)
    if (strcmp(language_id, ids[i].id) == 0) {
      d->lintable = true;
      d->analyzed = il_xasprintf("%s%s", name, ids[i].ext);
      return;
    }
  d->lintable = false;
  d->analyzed = il_xstrdup(name);
}

/* ---- configuration ----------------------------------------------------------------- */

/* The nearest isolint.json above a document that may not exist on disk yet. */
static char *find_config(const char *path) {
  char *p = il_xstrdup(path);
  struct stat st;
  while (stat(p, &st) != 0) { /* the nearest existing directory above it */
    char *slash = strrchr(p, '/');
    if (!slash || slash == p) {
      free(p);
      return NULL;
    }
    *slash = '\0';
  }
  char *found = cli_find_config(p);
  free(p);
  return found;
}

static bool same_file_state(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The configuration for a document, as `isolint scan` resolves it (il_config_load_for: the
 * isolint.json files from its directory up, merged, and the overrides matching it), per
 * document, loaded again when its nearest isolint.json changed since (or any did:
 * configs_changed); the built-in defaults when there is none or one is invalid (said once
 * per version of the file with window/showMessage). */
static const il_config *config_for(server *s, const doc *d) {
  if (!d->path)
    return &s->defaults;
  char *cp = find_config(d->path);
  if (!cp)
    return &s->defaults;
  cfg_entry *e = NULL;
  for (uint32_t i = 0; i < s->cfgs.len && !e; i++)
    if (strcmp(s->cfgs.data[i]->path, d->path) == 0)
      e = s->cfgs.data[i];
  struct stat st;
  bool have = stat(cp, &st) == 0;
  free(cp);
  if (e) {
    if (e->have_id && have && same_file_state(&e->id, &st))
      return e->ok ? &e->cfg : &s->defaults;
    if (e->ok)
      il_config_fini(&e->cfg);
  } else {
    e = il_xcalloc(1, sizeof *e);
    e->path = il_xstrdup(d->path);
    il_array_push(&s->cfgs, e);
  }
  e->have_id = have;
  if (have)
    e->id = st;
  char *err = NULL;
  e->ok = il_config_init(&e->cfg, s->kb_dir, &err) && il_config_load_for(&e->cfg, d->path, &err);
  if (!e->ok) {
    il_config_fini(&e->cfg);
    show_message(s, MSG_ERROR,
                 il_xasprintf("isolint: %s. Using the built-in defaults until it is fixed.",
                              err ? err : e->path));
    free(err);
  }
  return e->ok ? &e->cfg : &s->defaults;
}

/* Forgets what was loaded: the next analysis reads every isolint.json again. */
static void configs_changed(server *s) {
  for (uint32_t i = 0; i < s->cfgs.len; i++)
    s->cfgs.data[i]->have_id = false;
  for (uint32_t i = 0; i < s->docs.len; i++)
    s->docs.data[i]->dirty = true;
  s->refresh_pending |= s->pull;
}

/* ---- positions --------------------------------------------------------------------- */

typedef IL_ARRAY(uint32_t) line_table;

/* Byte offsets of the starts of the lines, by LSP's line breaks. */
static void line_table_build(line_table *t, const char *text, size_t len) {
  t->len = 0;
  il_array_push(t, 0u);
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\r') {
      if (i + 1 < len && text[i + 1] == '\n')
        i++;
      il_array_push(t, (uint32_t)(i + 1));
    } else if (text[i] == '\n') {
      il_array_push(t, (uint32_t)(i + 1));
    }
  }
}

static json_t *position(const server *s, const doc *d, const line_table *t, uint32_t off) {
  if (off > d->len)
    off = (uint32_t)d->len;
  uint32_t lo = 0, hi = t->len - 1;
  while (lo < hi) { /* the last line starting at or before off */
    uint32_t mid = lo + (hi - lo + 1) / 2;
    if (t->data[mid] <= off)
      lo = mid;
    else
      hi = mid - 1;
  }
  uint32_t ls = t->data[lo];
  uint32_t ch = s->utf8 ? off - ls : il_utf16_col(d->text + ls, off - ls, false) - 1;
  json_t *p = il_json_obj();
  il_json_set(p, "line", json_integer(lo));
  il_json_set(p, "character", json_integer(ch));
  return p;
}

static json_t *range(const server *s, const doc *d, const line_table *t, const il_span *sp) {
  json_t *r = il_json_obj();
  il_json_set(r, "start", position(s, d, t, sp->start_byte));
  il_json_set(r, "end", position(s, d, t, sp->end_byte < sp->start_byte ? sp->start_byte : sp->end_byte));
  return r;
}

/* ---- diagnostics ------------------------------------------------------------------- */

static int severity(il_level l) {
  switch (l) {
  case IL_LEVEL_ERROR:
    return 1;
  case IL_LEVEL_WARNING:
    return 2;
  default:
    return 3;
  }
}

static void publish(server *s, const doc *d, json_t *diagnostics) {
  json_t *p = il_json_obj();
  il_json_set(p, "uri", il_json_str(d->uri));
  il_json_set(p, "version", json_integer(d->version));
  il_json_set(p, "diagnostics", diagnostics);
  notify(s, "textDocument/publishDiagnostics", p);
}

static doc *find_doc(server *s, const char *uri, uint32_t *index);

/* The project root a document is analyzed from, as `isolint scan FILE` run there: the
 * longest workspace folder holding it, else the nearest directory above it holding
 * .git, else one holding isolint.json or package.json, else its nearest existing
 * directory. Display paths, context files (read only below the root) and the
 * include/exclude globs are relative to it. */
static char *doc_root(const server *s, const char *path) {
  const char *best = NULL;
  for (uint32_t i = 0; i < s->folders.len; i++) {
    const char *f = s->folders.data[i];
    size_t n = strlen(f);
    if (strncmp(path, f, n) == 0 && (path[n] == '/' || (n == 1 && f[0] == '/')) &&
        (!best || n > strlen(best)))
      best = f;
  }
  if (best)
    return il_xstrdup(best);
  static const char *const markers[][2] = {{".git", NULL}, {"isolint.json", "package.json"}};
  char *found = NULL, *fallback = NULL;
  for (size_t m = 0; m < 2 && !found; m++) {
    char *dir = il_path_dir_of(path);
    for (;;) {
      struct stat st;
      bool exists = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
      if (exists && !fallback)
        fallback = il_xstrdup(dir);
      for (size_t k = 0; exists && k < 2 && !found && markers[m][k]; k++) {
        char *probe = il_path_dir_file(dir, markers[m][k]);
        if (stat(probe, &st) == 0)
          found = il_xstrdup(dir);
        free(probe);
      }
      if (found || strcmp(dir, "/") == 0)
        break;
      char *up = il_path_dir_of(dir);
      free(dir);
      dir = up;
    }
    free(dir);
  }
  if (found) {
    free(fallback);
    return found;
  }
  return fallback ? fallback : il_xstrdup("/");
}

/* A file:// URI for an absolute path, percent-encoded as Node's pathToFileURL does. */
static char *path_to_uri(const char *path) {
  size_t n = strlen(path);
  char *out = il_xmalloc(7 + 3 * n + 1), *o = out;
  memcpy(o, "file://", 7);
  o += 7;
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p <= 0x20 || *p >= 0x7f || strchr("\"#%<>?`{}\\^|[]", *p)) {
      static const char hex[] = "0123456789ABCDEF";
      *o++ = '%';
      *o++ = hex[*p >> 4];
      *o++ = hex[*p & 15];
    } else {
      *o++ = (char)*p;
    }
  }
  *o = '\0';
  return out;
}

/* Another file a related location points to: its URI and text (an open document's,
 * else read from disk once per analysis; text NULL when unreadable). */
typedef struct {
  char *display, *uri, *text;
  size_t len;
  line_table lines;
  const doc *open;
} other_file;
typedef IL_ARRAY(other_file) other_list;

static other_file *other_of(server *s, other_list *others, const char *root,
                            const char *display) {
  for (uint32_t i = 0; i < others->len; i++)
    if (strcmp(others->data[i].display, display) == 0)
      return &others->data[i];
  other_file o = {.display = il_xstrdup(display)};
  char *abs = il_path_join_norm(root, display);
  for (uint32_t i = 0; i < s->docs.len && !o.open; i++)
    if (s->docs.data[i]->path && strcmp(s->docs.data[i]->path, abs) == 0)
      o.open = s->docs.data[i];
  if (o.open) {
    o.uri = il_xstrdup(o.open->uri);
    line_table_build(&o.lines, o.open->text, o.open->len);
  } else {
    o.uri = path_to_uri(abs);
    if (il_read_file(abs, &o.text, &o.len))
      line_table_build(&o.lines, o.text, o.len);
  }
  free(abs);
  il_array_push(others, o);
  return &others->data[others->len - 1];
}

/* An LSP range of a location in another file. */
static json_t *other_range(const server *s, const other_file *o, const il_location *l) {
  if (o->open)
    return range(s, o->open, &o->lines, &l->span);
  if (o->text) {
    doc tmp = {.text = o->text, .len = o->len};
    return range(s, &tmp, &o->lines, &l->span);
  }
  /* unreadable now: the analyzer's own lines and columns */
  json_t *r = il_json_obj();
  json_t *a = il_json_obj(), *b = il_json_obj();
  il_json_set(a, "line", json_integer(l->span.start.line ? l->span.start.line - 1 : 0));
  il_json_set(a, "character", json_integer(s->utf8 ? l->span.start.col - 1 : l->start_col16 - 1));
  il_json_set(b, "line", json_integer(l->span.end.line ? l->span.end.line - 1 : 0));
  il_json_set(b, "character", json_integer(s->utf8 ? l->span.end.col - 1 : l->end_col16 - 1));
  il_json_set(r, "start", a);
  il_json_set(r, "end", b);
  return r;
}

/* Runs the analysis of one document: as `isolint scan FILE` from its project root
 * (doc_root), the document's text standing for the file and every other open
 * document's text for its file when an import leads there; a document that is no
 * file (untitled) alone. Only the document's own findings are kept. */
static void analyze(server *s, doc *d, const il_config *cfg, il_result *r, char **root_out,
                    char **display_out) {
  *root_out = *display_out = NULL;
  char *root = d->path && strcmp(d->path, d->analyzed) == 0 ? doc_root(s, d->path) : NULL;
  if (root && chdir(root) != 0) {
    fprintf(stderr, "isolint lsp: cannot enter %s: %s; %s is analyzed alone\n", root,
            strerror(errno), d->path);
    free(root);
    root = NULL;
  }
  if (!root) {
    il_analyze_text(cfg, d->analyzed, d->text, d->len, r);
    il_result_sort(r);
    return;
  }
  size_t rn = strlen(root);
  const char *rel = rn == 1 ? d->path + 1 : d->path + rn + 1;
  if (strncmp(d->path, root, rn) != 0)
    rel = d->path;
  il_source src = {rel, d->text, d->len};
  IL_ARRAY(il_source) overlays = {0};
  for (uint32_t i = 0; i < s->docs.len; i++) {
    const doc *o = s->docs.data[i];
    if (o != d && o->path)
      il_array_push(&overlays, ((il_source){o->path, o->text, o->len}));
  }
  il_scan_opts so = {.sources = &src, .n_sources = 1, .overlays = overlays.data,
                     .n_overlays = overlays.len};
  il_scan(cfg, &so, r);
  *display_out = il_display_of(rel);
  il_array_free(&overlays);
  if (chdir(s->cwd) != 0)
    fprintf(stderr, "isolint lsp: cannot return to the starting directory: %s\n",
            strerror(errno));
  *root_out = root;
}

/* Analyzes a document and keeps its diagnostics in d->diags. */
static void compute(server *s, doc *d) {
  d->dirty = false;
  json_decref(d->diags);
  d->diags = il_json_arr();
  d->result_id++;
  if (!d->lintable)
    return;
  int lang;
  char *why = NULL;
  if (il_lang_of_path(d->analyzed, &lang) && lang == IL_LANG_C && !il_c_available(&why)) {
    if (!s->c_said)
      show_message(s, MSG_WARNING, il_xasprintf("isolint: C files are not analyzed: %s.", why));
    s->c_said = true;
    free(why);
    return;
  }
  const il_config *cfg = config_for(s, d);
  il_result r;
  il_result_init(&r);
  char *root, *display;
  analyze(s, d, cfg, &r, &root, &display);
  line_table t = {0};
  line_table_build(&t, d->text, d->len);
  other_list others = {0};
  json_t *diags = d->diags;
  for (uint32_t i = 0; i < r.findings.len; i++) {
    const il_finding *f = &r.findings.data[i];
    if (display && strcmp(f->path, display) != 0)
      continue; /* another file's, found through this one */
    json_t *g = il_json_obj();
    il_json_set(g, "range", range(s, d, &t, &f->loc.span));
    il_json_set(g, "severity", json_integer(severity(f->level)));
    il_json_set(g, "code", il_json_str(f->rule_id));
    char *href = il_rule_docs_url(cfg, f->rule_id); /* only where "docsUrl" publishes them */
    if (href) {
      json_t *cd = il_json_obj();
      il_json_set(cd, "href", il_json_str_own(href));
      il_json_set(g, "codeDescription", cd);
    }
    il_json_set(g, "source", il_json_str("isolint"));
    il_json_set(g, "message", il_json_str(f->message));
    if (f->n_related) {
      json_t *rel = il_json_arr();
      for (uint32_t j = 0; j < f->n_related; j++) {
        const il_location *l = &f->related[j];
        json_t *loc = il_json_obj();
        if (!l->path || !root || (display && strcmp(l->path, display) == 0)) {
          il_json_set(loc, "uri", il_json_str(d->uri));
          il_json_set(loc, "range", range(s, d, &t, &l->span));
        } else {
          other_file *o = other_of(s, &others, root, l->path);
          il_json_set(loc, "uri", il_json_str(o->uri));
          il_json_set(loc, "range", other_range(s, o, l));
        }
        json_t *ri = il_json_obj();
        il_json_set(ri, "location", loc);
        il_json_set(ri, "message", il_json_str(l->message));
        il_json_push(rel, ri);
      }
      il_json_set(g, "relatedInformation", rel);
    }
    il_json_push(diags, g);
  }
  for (uint32_t i = 0; i < others.len; i++) {
    free(others.data[i].display);
    free(others.data[i].uri);
    free(others.data[i].text);
    il_array_free(&others.data[i].lines);
  }
  il_array_free(&others);
  il_array_free(&t);
  il_result_fini(&r);
  free(root);
  free(display);
}

/* Analyzes a document and pushes its diagnostics (unless the client pulls them). */
static void lint(server *s, doc *d) {
  compute(s, d);
  if (d->lintable && !s->pull)
    publish(s, d, json_incref(d->diags));
}

/* ---- documents --------------------------------------------------------------------- */

static doc *find_doc(server *s, const char *uri, uint32_t *index) {
  for (uint32_t i = 0; uri && i < s->docs.len; i++)
    if (strcmp(s->docs.data[i]->uri, uri) == 0) {
      if (index)
        *index = i;
      return s->docs.data[i];
    }
  return NULL;
}

static void doc_free(doc *d) {
  if (!d)
    return;
  free(d->uri);
  free(d->path);
  free(d->analyzed);
  free(d->text);
  json_decref(d->diags);
  free(d);
}

/* Other documents may import this one: analyze them again (and, when the client
 * pulls, ask it to pull again). */
static void others_changed(server *s, const doc *d) {
  if (!d->path)
    return;
  for (uint32_t i = 0; i < s->docs.len; i++)
    if (s->docs.data[i] != d && s->docs.data[i]->lintable && s->docs.data[i]->path) {
      s->docs.data[i]->dirty = true;
      s->refresh_pending |= s->pull;
    }
}

/* True when the document's text is not what its file holds on disk (or there is no
 * such file): the other documents see the text, not the file. */
static bool differs_from_disk(const doc *d) {
  char *text;
  size_t len;
  if (!d->path || !il_read_file(d->path, &text, &len))
    return true;
  bool differs = len != d->len || memcmp(text, d->text, len) != 0;
  free(text);
  return differs;
}

/* The byte offset of an LSP position in text: a character past the end of its line is
 * the end of the line, a line past the end is the end of the text, a position inside
 * a character (between the halves of a surrogate pair) is the start of it. */
static size_t offset_at(const server *s, const char *text, size_t len, const line_table *t,
                        json_t *pos) {
  json_int_t line = json_integer_value(json_object_get(pos, "line"));
  json_int_t ch = json_integer_value(json_object_get(pos, "character"));
  if (line < 0 || ch < 0)
    return 0;
  if ((size_t)line >= t->len)
    return len;
  size_t i = t->data[line];
  size_t end = (size_t)line + 1 < t->len ? t->data[line + 1] : len;
  while (end > i && (text[end - 1] == '\n' || text[end - 1] == '\r'))
    end--; /* the line's break (\n, \r\n or \r: a line holds no other) */
  json_int_t col = 0;
  while (i < end) {
    size_t n = il_utf8_seq_len((const unsigned char *)text + i, end - i);
    json_int_t units = s->utf8 ? (json_int_t)(n ? n : 1) : (n == 4 ? 2 : 1);
    if (col + units > ch)
      break;
    col += units;
    i += n ? n : 1;
  }
  return i;
}

static void doc_set_text(doc *d, const json_t *text);

/* Applies one contentChanges entry: a ranged edit, or (no range) the whole text. */
static bool apply_change(server *s, doc *d, json_t *change) {
  json_t *text = json_object_get(change, "text");
  json_t *r = json_object_get(change, "range");
  if (!json_is_string(text))
    return false;
  if (!r) {
    doc_set_text(d, text);
    return true;
  }
  json_t *a = json_object_get(r, "start"), *b = json_object_get(r, "end");
  if (!json_is_object(a) || !json_is_object(b) ||
      !json_is_integer(json_object_get(a, "line")) ||
      !json_is_integer(json_object_get(a, "character")) ||
      !json_is_integer(json_object_get(b, "line")) ||
      !json_is_integer(json_object_get(b, "character")))
    return false;
  line_table t = {0};
  line_table_build(&t, d->text, d->len);
  size_t from = offset_at(s, d->text, d->len, &t, a);
  size_t to = offset_at(s, d->text, d->len, &t, b);
  il_array_free(&t);
  if (to < from) { /* a reversed range: as the range between them */
    size_t x = from;
    from = to;
    to = x;
  }
  size_t n = json_string_length(text);
  char *nt = il_xmalloc(d->len - (to - from) + n + 1);
  memcpy(nt, d->text, from);
  memcpy(nt + from, json_string_value(text), n);
  memcpy(nt + from + n, d->text + to, d->len - to);
  d->len = d->len - (to - from) + n;
  nt[d->len] = '\0';
  free(d->text);
  d->text = nt;
  d->dirty = true;
  return true;
}

static void doc_set_text(doc *d, const json_t *text) {
  size_t n = json_string_length(text);
  free(d->text);
  d->text = il_xmalloc(n + 1);
  memcpy(d->text, json_string_value(text), n);
  d->text[n] = '\0';
  d->len = n;
  d->dirty = true;
}

static void did_open(server *s, json_t *params) {
  json_t *td = get_obj(params, "textDocument");
  const char *uri = get_str(td, "uri");
  json_t *text = json_object_get(td, "text");
  if (!uri || !json_is_string(text)) {
    fputs("isolint lsp: didOpen without textDocument.uri and text: ignored\n", stderr);
    return;
  }
  uint32_t at;
  doc *d = find_doc(s, uri, &at);
  if (d) { /* opened again: start afresh */
    doc_free(d);
    s->docs.data[at] = s->docs.data[--s->docs.len];
  }
  d = il_xcalloc(1, sizeof *d);
  d->uri = il_xstrdup(uri);
  d->path = uri_to_path(uri);
  if (d->path)
    il_path_normalize(d->path);
  classify(d, get_str(td, "languageId"));
  d->version = json_integer_value(json_object_get(td, "version"));
  doc_set_text(d, text);
  il_array_push(&s->docs, d);
  if (differs_from_disk(d))
    others_changed(s, d);
}

static void did_change(server *s, json_t *params) {
  json_t *td = get_obj(params, "textDocument");
  doc *d = find_doc(s, get_str(td, "uri"), NULL);
  json_t *changes = json_object_get(params, "contentChanges");
  if (!d || !json_is_array(changes)) {
    fputs("isolint lsp: didChange for a document that is not open: ignored\n", stderr);
    return;
  }
  /* Incremental sync: ranged edits applied in order; one without a range is the whole text. */
  size_t i;
  json_t *c;
  json_array_foreach(changes, i, c) {
    if (!apply_change(s, d, c)) {
      fputs("isolint lsp: didChange with an entry that is neither a ranged edit nor the "
            "whole text: the rest of the change is ignored\n",
            stderr);
      break;
    }
  }
  d->version = json_integer_value(json_object_get(td, "version"));
  d->dirty = true;
  others_changed(s, d);
}

static void did_close(server *s, json_t *params) {
  uint32_t at;
  doc *d = find_doc(s, get_str(get_obj(params, "textDocument"), "uri"), &at);
  if (!d)
    return;
  json_t *p = il_json_obj();
  il_json_set(p, "uri", il_json_str(d->uri));
  il_json_set(p, "diagnostics", il_json_arr());
  if (!s->pull)
    notify(s, "textDocument/publishDiagnostics", p);
  else
    json_decref(p);
  s->docs.data[at] = s->docs.data[--s->docs.len];
  if (differs_from_disk(d))
    others_changed(s, d);
  doc_free(d);
}

static void did_save(server *s, json_t *params) {
  const char *uri = get_str(get_obj(params, "textDocument"), "uri");
  char *path = uri ? uri_to_path(uri) : NULL;
  if (is_config_path(path))
    configs_changed(s);
  free(path);
}

static void did_change_watched_files(server *s, json_t *params) {
  (void)params; /* an isolint.json (any change may move the nearest one) or a source file */
  configs_changed(s);
}

/* ---- code actions ------------------------------------------------------------------ */

/* [start, end) of line `line` without its line break, and that break ("" on the
 * last line). False when the document has no such line. */
static bool line_bounds(const doc *d, const line_table *t, uint32_t line, uint32_t *start,
                        uint32_t *end, const char **brk) {
  if (line >= t->len)
    return false;
  *start = t->data[line];
  uint32_t next = line + 1 < t->len ? t->data[line + 1] : (uint32_t)d->len;
  uint32_t e = next;
  *brk = "";
  if (e > *start && d->text[e - 1] == '\n') {
    e--;
    *brk = "\n";
    if (e > *start && d->text[e - 1] == '\r') {
      e--;
      *brk = "\r\n";
    }
  } else if (e > *start && d->text[e - 1] == '\r') {
    e--;
    *brk = "\r";
  }
  *end = e;
  return true;
}

static json_t *edit_pos(const server *s, const doc *d, uint32_t line, uint32_t ls, uint32_t off) {
  json_t *p = il_json_obj();
  il_json_set(p, "line", json_integer(line));
  il_json_set(p, "character",
      json_integer(s->utf8 ? off - ls : il_utf16_col(d->text + ls, off - ls, false) - 1));
  return p;
}

/* An edit inserting `text` at byte `off` of line `line` (starting at byte ls). */
static json_t *insert_edit(const server *s, const doc *d, uint32_t line, uint32_t ls,
                           uint32_t off, char *text_owned) {
  json_t *r = il_json_obj();
  il_json_set(r, "start", edit_pos(s, d, line, ls, off));
  il_json_set(r, "end", edit_pos(s, d, line, ls, off));
  json_t *e = il_json_obj();
  il_json_set(e, "range", r);
  il_json_set(e, "newText", il_json_str_own(text_owned));
  return e;
}

/* When line `line` is a `// isolint-disable-next-line ...` comment of its own,
 * the edit adding `rule` to it; *already when it names the rule already. Adding
 * a second comment line instead would move the first one off its line. */
static json_t *merge_edit(const server *s, const doc *d, const line_table *t, uint32_t line,
                          const char *rule, bool *already, bool *is_directive) {
  uint32_t ls, le;
  const char *brk;
  *already = *is_directive = false;
  if (!line_bounds(d, t, line, &ls, &le, &brk))
    return NULL;
  const char *p = d->text + ls, *end = d->text + le;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (end - p < 2 || p[0] != '/' || p[1] != '/')
    return NULL;
  p += 2;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  static const char key[] = "isolint-disable-next-line";
  size_t kn = sizeof key - 1;
  if ((size_t)(end - p) < kn || memcmp(p, key, kn) != 0 ||
      (p + kn < end && p[kn] != ' ' && p[kn] != '\t'))
    return NULL;
  *is_directive = true;
  p += kn;
  /* the rule list, read as the front-end does: words up to a word starting with "--" */
  const char *list_end = end;
  bool has_reason = false;
  size_t rn = strlen(rule);
  for (const char *q = p; q < end;) {
    while (q < end && (*q == ' ' || *q == '\t' || *q == ','))
      q++;
    if (end - q >= 2 && q[0] == '-' && q[1] == '-') {
      list_end = q;
      has_reason = true;
      break;
    }
    const char *w = q;
    while (q < end && *q != ' ' && *q != '\t' && *q != ',')
      q++;
    if ((size_t)(q - w) == rn && memcmp(w, rule, rn) == 0)
      *already = true;
  }
  if (*already)
    return NULL;
  const char *at = list_end;
  while (at > p && (at[-1] == ' ' || at[-1] == '\t' || at[-1] == ','))
    at--;
  const char *sep = at == p ? " " : ", "; /* "// isolint-disable-next-line -- why": no rule yet */
  char *text = has_reason ? il_xasprintf("%s%s", sep, rule)
                          : il_xasprintf("%s%s -- %s", sep, rule, SUPPRESS_REASON);
  return insert_edit(s, d, line, ls, (uint32_t)(at - d->text), text);
}

/* The action suppressing one diagnostic, or NULL when it is not ours, is not
 * suppressible (the suppression rules themselves) or is already named. */
static json_t *suppress_action(const server *s, const doc *d, const line_table *t, json_t *diag) {
  const char *source = get_str(diag, "source");
  const char *code = get_str(diag, "code");
  json_t *line_j = json_object_get(get_obj(get_obj(diag, "range"), "start"), "line");
  if (!source || strcmp(source, "isolint") != 0 || !code || !json_is_integer(line_j))
    return NULL;
  const il_rule *rule = il_rule_find(code);
  json_int_t line = json_integer_value(line_j);
  if (!rule || rule->meta || line < 0 || line >= (json_int_t)t->len)
    return NULL;
  json_t *edit = NULL;
  bool already = false, is_directive = false;
  if (line > 0)
    edit = merge_edit(s, d, t, (uint32_t)line - 1, rule->id, &already, &is_directive);
  if (already || (is_directive && !edit))
    return NULL;
  if (!edit) {
    uint32_t ls = 0, le = 0, pls, ple;
    const char *brk = "";
    line_bounds(d, t, (uint32_t)line, &ls, &le, &brk); /* line < t->len: checked above */
    if (!*brk && line > 0) /* the last line: end like the line before */
      line_bounds(d, t, (uint32_t)line - 1, &pls, &ple, &brk);
    if (!*brk)
      brk = "\n";
    uint32_t ind = ls;
    while (ind < le && (d->text[ind] == ' ' || d->text[ind] == '\t'))
      ind++;
    edit = insert_edit(s, d, (uint32_t)line, ls, ls,
                       il_xasprintf("%.*s// isolint-disable-next-line %s -- %s%s",
                                    (int)(ind - ls), d->text + ls, rule->id, SUPPRESS_REASON,
                                    brk));
  }
  json_t *edits = il_json_arr();
  il_json_push(edits, edit);
  json_t *changes = il_json_obj();
  il_json_set(changes, d->uri, edits);
  json_t *we = il_json_obj();
  il_json_set(we, "changes", changes);
  json_t *a = il_json_obj();
  il_json_set(a, "title", il_json_str_own(il_xasprintf("Suppress %s on this line", rule->id)));
  il_json_set(a, "kind", il_json_str("quickfix"));
  json_t *ds = il_json_arr();
  il_json_push(ds, json_incref(diag));
  il_json_set(a, "diagnostics", ds);
  il_json_set(a, "edit", we);
  return a;
}

/* context.only: the kinds the client wants; "quickfix" passes "quickfix" and "". */
static bool wants_quickfix(json_t *only) {
  if (!json_is_array(only))
    return true;
  size_t i;
  json_t *k;
  json_array_foreach(only, i, k) {
    const char *v = json_string_value(k);
    if (v && (strcmp(v, "quickfix") == 0 || *v == '\0'))
      return true;
  }
  return false;
}

static json_t *code_action(server *s, json_t *params) {
  doc *d = find_doc(s, get_str(get_obj(params, "textDocument"), "uri"), NULL);
  json_t *ctx = get_obj(params, "context");
  json_t *actions = il_json_arr();
  json_t *diags = json_object_get(ctx, "diagnostics");
  if (!d || !json_is_array(diags) || !wants_quickfix(json_object_get(ctx, "only")))
    return actions;
  line_table t = {0};
  line_table_build(&t, d->text, d->len);
  size_t i;
  json_t *g;
  json_array_foreach(diags, i, g) {
    if (!json_is_object(g))
      continue;
    json_t *a = suppress_action(s, d, &t, g);
    if (!a)
      continue;
    /* one action per rule and line, even when the client sends a diagnostic twice */
    const char *title = get_str(a, "title");
    bool dup = false;
    size_t j;
    json_t *b;
    json_array_foreach(actions, j, b) {
      json_t *bd = json_array_get(json_object_get(b, "diagnostics"), 0);
      dup |= strcmp(get_str(b, "title"), title) == 0 &&
             json_equal(json_object_get(get_obj(get_obj(bd, "range"), "start"), "line"),
                        json_object_get(get_obj(get_obj(g, "range"), "start"), "line"));
    }
    if (dup)
      json_decref(a);
    else
      il_json_push(actions, a);
  }
  il_array_free(&t);
  return actions;
}

/* ---- lifecycle ----------------------------------------------------------------------- */

/* Adds a workspace folder given as a file:// URI (or, is_path, as a path). */
static void add_folder(server *s, const char *uri, bool is_path) {
  char *p = !uri ? NULL : is_path ? (uri[0] == '/' ? il_xstrdup(uri) : NULL) : uri_to_path(uri);
  if (!p)
    return;
  il_path_normalize(p);
  for (uint32_t i = 0; i < s->folders.len; i++)
    if (strcmp(s->folders.data[i], p) == 0) {
      free(p);
      return;
    }
  il_array_push(&s->folders, p);
}

static void did_change_workspace_folders(server *s, json_t *params) {
  json_t *ev = get_obj(params, "event");
  size_t i;
  json_t *f;
  json_array_foreach(json_object_get(ev, "removed"), i, f) {
    char *p = get_str(f, "uri") ? uri_to_path(get_str(f, "uri")) : NULL;
    if (p)
      il_path_normalize(p);
    for (uint32_t k = 0; p && k < s->folders.len; k++)
      if (strcmp(s->folders.data[k], p) == 0) {
        free(s->folders.data[k]);
        s->folders.data[k--] = s->folders.data[--s->folders.len];
      }
    free(p);
  }
  json_array_foreach(json_object_get(ev, "added"), i, f) add_folder(s, get_str(f, "uri"), false);
  for (uint32_t k = 0; k < s->docs.len; k++) /* a root may have moved */
    s->docs.data[k]->dirty = true;
  s->refresh_pending |= s->pull;
}

/* textDocument/diagnostic: the document's diagnostics, "unchanged" when the client
 * holds them already. A document that is not open has none. */
static json_t *pull_diagnostics(server *s, json_t *params) {
  doc *d = find_doc(s, get_str(get_obj(params, "textDocument"), "uri"), NULL);
  json_t *res = il_json_obj();
  if (!d) {
    il_json_set(res, "kind", il_json_str("full"));
    il_json_set(res, "items", il_json_arr());
    return res;
  }
  if (d->dirty || !d->diags)
    compute(s, d);
  char *id = il_xasprintf("%u", d->result_id);
  const char *prev = get_str(params, "previousResultId");
  bool same = prev && strcmp(prev, id) == 0;
  il_json_set(res, "kind", il_json_str(same ? "unchanged" : "full"));
  il_json_set(res, "resultId", il_json_str_own(id));
  if (!same)
    il_json_set(res, "items", json_incref(d->diags));
  return res;
}

/* workspace/diagnostic/refresh: a change may have changed other documents' diagnostics. */
static void send_refresh(server *s) {
  s->refresh_pending = false;
  if (!s->refresh_support)
    return;
  json_t *m = il_json_obj();
  il_json_set(m, "id", il_json_str_own(il_xasprintf("isolint-%u", ++s->next_id)));
  il_json_set(m, "method", il_json_str("workspace/diagnostic/refresh"));
  send_msg(s, m);
}

static json_t *initialize(server *s, json_t *params) {
  json_t *caps = get_obj(params, "capabilities");
  json_t *encs = json_object_get(get_obj(caps, "general"), "positionEncodings");
  size_t i;
  json_t *e;
  s->utf8 = false;
  json_array_foreach(encs, i, e) {
    const char *v = json_string_value(e);
    if (v && strcmp(v, "utf-8") == 0)
      s->utf8 = true;
  }
  s->watch_dynamic = json_is_true(json_object_get(
      get_obj(get_obj(caps, "workspace"), "didChangeWatchedFiles"), "dynamicRegistration"));
  s->pull = get_obj(get_obj(caps, "textDocument"), "diagnostic") != NULL;
  s->refresh_support = json_is_true(
      json_object_get(get_obj(get_obj(caps, "workspace"), "diagnostics"), "refreshSupport"));
  /* the roots: workspace folders, else rootUri, else rootPath */
  json_t *folders = json_object_get(params, "workspaceFolders");
  json_array_foreach(folders, i, e) add_folder(s, get_str(e, "uri"), false);
  if (!s->folders.len)
    add_folder(s, get_str(params, "rootUri"), false);
  if (!s->folders.len)
    add_folder(s, get_str(params, "rootPath"), true);

  json_t *sync = il_json_obj();
  il_json_set(sync, "openClose", json_true());
  il_json_set(sync, "change", json_integer(2));
  json_t *save = il_json_obj();
  il_json_set(save, "includeText", json_false());
  il_json_set(sync, "save", save);
  json_t *ca = il_json_obj();
  json_t *kinds = il_json_arr();
  il_json_push(kinds, il_json_str("quickfix"));
  il_json_set(ca, "codeActionKinds", kinds);
  json_t *c = il_json_obj();
  il_json_set(c, "positionEncoding", il_json_str(s->utf8 ? "utf-8" : "utf-16"));
  il_json_set(c, "textDocumentSync", sync);
  il_json_set(c, "codeActionProvider", ca);
  json_t *dp = il_json_obj();
  il_json_set(dp, "identifier", il_json_str("isolint"));
  il_json_set(dp, "interFileDependencies", json_true());
  il_json_set(dp, "workspaceDiagnostics", json_false());
  il_json_set(c, "diagnosticProvider", dp);
  json_t *wf = il_json_obj();
  il_json_set(wf, "supported", json_true());
  il_json_set(wf, "changeNotifications", json_true());
  json_t *ws = il_json_obj();
  il_json_set(ws, "workspaceFolders", wf);
  il_json_set(c, "workspace", ws);
  json_t *info = il_json_obj();
  il_json_set(info, "name", il_json_str("isolint"));
  il_json_set(info, "version", il_json_str(IL_VERSION));
  json_t *res = il_json_obj();
  il_json_set(res, "capabilities", c);
  il_json_set(res, "serverInfo", info);
  return res;
}

/* After `initialized`: ask the client to report changes to isolint.json files and to
 * source files (another file on disk may change an open document's findings). */
static void register_watchers(server *s) {
  if (!s->watch_dynamic || s->watch_registered)
    return;
  s->watch_registered = true;
  static const char *const globs[] = {"**/isolint.json",
                                     "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,c,h}"};
  json_t *ws = il_json_arr();
  for (size_t i = 0; i < sizeof globs / sizeof globs[0]; i++) {
    json_t *w = il_json_obj();
    il_json_set(w, "globPattern", il_json_str(globs[i]));
    il_json_push(ws, w);
  }
  json_t *opts = il_json_obj();
  il_json_set(opts, "watchers", ws);
  json_t *reg = il_json_obj();
  il_json_set(reg, "id", il_json_str("isolint-config-watch"));
  il_json_set(reg, "method", il_json_str("workspace/didChangeWatchedFiles"));
  il_json_set(reg, "registerOptions", opts);
  json_t *regs = il_json_arr();
  il_json_push(regs, reg);
  json_t *p = il_json_obj();
  il_json_set(p, "registrations", regs);
  json_t *m = il_json_obj();
  il_json_set(m, "id", il_json_str_own(il_xasprintf("isolint-%u", ++s->next_id)));
  il_json_set(m, "method", il_json_str("client/registerCapability"));
  il_json_set(m, "params", p);
  send_msg(s, m);
}

/* ---- dispatch ------------------------------------------------------------------------ */

typedef enum { GO_ON, STOP } step;

static void handle_request(server *s, const char *method, json_t *id, json_t *params) {
  if (s->state == ST_NEW && strcmp(method, "initialize") != 0) {
    respond_error(s, id, ERR_SERVER_NOT_INITIALIZED, "The server is not initialized yet.");
    return;
  }
  if (s->state == ST_SHUT_DOWN) {
    respond_error(s, id, ERR_INVALID_REQUEST, "The server is shut down: only 'exit' is accepted.");
    return;
  }
  if (strcmp(method, "initialize") == 0) {
    if (s->state != ST_NEW) {
      respond_error(s, id, ERR_INVALID_REQUEST, "The server is already initialized.");
      return;
    }
    if (!json_is_object(params)) {
      respond_error(s, id, ERR_INVALID_PARAMS, "initialize expects an object of parameters.");
      return;
    }
    respond(s, id, initialize(s, params));
    s->state = ST_RUNNING;
  } else if (strcmp(method, "shutdown") == 0) {
    s->state = ST_SHUT_DOWN;
    respond(s, id, json_null());
  } else if (strcmp(method, "textDocument/codeAction") == 0) {
    if (!json_is_object(params)) {
      respond_error(s, id, ERR_INVALID_PARAMS, "textDocument/codeAction expects an object.");
      return;
    }
    respond(s, id, code_action(s, params));
  } else if (strcmp(method, "textDocument/diagnostic") == 0) {
    if (!json_is_object(params)) {
      respond_error(s, id, ERR_INVALID_PARAMS, "textDocument/diagnostic expects an object.");
      return;
    }
    respond(s, id, pull_diagnostics(s, params));
  } else {
    char *m = il_xasprintf("Unhandled method %s.", method);
    respond_error(s, id, ERR_METHOD_NOT_FOUND, m);
    free(m);
  }
}

static step handle_notification(server *s, const char *method, json_t *params) {
  if (strcmp(method, "exit") == 0)
    return STOP;
  if (s->state != ST_RUNNING)
    return GO_ON; /* dropped before initialize and after shutdown (LSP Lifecycle) */
  if (strcmp(method, "initialized") == 0)
    register_watchers(s);
  else if (!json_is_object(params))
    return GO_ON;
  else if (strcmp(method, "textDocument/didOpen") == 0)
    did_open(s, params);
  else if (strcmp(method, "textDocument/didChange") == 0)
    did_change(s, params);
  else if (strcmp(method, "textDocument/didClose") == 0)
    did_close(s, params);
  else if (strcmp(method, "textDocument/didSave") == 0)
    did_save(s, params);
  else if (strcmp(method, "workspace/didChangeWatchedFiles") == 0)
    did_change_watched_files(s, params);
  else if (strcmp(method, "workspace/didChangeWorkspaceFolders") == 0)
    did_change_workspace_folders(s, params);
  /* anything else ($/cancelRequest, $/setTrace, ...) needs nothing */
  return GO_ON;
}

static step handle_message(server *s, const char *body, size_t len) {
  json_error_t jerr;
  json_t *m = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
  if (!m) {
    char *text = il_xasprintf("Parse error: %s (line %d, column %d).", jerr.text, jerr.line,
                              jerr.column);
    respond_error(s, NULL, ERR_PARSE, text);
    free(text);
    return GO_ON;
  }
  step st = GO_ON;
  json_t *id = json_object_get(m, "id");
  json_t *method = json_object_get(m, "method");
  bool valid_id = !id || json_is_string(id) || json_is_integer(id) || json_is_null(id);
  const char *version = get_str(m, "jsonrpc");
  if (!json_is_object(m) || !valid_id || !version || strcmp(version, "2.0") != 0 ||
      (method && !json_is_string(method))) {
    respond_error(s, valid_id ? id : NULL, ERR_INVALID_REQUEST,
                  "Invalid request: expected a JSON-RPC 2.0 object with a string method.");
  } else if (!method) {
    if (!json_object_get(m, "result") && !json_object_get(m, "error"))
      respond_error(s, id, ERR_INVALID_REQUEST, "Invalid request: no method.");
    else if (json_object_get(m, "error"))
      fprintf(stderr, "isolint lsp: the client answered a request with an error: %s\n",
              get_str(json_object_get(m, "error"), "message")
                  ? get_str(json_object_get(m, "error"), "message")
                  : "(no message)");
    /* otherwise the answer to client/registerCapability: nothing to do */
  } else {
    json_t *params = json_object_get(m, "params");
    if (id)
      handle_request(s, json_string_value(method), id, params);
    else
      st = handle_notification(s, json_string_value(method), params);
  }
  json_decref(m);
  return st;
}

static void server_fini(server *s) {
  for (uint32_t i = 0; i < s->docs.len; i++)
    doc_free(s->docs.data[i]);
  il_array_free(&s->docs);
  for (uint32_t i = 0; i < s->cfgs.len; i++) {
    cfg_entry *e = s->cfgs.data[i];
    if (e->ok)
      il_config_fini(&e->cfg);
    free(e->path);
    free(e);
  }
  il_array_free(&s->cfgs);
  for (uint32_t i = 0; i < s->folders.len; i++)
    free(s->folders.data[i]);
  il_array_free(&s->folders);
  il_config_fini(&s->defaults);
  free(s->cwd);
}

static const char lsp_usage[] =
    "Usage: isolint lsp [--kb DIR]\n"
    "Runs the isolint language server: LSP 3.17 (JSON-RPC 2.0, Content-Length framing) on\n"
    "standard input and output: the findings `isolint scan FILE` gives, for unsaved\n"
    "TypeScript, JavaScript and C buffers (pushed or pulled), and quick fixes that insert\n"
    "suppression comments. Editors start it; see docs/editors.md.\n"
    "  --kb DIR    read the built-in knowledge base from DIR\n"
    "  --stdio     accepted and ignored (standard input/output is the only transport)\n"
    "Exit status: 0 after shutdown and exit, 1 when the client exits or disconnects without\n"
    "shutdown or breaks the framing, 2 on a bad option or an unusable knowledge base.\n";

int cmd_lsp(int argc, char **argv) {
  server s = {.in = {.fd = STDIN_FILENO}};
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(lsp_usage, stdout);
      return EXIT_CLEAN;
    } else if (strcmp(argv[i], "--stdio") == 0) {
      continue; /* what vscode-languageclient passes for the stdio transport */
    } else if (strcmp(argv[i], "--kb") == 0 && i + 1 < argc) {
      s.kb_dir = argv[++i];
    } else if (strncmp(argv[i], "--kb=", 5) == 0) {
      s.kb_dir = argv[i] + 5;
    } else {
      cli_die_usage("lsp: unknown option '%s'", argv[i]);
    }
  }
  char *err = NULL;
  if (!il_config_init(&s.defaults, s.kb_dir, &err)) {
    fprintf(stderr, "isolint lsp: %s\n", err);
    free(err);
    il_config_fini(&s.defaults);
    return EXIT_TROUBLE;
  }
  signal(SIGPIPE, SIG_IGN); /* a vanished client shows as a write error, not a signal */
  s.cwd = getcwd(NULL, 0);
  if (!s.cwd) {
    fprintf(stderr, "isolint lsp: cannot open the current directory: %s\n", strerror(errno));
    server_fini(&s);
    return EXIT_TROUBLE;
  }

  int status = 1;
  for (;;) {
    bool pending = false;
    for (uint32_t i = 0; i < s.docs.len; i++)
      pending |= s.docs.data[i]->dirty;
    if (pending && !rd_ready(&s.in)) {
      /* input is idle: analyze what changed (a burst of edits is analyzed once) */
      for (uint32_t i = 0; i < s.docs.len && !s.out_broken && !rd_ready(&s.in); i++)
        if (s.docs.data[i]->dirty)
          lint(&s, s.docs.data[i]);
      continue;
    }
    if (s.refresh_pending && !rd_ready(&s.in)) {
      send_refresh(&s);
      continue;
    }
    if (s.out_broken)
      break;
    char *body;
    size_t len;
    const char *why = NULL;
    read_status rs = read_message(&s.in, &body, &len, &why);
    if (rs == READ_SKIPPED) {
      fprintf(stderr, "isolint lsp: %s: skipped\n", why);
      continue;
    }
    if (rs != READ_OK) {
      if (rs == READ_BAD)
        fprintf(stderr, "isolint lsp: bad message framing: %s; exiting\n", why);
      /* At the end of a scripted session (`isolint lsp < session`), what was
       * opened or changed last is still answered. */
      for (uint32_t i = 0; rs == READ_EOF && s.state == ST_RUNNING && i < s.docs.len; i++)
        if (s.docs.data[i]->dirty && !s.out_broken)
          lint(&s, s.docs.data[i]);
      status = rs == READ_EOF && s.state == ST_SHUT_DOWN ? 0 : 1;
      break;
    }
    step st = handle_message(&s, body, len);
    free(body);
    if (st == STOP) {
      status = s.state == ST_SHUT_DOWN ? 0 : 1;
      break;
    }
  }
  server_fini(&s);
  return status;
}
