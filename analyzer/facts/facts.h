/* Facts: what a front-end extracts from one file, language-independent. Rules
 * are passes over facts and never see a syntax tree.
 *
 * A front-end fills the raw facts (names as written, scope ids); then
 * il_facts_resolve() binds names to declarations and callees to knowledge-base
 * rows (the `resolved` fields). Every string and array is owned by the file's
 * arena or the facts object and dies with il_facts_free(). */
#ifndef IL_FACTS_H
#define IL_FACTS_H

#include "base/common.h"
#include "base/finding.h"
#include "base/path.h"
#include "facts/kb.h"

typedef enum {
  IL_SCOPE_MODULE = 0, /* scope 0 is always the module */
  IL_SCOPE_FUNCTION,   /* function, arrow, method, constructor */
  IL_SCOPE_STATIC,     /* class static field initializer / static block */
} il_scope_kind;

typedef struct {
  int32_t parent; /* -1 for the module scope */
  il_scope_kind kind;
  bool at_load;       /* runs when the module is loaded: module scope, module-level IIFE,
                         static initializers of a class defined at load */
  bool is_handler;    /* entry point of a request: fetch, a route callback, a DO method... */
  bool is_instance;   /* constructor, instance method or instance field initializer */
  bool is_static;     /* static method or static initializer: `this` is the class */
  bool is_durable;    /* member of a Durable Object / WorkerEntrypoint class */
  bool once;          /* runs once per isolate without being a load-time scope: a setup
                         callback (`defineNitroPlugin(...)`), a function called at load
                         (set by value flow); its variables outlive every request */
  bool c_locks;       /* C: the function takes a lock (pthread_mutex_lock, a rwlock,
                         mtx_lock...): what it reads of shared state is guarded (C facts are
                         never cached: not in the codec) */
  int32_t class_decl; /* declaration of the enclosing class for members, else -1 */
  const char *name;   /* "fetch", "GET /users", "getDb", "<anonymous>" */
  il_span span;
  int32_t arg_of;     /* function given directly as an argument of this construction (or as a
                         property value of an object literal argument), -1 */
  int32_t cb_call;    /* function written as an argument of this call at load of a function
                         of the file (`init(() => ...)`): it runs at load when that function
                         calls its parameter (value flow: load_site), -1 */
  /* C: */
  bool is_boot;          /* main(), __attribute__((constructor)), a module/process init hook */
  int32_t reach_handler; /* a handler scope that calls this function (transitively), 0: none */
  int32_t reach_boot;    /* a boot-hook scope that calls this function (transitively), 0: none */
  /* value flow (resolved): */
  int32_t load_site; /* runs while the module loads: the call at load that leads here
                        (directly or through calls), an index into calls; -1 */
} il_scope;

typedef enum {
  IL_DECL_IMPORT,
  IL_DECL_CONST,
  IL_DECL_LET,
  IL_DECL_VAR,
  IL_DECL_FUNCTION,
  IL_DECL_CLASS,
  IL_DECL_PARAM,
  IL_DECL_FIELD, /* member binding: class static field "Class.field", an Effect service
                    class's "Class.Default", a module-level object namespace's "Ns.prop" */
} il_decl_kind;

typedef enum {
  IL_INIT_OTHER = 0,
  IL_INIT_NONE,         /* `let x;` / `= null` / `= undefined` */
  IL_INIT_CONTAINER,    /* `{}`, `[]`, `new Map()`, `new Set()`, `Object.create(null)` */
  IL_INIT_GLOBAL_ALIAS, /* `globalThis`, `global as unknown as {...}`, `self` */
} il_init_kind;

