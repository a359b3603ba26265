/* The C front-end: lowers one translation unit to facts through libclang.
 *
 * File-scope variables become module-scope declarations, function-`static`
 * locals declarations flagged c_static, calls of knowledge-base constructor
 * functions constructions (out-parameter constructors also an assignment to the
 * `&handle` argument), `x = ...` assignments and variable reads refs. Request
 * handlers and boot hooks are recognised here (registration calls, signatures,
 * attributes, FastCGI accept loops, configured names), and the functions they
 * reach through direct calls in the file are marked on the scopes.
 *
 * A missing header must not hide findings: clang drops every statement that uses
 * an unknown type or identifier, so after a first parse the unknown names found in
 * its diagnostics are declared by a generated prelude (a virtual file passed with
 * -include: opaque struct typedefs for types, enumerators for values, empty macros
 * for attribute-like macros) and the file is parsed again. */
#define _GNU_SOURCE 1 /* memmem */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"

/* libclang is loaded the first time a C file is analyzed (dlopen), not when isolint
 * starts: a TypeScript scan, `--version` or a warm cached run then never pays for
 * relocating libclang and LLVM (about 20 ms and 50 MB of resident memory). Every
 * clang_* name below is a pointer filled from the library; IL_LIBCLANG_PATH is the
 * library CMake found. */
#define IL_CLANG_FUNCS(X) \
  X(clang_CompilationDatabase_fromDirectory) \
  X(clang_CompilationDatabase_getCompileCommands) \
  X(clang_CompileCommand_getArg) \
  X(clang_CompileCommand_getDirectory) \
  X(clang_CompileCommand_getNumArgs) \
  X(clang_CompileCommands_dispose) \
  X(clang_CompileCommands_getCommand) \
  X(clang_CompileCommands_getSize) \
  X(clang_Cursor_getArgument) \
  X(clang_Cursor_getNumArguments) \
  X(clang_Cursor_getStorageClass) \
  X(clang_Cursor_isNull) \
  X(clang_File_isEqual) \
  X(clang_Location_isFromMainFile) \
  X(clang_createIndex) \
  X(clang_defaultReparseOptions) \
  X(clang_disposeDiagnostic) \
  X(clang_disposeIndex) \
  X(clang_disposeString) \
  X(clang_disposeTranslationUnit) \
  X(clang_getCString) \
  X(clang_getCanonicalType) \
  X(clang_getCursorExtent) \
  X(clang_getCursorKind) \
  X(clang_getCursorLocation) \
  X(clang_getCursorReferenced) \
  X(clang_getCursorSemanticParent) \
  X(clang_getCursorSpelling) \
  X(clang_getCursorTLSKind) \
  X(clang_getCursorType) \
  X(clang_getDiagnostic) \
  X(clang_getDiagnosticCategoryText) \
  X(clang_getDiagnosticLocation) \
  X(clang_getDiagnosticSeverity) \
  X(clang_getDiagnosticSpelling) \
  X(clang_getExpansionLocation) \
  X(clang_getFile) \
  X(clang_getNullCursor) \
  X(clang_getNumDiagnostics) \
  X(clang_getPointeeType) \
  X(clang_getRangeEnd) \
  X(clang_getRangeStart) \
  X(clang_getTranslationUnitCursor) \
  X(clang_getTypeSpelling) \
  X(clang_isConstQualifiedType) \
  X(clang_isCursorDefinition) \
  X(clang_isExpression) \
  X(clang_parseTranslationUnit2) \
  X(clang_reparseTranslationUnit) \
  X(clang_visitChildren) \

#define X(name) static __typeof__(name) *p_##name;
IL_CLANG_FUNCS(X)
#undef X

static pthread_once_t clang_once = PTHREAD_ONCE_INIT;
static char clang_error[1024]; /* empty: loaded */

/* Where libclang is looked for, in order: $ISOLINT_LIBCLANG, the library this build
 * was configured with, then the names Debian, Ubuntu and Fedora install (a prebuilt
 * binary, such as the npm package's, runs on machines other than the one that built
 * it). Its C API is stable across versions: any libclang 13 or newer works. */
static void *clang_open(char *tried, size_t cap) {
  static const char *const names[] = {
    IL_LIBCLANG_PATH,
    "/usr/lib/llvm-19/lib/libclang.so.1", "/usr/lib/llvm-18/lib/libclang.so.1",
    "/usr/lib/llvm-17/lib/libclang.so.1", "/usr/lib/llvm-16/lib/libclang.so.1",
    "/usr/lib/llvm-15/lib/libclang.so.1", "/usr/lib/llvm-14/lib/libclang.so.1",
    "/usr/lib/llvm-13/lib/libclang.so.1", "libclang.so.1", "libclang.so",
    "libclang-19.so.1", "libclang-18.so.1", "libclang-17.so.1", "libclang-16.so.1",
    "libclang-15.so.1", "libclang-14.so.1", "libclang-13.so.1"};
  const char *env = getenv("ISOLINT_LIBCLANG");
  if (env && *env) {
    void *h = dlopen(env, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char *e = dlerror();
      snprintf(tried, cap, "ISOLINT_LIBCLANG=%s: %s", env, e ? e : "cannot load it");
    }
    return h;
  }
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (names[i][0]) {
      void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
      if (h)
        return h;
    }
  snprintf(tried, cap, "tried %s, /usr/lib/llvm-{13..19}/lib/libclang.so.1 and libclang.so",
           IL_LIBCLANG_PATH[0] ? IL_LIBCLANG_PATH : "the library path");
  return NULL;
}

static void clang_load(void) {
  char tried[512];
  void *h = clang_open(tried, sizeof tried);
  if (!h) {
    snprintf(clang_error, sizeof clang_error,
             "libclang, which isolint loads when it meets a C file, could not be loaded "
             "(%s): install it (Debian/Ubuntu: apt-get install libclang1-14, or any "
             "libclang 13 or newer; Fedora: dnf install clang-libs) or point ISOLINT_LIBCLANG "
             "at it",
             tried);
    return;
  }
#define X(name)                                                                                \
  *(void **)(&p_##name) = dlsym(h, #name);                                                     \
  if (!p_##name) {                                                                              \
    snprintf(clang_error, sizeof clang_error, "the libclang isolint loaded lacks %s", #name);  \
    return;                                                                                    \
  }
  IL_CLANG_FUNCS(X)
#undef X
}

bool il_c_available(char **why) {
  pthread_once(&clang_once, clang_load);
  if (clang_error[0] && why)
    *why = il_xstrdup(clang_error);
  return !clang_error[0];
}

#define clang_CompilationDatabase_fromDirectory (*p_clang_CompilationDatabase_fromDirectory)
#define clang_CompilationDatabase_getCompileCommands (*p_clang_CompilationDatabase_getCompileCommands)
#define clang_CompileCommand_getArg (*p_clang_CompileCommand_getArg)
#define clang_CompileCommand_getDirectory (*p_clang_CompileCommand_getDirectory)
#define clang_CompileCommand_getNumArgs (*p_clang_CompileCommand_getNumArgs)
#define clang_CompileCommands_dispose (*p_clang_CompileCommands_dispose)
#define clang_CompileCommands_getCommand (*p_clang_CompileCommands_getCommand)
#define clang_CompileCommands_getSize (*p_clang_CompileCommands_getSize)
#define clang_Cursor_getArgument (*p_clang_Cursor_getArgument)
#define clang_Cursor_getNumArguments (*p_clang_Cursor_getNumArguments)
#define clang_Cursor_getStorageClass (*p_clang_Cursor_getStorageClass)
#define clang_Cursor_isNull (*p_clang_Cursor_isNull)
#define clang_File_isEqual (*p_clang_File_isEqual)
#define clang_Location_isFromMainFile (*p_clang_Location_isFromMainFile)
#define clang_createIndex (*p_clang_createIndex)
#define clang_defaultReparseOptions (*p_clang_defaultReparseOptions)
#define clang_disposeDiagnostic (*p_clang_disposeDiagnostic)
#define clang_disposeIndex (*p_clang_disposeIndex)
#define clang_disposeString (*p_clang_disposeString)
#define clang_disposeTranslationUnit (*p_clang_disposeTranslationUnit)
#define clang_getCString (*p_clang_getCString)
#define clang_getCanonicalType (*p_clang_getCanonicalType)
#define clang_getCursorExtent (*p_clang_getCursorExtent)
#define clang_getCursorKind (*p_clang_getCursorKind)
#define clang_getCursorLocation (*p_clang_getCursorLocation)
#define clang_getCursorReferenced (*p_clang_getCursorReferenced)
#define clang_getCursorSemanticParent (*p_clang_getCursorSemanticParent)
#define clang_getCursorSpelling (*p_clang_getCursorSpelling)
#define clang_getCursorTLSKind (*p_clang_getCursorTLSKind)
#define clang_getCursorType (*p_clang_getCursorType)
#define clang_getDiagnostic (*p_clang_getDiagnostic)
#define clang_getDiagnosticCategoryText (*p_clang_getDiagnosticCategoryText)
#define clang_getDiagnosticLocation (*p_clang_getDiagnosticLocation)
#define clang_getDiagnosticSeverity (*p_clang_getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (*p_clang_getDiagnosticSpelling)
#define clang_getExpansionLocation (*p_clang_getExpansionLocation)
#define clang_getFile (*p_clang_getFile)
#define clang_getNullCursor (*p_clang_getNullCursor)
#define clang_getNumDiagnostics (*p_clang_getNumDiagnostics)
#define clang_getPointeeType (*p_clang_getPointeeType)
#define clang_getRangeEnd (*p_clang_getRangeEnd)
#define clang_getRangeStart (*p_clang_getRangeStart)
#define clang_getTranslationUnitCursor (*p_clang_getTranslationUnitCursor)
#define clang_getTypeSpelling (*p_clang_getTypeSpelling)
#define clang_isConstQualifiedType (*p_clang_isConstQualifiedType)
#define clang_isCursorDefinition (*p_clang_isCursorDefinition)
#define clang_isExpression (*p_clang_isExpression)
#define clang_parseTranslationUnit2 (*p_clang_parseTranslationUnit2)
#define clang_reparseTranslationUnit (*p_clang_reparseTranslationUnit)
#define clang_visitChildren (*p_clang_visitChildren)
#include "base/config.h"

#define PRELUDE_PATH "/isolint-virtual/prelude.h"
enum { MAX_PRELUDE_ROUNDS = 4, MAX_CHILDREN = 64, MAX_WALK_DEPTH = 1000 };

typedef IL_ARRAY(const char *) name_list;

typedef struct {
  int32_t caller; /* scope making the call */
  const char *callee;
} edge;

typedef struct {
  il_facts *f;
  const il_config *cfg;
  CXFile file;
  int32_t scope; /* current scope */
  IL_ARRAY(int32_t) ctor_stack;
  IL_ARRAY(edge) edges;
  name_list handler_fns; /* functions registered as handlers */
  name_list boot_fns;    /* functions registered as init hooks */
  name_list externs;     /* variables declared in a header that got a declaration here */
  name_list udata_locals; /* locals of the current function taken from a user-data pointer */
  name_list udata_via;    /* ... and the description of that pointer, index for index */
  const char *pend_tag;   /* assign_target's member target: its struct type and member, */
  const char *pend_member; /* recorded as a write (il_c_member) by push_assign */
  unsigned prev_end;                  /* end offset of the previous top-level declaration */
  unsigned depth;                     /* of walk() calls on the stack */
} walker;

/* ---- small helpers ---------------------------------------------------------------- */

static const char *spelling(walker *w, CXCursor c) {
  CXString s = clang_getCursorSpelling(c);
  const char *t = il_arena_strdup(w->f->arena, clang_getCString(s) ? clang_getCString(s) : "");
  clang_disposeString(s);
  return t;
}

/* Position of a location in the main file (expansion location), or false. */
static bool main_pos(walker *w, CXSourceLocation l, unsigned *off, il_pos *p) {
  CXFile file;
  unsigned line, col, o;
  clang_getExpansionLocation(l, &file, &line, &col, &o);
  if (!file || !clang_File_isEqual(file, w->file) || o > w->f->len)
    return false;
  *off = o;
  p->line = line;
  p->col = col;
  return true;
}

static bool extent_span(walker *w, CXCursor c, il_span *s) {
  CXSourceRange r = clang_getCursorExtent(c);
  unsigned a, b;
  il_pos pa, pb;
  if (!main_pos(w, clang_getRangeStart(r), &a, &pa))
    return false;
  if (!main_pos(w, clang_getRangeEnd(r), &b, &pb) || b < a) {
    b = a;
    pb = pa;
  }
  *s = (il_span){a, b, pa, pb};
  return true;
}

/* Span of `len` bytes at the cursor's location (a name). */
static bool name_span(walker *w, CXCursor c, size_t len, il_span *s) {
  unsigned a;
  il_pos pa;
  if (!main_pos(w, clang_getCursorLocation(c), &a, &pa))
    return false;
  if (a + len > w->f->len || memchr(w->f->src + a, '\n', len))
    len = 0;
  il_pos pb = {pa.line, pa.col + (uint32_t)len};
  *s = (il_span){a, a + (uint32_t)len, pa, pb};
  return true;
}

typedef struct {
  CXCursor c[MAX_CHILDREN];
  unsigned n;
} kids;

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  kids *k = d;
  if (k->n < MAX_CHILDREN)
    k->c[k->n++] = c;
  return CXChildVisit_Continue;
}

static void children(CXCursor c, kids *k) {
  k->n = 0;
  clang_visitChildren(c, collect, k);
}

/* Through implicit conversions, parentheses and casts. */
static CXCursor strip(CXCursor c) {
  for (int i = 0; i < 64; i++) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr && k != CXCursor_CStyleCastExpr)
      break;
    kids ch;
    children(c, &ch);
    if (!ch.n)
      break;
    c = ch.c[ch.n - 1];
  }
  return c;
}