typedef struct {
  const char *name;
  il_span span;
  int32_t scope;
  il_decl_kind kind;
  il_init_kind init_kind;
  bool exported;
  /* imports (also `require`): */
  const char *module;   /* "pg" */
  const char *imported; /* "default", "*", or the export's name */
  bool type_only;
  bool is_durable;   /* IL_DECL_CLASS: extends DurableObject / WorkerEntrypoint */
  int32_t init_ctor; /* construction that initializes it (through await/??/||/?:), -1 */
  int32_t owner;     /* IL_DECL_FIELD: the class (or namespace const) declaration, else -1 */
  bool c_static;     /* C: a function-`static` local, which lives as long as the program */
  bool c_tls;        /* C: `_Thread_local` / `__thread` (file scope or function-static): one
                        per thread, reused by every request the thread serves (C facts are
                        never cached: not in the codec) */
  int32_t fn;        /* the function scope it names: a function declaration's own, or the
                        arrow / function expression initializing it; 0: none (scope 0 is
                        the module, never a function) */
} il_decl;

typedef struct {
  const char *root; /* callee's root identifier as written: "pg" in `new pg.Pool()` */
  const char *path; /* members after the root, dot-joined: "Pool"; "" when none */
  bool is_new;
  il_span span;       /* tight region: `new pg.Pool` / `postgres` */
  il_span full;       /* the whole expression */
  int32_t scope;
  int32_t outer;      /* innermost construction whose arguments contain this one, -1 */
  int32_t decl;       /* declaration it initializes, -1 */
  int32_t assign;     /* assignment whose value it is, -1 */
  bool global_fallback; /* `globalThis.x ?? new X()`: built when the global cache is empty */
  /* resolved: */
  const il_kb_row *client; /* NULL: not a client */
  const char *module;      /* module the callee was imported from */
  il_level level;          /* row level, or inherited from a wrapped client */
  int32_t inner;           /* for wrappers: the wrapped client construction that gave the level, -1 */
  int32_t wrapped_by;      /* client construction this one is passed into (directly or through a
                              binding), -1: such a client is reported at its wrapper */
  const char *from;        /* any imported callee: the module, else NULL */
  const char *export_path; /* with from: the export reached, "Layer.provide", "default" */
  /* value flow (analyzer/flow/): a call of a function that returns a client is given
   * that client (client, module, level above) and where it comes from: */
  bool local_call;    /* `makeSql()`: a call of an identifier that is not an import, recorded
                         only where a binding, assignment or return takes its value */
  uint8_t out_arg1;   /* C, with local_call: the record is what the call leaves in its
                         out_arg1-th argument (1-based, `open_db(&g)`); 0: the call's value
                         (C facts are never cached: not in the codec) */
  int32_t origin;     /* the construction in this file that builds the client, -1 */
  int32_t xorigin;    /* the xuse (another file) where it is built, -1 */
  const char *via;    /* the function whose call returns it ("makeSql"), NULL */
  bool program;       /* via returns no client but a program (an Effect) that builds one when
                         it runs: not a client for the rules about storage, the body of a
                         layer for boot-time-layer */
  bool held;          /* via is a call value flow knows nothing of, handed the client
                         (`new Wrapper(client)`, isolint.json "unknownCalls"): it holds it */
} il_ctor;


/* A node of an Effect-style composition: a call recorded as a construction
 * (imported callee root: `Layer.provide(...)`, `PgClient.layer(...)`) or a
 * `x.pipe(...)` call, and every identifier or such call that is a direct argument
 * of one (or the receiver of `.pipe`). Parents link arguments to their call, and
 * init_of links a module-level binding to its initializer, so a rule can follow a
 * layer from where it is built to its leaves without a syntax tree. */
typedef struct {
  bool is_name;      /* an identifier (name); else a call */
  bool is_pipe;      /* a call of `.pipe` */
  bool local_opts;   /* a call with an object argument holding `local: true` */
  const char *name;  /* is_name: the identifier */
  int32_t ctor;      /* a call: its construction record, -1 (a `.pipe` on a local) */
  il_span span;      /* the identifier, or the callee */
  int32_t scope;
  int32_t parent;    /* call node holding it as a direct argument or pipe receiver, -1 */
  int32_t arg_index; /* position among the parent's arguments; -1 for a pipe receiver */
  int32_t init_of;   /* module-level declaration whose initializer it is, -1 */
  /* resolved: */
  int32_t decl;      /* is_name: declaration of the name, -1 */
} il_lnode;

/* What a call does when it runs while the module loads (global scope), where
 * the Workers runtime rejects I/O, timers and randomness. */
typedef enum {
  IL_OP_NONE = 0,
  IL_OP_RANDOM,     /* crypto.randomUUID(), crypto.getRandomValues(), node:crypto random* */
  IL_OP_FETCH,      /* the global fetch() */
  IL_OP_CONNECT,    /* connect() from 'cloudflare:sockets' */
  IL_OP_TIMER,      /* setTimeout, setInterval (global or node:timers), AbortSignal.timeout */
  IL_OP_ABORT,      /* new AbortController() */
  IL_OP_BINDING,    /* awaited call on `env` from 'cloudflare:workers': env.KV.get() */
  IL_OP_EFFECT_RUN, /* Effect.runSync / runPromise (+ Exit variants, runFork) */
} il_load_op;

/* A call or construction whose callee is an identifier or a chain from one
 * (`a.b.c()`, `a.b().c()`). Recorded when it runs at load (its scope is at_load),
 * and, in any scope, when it may show that a program or a module binding does I/O
 * (a `fetch`/`connect` callee or an imported root) inside the arguments of an
 * Effect run call or the initializer of a module-level declaration. */
typedef struct {
  const char *root; /* root identifier as written: "crypto", "globalThis", "env" */
  const char *path; /* members after the root, dot-joined; "()" marks a call in the
                       chain: "randomUUID", "KV.get", "DB.prepare().all"; "" when none */
  bool is_new;
  bool awaited; /* the operand of `await` (through parentheses and casts) */
  il_span span; /* tight region: the callee (`crypto.randomUUID`) / `new AbortController` */
  il_span full; /* the whole expression */
  int32_t scope;
  int32_t in_run;       /* innermost recorded Effect-run candidate whose arguments hold it, -1 */
  int32_t init_of;      /* module-level declaration whose initializer holds it, -1 */
  int32_t ctor;         /* the construction record of the same expression, -1 */
  const char *arg_root; /* run candidates: root identifier of the first argument, NULL */
  /* resolved: */
  int32_t decl;            /* declaration of root, -1: a global (or unknown) name */
  const char *module;      /* root is imported from this module, else NULL */
  const char *export_path; /* with module: the export reached, "connect", "Effect.runSync" */
  il_load_op op;
  int32_t io_call; /* run candidates: a call showing the program does I/O, -1 */
  int32_t io_decl; /* ... reached through this module-level binding (the argument), -1 */
  int32_t xstep;   /* an imported function whose call does op in another file (value
                      flow): the xuse where it does it, -1 */
} il_call;

/* What a function returns: the value of `return v;` or of an arrow function's
 * expression body (value flow reads it to summarize the function). */
typedef struct {
  int32_t scope;          /* the function */
  il_span span;           /* the returned expression */
  int32_t value_ctor;     /* construction (or call, local_call) that is the value, -1 */
  const char *value_name; /* identifier that is the value, NULL */
  /* resolved: */
  int32_t value_decl; /* declaration of value_name, -1 */
} il_ret;

/* A function of this file that returns a client, as the cross-file pass reads it
 * after the file's facts are cut down (value flow, phase 1). */
typedef struct {
  int32_t decl;            /* module-level declaration of the function */
  const il_kb_row *client; /* what it returns, NULL: what import returns */
  const char *module;
  il_level level;
  il_span origin;          /* where the client is built (in this file) */
  uint32_t start_col16, end_col16; /* its UTF-16 columns (taken while the text is known) */
  const char *message;     /* "'postgres' built here, returned by 'makeSql'" */
  int32_t import;          /* client NULL: it returns what this imported function returns */
  uint8_t import_arg1;     /* C, with import: ... what it leaves in this (1-based) argument */
  const char *member;      /* ... `import.member` of a namespace import, else NULL */
  uint8_t out_arg1;        /* C: the client is left in this (1-based) parameter, not returned */
  /* what calling it does while the module loads, when called then (global-scope-io) */
  il_load_op op;           /* IL_OP_NONE: nothing */
  il_span op_span;         /* the operation (in this file) */
  uint32_t op_col16, op_end_col16;
  const char *op_message;  /* "'fetch()' here, in 'loadConfig'" */
} il_fsum;