static bool text_has(const char *s, size_t n, const char *needle) {
  return n && memmem(s, n, needle, strlen(needle)) != NULL;
}

static bool ident_char(char c);

static bool name_in_list(const name_list *l, const char *s) {
  for (uint32_t i = 0; i < l->len; i++)
    if (strcmp(l->data[i], s) == 0)
      return true;
  return false;
}

static bool name_in(const char *s, const char *const *set) {
  for (; *set; set++)
    if (strcmp(s, *set) == 0)
      return true;
  return false;
}

/* calls that take the next request: a loop around one serves a request per iteration */
static const char *const accept_fns[] = {"FCGI_Accept", "FCGX_Accept", "FCGX_Accept_r",
                                         "FCGI_Accept_r", "accept", "accept4", "scgi_accept",
                                         NULL};
/* calls whose function-pointer arguments are request handlers */
static const char *const handler_registrars[] = {
    "MHD_start_daemon", "mg_set_request_handler", "mg_set_websocket_handler", "mg_http_listen",
    "mg_listen",        "mg_bind",                "evhttp_set_cb",            "evhttp_set_gencb",
    "ap_hook_handler",  NULL};
/* struct members whose function-pointer value is a request handler: civetweb's
 * callbacks.begin_request, and nginx's clcf->handler (only on an nginx type: a
 * `handler` member of any other struct, such as a CLI's command table, is not) */
static const char *const handler_members[] = {"begin_request", "handler", NULL};
/* members and calls that give a handler the pointer its registration was given
 * (mongoose's c->fn_data and nc->user_data, civetweb's request info user_data, libmicrohttpd's and
 * libevent's `void *` arguments are parameters), and the configuration every request of
 * an Apache or nginx module shares (not ap_get_module_config(r->request_config, ...),
 * nor ngx_http_get_module_ctx(), which are per request) */
static const char *const udata_members[] = {"fn_data", "user_data", "cbdata", NULL};
static const char *const udata_calls[] = {"mg_get_user_data",
                                          "ap_get_module_config",
                                          "ngx_http_get_module_main_conf",
                                          "ngx_http_get_module_srv_conf",
                                          "ngx_http_get_module_loc_conf",
                                          NULL};
/* calls that take a lock: the function's reads of shared handles are guarded */
static const char *const lock_fns[] = {"pthread_mutex_lock",  "pthread_rwlock_rdlock",
                                       "pthread_rwlock_wrlock", "pthread_spin_lock",
                                       "mtx_lock",            "EnterCriticalSection",
                                       "apr_thread_mutex_lock", NULL};
/* calls whose function-pointer arguments run at boot */
static const char *const boot_registrars[] = {"ap_hook_child_init", "ap_hook_post_config",
                                              "ap_hook_pre_config", "ap_hook_open_logs",
                                              "atexit_init",        NULL};

bool il_c_registers_handlers(const char *text, size_t len) {
  for (int set = 0; set < 2; set++)
    for (const char *const *p = set ? boot_registrars : handler_registrars; *p; p++)
      if (text_has(text, len, *p))
        return true;
  return false;
}

/* ---- the walk --------------------------------------------------------------------- */

static void walk_children(walker *w, CXCursor c);

/* The struct type (canonical spelling, "struct app") whose member a member expression
 * (`app->db`, `s.conn`) names, or NULL when it is not a struct's. */
static const char *member_tag(walker *w, CXCursor member) {
  kids ch;
  children(member, &ch);
  if (!ch.n)
    return NULL;
  CXType t = clang_getCanonicalType(clang_getCursorType(ch.c[0]));
  if (t.kind == CXType_Pointer)
    t = clang_getCanonicalType(clang_getPointeeType(t));
  if (t.kind != CXType_Record)
    return NULL;
  CXString sp = clang_getTypeSpelling(t);
  const char *tag = clang_getCString(sp) ? clang_getCString(sp) : "";
  for (bool more = true; more;) { /* unqualified: `const struct app *` reads `struct app` */
    more = false;
    static const char *const quals[] = {"const ", "volatile ", "restrict ", NULL};
    for (const char *const *q = quals; *q; q++)
      if (strncmp(tag, *q, strlen(*q)) == 0) {
        tag += strlen(*q);
        more = true;
      }
  }
  tag = il_arena_strdup(w->f->arena, tag);
  clang_disposeString(sp);
  return *tag ? tag : NULL;
}

/* What a handler gets from its registration that expression e is (through casts):
 * a `void *` parameter, a local taken from one, `c->fn_data`, `mg_get_user_data()`,
 * a module's shared configuration; described for a message, or NULL. */
static const char *udata_source(walker *w, CXCursor e) {
  e = strip(e);
  enum CXCursorKind k = clang_getCursorKind(e);
  if (k == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(e);
    if (clang_getCursorKind(ref) == CXCursor_ParmDecl) {
      CXType t = clang_getCanonicalType(clang_getCursorType(ref));
      if (t.kind == CXType_Pointer &&
          clang_getCanonicalType(clang_getPointeeType(t)).kind == CXType_Void)
        return il_arena_printf(w->f->arena, "its user-data pointer '%s'", spelling(w, e));
      return NULL;
    }
    if (!w->udata_locals.len)
      return NULL;
    const char *n = spelling(w, e);
    for (uint32_t i = 0; i < w->udata_locals.len; i++)
      if (strcmp(w->udata_locals.data[i], n) == 0)
        return w->udata_via.data[i];
    return NULL;
  }
  if (k == CXCursor_MemberRefExpr) {
    const char *m = spelling(w, e);
    return name_in(m, udata_members)
               ? il_arena_printf(w->f->arena, "its user-data pointer '%s'", m)
               : NULL;
  }
  /* a call as written (nginx's getters are macros: `(r)->main_conf[...]` with the
   * headers, calls without) */
  il_span s;
  if (!extent_span(w, e, &s))
    return NULL;
  const char *t = w->f->src + s.start_byte;
  size_t tn = s.end_byte - s.start_byte;
  for (const char *const *p = udata_calls; *p; p++) {
    size_t pn = strlen(*p);
    if (tn > pn && memcmp(t, *p, pn) == 0 && (t[pn] == '(' || t[pn] == ' ') &&
        !text_has(t, tn, "request_config"))
      return il_arena_printf(w->f->arena, "%s '%s()'",
                             **p == 'm' ? "its user data from" : "the module configuration from",
                             *p);
  }
  return NULL;
}

/* A local initialized or assigned from a user-data pointer (`struct app *app = cbdata;`):
 * reads through it are reads through that pointer. */
static void note_udata_local(walker *w, const char *name, CXCursor value) {
  const char *via = udata_source(w, value);
  if (!via || w->scope <= 0)
    return;
  il_array_push(&w->udata_locals, name);
  il_array_push(&w->udata_via, via);
}

/* `x->m` / `x.m` read where x may reach a struct every request shares: a user-data
 * pointer (or a local taken from one), a file-scope or function-static variable.
 * (Out of line, so that its children array is not on the stack of each level of a
 * long member chain, `p->next->next->...`, while the walk recurses.) */
static __attribute__((noinline)) void note_member(walker *w, CXCursor c) {
  kids ch;
  children(c, &ch);
  const char *via = NULL;
  if (ch.n && w->scope > 0) {
    CXCursor base = strip(ch.c[0]);
    via = udata_source(w, base);
    if (!via && clang_getCursorKind(base) == CXCursor_DeclRefExpr) {
      CXCursor ref = clang_getCursorReferenced(base);
      if (clang_getCursorKind(ref) == CXCursor_VarDecl) {
        bool file = clang_getCursorKind(clang_getCursorSemanticParent(ref)) ==
                    CXCursor_TranslationUnit;
        if (file || clang_Cursor_getStorageClass(ref) == CX_SC_Static)
          via = il_arena_printf(w->f->arena, "%s '%s'", file ? "file-scope" : "function-static",
                                spelling(w, base));
      }
    }
  }
  const char *tag = via ? member_tag(w, c) : NULL;
  il_span s;
  if (tag && extent_span(w, c, &s)) {
    il_c_member m = {.tag = tag, .member = spelling(w, c), .via = via, .span = s,
                     .scope = w->scope, .assign = -1};
    il_array_push(&w->f->c_members, m);
  }
}

static void do_member(walker *w, CXCursor c) {
  note_member(w, c);
  walk_children(w, c);
}

static void walk(walker *w, CXCursor c);

static enum CXChildVisitResult walk_child(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  walk(d, c);
  return CXChildVisit_Continue;
}

static void walk_children(walker *w, CXCursor c) { clang_visitChildren(c, walk_child, w); }

typedef struct {
  walker *w;
  name_list *out;
} fnref_ctx;

/* Every function named (not called) in a subtree: `&answer`, `answer`. */
static enum CXChildVisitResult find_fnrefs(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  fnref_ctx *x = d;
  if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_getCursorKind(ref) == CXCursor_FunctionDecl)
      il_array_push(x->out, spelling(x->w, c));
  }
  return CXChildVisit_Recurse;
}

typedef struct {
  const char *const *names;
  const char *hit;
} find_call_ctx;

static enum CXChildVisitResult find_call(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  find_call_ctx *x = d;
  if (clang_getCursorKind(c) == CXCursor_CallExpr) {
    CXString s = clang_getCursorSpelling(c);
    const char *n = clang_getCString(s);
    for (const char *const *p = x->names; n && *p && !x->hit; p++)
      if (strcmp(n, *p) == 0)
        x->hit = *p;
    clang_disposeString(s);
    if (x->hit)
      return CXChildVisit_Break;
  }
  return CXChildVisit_Recurse;
}

static int32_t current_ctor(walker *w) {
  return w->ctor_stack.len ? w->ctor_stack.data[w->ctor_stack.len - 1] : -1;
}

/* The construction recorded for the call expression c, or -1. */
static int32_t ctor_of(walker *w, CXCursor c) {
  if (clang_getCursorKind(c) == CXCursor_ConditionalOperator) {
    kids ch;
    children(c, &ch);
    for (unsigned i = ch.n; i-- > 1;) {
      int32_t k = ctor_of(w, strip(ch.c[i]));
      if (k >= 0)
        return k;
    }
    return -1;
  }
  if (clang_getCursorKind(c) != CXCursor_CallExpr)
    return -1;
  il_span s;
  if (!extent_span(w, c, &s))
    return -1;
  for (uint32_t i = w->f->ctors.len; i-- > 0;) {
    const il_ctor *k = &w->f->ctors.data[i];
    if (k->full.start_byte == s.start_byte && k->full.end_byte == s.end_byte && !k->out_arg1)
      return (int32_t)i; /* (not what the call leaves in an argument) */
    /* records are made in the walk's order: one that ends before c starts was made
     * before c was walked, and so were all before it */
    if (k->full.end_byte < s.start_byte)
      break;
  }
  return -1;
}

/* Is the expression's type a pointer to a pointer (`sqlite3 **`, `&db` of a `sqlite3 *`)? */
static bool is_ptr_ptr(CXCursor c) {
  CXType t = clang_getCanonicalType(clang_getCursorType(c));
  return t.kind == CXType_Pointer &&
         clang_getCanonicalType(clang_getPointeeType(t)).kind == CXType_Pointer;
}

/* The name of the function a call expression calls directly (`db_conn()`), or NULL
 * (a call through a pointer, a member). */
static const char *direct_callee(walker *w, CXCursor call) {
  kids ch;
  children(call, &ch);
  if (!ch.n)
    return NULL;
  CXCursor callee = strip(ch.c[0]);
  if (clang_getCursorKind(callee) != CXCursor_DeclRefExpr)
    return NULL;
  CXCursor ref = clang_getCursorReferenced(callee);
  if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) != CXCursor_FunctionDecl)
    return NULL; /* a function pointer variable */
  const char *n = spelling(w, callee);
  return *n ? n : NULL;
}

/* A value-flow record of a call of a function that is not a knowledge-base
 * constructor (`db_conn()`, `open_db(&g)`): its value (out_arg1 0) or what it leaves in
 * its out_arg1-th argument. -1 when the call is not a direct call in the file. */
static int32_t push_local_call(walker *w, CXCursor call, uint8_t out_arg1) {
  const char *name = direct_callee(w, call);
  il_span full, callee;
  if (!name || !extent_span(w, call, &full))
    return -1;
  kids ch;
  children(call, &ch);
  if (!ch.n || !extent_span(w, ch.c[0], &callee))
    callee = full;
  il_ctor k = {.root = name, .path = "", .span = callee, .full = full, .scope = w->scope,
               .outer = current_ctor(w), .decl = -1, .assign = -1, .inner = -1,
               .wrapped_by = -1, .local_call = true, .out_arg1 = out_arg1, .origin = -1,
               .xorigin = -1};
  il_array_push(&w->f->ctors, k);
  return (int32_t)w->f->ctors.len - 1;
}

/* The construction record that is the value of expression e (already walked): a
 * knowledge-base constructor's, else a new value-flow record of a direct call. */
static int32_t value_of(walker *w, CXCursor e) {
  e = strip(e);
  int32_t k = ctor_of(w, e);
  if (k >= 0 && w->f->ctors.data[k].client && w->f->ctors.data[k].client->out_arg >= 0)
    return -1; /* `rc = sqlite3_open(path, &db)`: the value is a status, not the handle */
  if (k < 0 && clang_getCursorKind(e) == CXCursor_CallExpr)
    k = push_local_call(w, e, 0);
  return k;
}

/* Whether the struct holding the member `lhs` refers to (through `.` or `->`) is
 * spelled as an nginx type (ngx_...). */
static bool member_of_ngx(CXCursor lhs) {
  kids ch;
  children(lhs, &ch);
  if (!ch.n)
    return false;
  CXType t = clang_getCursorType(ch.c[0]);
  if (t.kind == CXType_Pointer)
    t = clang_getPointeeType(t);
  CXType types[2] = {t, clang_getCanonicalType(t)};
  for (int i = 0; i < 2; i++) {
    CXString s = clang_getTypeSpelling(types[i]);
    bool ngx = strstr(clang_getCString(s), "ngx_") != NULL;
    clang_disposeString(s);
    if (ngx)
      return true;
  }
  return false;
}

/* Fills an assignment's target from a stripped left-hand side; false when it is
 * not a name or a member of a named variable. */
static void note_extern(walker *w, CXCursor ref, const char *name, il_span s);

static const char *member_tag(walker *w, CXCursor member);

static bool assign_target(walker *w, CXCursor lhs, il_assign *a) {
  enum CXCursorKind k = clang_getCursorKind(lhs);
  w->pend_tag = NULL;
  if (!extent_span(w, lhs, &a->span))
    return false;
  if (k == CXCursor_DeclRefExpr) {
    a->target = IL_TARGET_NAME;
    a->root = spelling(w, lhs);
    note_extern(w, clang_getCursorReferenced(lhs), a->root, a->span);
    return true;
  }
  /* `*out = c` through a parameter: what the function leaves in its out-parameter
   * (value flow); a parameter is never storage a rule reports */
  if (k == CXCursor_UnaryOperator && a->span.start_byte < w->f->len &&
      w->f->src[a->span.start_byte] == '*') {
    kids op;
    children(lhs, &op);
    CXCursor p = op.n == 1 ? strip(op.c[0]) : clang_getNullCursor();
    if (op.n != 1 || clang_getCursorKind(p) != CXCursor_DeclRefExpr ||
        clang_getCursorKind(clang_getCursorReferenced(p)) != CXCursor_ParmDecl)
      return false;
    a->target = IL_TARGET_NAME;
    a->root = spelling(w, p);
    return true;
  }
  if (k != CXCursor_MemberRefExpr)
    return false;
  a->target = IL_TARGET_MEMBER;
  a->prop = spelling(w, lhs);
  CXCursor base = lhs;
  for (int i = 0; i < 16 && clang_getCursorKind(base) == CXCursor_MemberRefExpr; i++) {
    kids ch;
    children(base, &ch);
    if (!ch.n)
      return false;
    base = strip(ch.c[0]);
  }
  if (clang_getCursorKind(base) != CXCursor_DeclRefExpr)
    return false;
  a->root = spelling(w, base);
  il_span bs;
  if (extent_span(w, base, &bs))
    note_extern(w, clang_getCursorReferenced(base), a->root, bs);
  w->pend_tag = member_tag(w, lhs);
  w->pend_member = a->prop;
  return true;
}

static void push_assign(walker *w, il_assign *a, int32_t ctor) {
  a->op = IL_ASSIGN_EQ;
  a->scope = w->scope;
  a->value_ctor = ctor;
  a->decl = -1;
  a->value_decl = -1;
  if (ctor >= 0)
    w->f->ctors.data[ctor].assign = (int32_t)w->f->assigns.len;
  if (a->target == IL_TARGET_MEMBER && w->pend_tag) {
    il_c_member m = {.tag = w->pend_tag, .member = w->pend_member, .span = a->span,
                     .scope = w->scope, .assign = (int32_t)w->f->assigns.len};
    if (a->span.end_byte > a->span.start_byte && a->span.end_byte - a->span.start_byte < 80)
      m.via = il_arena_printf(w->f->arena, "%.*s", (int)(a->span.end_byte - a->span.start_byte),
                              w->f->src + a->span.start_byte); /* a write: its text */
    il_array_push(&w->f->c_members, m);
  }
  w->pend_tag = NULL;
  il_array_push(&w->f->assigns, *a);
}