/* An imported function that returns a client in the file it comes from (filled by
 * the cross-file pass): calls of decl (or of `decl.member`) are given the client. */
typedef struct {
  int32_t decl;       /* the import declaration in this file; C: the extern declaration */
  const char *member; /* `ns.makeDb` of a namespace import, else NULL; C: the function's
                         name (linked by external name) */
  const il_kb_row *client;
  const char *module;
  il_level level;
  int32_t step;       /* index into xuses: where it is built */
  uint8_t out_arg1;   /* C: calls leave the client in this (1-based) argument; 0: return */
  il_load_op op;      /* what calling it does (IL_OP_NONE: nothing), client NULL or not */
  int32_t op_step;    /* index into xuses: where it does it, -1 */
} il_xcall;

typedef enum {
  IL_TARGET_NAME,   /* x = ... */
  IL_TARGET_MEMBER, /* root.prop = ...; root may be globalThis, an alias, a class, a container */
  IL_TARGET_THIS,   /* this.prop = ... */
} il_target_kind;

typedef enum {
  IL_ASSIGN_EQ,      /* =  (also `x = x || v`) */
  IL_ASSIGN_NULLISH, /* ??= */
  IL_ASSIGN_OR,      /* ||= */
  IL_ASSIGN_SET,     /* container.set(key, value) */
} il_assign_op;

typedef struct {
  il_assign_op op;
  il_target_kind target;
  const char *root; /* NAME: the name; MEMBER: root identifier; THIS: NULL */
  const char *prop; /* MEMBER/THIS: first property ("prisma"); NAME: NULL */
  il_span span;     /* tight region: the target expression */
  int32_t scope;
  int32_t value_ctor;     /* construction that is the value, -1 */
  const char *value_name; /* identifier that is the value (`cache = client`), NULL */
  /* resolved: */
  int32_t decl;       /* NAME: declaration of the name; MEMBER: declaration of the root; -1 */
  int32_t value_decl; /* declaration of value_name, -1 */
  bool global;        /* target is a property of the global object */
} il_assign;

typedef struct {
  const char *name; /* not NUL-terminated: points into the source text until
                       il_facts_detach(), then into the arena (one copy per name) */
  uint32_t name_len : 31;
  uint32_t called : 1; /* the callee of a call (`init()`): an edge of the call graph */
  il_span span;
  int32_t scope;
  int32_t in_ctor; /* innermost construction whose arguments hold it, -1 */
  int32_t decl;    /* resolved declaration, -1 for globals and unknowns */
} il_ref;

typedef struct {
  const char *root; /* "globalThis", or an alias name */
  const char *prop;
  il_span span;
  int32_t scope;
  bool global; /* resolved: root really is the global object (not shadowed) */
} il_global_read;

typedef enum {
  IL_SUP_LINE = 0, /* isolint-disable-line / isolint-disable-next-line (next_line) */
  IL_SUP_BLOCK,    /* isolint-disable: from its line to the next isolint-enable naming one of
                      its rules (or none), else to the end of the file */
  IL_SUP_ENABLE,   /* isolint-enable: ends the blocks before it */
  IL_SUP_UNKNOWN,  /* isolint-<something else>: reported, never applied */
} il_sup_kind;

typedef struct {
  il_sup_kind kind;
  bool next_line; /* isolint-disable-next-line (else isolint-disable-line) */
  uint32_t line;  /* line it applies to (a block: its first line) */
  uint32_t end_line; /* resolved, a block: its last line */
  const char *word;  /* IL_SUP_UNKNOWN: the directive as written ("isolint-disable-file") */
  il_span span;   /* the comment */
  const char *rules[8];
  uint32_t n_rules; /* 0: all rules */
  const char *reason; /* text after `--`, NULL if none */
  bool used;
} il_suppression;