/* The target an out-parameter argument fills: `&db`, `&app.db`, `&d->conn`, or a
 * parameter passed on (`sqlite3_open(path, out)` in `int open_db(sqlite3 **out)`). */
static bool out_target(walker *w, CXCursor arg, il_assign *a) {
  arg = strip(arg);
  il_span as;
  if (!extent_span(w, arg, &as))
    return false;
  if (clang_getCursorKind(arg) == CXCursor_UnaryOperator && as.start_byte < w->f->len &&
      w->f->src[as.start_byte] == '&') {
    kids op;
    children(arg, &op);
    return op.n == 1 && assign_target(w, strip(op.c[0]), a);
  }
  if (clang_getCursorKind(arg) == CXCursor_DeclRefExpr &&
      clang_getCursorKind(clang_getCursorReferenced(arg)) == CXCursor_ParmDecl)
    return assign_target(w, arg, a);
  return false;
}

static void push_assign(walker *w, il_assign *a, int32_t ctor);

/* A direct call of a function that is not a constructor: each argument that may be
 * an out-parameter of a handle (`&g_db` of a `sqlite3 *`, a `sqlite3 **` parameter
 * passed on) gets a value-flow record and an assignment to its target, which value
 * flow gives a client when the callee leaves one there (`int open_db(sqlite3 **out)`). */
static void out_args(walker *w, CXCursor c) {
  int n = clang_Cursor_getNumArguments(c);
  for (int i = 0; i < n && i < 255; i++) {
    CXCursor arg = clang_Cursor_getArgument(c, (unsigned)i);
    if (!is_ptr_ptr(arg))
      continue;
    il_assign a = {0};
    if (!out_target(w, arg, &a))
      continue;
    int32_t k = push_local_call(w, c, (uint8_t)(i + 1));
    if (k < 0)
      return;
    push_assign(w, &a, k);
  }
}

static void do_call(walker *w, CXCursor c) {
  const char *name = spelling(w, c);
  if (!*name) {
    walk_children(w, c);
    return;
  }
  edge e = {w->scope, name};
  il_array_push(&w->edges, e);
  if (name_in(name, lock_fns))
    for (int32_t s = w->scope; s > 0; s = w->f->scopes.data[s].parent)
      w->f->scopes.data[s].c_locks = true;
  if (name_in(name, handler_registrars) || name_in(name, boot_registrars)) {
    fnref_ctx x = {w, name_in(name, handler_registrars) ? &w->handler_fns : &w->boot_fns};
    int n = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < n; i++) {
      CXCursor arg = clang_Cursor_getArgument(c, (unsigned)i);
      find_fnrefs(arg, c, &x);
      clang_visitChildren(arg, find_fnrefs, &x);
    }
  }
  const il_kb_row *row = il_kb_lookup_c(w->cfg->kb, name);
  il_span full;
  bool have_full = extent_span(w, c, &full);
  /* sqlite3_open_v2(..., SQLITE_OPEN_FULLMUTEX, ...): the serialized threading mode,
   * where one handle may be used by many threads at once: not a handle to flag */
  if (row && have_full && strncmp(name, "sqlite3_open", 12) == 0 &&
      text_has(w->f->src + full.start_byte, full.end_byte - full.start_byte,
               "SQLITE_OPEN_FULLMUTEX"))
    row = NULL;
  /* SQLAllocHandle allocates environments and statements too: only a connection
   * handle (SQL_HANDLE_DBC) is one */
  if (row && have_full && strcmp(name, "SQLAllocHandle") == 0 &&
      !text_has(w->f->src + full.start_byte, full.end_byte - full.start_byte, "SQL_HANDLE_DBC"))
    row = NULL;
  if (!row || !have_full) {
    walk_children(w, c);
    if (have_full)
      out_args(w, c);
    return;
  }
  il_ctor k = {.root = name, .path = "", .full = full, .scope = w->scope,
               .outer = current_ctor(w), .decl = -1, .assign = -1, .client = row,
               .module = row->module, .level = row->level, .inner = -1, .wrapped_by = -1};
  k.span = full;
  kids ch;
  children(c, &ch);
  if (ch.n && !extent_span(w, ch.c[0], &k.span))
    k.span = full;
  int32_t ki = (int32_t)w->f->ctors.len;
  il_array_push(&w->f->ctors, k);
  il_array_push(&w->ctor_stack, ki);
  walk_children(w, c);
  w->ctor_stack.len--;
  /* sqlite3_open(path, &db): the out-parameter receives the handle */
  if (row->out_arg >= 0 && row->out_arg < clang_Cursor_getNumArguments(c)) {
    il_assign a = {0};
    if (out_target(w, clang_Cursor_getArgument(c, (unsigned)row->out_arg), &a))
      push_assign(w, &a, ki);
  }
}

/* `lhs = rhs` (plain assignment only: compound ones keep the handle). */
static bool is_plain_assign(walker *w, CXCursor lhs, CXCursor rhs) {
  il_span l, r;
  if (!extent_span(w, lhs, &l) || !extent_span(w, rhs, &r) || r.start_byte <= l.end_byte)
    return false;
  const char *p = w->f->src + l.end_byte, *end = w->f->src + r.start_byte;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  if (p >= end || *p != '=')
    return false;
  p++;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p == end;
}

static void do_binary(walker *w, CXCursor c) {
  kids ch;
  children(c, &ch);
  if (ch.n != 2 || !is_plain_assign(w, ch.c[0], ch.c[1])) {
    walk_children(w, c);
    return;
  }
  walk(w, ch.c[1]);
  CXCursor lhs = strip(ch.c[0]);
  CXCursor rhs = strip(ch.c[1]);
  /* callbacks.begin_request = fn (civetweb), clcf->handler = fn (nginx) */
  if (clang_getCursorKind(lhs) == CXCursor_MemberRefExpr &&
      clang_getCursorKind(rhs) == CXCursor_DeclRefExpr &&
      clang_getCursorKind(clang_getCursorReferenced(rhs)) == CXCursor_FunctionDecl &&
      name_in(spelling(w, lhs), handler_members) &&
      (strcmp(spelling(w, lhs), "handler") != 0 || member_of_ngx(lhs)))
    il_array_push(&w->handler_fns, spelling(w, rhs));
  if (clang_getCursorKind(lhs) == CXCursor_MemberRefExpr)
    walk_children(w, lhs); /* reads inside a member target (the member itself is written) */
  else if (clang_getCursorKind(lhs) != CXCursor_DeclRefExpr)
    walk(w, ch.c[0]); /* reads inside an index target */
  else if (clang_getCursorKind(clang_getCursorReferenced(lhs)) == CXCursor_VarDecl)
    note_udata_local(w, spelling(w, lhs), rhs); /* `app = cbdata;` */
  il_assign a = {0};
  if (!assign_target(w, lhs, &a))
    return;
  int32_t k = value_of(w, rhs);
  if (k < 0 && clang_getCursorKind(rhs) == CXCursor_DeclRefExpr)
    a.value_name = spelling(w, rhs);
  push_assign(w, &a, k);
}

/* A global declared in a header (`extern httpx_server_t *http_server;`) and defined in
 * another translation unit, named at s: a file-scope declaration here too (once),
 * linked by name in the cross-file pass. */
static void note_extern(walker *w, CXCursor ref, const char *name, il_span s) {
  if (clang_getCursorKind(ref) != CXCursor_VarDecl ||
      clang_Location_isFromMainFile(clang_getCursorLocation(ref)) ||
      clang_Cursor_getStorageClass(ref) == CX_SC_Static || name_in_list(&w->externs, name))
    return;
  il_array_push(&w->externs, name);
  il_decl d = {.name = name, .span = s, .scope = 0, .kind = IL_DECL_VAR,
               .init_kind = IL_INIT_NONE, .init_ctor = -1, .owner = -1, .exported = true,
               .imported = "extern"};
  il_array_push(&w->f->decls, d);
}

static void do_ref(walker *w, CXCursor c) {
  CXCursor ref = clang_getCursorReferenced(c);
  enum CXCursorKind rk = clang_getCursorKind(ref);
  if (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl)
    return;
  const char *name = spelling(w, c);
  size_t n = strlen(name);
  il_span s;
  if (!n || !name_span(w, c, n, &s) || s.end_byte - s.start_byte != n ||
      memcmp(w->f->src + s.start_byte, name, n) != 0)
    return; /* inside a macro expansion: no name to point at */
  il_ref r = {.name = w->f->src + s.start_byte,
              .name_len = (uint32_t)n,
              .span = s,
              .scope = w->scope,
              .in_ctor = current_ctor(w),
              .decl = -1};
  il_array_push(&w->f->refs, r);
  note_extern(w, ref, name, s);
}

static bool is_null_init(walker *w, CXCursor init) {
  init = strip(init);
  enum CXCursorKind k = clang_getCursorKind(init);
  il_span s;
  if (!extent_span(w, init, &s))
    return false;
  const char *t = w->f->src + s.start_byte;
  size_t n = s.end_byte - s.start_byte;
  if (k == CXCursor_IntegerLiteral)
    return n == 1 && t[0] == '0';
  return n == 4 && memcmp(t, "NULL", 4) == 0;
}

static void do_var(walker *w, CXCursor c) {
  const char *name = spelling(w, c);
  il_span s;
  if (!*name || !name_span(w, c, strlen(name), &s))
    return;
  kids ch;
  children(c, &ch);
  CXCursor init = clang_getNullCursor();
  for (unsigned i = 0; i < ch.n; i++)
    if (clang_isExpression(clang_getCursorKind(ch.c[i])))
      init = ch.c[i];
  int32_t ctor = -1;
  il_init_kind ik = IL_INIT_NONE;
  if (!clang_Cursor_isNull(init)) {
    walk(w, init);
    ctor = value_of(w, init);
    note_udata_local(w, name, init); /* `struct app *app = cbdata;` */
    ik = is_null_init(w, init) ? IL_INIT_NONE : IL_INIT_OTHER;
  }
  bool file_scope = w->scope == 0;
  bool is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
  bool is_const = clang_isConstQualifiedType(clang_getCursorType(c));
  il_decl d = {.name = name, .span = s, .scope = w->scope, .init_kind = ik, .init_ctor = ctor,
               .owner = -1};
  /* _Thread_local / __thread: one per thread, reused by every request it serves */
  d.c_tls = clang_getCursorTLSKind(c) != CXTLS_None && (file_scope || is_static);
  if (file_scope)
    d.kind = is_const ? IL_DECL_CONST : IL_DECL_VAR;
  else if (is_static) {
    d.kind = is_const ? IL_DECL_CONST : IL_DECL_VAR;
    d.c_static = true;
  } else
    d.kind = IL_DECL_LET;
  d.exported = file_scope && !is_static;
  if (ctor >= 0)
    w->f->ctors.data[ctor].decl = (int32_t)w->f->decls.len;
  il_array_push(&w->f->decls, d);
}

static void do_loop(walker *w, CXCursor c, enum CXCursorKind k) {
  find_call_ctx x = {accept_fns, NULL};
  clang_visitChildren(c, find_call, &x);
  kids ch;
  children(c, &ch);
  if (!x.hit || !ch.n) {
    walk_children(w, c);
    return;
  }
  /* the body of an accept loop serves one request per iteration */
  unsigned body = k == CXCursor_DoStmt ? 0 : ch.n - 1;
  for (unsigned i = 0; i < ch.n; i++)
    if (i != body)
      walk(w, ch.c[i]);
  il_span s;
  if (!extent_span(w, ch.c[body], &s)) {
    walk(w, ch.c[body]);
    return;
  }
  int32_t fn = w->scope;
  while (fn > 0 && w->f->scopes.data[fn].parent > 0)
    fn = w->f->scopes.data[fn].parent;
  il_scope sc = {.parent = w->scope, .kind = IL_SCOPE_FUNCTION, .is_handler = true,
                 .arg_of = -1, .cb_call = -1, .class_decl = -1, .span = s,
                 .name = il_arena_printf(w->f->arena, "%s loop in '%s'", x.hit,
                                         w->f->scopes.data[fn].name)};
  int32_t saved = w->scope;
  w->scope = (int32_t)w->f->scopes.len;
  il_array_push(&w->f->scopes, sc);
  walk(w, ch.c[body]);
  w->scope = saved;
}

/* `return v;`: what the function returns (value flow). */
static void do_return(walker *w, CXCursor c) {
  kids ch;
  children(c, &ch);
  if (ch.n != 1)
    return;
  walk(w, ch.c[0]);
  il_span s;
  if (!extent_span(w, ch.c[0], &s))
    return;
  CXCursor e = strip(ch.c[0]);
  int32_t fn = w->scope;
  while (fn > 0 && w->f->scopes.data[fn].parent > 0)
    fn = w->f->scopes.data[fn].parent;
  if (fn <= 0)
    return;
  il_ret r = {.scope = fn, .span = s, .value_ctor = value_of(w, e), .value_decl = -1};
  if (r.value_ctor < 0 && clang_getCursorKind(e) == CXCursor_DeclRefExpr)
    r.value_name = spelling(w, e);
  if (r.value_ctor >= 0 || r.value_name)
    il_array_push(&w->f->rets, r);
}

static void do_function(walker *w, CXCursor c) {
  const char *name = spelling(w, c);
  il_span ns, ext;
  if (!*name || !name_span(w, c, strlen(name), &ns) || !extent_span(w, c, &ext))
    return;
  /* fn: its scope; exported: linked by name from other translation units */
  il_decl d = {.name = name, .span = ns, .scope = 0, .kind = IL_DECL_FUNCTION,
               .init_kind = IL_INIT_OTHER, .init_ctor = -1, .owner = -1,
               .fn = (int32_t)w->f->scopes.len,
               .exported = clang_Cursor_getStorageClass(c) != CX_SC_Static};
  il_array_push(&w->f->decls, d);
  il_scope sc = {.parent = 0, .kind = IL_SCOPE_FUNCTION, .class_decl = -1, .arg_of = -1, .cb_call = -1,
                 .name = name, .span = ext};
  /* attributes and macros written before the name: from the previous declaration */
  const char *src = w->f->src;
  unsigned from = w->prev_end <= ns.start_byte ? w->prev_end : ext.start_byte;
  if (from > ns.start_byte)
    from = ns.start_byte;
  const char *pre = src + from;
  size_t pre_n = ns.start_byte - from;
  if (text_has(pre, pre_n, "export_name") || text_has(pre, pre_n, "EMSCRIPTEN_KEEPALIVE"))
    sc.is_handler = true; /* a Wasm export: called by the host for each request */
  if (text_has(pre, pre_n, "__attribute__") && text_has(pre, pre_n, "constructor"))
    sc.is_boot = true;
  if (strcmp(name, "main") == 0)
    sc.is_boot = true;
  /* signatures */
  int n_args = clang_Cursor_getNumArguments(c);
  bool mhd = false, req_t = false, res_t = false, mg_first = false, void_second = false,
       int_second = false;
  for (int i = 0; i < n_args; i++) {
    /* the parameter's type as clang spells it, then its text: a handler defined through
     * a macro (`SERVER_HANDLER(name) { ... }`) has its parameters' text in the macro */
    CXCursor pc = clang_Cursor_getArgument(c, (unsigned)i);
    CXString tsp = clang_getTypeSpelling(clang_getCursorType(pc));
    char buf[512];
    int bn = snprintf(buf, sizeof buf, "%s", clang_getCString(tsp) ? clang_getCString(tsp) : "");
    clang_disposeString(tsp);
    size_t type_n = bn < 0 ? 0 : (size_t)bn < sizeof buf ? (size_t)bn : sizeof buf - 1;
    il_span ps;
    if (extent_span(w, pc, &ps) && type_n + 1 < sizeof buf)
      snprintf(buf + type_n, sizeof buf - type_n, "\x01%.*s", (int)(ps.end_byte - ps.start_byte),
               src + ps.start_byte);
    const char *t = buf;
    size_t n = strlen(buf);
    mhd |= text_has(t, n, "MHD_Connection");
    if (i == 0)
      mg_first = text_has(t, n, "mg_connection");
    if (i == 1) {
      void_second = strncmp(t, "void *", 6) == 0;
      int_second = type_n == 3 && memcmp(t, "int", 3) == 0;
    }
    if (text_has(t, n, "evhttp_request"))
      sc.is_handler = true; /* libevent: void cb(struct evhttp_request *req, void *arg) */
    if (text_has(t, n, "ngx_http_request_t") || text_has(t, n, "request_rec"))
      sc.is_handler = true;
    req_t |= text_has(t, n, "equest");
    res_t |= text_has(t, n, "esponse");
    if (text_has(t, n, "ngx_cycle_t"))
      sc.is_boot = true; /* nginx init_module / init_process */
  }
  if (mhd && n_args == 8)
    sc.is_handler = true; /* MHD_AccessHandlerCallback */
  /* civetweb's request handler, int h(struct mg_connection *, void *cbdata), and
   * mongoose's event handler, void fn(struct mg_connection *, int ev, void *ev_data[,
   * void *fn_data]), even when no code of the scan registers them */
  if (mg_first && ((n_args == 2 && void_second) || ((n_args == 3 || n_args == 4) && int_second)))
    sc.is_handler = true;
  if (req_t && res_t && n_args <= 4)
    sc.is_handler = true; /* (request, response) of an HTTP framework: `chttpx_request_t *req,
                             chttpx_response_t *res`, `struct http_request *, struct
                             http_response *` */
  for (uint32_t i = 0; i < w->cfg->handlers.len; i++)
    if (strcmp(w->cfg->handlers.data[i], name) == 0)
      sc.is_handler = true;
  int32_t saved = w->scope;
  w->scope = (int32_t)w->f->scopes.len;
  il_array_push(&w->f->scopes, sc);
  w->udata_locals.len = w->udata_via.len = 0; /* (per function) */
  kids ch;
  children(c, &ch);
  for (unsigned i = 0; i < ch.n; i++) {
    CXCursor k = ch.c[i];
    if (clang_getCursorKind(k) == CXCursor_ParmDecl) {
      const char *pn = spelling(w, k);
      il_span ps;
      if (*pn && name_span(w, k, strlen(pn), &ps)) {
        il_decl p = {.name = pn, .span = ps, .scope = w->scope, .kind = IL_DECL_PARAM,
                     .init_ctor = -1, .owner = -1};
        il_array_push(&w->f->decls, p);
      }
    } else if (clang_getCursorKind(k) == CXCursor_CompoundStmt)
      walk(w, k);
  }
  w->scope = saved;
}

static void walk_node(walker *w, CXCursor c);

/* The walk recurses once per level of the syntax tree (through libclang's visitor):
 * below MAX_WALK_DEPTH levels (expressions nested that deep, `p->next->next->...`
 * thousands of times, are generated code) the rest of a subtree is not analyzed, so
 * the stack of a pool thread is never exhausted. */
static void walk(walker *w, CXCursor c) {
  if (w->depth >= MAX_WALK_DEPTH)
    return;
  w->depth++;
  walk_node(w, c);
  w->depth--;
}

static void walk_node(walker *w, CXCursor c) {
  enum CXCursorKind k = clang_getCursorKind(c);
  switch (k) {
  case CXCursor_FunctionDecl:
    if (clang_isCursorDefinition(c))
      do_function(w, c);
    return;
  case CXCursor_VarDecl:
    do_var(w, c);
    return;
  case CXCursor_CallExpr:
    do_call(w, c);
    return;
  case CXCursor_BinaryOperator:
    do_binary(w, c);
    return;
  case CXCursor_ReturnStmt:
    do_return(w, c);
    return;
  case CXCursor_DeclRefExpr:
    do_ref(w, c);
    return;
  case CXCursor_MemberRefExpr:
    do_member(w, c);
    return;
  case CXCursor_WhileStmt:
  case CXCursor_ForStmt:
  case CXCursor_DoStmt:
    do_loop(w, c, k);
    return;
  case CXCursor_TypeRef:
  case CXCursor_StructDecl:
  case CXCursor_UnionDecl:
  case CXCursor_EnumDecl:
  case CXCursor_TypedefDecl:
    return;
  default:
    walk_children(w, c);
  }
}

static enum CXChildVisitResult walk_top(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  walker *w = d;
  unsigned off;
  il_pos pos;
  /* (a declaration a macro of the file expands to, `SERVER_HANDLER(name) { ... }`,
   * is the file's too: its expansion location is in it) */
  if (!clang_Location_isFromMainFile(clang_getCursorLocation(c)) &&
      (clang_getCursorKind(c) != CXCursor_FunctionDecl ||
       !main_pos(w, clang_getCursorLocation(c), &off, &pos)))
    return CXChildVisit_Continue;
  walk(w, c);
  il_span s;
  if (extent_span(w, c, &s) && s.end_byte > w->prev_end)
    w->prev_end = s.end_byte;
  return CXChildVisit_Continue;
}

/* ---- handlers, boot hooks and what they reach --------------------------------------- */