/* An export statement that names what it exports (cross-file analysis):
 *   export { a as b }            name "b", local "a", module NULL
 *   export default a             name "default", local "a", module NULL
 *   export { x as y } from "m"   name "y", local "x" (the source's export), module "m"
 *   export * from "m"            name "*", local "*", module "m"
 *   export * as ns from "m"      name "ns", local "*", module "m"
 * Declarations exported in place (`export const db = ...`) are il_decl.exported. */
typedef struct {
  const char *name;
  const char *local;
  const char *module;
  bool type_only;
  il_span span;
} il_export;

/* A use of one of this file's module-level declarations in another file of the
 * scan (filled by the cross-file pass): a related location with its own path and
 * UTF-16 columns already computed against that file's text. */
typedef struct {
  int32_t decl;       /* the declaration used (in this file) */
  const char *path;   /* display path of the file holding the use */
  il_span span;
  uint32_t start_col16, end_col16;
  const char *message; /* "used in request handler 'fetch'" */
  bool in_handler;
  bool through;        /* decl is a function of this file, called by request-handler code of
                          the other file: the use stands for what that function reads
                          ("used by request handler 'fetch' through 'getUser()'") */
} il_xuse;

/* An imported binding that is, in the file of the scan it comes from, an Effect
 * layer that acquires I/O (filled by the cross-file pass for boot-time-layer).
 * Its steps are entries of this file's xuses (decl -1) in another file: where the
 * layer acquires I/O first, then the compositions on the way to the export. */
enum { IL_XLAYER_STEPS = 4 };
typedef struct {
  int32_t decl;       /* the import declaration in this file */
  const char *member; /* NULL: the imported binding; "Live": its member `Imported.Live` (a
                         static field of an imported class, an export of a namespace import) */
  il_level level;
  const char *desc; /* "layer 'DbLive' ('Layer.scoped')" */
  const char *note; /* "whose body builds a 'postgres' from 'postgres'" */
  int32_t steps[IL_XLAYER_STEPS]; /* indices into xuses */
  uint32_t n_steps;
} il_xlayer;

/* A run of non-ASCII bytes of a detached file's text, kept so that UTF-16
 * columns can still be computed (il_facts_col16). */
typedef struct {
  uint32_t start, len; /* byte offset and length in the text */
  const char *bytes;   /* in the arena */
} il_wide_run;

/* The member read right after a reference (`ns.pool`, `ns?.pool`), recorded by
 * il_facts_detach() for references named like an import (the cross-file pass
 * follows namespace imports through it). */
typedef struct {
  uint32_t ref;
  const char *member; /* in the arena */
} il_ref_member;

/* C: a member of a struct named in a function (`app->db`, `s.conn = ...`), by the
 * struct's type: written (an assignment; value flow says whether it gets a handle),
 * or read through what may reach a struct every request shares: a handler's
 * user-data pointer (a `void *` parameter, `c->fn_data`, `mg_get_user_data()`, or a
 * local taken from one) or a file-scope or function-static variable. (C facts are
 * never cached: not in the codec.) */
typedef struct {
  const char *tag;    /* the struct's type, canonical: "struct app" */
  const char *member; /* "db" */
  const char *via;    /* a read: "its user-data pointer 'cbdata'", "file-scope 'g_app'";
                         a write: the target's text, "app->db" (NULL: too long) */
  il_span span;       /* the member expression */
  int32_t scope;
  int32_t assign;     /* a write: its assignment; -1: a read */
} il_c_member;

/* il_facts.entry_hints (project/target.c makes such modules entry points):
 *   IL_HINT_EDGE    `export const runtime = "edge"` (a Next.js route segment config)
 *   IL_HINT_ROUTER  its default export is a router app: `export default app` with
 *                   `const app = new Hono()` (hono, @hono/zod-openapi's OpenAPIHono) or
 *                   itty-router's `Router()` / `AutoRouter()` / `IttyRouter()`
 *   IL_HINT_FETCH   its default export is an object with a fetch handler */
enum { IL_HINT_EDGE = 1, IL_HINT_ROUTER = 2, IL_HINT_FETCH = 4 };