static int32_t top_function(const il_facts *f, int32_t s) {
  while (s > 0 && f->scopes.data[s].parent > 0)
    s = f->scopes.data[s].parent;
  return s;
}

static int32_t function_named(const il_facts *f, const char *name) {
  for (uint32_t s = 1; s < f->scopes.len; s++)
    if (f->scopes.data[s].parent == 0 && strcmp(f->scopes.data[s].name, name) == 0)
      return (int32_t)s;
  return -1;
}

static bool within(const il_facts *f, int32_t s, int32_t anc) {
  for (; s >= 0; s = f->scopes.data[s].parent)
    if (s == anc)
      return true;
  return false;
}

/* Marks every function reached from seed through direct calls (reach_handler or
 * reach_boot). Breadth-first over the file's call edges. */
static void reach(walker *w, int32_t *target_of_edge, int32_t seed, bool handler) {
  il_facts *f = w->f;
  IL_ARRAY(int32_t) queue = {0};
  il_array_push(&queue, seed);
  for (uint32_t qi = 0; qi < queue.len; qi++) {
    int32_t q = queue.data[qi];
    for (uint32_t i = 0; i < w->edges.len; i++) {
      int32_t t = target_of_edge[i];
      if (t <= 0 || !within(f, w->edges.data[i].caller, q))
        continue;
      il_scope *ts = &f->scopes.data[t];
      int32_t *mark = handler ? &ts->reach_handler : &ts->reach_boot;
      if (*mark || (handler ? ts->is_handler : ts->is_boot) || t == seed)
        continue;
      *mark = seed;
      il_array_push(&queue, t);
    }
  }
  il_array_free(&queue);
}

/* Functions called where a value is taken but defined in another translation unit
 * (`PGconn *c = db_conn();` with db_conn in postgres.c) get a declaration with no
 * body (fn 0, imported "extern"), which the cross-file pass links by name; handlers
 * registered here but defined elsewhere are named in handler_names for it. */
static void add_externs(walker *w) {
  il_facts *f = w->f;
  name_list defined = {0};
  for (uint32_t d = 0; d < f->decls.len; d++)
    if (f->decls.data[d].kind == IL_DECL_FUNCTION && f->decls.data[d].scope == 0)
      il_array_push(&defined, f->decls.data[d].name);
  uint32_t n_defined = defined.len;
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    const il_ctor *k = &f->ctors.data[i];
    if (!k->local_call || name_in_list(&defined, k->root))
      continue;
    il_array_push(&defined, k->root);
    il_decl d = {.name = k->root, .span = k->span, .scope = 0, .kind = IL_DECL_FUNCTION,
                 .init_kind = IL_INIT_OTHER, .init_ctor = -1, .owner = -1, .exported = true,
                 .imported = "extern"};
    il_array_push(&f->decls, d);
  }
  defined.len = n_defined;
  for (uint32_t i = 0; i < w->handler_fns.len; i++)
    if (!name_in_list(&defined, w->handler_fns.data[i])) {
      il_array_push(&defined, w->handler_fns.data[i]); /* once */
      il_array_push(&f->handler_names, w->handler_fns.data[i]);
    }
  il_array_free(&defined);
}

static void mark_entry_points(walker *w) {
  il_facts *f = w->f;
  for (uint32_t i = 0; i < w->handler_fns.len; i++) {
    int32_t s = function_named(f, w->handler_fns.data[i]);
    if (s > 0)
      f->scopes.data[s].is_handler = true;
  }
  for (uint32_t i = 0; i < w->boot_fns.len; i++) {
    int32_t s = function_named(f, w->boot_fns.data[i]);
    if (s > 0)
      f->scopes.data[s].is_boot = true;
  }
  if (!w->edges.len)
    return;
  int32_t *target = il_xmalloc(w->edges.len * sizeof *target);
  for (uint32_t i = 0; i < w->edges.len; i++) {
    target[i] = function_named(f, w->edges.data[i].callee);
    if (target[i] == top_function(f, w->edges.data[i].caller))
      target[i] = -1; /* recursion */
  }
  for (uint32_t s = 1; s < f->scopes.len; s++)
    if (f->scopes.data[s].is_handler)
      reach(w, target, (int32_t)s, true);
  for (uint32_t s = 1; s < f->scopes.len; s++)
    if (f->scopes.data[s].is_boot)
      reach(w, target, (int32_t)s, false);
  free(target);
}

/* ---- suppression comments ------------------------------------------------------------ */

static il_pos pos_at(const char *src, size_t off) {
  il_pos p = {1, 1};
  for (size_t i = 0; i < off; i++) {
    if (src[i] == '\n') {
      p.line++;
      p.col = 1;
    } else
      p.col++;
  }
  return p;
}

/* Finds the comments of the text (skipping string and character literals) and
 * records the isolint-disable directives among them. */
static void scan_comments(il_facts *f) {
  const char *s = f->src;
  size_t n = f->len;
  if (!memmem(s, n, "isolint-disable-", 16))
    return;
  il_pos p = {1, 1};
  size_t last = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == '"' || ch == '\'') {
      for (i++; i < n && s[i] != ch && s[i] != '\n'; i++)
        if (s[i] == '\\')
          i++;
      continue;
    }
    if (ch != '/' || i + 1 >= n || (s[i + 1] != '/' && s[i + 1] != '*'))
      continue;
    size_t j;
    if (s[i + 1] == '/') {
      for (j = i + 2; j < n && s[j] != '\n'; j++)
        ;
      if (j > i && s[j - 1] == '\r')
        j--;
    } else {
      const char *close = memmem(s + i + 2, n - i - 2, "*/", 2);
      j = close ? (size_t)(close - s) + 2 : n;
    }
    if (memmem(s + i, j - i, "isolint-disable-", 16)) {
      il_pos d = pos_at(s + last, i - last);
      p.col = d.line == 1 ? p.col + d.col - 1 : d.col;
      p.line += d.line - 1;
      last = i;
      il_pos pb = pos_at(s + i, j - i);
      pb.col = pb.line == 1 ? p.col + pb.col - 1 : pb.col;
      pb.line += p.line - 1;
      il_facts_comment(f, (il_span){(uint32_t)i, (uint32_t)j, p, pb});
    }
    i = j - 1;
  }
}

/* ---- flags: compile database or defaults ---------------------------------------------- */

typedef struct {
  char *dir;
  CXCompilationDatabase db; /* NULL: none there */
} db_entry;

static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static IL_ARRAY(db_entry) db_cache;

static CXCompilationDatabase db_for_dir(const char *dir) {
  pthread_mutex_lock(&db_lock);
  for (uint32_t i = 0; i < db_cache.len; i++)
    if (strcmp(db_cache.data[i].dir, dir) == 0) {
      CXCompilationDatabase db = db_cache.data[i].db;
      pthread_mutex_unlock(&db_lock);
      return db;
    }
  char *json = il_xasprintf("%s/compile_commands.json", dir);
  struct stat st;
  CXCompilationDatabase db = NULL;
  if (stat(json, &st) == 0 && S_ISREG(st.st_mode)) {
    CXCompilationDatabase_Error err;
    db = clang_CompilationDatabase_fromDirectory(dir, &err);
    if (err != CXCompilationDatabase_NoError)
      db = NULL;
  }
  free(json);
  db_entry e = {il_xstrdup(dir), db};
  il_array_push(&db_cache, e);
  pthread_mutex_unlock(&db_lock);
  return db;
}

typedef IL_ARRAY(char *) arg_list;

static void add_arg(arg_list *a, const char *s) { il_array_push(a, il_xstrdup(s)); }

static void add_abs(arg_list *a, const char *flag, const char *path, const char *dir) {
  if (path[0] == '/' || !dir)
    il_array_push(a, il_xasprintf("%s%s", flag, path));
  else
    il_array_push(a, il_xasprintf("%s%s/%s", flag, dir, path));
}

/* compile_commands.json comes from the scanned tree, which may be untrusted: only
 * flags that shape parsing pass (an allow-list). Flags that could load code
 * (-fplugin=, -fpass-plugin=, -Xclang -load), read more flags (@file, --config)
 * or write files (-o, -MF, -MJ, -Wp,-MD...) are refused and named in a note;
 * other flags (-c, -O2, -fPIC, -g...) are dropped silently. */
static bool flag_allowed(const char *arg) {
  static const char *const exact[] = {"-ansi", "-nostdinc", "-nostdinc++", "-undef", "-m32",
                                      "-m64", "-pthread", "-fms-extensions", "-fsigned-char",
                                      "-funsigned-char", "-fgnu89-inline", "-fno-builtin", NULL};
  static const char *const prefixes[] = {"-D", "-U", "-std=", "--std=", NULL};
  if (name_in(arg, exact))
    return true;
  for (const char *const *p = prefixes; *p; p++)
    if (strncmp(arg, *p, strlen(*p)) == 0 && arg[strlen(*p)])
      return true;
  return false;
}

/* Flags worth a note when refused: they would load code, read flags from a file
 * or write one. Values of the separate-value forms are consumed by the caller. */
static bool flag_dangerous(const char *arg) {
  static const char *const exact[] = {"-Xclang", "-Xpreprocessor", "-Xanalyzer", "-Xassembler",
                                      "-Xlinker", "-mllvm", "-load", "-plugin", "-add-plugin",
                                      "--config", "-save-temps", "-MJ", "-o", "-MF", "-MD",
                                      "-MMD", "--output", "-B", NULL};
  static const char *const prefixes[] = {"@", "-fplugin", "-fpass-plugin", "-Wp,", "-Wl,",
                                         "-Wa,", "-Xclang=", "--config=", "-save-temps=", "-MJ",
                                         "--output=", "-fcrash-diagnostics",
                                         "-fmodules-cache-path", "-fmodule-file", "-fprofile",
                                         "--serialize-diagnostics", "-ftime-trace",
                                         "-fdepfile", "-fmodules", "-fimplicit-modules", NULL};
  if (name_in(arg, exact))
    return true;
  for (const char *const *p = prefixes; *p; p++)
    if (strncmp(arg, *p, strlen(*p)) == 0)
      return true;
  return false;
}

/* Adds the flag's name (not its value: a response file may have brought in any
 * text) to the list, once. */
static void note_dropped(char **notes, const char *arg) {
  size_t n_name = arg[0] == '@' ? 1 : strcspn(arg, "=,");
  char *name = il_xasprintf("'%.*s'", (int)n_name, arg);
  if ((*notes && strlen(*notes) > 400) || (*notes && strstr(*notes, name))) {
    free(name);
    return;
  }
  char *n = *notes ? il_xasprintf("%s, %s", *notes, name) : il_xstrdup(name);
  free(name);
  free(*notes);
  *notes = n;
}