typedef struct il_facts {
  const char *path; /* as given to the front-end */
  il_lang lang;
  const char *src;  /* source text (not NUL-terminated in general); NULL once detached */
  size_t len;
  /* after il_facts_detach(): what phases 2-3 need from the text */
  bool detached;
  uint64_t src_hash;            /* il_text_hash of the text, to recognise it when re-read */
  IL_ARRAY(il_wide_run) wide;   /* its non-ASCII runs, for UTF-16 columns */
  IL_ARRAY(il_ref_member) ref_members;
  il_arena *arena;
  IL_ARRAY(il_scope) scopes;
  IL_ARRAY(il_decl) decls;
  IL_ARRAY(il_ctor) ctors;
  IL_ARRAY(il_assign) assigns;
  IL_ARRAY(il_ref) refs;
  IL_ARRAY(il_call) calls;
  IL_ARRAY(il_global_read) greads;
  IL_ARRAY(il_lnode) lnodes;
  IL_ARRAY(il_suppression) suppressions;
  IL_ARRAY(const char *) handler_names; /* module functions named as handlers elsewhere
                                           (`export default { fetch }`) */
  uint32_t n_syntax_errors;
  uint8_t entry_hints; /* IL_HINT_*: what makes the module a Worker's entry point wherever it is */
  il_span first_syntax_error;
  int32_t *symtab; /* resolve's (scope, name) -> declaration hash table */
  uint32_t symtab_cap;
  /* cross-file analysis (additive): */
  IL_ARRAY(il_export) exports; /* export statements naming what they export */
  IL_ARRAY(il_xuse) xuses;     /* uses of this file's declarations in other files */
  IL_ARRAY(il_xlayer) xlayers; /* imported bindings that are I/O layers elsewhere */
  IL_ARRAY(il_ret) rets;       /* return values (value flow) */
  IL_ARRAY(il_fsum) fsums;     /* functions returning a client (value flow, phase 1) */
  IL_ARRAY(il_xcall) xcalls;   /* imported functions returning a client (cross-file pass) */
  IL_ARRAY(il_c_member) c_members; /* C: struct members written and shared reads of them */
  bool bound;                  /* il_facts_bind() ran */
  bool imports_rewritten;      /* the cross-file pass changed an import's module */
  /* limits (analyze.c): the parse budget given to the front-end, 0 none; set when it ran out */
  uint64_t parse_timeout_us;
  bool timed_out;
  uint8_t unknown_calls; /* il_hold (base/config.h), from the knowledge base by
                            il_facts_resolve: a control of value flow, not a fact */
  char *dropped_flags; /* C: compile_commands.json flags refused for safety (malloc'd), or NULL */
} il_facts;

/* A fast 64-bit hash of a text (not for security); *non_ascii is set when a byte
 * is >= 0x80. */
uint64_t il_text_hash(const char *s, size_t n, bool *non_ascii);

/* Makes f independent of its source text, which may then be freed: reference
 * names are copied into the arena (once per distinct name), the member read after
 * each reference named like an import is recorded, and the text's hash is kept, with
 * its non-ASCII runs when columns (false: no UTF-16 column will be taken in f).
 * f->src becomes NULL; f->len is kept. */
void il_facts_detach(il_facts *f, bool columns);

/* Frees what only the rules read: constructions, assignments, calls, global reads,
 * layer nodes, suppressions, and the references (but, with import_refs, those that
 * name an import: the cross-file pass follows them). Scopes, declarations and
 * exports (and the symbol table) stay, for the cross-file pass. With layers, the
 * constructions and layer nodes stay too, and the references inside a construction's
 * arguments that name a declaration initialized by a construction (what resolution
 * reads to give a wrapper client the level of what it wraps): the cross-file pass
 * resolves them and summarizes the layers f exports. */
void il_facts_reduce(il_facts *f, bool import_refs, bool layers);

/* Drops the references that name no declaration (globals, unknown names): nothing
 * reads them, since their resolved declaration is -1 in every phase (the symbol
 * table does not change after il_facts_bind). The order of the others is kept. */
void il_facts_drop_unbound_refs(il_facts *f);