/* Appends the flags of the file's entry in db; false when it has none. Refused
 * dangerous flags are appended to *dropped. */
static bool db_flags(CXCompilationDatabase db, const char *abs, arg_list *out, char **dropped) {
  CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db, abs);
  if (!cmds)
    return false;
  bool ok = clang_CompileCommands_getSize(cmds) > 0;
  if (ok) {
    CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
    CXString dirs = clang_CompileCommand_getDirectory(cmd);
    const char *dir = clang_getCString(dirs);
    unsigned n = clang_CompileCommand_getNumArgs(cmd);
    static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ", "-Xclang",
                                             "-Xpreprocessor", "-Xanalyzer", "-Xassembler",
                                             "-Xlinker", "-mllvm", "-load", "-plugin",
                                             "-add-plugin", "--config", "-MJ", "--output",
                                             "-B", "-x", "-target", "-arch", NULL};
    static const char *const dropped_flags[] = {"-c", "-MD", "-MMD", "-MP", "-M", "-MM", NULL};
    static const char *const path_flags[] = {"-I", "-isystem", "-iquote", "-include", "-idirafter",
                                             "-imacros", NULL};
    for (unsigned i = 1; i < n; i++) {
      CXString as = clang_CompileCommand_getArg(cmd, i);
      const char *arg = clang_getCString(as);
      bool skip_next = false, done = false;
      if (!arg || name_in(arg, dropped_flags))
        done = true;
      else if (name_in(arg, with_value)) {
        done = skip_next = true;
        if (flag_dangerous(arg) && strcmp(arg, "-o") != 0 && strcmp(arg, "-MF") != 0) {
          /* "-Xclang -load": name what -Xclang passes when it is a flag */
          CXString vs = clang_CompileCommand_getArg(cmd, i + 1 < n ? i + 1 : i);
          const char *v = i + 1 < n ? clang_getCString(vs) : NULL;
          char *both = v && v[0] == '-' && arg[1] == 'X' ? il_xasprintf("%s %s", arg, v)
                                                         : il_xstrdup(arg);
          note_dropped(dropped, both);
          free(both);
          clang_disposeString(vs);
        }
      } else if (arg[0] == '@') {
        note_dropped(dropped, arg);
        done = true;
      } else if (arg[0] != '-') {
        done = true; /* the source file (or a stray input) */
      } else {
        for (const char *const *pf = path_flags; *pf && !done; pf++) {
          size_t pl = strlen(*pf);
          if (strcmp(arg, *pf) == 0 && i + 1 < n) {
            CXString vs = clang_CompileCommand_getArg(cmd, ++i);
            add_arg(out, arg);
            add_abs(out, "", clang_getCString(vs), dir);
            clang_disposeString(vs);
            done = true;
          } else if (strncmp(arg, *pf, pl) == 0 && arg[pl] && (*pf)[1] == 'I') {
            add_abs(out, *pf, arg + pl, dir);
            done = true;
          }
        }
        if (!done && flag_allowed(arg))
          add_arg(out, arg);
        else if (!done && flag_dangerous(arg))
          note_dropped(dropped, arg);
        done = true;
      }
      (void)done;
      clang_disposeString(as);
      if (skip_next)
        i++;
    }
    clang_disposeString(dirs);
  }
  clang_CompileCommands_dispose(cmds);
  return ok;
}

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return il_xstrdup(".");
  if (slash == path)
    return il_xstrdup("/");
  char *d = il_xmalloc((size_t)(slash - path) + 1);
  memcpy(d, path, (size_t)(slash - path));
  d[slash - path] = '\0';
  return d;
}

/* Flags for the file at abs (absolute path): its compile database entry, else
 * defaults. The prelude include is added by the caller. */
static void flags_for(const il_config *cfg, const char *abs, arg_list *out, char **dropped) {
  add_arg(out, "-x");
  add_arg(out, "c");
  char *fdir = dir_of(abs);
  bool found = false;
  if (cfg->compile_commands) {
    struct stat st;
    char *d = stat(cfg->compile_commands, &st) == 0 && S_ISDIR(st.st_mode)
                  ? il_xstrdup(cfg->compile_commands)
                  : dir_of(cfg->compile_commands);
    char real[PATH_MAX];
    CXCompilationDatabase db = db_for_dir(realpath(d, real) ? real : d);
    found = db && db_flags(db, abs, out, dropped);
    free(d);
  } else {
    /* compile_commands.json beside the file or in a parent directory, or in its build/ */
    char *d = il_xstrdup(fdir);
    for (int depth = 0; !found && depth < 64; depth++) {
      CXCompilationDatabase db = db_for_dir(d);
      if (db && db_flags(db, abs, out, dropped)) {
        found = true;
        break;
      }
      char *b = il_xasprintf("%s/build", strcmp(d, "/") == 0 ? "" : d);
      db = db_for_dir(b);
      free(b);
      if (db && db_flags(db, abs, out, dropped)) {
        found = true;
        break;
      }
      if (strcmp(d, "/") == 0)
        break;
      char *up = dir_of(d);
      free(d);
      d = up;
    }
    free(d);
  }
  if (!found) {
    /* defaults: C11, the file's directory, and the include directories the client
     * libraries' pkg-config files would add on Debian */
    static const char *const lib_dirs[] = {"/usr/include/postgresql", "/usr/include/mysql",
                                           "/usr/include/mariadb", "/usr/include/libmongoc-1.0",
                                           "/usr/include/libbson-1.0", NULL};
    add_arg(out, "-std=c11");
    add_abs(out, "-I", fdir, NULL);
    for (const char *const *d = lib_dirs; *d; d++) {
      struct stat st;
      if (stat(*d, &st) == 0 && S_ISDIR(st.st_mode)) {
        add_arg(out, "-isystem");
        add_arg(out, *d);
      }
    }
  }
  free(fdir);
  add_arg(out, "-ferror-limit=0");
  /* newer clangs make these errors, which would drop the statement: calls of
   * functions whose header is missing must stay calls */
  add_arg(out, "-Wno-error=implicit-function-declaration");
  add_arg(out, "-Wno-error=int-conversion");
  add_arg(out, "-Wno-error=incompatible-function-pointer-types");
  add_arg(out, "-w");
}

/* ---- the prelude for unknown names ------------------------------------------------------ */

static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool starts_type_word(const char *p, const char *end) {
  static const char *const words[] = {"int",     "void",     "char",   "static", "const",
                                      "unsigned", "signed",  "long",   "short",  "struct",
                                      "enum",    "union",    "float",  "double", "_Bool",
                                      "bool",    "extern",   "inline", "volatile", NULL};
  for (const char *const *wd = words; *wd; wd++) {
    size_t n = strlen(*wd);
    if ((size_t)(end - p) >= n && memcmp(p, *wd, n) == 0 && (p + n == end || !ident_char(p[n])))
      return true;
  }
  return false;
}

typedef struct {
  char *name;    /* struct tag */
  char *members; /* "void *uri; void *handler; " */
} sbody;

typedef struct {
  char *text; /* declarations, one a line */
  size_t len, cap;
  IL_ARRAY(char *) names;
  IL_ARRAY(sbody) bodies; /* structs used by value or through members */
  char *out;              /* text + bodies: the virtual header */
  size_t out_len;
} prelude;

static bool prelude_has(const prelude *p, const char *name) {
  for (uint32_t i = 0; i < p->names.len; i++)
    if (strcmp(p->names.data[i], name) == 0)
      return true;
  return false;
}

static void prelude_add(prelude *p, const char *line) {
  size_t n = strlen(line);
  if (p->len + n + 1 > p->cap) {
    p->cap = (p->len + n + 1) * 2;
    p->text = il_xrealloc(p->text, p->cap);
  }
  memcpy(p->text + p->len, line, n + 1);
  p->len += n;
}

/* The struct tag a diagnostic names after `after` ("type '", " in '"): from
 * "'struct NAME'" anywhere in it, else the quoted name (one of the prelude's
 * `typedef struct X X`). */
static bool diag_struct(const char *m, const char *after, char *out, size_t cap) {
  const char *t = strstr(m, "'struct ");
  if (t)
    t += 8;
  else if ((t = strstr(m, after)) != NULL)
    t += strlen(after);
  else
    return false;
  size_t n = 0;
  while (ident_char(t[n]))
    n++;
  if (!n || n >= cap || t[n] != '\'')
    return false;
  memcpy(out, t, n);
  out[n] = '\0';
  return true;
}

/* Gives struct `tag` a body (and `member`, when not NULL); true if that changed. */
static bool add_body(prelude *p, const char *tag, const char *member) {
  sbody *b = NULL;
  for (uint32_t i = 0; i < p->bodies.len && !b; i++)
    if (strcmp(p->bodies.data[i].name, tag) == 0)
      b = &p->bodies.data[i];
  bool changed = false;
  if (!b) {
    sbody nb = {il_xstrdup(tag), il_xstrdup("")};
    il_array_push(&p->bodies, nb);
    b = &p->bodies.data[p->bodies.len - 1];
    changed = true;
  }
  if (member) {
    char *decl = il_xasprintf("void *%s; ", member);
    if (!strstr(b->members, decl)) {
      char *m = il_xasprintf("%s%s", b->members, decl);
      free(b->members);
      b->members = m;
      changed = true;
    }
    free(decl);
  }
  return changed;
}

static void render_prelude(prelude *p) {
  size_t n = p->len + 1;
  for (uint32_t i = 0; i < p->bodies.len; i++)
    n += strlen(p->bodies.data[i].name) + strlen(p->bodies.data[i].members) + 48;
  free(p->out);
  p->out = il_xmalloc(n);
  size_t w = 0;
  if (p->len)
    memcpy(p->out, p->text, p->len);
  w = p->len;
  for (uint32_t i = 0; i < p->bodies.len; i++)
    w += (size_t)snprintf(p->out + w, n - w, "struct %s { char isolint_opaque_; %s};\n",
                          p->bodies.data[i].name, p->bodies.data[i].members);
  p->out[w] = '\0';
  p->out_len = w;
}

static void prelude_free(prelude *p) {
  for (uint32_t i = 0; i < p->names.len; i++)
    free(p->names.data[i]);
  il_array_free(&p->names);
  for (uint32_t i = 0; i < p->bodies.len; i++) {
    free(p->bodies.data[i].name);
    free(p->bodies.data[i].members);
  }
  il_array_free(&p->bodies);
  free(p->text);
  free(p->out);
}