/* The UTF-16 column (1-based) of byte_col bytes after the line start at byte
 * offset line_start, as il_utf16_col() would count them on the text. Works on a
 * detached f. */
uint32_t il_facts_col16(const il_facts *f, uint32_t line_start, uint32_t byte_col,
                        bool first_line);

/* The next run of bytes >= 0x80 in s[*i, len): true with the run [*start, *i), false
 * (and *i = len) when there is none. What il_facts_detach() keeps as f->wide. */
bool il_next_wide_run(const char *s, size_t len, size_t *i, size_t *start);
/* The member recorded after reference ref by il_facts_detach(), or NULL. */
const char *il_facts_ref_member(const il_facts *f, uint32_t ref);
/* The member read right after byte p of src (`.pool`, `?.pool`, spaces allowed around the
 * dot): true with its bytes [*start, *end). */
bool il_member_at(const char *src, size_t len, size_t p, size_t *start, size_t *end);

/* A new, empty facts object over src (borrowed; must outlive the facts), with the
 * module scope already pushed as scope 0. */
il_facts *il_facts_new(const char *path, il_lang lang, const char *src, size_t len);
void il_facts_free(il_facts *f); /* NULL is a no-op */

/* A comment of f's source at span (`// ...` or a block comment): records it as an
 * il_suppression when its first word is isolint-disable-line or
 * isolint-disable-next-line (rule ids, then `-- reason`). Shared by the front-ends. */
void il_facts_comment(il_facts *f, il_span span);

/* The name-binding half of resolution, which needs nothing from other files:
 * builds the symbol table and marks handlers named elsewhere in the file.
 * Idempotent; il_facts_resolve() calls it when needed. */
void il_facts_bind(il_facts *f);
/* The declaration a ref names (after il_facts_bind), -1 for globals and unknowns. */
int32_t il_facts_ref_decl(const il_facts *f, const il_ref *r);

/* Binds refs, assignment targets and declarations' names to declarations, and
 * constructions to knowledge-base rows. Linear in the number of facts. */
void il_facts_resolve(il_facts *f, const il_kb *kb);

/* After value flow gave clients to calls (il_ctor.local_call, imported functions):
 * relates references and wrappers to them again, as il_facts_resolve() does. */
void il_facts_relink(il_facts *f);

/* The declaration `name` resolves to from `scope`, or -1. Valid after resolve. */
int32_t il_facts_lookup(const il_facts *f, int32_t scope, const char *name);
/* The member binding "Owner.prop" (IL_DECL_FIELD) of declaration owner, or -1. */
int32_t il_facts_member(const il_facts *f, int32_t owner, const char *prop);
/* Nearest enclosing scope (itself included) that is a request handler, or -1. */
int32_t il_facts_handler_of(const il_facts *f, int32_t scope);
/* C: the request handler scope s runs for: an enclosing handler, or the handler that
 * calls its function (il_scope.reach_handler), or -1. */
int32_t il_facts_c_handler_of(const il_facts *f, int32_t s);
/* C: the outermost function around scope s (a handler's own scope stops the climb). */
int32_t il_facts_c_function_of(const il_facts *f, int32_t s);
/* Nearest enclosing function scope that is not run at load, or -1 (runs at load). */
int32_t il_facts_function_of(const il_facts *f, int32_t scope);
/* Does this call (or construction) do I/O: a resolved fetch or connect, or a
 * knowledge-base client construction? Valid after resolve. */
bool il_facts_call_does_io(const il_facts *f, const il_call *c);

/* A related location: where the state is read back, used in a handler, wrapped... */
typedef struct {
  il_span span;
  const char *message; /* short plain text: "used in handler 'fetch'" */
} il_rel;

/* A location in f's text (UTF-16 columns). */
il_location il_make_location(const il_facts *f, il_span s);
/* A location in file `at` (display path `display`) as a use another file's facts keep:
 * the path copied into that file's arena `into`, the columns taken in `at`; decl -1,
 * no message. */
il_xuse il_xuse_at(const il_facts *at, il_span span, il_arena *into, const char *display);

#endif