/* Is the name at byte off of src the declarator of a declaration (`PGconn *l = ...`,
 * `T l = ...`): preceded by `*` or by a type name? */
static bool declarator(const char *src, unsigned off) {
  while (off > 0 && (src[off - 1] == ' ' || src[off - 1] == '\t'))
    off--;
  return off > 0 && (src[off - 1] == '*' || ident_char(src[off - 1]));
}

/* Declares the names the diagnostics call unknown; returns how many were added. */
static unsigned extend_prelude(CXTranslationUnit tu, const il_facts *f, CXFile file, prelude *p) {
  unsigned added = 0;
  unsigned nd = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < nd; i++) {
    CXDiagnostic dg = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(dg) < CXDiagnostic_Error) {
      clang_disposeDiagnostic(dg);
      continue;
    }
    CXString ms = clang_getDiagnosticSpelling(dg);
    const char *m = clang_getCString(ms);
    const char *q = NULL;
    static const char *const keys[] = {"unknown type name '", "use of undeclared identifier '",
                                       NULL};
    for (const char *const *k = keys; m && *k && !q; k++)
      if (strncmp(m, *k, strlen(*k)) == 0)
        q = m + strlen(*k);
    /* `struct mg_mgr mgr;`, `FCGX_Request req;` (an opaque typedef of the prelude),
     * `hm->uri`, `r->handler` with the header missing: give the struct a body, and
     * the members used (as `void *`, which converts to any object pointer) */
    char tag[128], member[128];
    if (m && !q &&
        (strncmp(m, "variable has incomplete type '", 30) == 0 ||
         strncmp(m, "incomplete definition of type '", 31) == 0 ||
         strncmp(m, "tentative definition has type '", 31) == 0 || /* `static SQLHENV env;` */
         (strncmp(m, "argument type '", 15) == 0 && strstr(m, "' is incomplete"))) &&
        diag_struct(m, "type '", tag, sizeof tag))
      added += add_body(p, tag, NULL);
    else if (m && !q && strncmp(m, "no member named '", 17) == 0 &&
             diag_struct(m, " in '", tag, sizeof tag)) {
      const char *t = m + 17;
      size_t n = 0;
      while (ident_char(t[n]))
        n++;
      if (n && n < sizeof member && t[n] == '\'') {
        memcpy(member, t, n);
        member[n] = '\0';
        added += add_body(p, tag, member);
      }
    }
    CXFile df;
    unsigned off = 0;
    clang_getExpansionLocation(clang_getDiagnosticLocation(dg), &df, NULL, NULL, &off);
    /* `module AP_MODULE_DECLARE_DATA app_module;`: an attribute-like macro (upper
     * case) between a declaration's type and its name: an empty macro */
    if (m && !q && strcmp(m, "expected ';' after top level declarator") == 0 && df &&
        clang_File_isEqual(df, file) && off < f->len) {
      unsigned e = off;
      while (e > 0 && (f->src[e - 1] == ' ' || f->src[e - 1] == '\t'))
        e--;
      unsigned b = e;
      bool upper = true;
      for (; b > 0 && ident_char(f->src[b - 1]); b--)
        upper &= !(f->src[b - 1] >= 'a' && f->src[b - 1] <= 'z');
      char name[128];
      if (e > b && e - b < sizeof name && upper && !(f->src[b] >= '0' && f->src[b] <= '9')) {
        memcpy(name, f->src + b, e - b);
        name[e - b] = '\0';
        if (!prelude_has(p, name)) {
          char line[160];
          snprintf(line, sizeof line, "#define %s\n", name);
          prelude_add(p, line);
          il_array_push(&p->names, il_xstrdup(name));
          added++;
        }
      }
    }
    size_t n = 0;
    while (q && ident_char(q[n]))
      n++;
    if (q && n && n < 128 && q[n] == '\'' && df && clang_File_isEqual(df, file) &&
        off + n <= f->len) {
      char name[128];
      memcpy(name, q, n);
      name[n] = '\0';
      if (!prelude_has(p, name)) {
        const char *t = f->src + off + n, *end = f->src + f->len;
        while (t < end && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'))
          t++;
        char line[400];
        if (t < end && starts_type_word(t, end))
          snprintf(line, sizeof line, "#define %s\n", name); /* EMSCRIPTEN_KEEPALIVE int f() */
        else if (t < end && (*t == '*' || ident_char(*t)))
          snprintf(line, sizeof line, "typedef struct %s %s;\n", name, name);
        else if (t + 1 < end && t[0] == '-' && t[1] == '>')
          /* `http_server->conn`: a global of a missing header (its struct gets the
           * members used in a later round) */
          snprintf(line, sizeof line, "extern struct isolint_v_%s *%s;\n", name, name);
        else if (t + 1 < end && t[0] == '.' && ident_char(t[1]))
          snprintf(line, sizeof line, "extern struct isolint_v_%s %s;\n", name, name);
        else if (t + 1 < end && t[0] == '=' && t[1] != '=' && !declarator(f->src, off))
          snprintf(line, sizeof line, "extern void *%s;\n", name); /* `g_db = ...` */
        else
          snprintf(line, sizeof line, "enum { %s };\n", name);
        prelude_add(p, line);
        il_array_push(&p->names, il_xstrdup(name));
        added++;
      }
    } else if (q && n && n < 128 && q[n] == '\'' && df && !clang_File_isEqual(df, file) &&
               strncmp(m, "unknown type name '", 19) == 0) {
      /* a type of a missing library header used in a header of the program
       * (`extern PGconn *g_db;` in app.h): an opaque struct */
      char name[128], line[300];
      memcpy(name, q, n);
      name[n] = '\0';
      if (!prelude_has(p, name)) {
        snprintf(line, sizeof line, "typedef struct %s %s;\n", name, name);
        prelude_add(p, line);
        il_array_push(&p->names, il_xstrdup(name));
        added++;
      }
    }
    clang_disposeString(ms);
    clang_disposeDiagnostic(dg);
  }
  return added;
}

/* Syntax errors left after the prelude become f's syntax errors. Missing headers
 * and the type errors they cause (semantic issues) are expected without the
 * libraries' headers and are not reported. */
static void count_errors(CXTranslationUnit tu, il_facts *f, CXFile file) {
  unsigned nd = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < nd; i++) {
    CXDiagnostic dg = clang_getDiagnostic(tu, i);
    CXString ms = clang_getDiagnosticSpelling(dg);
    const char *m = clang_getCString(ms);
    CXFile df;
    unsigned line = 0, col = 0, off = 0;
    clang_getExpansionLocation(clang_getDiagnosticLocation(dg), &df, &line, &col, &off);
    CXString cs = clang_getDiagnosticCategoryText(dg);
    const char *cat = clang_getCString(cs);
    /* unknown names the prelude could not declare hide statements too */
    bool syntax = cat && (strcmp(cat, "Parse Issue") == 0 ||
                          strcmp(cat, "Lexical or Preprocessor Issue") == 0 ||
                          (m && (strncmp(m, "use of undeclared identifier", 28) == 0 ||
                                 strncmp(m, "unknown type name", 17) == 0)));
    clang_disposeString(cs);
    if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error && m && syntax &&
        !strstr(m, "file not found") && df && clang_File_isEqual(df, file) && off <= f->len) {
      if (!f->n_syntax_errors) {
        il_pos p = {line, col};
        f->first_syntax_error = (il_span){off, off, p, p};
      }
      f->n_syntax_errors++;
    }
    clang_disposeString(ms);
    clang_disposeDiagnostic(dg);
  }
}

/* ---- entry point -------------------------------------------------------------------- */

bool il_c_extract(il_facts *f, const il_config *cfg, char **err) {
  if (!il_c_available(err))
    return false;
  char real[PATH_MAX];
  char *abs;
  if (realpath(f->path, real))
    abs = il_xstrdup(real);
  else if (f->path[0] == '/')
    abs = il_xstrdup(f->path);
  else {
    char cwd[PATH_MAX];
    abs = il_xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", f->path);
  }
  arg_list args = {0};
  flags_for(cfg, abs, &args, &f->dropped_flags);
  add_arg(&args, "-include");
  add_arg(&args, PRELUDE_PATH);
  prelude pre = {0};
  prelude_add(&pre, "/* isolint: declarations of names the headers would give */\n");
  render_prelude(&pre);
  struct CXUnsavedFile un[2] = {{abs, f->src, (unsigned long)f->len},
                                {PRELUDE_PATH, pre.out, (unsigned long)pre.out_len}};
  CXIndex idx = clang_createIndex(0, 0);
  CXTranslationUnit tu = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing;
  enum CXErrorCode rc = clang_parseTranslationUnit2(idx, abs, (const char *const *)args.data,
                                                    (int)args.len, un, 2, opts, &tu);
  bool ok = rc == CXError_Success && tu;
  CXFile file = ok ? clang_getFile(tu, abs) : NULL;
  for (int round = 0; ok && file && round < MAX_PRELUDE_ROUNDS; round++) {
    if (!extend_prelude(tu, f, file, &pre))
      break;
    render_prelude(&pre);
    un[1].Contents = pre.out;
    un[1].Length = (unsigned long)pre.out_len;
    if (clang_reparseTranslationUnit(tu, 2, un, clang_defaultReparseOptions(tu)) != 0) {
      ok = false; /* the unit is invalid now: disposed below */
      rc = CXError_Failure;
      break;
    }
    file = clang_getFile(tu, abs);
  }
  if (ok && file) {
    walker w = {.f = f, .cfg = cfg, .file = file};
    count_errors(tu, f, file);
    clang_visitChildren(clang_getTranslationUnitCursor(tu), walk_top, &w);
    add_externs(&w);
    mark_entry_points(&w);
    scan_comments(f);
    il_array_free(&w.ctor_stack);
    il_array_free(&w.edges);
    il_array_free(&w.handler_fns);
    il_array_free(&w.boot_fns);
    il_array_free(&w.externs);
    il_array_free(&w.udata_locals);
    il_array_free(&w.udata_via);
  } else {
    ok = false;
    *err = il_xasprintf("libclang could not parse it (%s)",
                        rc == CXError_Crashed ? "the parser crashed" : "error");
  }
  if (tu)
    clang_disposeTranslationUnit(tu);
  clang_disposeIndex(idx);
  for (uint32_t i = 0; i < args.len; i++)
    free(args.data[i]);
  il_array_free(&args);
  prelude_free(&pre);
  free(abs);
  return ok;
}
