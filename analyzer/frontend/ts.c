/* TypeScript/JavaScript front-end: one iterative tree-sitter cursor walk per
 * file lowers the syntax tree to facts (facts/facts.h). No recursion anywhere, so
 * a 60 000-deep expression cannot overflow the stack; memory is the file's
 * arena plus a few growable stacks. */
#define _GNU_SOURCE 1 /* memmem */
#include "frontend/frontend.h"
#include "frontend/ts_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

/* Node kinds the walk cares about; everything else is K_NONE. */
enum {
  K_NONE = 0,
  K_IMPORT,
  K_LEXDECL,
  K_VARDECL,
  K_DECLARATOR,
  K_NEW,
  K_CALL,
  K_MEMBER,
  K_SUBSCRIPT,
  K_PAREN,
  K_AS,
  K_SATISFIES,
  K_NONNULL,
  K_TYPE_ASSERT,
  K_AWAIT,
  K_ASSIGN,
  K_AUG_ASSIGN,
  K_BINARY,
  K_TERNARY,
  K_FUNC_DECL,
  K_FUNC_EXPR,
  K_ARROW,
  K_RETURN,
  K_METHOD,
  K_CLASS_DECL,
  K_CLASS,
  K_FIELD,
  K_STATIC_BLOCK,
  K_EXPORT,
  K_IDENT,
  K_SHORTHAND_PROP,
  K_SHORTHAND_PAT,
  K_OBJ_PATTERN,
  K_ARR_PATTERN,
  K_REST_PATTERN,
  K_ASSIGN_PATTERN,
  K_PAIR_PATTERN,
  K_COMMENT,
  K_ERROR,
  K_STRING,
  K_THIS,
  K_OBJECT,
  K_ARRAY,
  K_PAIR,
  K_ARGUMENTS,
  K_FORMAL_PARAMS,
  K_REQ_PARAM,
  K_OPT_PARAM,
  K_CATCH,
  K_HERITAGE,
  K_EXTENDS,
  K_NULL,
  K_UNDEFINED,
  K_JSX,       /* jsx_element, jsx_fragment: only the ERROR check asks */
  K_TYPE_SKIP, /* type annotations and declarations: never descended */
  K_COUNT
};

static const struct {
  const char *name;
  uint8_t kind;
} kind_names[] = {
    {"import_statement", K_IMPORT},
    {"lexical_declaration", K_LEXDECL},
    {"variable_declaration", K_VARDECL},
    {"variable_declarator", K_DECLARATOR},
    {"new_expression", K_NEW},
    {"call_expression", K_CALL},
    {"member_expression", K_MEMBER},
    {"subscript_expression", K_SUBSCRIPT},
    {"parenthesized_expression", K_PAREN},
    {"as_expression", K_AS},
    {"satisfies_expression", K_SATISFIES},
    {"non_null_expression", K_NONNULL},
    {"type_assertion", K_TYPE_ASSERT},
    {"await_expression", K_AWAIT},
    {"assignment_expression", K_ASSIGN},
    {"augmented_assignment_expression", K_AUG_ASSIGN},
    {"binary_expression", K_BINARY},
    {"ternary_expression", K_TERNARY},
    {"function_declaration", K_FUNC_DECL},
    {"generator_function_declaration", K_FUNC_DECL},
    {"function_expression", K_FUNC_EXPR},
    {"function", K_FUNC_EXPR},
    {"generator_function", K_FUNC_EXPR},
    {"arrow_function", K_ARROW},
    {"return_statement", K_RETURN},
    {"method_definition", K_METHOD},
    {"class_declaration", K_CLASS_DECL},
    {"abstract_class_declaration", K_CLASS_DECL},
    {"class", K_CLASS},
    {"public_field_definition", K_FIELD},
    {"field_definition", K_FIELD},
    {"class_static_block", K_STATIC_BLOCK},
    {"export_statement", K_EXPORT},
    {"identifier", K_IDENT},
    {"shorthand_property_identifier", K_SHORTHAND_PROP},
    {"shorthand_property_identifier_pattern", K_SHORTHAND_PAT},
    {"object_pattern", K_OBJ_PATTERN},
    {"array_pattern", K_ARR_PATTERN},
    {"rest_pattern", K_REST_PATTERN},
    {"assignment_pattern", K_ASSIGN_PATTERN},
    {"object_assignment_pattern", K_ASSIGN_PATTERN},
    {"pair_pattern", K_PAIR_PATTERN},
    {"comment", K_COMMENT},
    {"html_comment", K_COMMENT},
    {"ERROR", K_ERROR},
    {"string", K_STRING},
    {"regex", K_STRING},
    {"this", K_THIS},
    {"object", K_OBJECT},
    {"array", K_ARRAY},
    {"pair", K_PAIR},
    {"arguments", K_ARGUMENTS},
    {"formal_parameters", K_FORMAL_PARAMS},
    {"required_parameter", K_REQ_PARAM},
    {"optional_parameter", K_OPT_PARAM},
    {"catch_clause", K_CATCH},
    {"class_heritage", K_HERITAGE},
    {"extends_clause", K_EXTENDS},
    {"null", K_NULL},
    {"undefined", K_UNDEFINED},
    {"jsx_element", K_JSX},
    {"jsx_fragment", K_JSX},
    {"type_annotation", K_TYPE_SKIP},
    {"type_arguments", K_TYPE_SKIP},
    {"type_parameters", K_TYPE_SKIP},
    {"type_alias_declaration", K_TYPE_SKIP},
    {"interface_declaration", K_TYPE_SKIP},
    {"ambient_declaration", K_TYPE_SKIP},
    {"implements_clause", K_TYPE_SKIP},
    {"predefined_type", K_TYPE_SKIP},
    {"type_identifier", K_TYPE_SKIP},
};

/* Per-grammar tables, built once. */
typedef struct {
  const TSLanguage *lang;
  uint8_t *kind_of; /* by symbol */
  uint32_t n_symbols;
  TSFieldId f_name, f_value, f_left, f_right, f_operator, f_object, f_property, f_index,
      f_constructor, f_function, f_arguments, f_body, f_parameters, f_parameter, f_pattern,
      f_source, f_alias, f_key, f_consequence, f_alternative, f_declaration;
} langinfo;

static langinfo ts_info, tsx_info;
static pthread_once_t info_once = PTHREAD_ONCE_INIT;

static void info_build(langinfo *L, const TSLanguage *lang) {
  L->lang = lang;
  L->n_symbols = ts_language_symbol_count(lang);
  L->kind_of = il_xcalloc(L->n_symbols, 1);
  for (uint32_t s = 0; s < L->n_symbols; s++) {
    const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
    if (!name)
      continue;
    bool named = ts_language_symbol_type(lang, (TSSymbol)s) == TSSymbolTypeRegular;
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
      if (strcmp(name, kind_names[i].name) == 0) {
        /* "function" is both a keyword and (in older grammars) a node: keep named only */
        if (named || kind_names[i].kind == K_ERROR)
          L->kind_of[s] = kind_names[i].kind;
        break;
      }
  }
#define FIELD(v, n) L->v = ts_language_field_id_for_name(lang, n, (uint32_t)strlen(n))
  FIELD(f_name, "name");
  FIELD(f_value, "value");
  FIELD(f_left, "left");
  FIELD(f_right, "right");
  FIELD(f_operator, "operator");
  FIELD(f_object, "object");
  FIELD(f_property, "property");
  FIELD(f_index, "index");
  FIELD(f_constructor, "constructor");
  FIELD(f_function, "function");
  FIELD(f_arguments, "arguments");
  FIELD(f_body, "body");
  FIELD(f_parameters, "parameters");
  FIELD(f_parameter, "parameter");
  FIELD(f_pattern, "pattern");
  FIELD(f_source, "source");
  FIELD(f_alias, "alias");
  FIELD(f_key, "key");
  FIELD(f_consequence, "consequence");
  FIELD(f_alternative, "alternative");
  FIELD(f_declaration, "declaration");
#undef FIELD
}

static void info_init(void) {
  /* before the first parser: tree-sitter's small blocks come from per-thread pools */
  ts_set_allocator(ts_pool_malloc, ts_pool_calloc, ts_pool_realloc, ts_pool_free);
  info_build(&ts_info, tree_sitter_typescript());
  info_build(&tsx_info, tree_sitter_tsx());
}

/* ---- walker state ---------------------------------------------------------------- */

typedef enum {
  FR_SCOPE,    /* a = previous scope */
  FR_CTOR,     /* a = previous innermost construction */
  FR_VALUE,    /* a = previous value frame index */
  FR_CLASS,    /* a = previous class frame index */
  FR_DECLKIND, /* a = previous declaration kind */
  FR_PATTERN,  /* a = previous pattern declaration kind (+1), 0 = none */
  FR_EXPORT,   /* a = previous export flag */
  FR_RUN,      /* a = previous innermost Effect-run candidate */
  FR_MODINIT,  /* a = previous module-level declaration being initialized */
} frame_kind;

typedef struct {
  frame_kind kind;
  uint32_t depth;
  int32_t a; /* what to restore on leaving */
  int32_t b; /* FR_CLASS: the class declaration */
} frame;

enum { MAX_CAND = 6 };
typedef struct {
  const void *ids[MAX_CAND];
  bool gfb[MAX_CAND]; /* candidate is the fallback of a global-object read */
  uint32_t n;
  int32_t decl, assign;
  int32_t ret; /* the return value (il_ret) it is, -1 */
} value_slot;

typedef struct {
  const void *id; /* function node */
  uint32_t owner_depth;
  const char *name;
  bool handler, iife;
  int32_t decl;    /* the declaration it initializes, -1 */
  int32_t cb_call; /* handed to this call record at load (il_scope.cb_call), -1 */
} pending;

typedef struct {
  const void *id; /* the arguments node of a construction or an Effect-run candidate */
  int32_t ctor;   /* construction, or -1 */
  int32_t run;    /* call record of a run candidate, or -1 */
  uint32_t owner_depth;
} ctor_args;

/* A direct argument (or pipe receiver) that is a call, waiting to be entered so
 * its composition node can name its parent. Pushed in reverse order, so the next
 * one entered is always on top. */
typedef struct {
  const void *id;
  int32_t parent; /* composition node */
  int32_t index;  /* argument position, -1 for a pipe receiver */
  uint32_t owner_depth;
} lslot;

/* A call that initializes a member binding (`Db.Live` of an object-literal
 * namespace, the layer of an Effect.Service class): its composition node takes
 * the binding as init_of when entered. Pushed in reverse order, like lslot. */
typedef struct {
  const void *id;
  int32_t decl; /* the IL_DECL_FIELD declaration */
  uint32_t owner_depth;
} fslot;

typedef struct {
  il_facts *f;
  const langinfo *L;
  const char *src;
  IL_ARRAY(frame) frames;
  IL_ARRAY(value_slot) values;
  IL_ARRAY(pending) pend;
  IL_ARRAY(ctor_args) args;
  IL_ARRAY(lslot) lslots;
  IL_ARRAY(fslot) fslots;
  IL_ARRAY(uint8_t) kinds; /* kind of the node at each depth of the current path */
  IL_ARRAY(uint32_t) left;  /* siblings after the node at each depth of the current path */
  IL_ARRAY(const char *) import_names;
  IL_ARRAY(const char *) alias_names;
  int32_t scope, ctor, value, klass;
  const void *callee; /* the identifier callee of the call entered last: its ref is `called` */
  int32_t run;      /* innermost Effect-run candidate whose arguments hold the node, -1 */
  int32_t mod_init; /* module-level declaration whose initializer holds the node, -1 */
  il_decl_kind decl_kind;
  int32_t pattern_kind; /* il_decl_kind + 1 while inside a declaration pattern, else 0 */
  bool exporting;
  const TSTreeCursor *cur; /* the walk's cursor: field ids are read from it on demand */
  TSTreeCursor aux;        /* a spare cursor for named_children */
  uint32_t hi; /* >= the depth of every stack top leave() looks at: it skips below */
} walker;

/* The field the current node fills in its parent (0: none). Only asked for the
 * few node kinds that need it: the lookup is not free. */
static TSFieldId cur_field(const walker *w) { return ts_tree_cursor_current_field_id(w->cur); }

static il_span span_of(TSNode n) {
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  il_span sp = {ts_node_start_byte(n), ts_node_end_byte(n), {s.row + 1, s.column + 1},
                {e.row + 1, e.column + 1}};
  return sp;
}

static il_span span_join(il_span a, il_span b) {
  il_span s = a;
  s.end_byte = b.end_byte;
  s.end = b.end;
  return s;
}

static uint8_t kind(const walker *w, TSNode n) {
  TSSymbol s = ts_node_symbol(n);
  if (s == (TSSymbol)-1) /* ts_builtin_sym_error: outside the language's symbol table */
    return K_ERROR;
  return s < w->L->n_symbols ? w->L->kind_of[s] : K_NONE;
}

static const char *text(walker *w, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return il_arena_strndup(w->f->arena, w->src + a, b - a);
}

/* Is the source text [a, b) exactly s? The first byte is compared before strlen:
 * most candidates of a name list differ there. */
static bool range_is(const walker *w, uint32_t a, uint32_t b, const char *s) {
  if (a == b)
    return s[0] == '\0';
  if (s[0] != w->src[a])
    return false;
  size_t len = strlen(s);
  return b - a == len && memcmp(w->src + a, s, len) == 0;
}

static bool text_is(const walker *w, TSNode n, const char *s) {
  return range_is(w, ts_node_start_byte(n), ts_node_end_byte(n), s);
}

static bool text_in(const walker *w, TSNode n, const char *const *set) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  for (; *set; set++)
    if (range_is(w, a, b, *set))
      return true;
  return false;
}

/* ---- source-text pre-checks --------------------------------------------------------
 * A node lookup costs hundreds of instructions in tree-sitter; these read the source
 * instead, to rule out cheaply what most nodes are not. Each only ever answers "not
 * one of these names" when that is certain: a token that is not plain ASCII, or that
 * a wrapper may precede, answers "maybe". Debug builds check every "no" against the
 * lookups it saves. */

/* May the identifier token that starts at byte a be one of set[0..len) (or of the
 * NULL-terminated set2)? A node whose first child is its operand, after any of
 * core()'s wrappers, starts with that operand: `x`, `x as T`, `x!`, `x satisfies T`
 * all start with x. A start that is not an identifier (a parenthesis, `<T>x`) or is
 * `await` answers maybe. */
static bool head_may_be(const walker *w, uint32_t a, const char *const *set, uint32_t len,
                        const char *const *set2) {
  const char *src = w->src;
  uint32_t end = (uint32_t)w->f->len, b = a;
  if (a >= end || !il_js_ident_ascii((unsigned char)src[a]) || (src[a] >= '0' && src[a] <= '9'))
    return true;
  while (b < end && il_js_ident_ascii((unsigned char)src[b]))
    b++;
  if (b < end && ((unsigned char)src[b] >= 0x80 || src[b] == '\\'))
    return true; /* the token goes on past ASCII */
  if (range_is(w, a, b, "await"))
    return true;
  for (uint32_t i = 0; i < len; i++)
    if (range_is(w, a, b, set[i]))
      return true;
  for (; set2 && *set2; set2++)
    if (range_is(w, a, b, *set2))
      return true;
  return false;
}

/* May the identifier token that ends at byte b (a member expression's property: its
 * last token) be one of the NULL-terminated set? */
static bool tail_may_be(const walker *w, uint32_t b, const char *const *set) {
  const char *src = w->src;
  uint32_t a = b;
  while (a > 0 && il_js_ident_ascii((unsigned char)src[a - 1]))
    a--;
  /* a token that starts before the ASCII run (`x.\u0073et`, a non-ASCII letter) is
   * none of the ASCII names: the run's answer stands for it */
  for (; *set; set++)
    if (range_is(w, a, b, *set))
      return true;
  return false;
}

/* The contents of a string literal node (without quotes), or NULL. */
static const char *string_value(walker *w, TSNode n) {
  if (ts_node_is_null(n) || kind(w, n) != K_STRING)
    return NULL;
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b - a < 2)
    return NULL;
  return il_arena_strndup(w->f->arena, w->src + a + 1, b - a - 2);
}

/* A quoted string whose contents are an identifier ("fetch"): no escapes, no spaces. */
static bool plain_name_string(const walker *w, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b - a < 3 || (w->src[a] != '"' && w->src[a] != '\'') || w->src[b - 1] != w->src[a])
    return false;
  for (uint32_t i = a + 1; i < b - 1; i++) {
    unsigned char ch = (unsigned char)w->src[i];
    if (!(ch == '_' || ch == '$' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
          (ch >= 'A' && ch <= 'Z')))
      return false;
  }
  return !(w->src[a + 1] >= '0' && w->src[a + 1] <= '9');
}

static bool span_name_in(const walker *w, TSNode n, const char *const *names, uint32_t len) {
  if (!len)
    return false;
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  for (uint32_t i = 0; i < len; i++)
    if (range_is(w, a, b, names[i]))
      return true;
  return false;
}

/* The first `max` named children of n into out; returns how many n has in all.
 * A long list takes one cursor pass: ts_node_named_child(n, i) walks from the
 * first child on every call, so a loop over i is quadratic in its length. */
static uint32_t named_children(walker *w, TSNode n, TSNode *out, uint32_t max) {
  if (ts_node_is_null(n))
    return 0;
  uint32_t count = ts_node_named_child_count(n);
  if (count <= 8) {
    /* a short list: indexing is cheaper than the cursor, which also stops at
     * every comma and parenthesis */
    for (uint32_t i = 0; i < count && i < max; i++)
      out[i] = ts_node_named_child(n, i);
    return count;
  }
  uint32_t total = 0;
  ts_tree_cursor_reset(&w->aux, n);
  for (bool more = ts_tree_cursor_goto_first_child(&w->aux); more;
       more = ts_tree_cursor_goto_next_sibling(&w->aux)) {
    TSNode c = ts_tree_cursor_current_node(&w->aux);
    if (!ts_node_is_named(c))
      continue;
    if (total < max)
      out[total] = c;
    total++;
  }
  return total;
}

/* Strips parentheses, type assertions, `!` and `await`: the expression that
 * actually produces the value. */
static TSNode core(const walker *w, TSNode n) {
  for (int i = 0; i < 256 && !ts_node_is_null(n); i++) {
    switch (kind(w, n)) {
    case K_PAREN:
    case K_AS:
    case K_SATISFIES:
    case K_NONNULL:
    case K_AWAIT:
      n = ts_node_named_child(n, 0);
      break;
    case K_TYPE_ASSERT:
      n = ts_node_named_child(n, ts_node_named_child_count(n) - 1);
      break;
    default:
      return n;
    }
  }
  return n;
}

static const char *const global_names[] = {"globalThis", "global", "self", NULL};

static bool is_global_root(const walker *w, TSNode n) {
  if (ts_node_is_null(n) || kind(w, n) != K_IDENT)
    return false;
  if (text_in(w, n, global_names))
    return true;
  return span_name_in(w, n, w->alias_names.data, w->alias_names.len);
}

/* `globalThis.x`, `(globalThis as any).x`, `g["x"]` with g an alias. */
static bool is_global_member(const walker *w, TSNode n) {
  uint8_t k = kind(w, n);
  if (k != K_MEMBER && k != K_SUBSCRIPT)
    return false;
  return is_global_root(w, core(w, ts_node_child_by_field_id(n, w->L->f_object)));
}

static const char *operator_of(const walker *w, TSNode n) {
  TSNode op = ts_node_child_by_field_id(n, w->L->f_operator);
  return ts_node_is_null(op) ? "" : ts_node_type(op);
}

/* Candidate nodes that may produce the value of expression v. */
static void value_candidates(const walker *w, TSNode v, value_slot *vs, bool fields) {
  vs->n = 0;
  TSNode stack[MAX_CAND];
  bool gfb[MAX_CAND];
  uint32_t sp = 0;
  stack[sp] = v;
  gfb[sp++] = false;
  while (sp && vs->n < MAX_CAND) {
    sp--;
    TSNode c = core(w, stack[sp]);
    bool fb = gfb[sp];
    if (ts_node_is_null(c))
      continue;
    vs->ids[vs->n] = c.id;
    vs->gfb[vs->n++] = fb;
    uint8_t k = kind(w, c);
    if (k == K_BINARY) {
      const char *op = operator_of(w, c);
      if ((strcmp(op, "??") == 0 || strcmp(op, "||") == 0) && sp < MAX_CAND) {
        TSNode left = core(w, ts_node_child_by_field_id(c, w->L->f_left));
        stack[sp] = ts_node_child_by_field_id(c, w->L->f_right);
        gfb[sp++] = is_global_member(w, left);
      }
    } else if (k == K_OBJECT && fields) {
      /* `cache = { key, db: createDb(k) }` inside a function: the object holds what
       * its property values hold */
      for (uint32_t i = 0, nc = ts_node_named_child_count(c); i < nc && sp < MAX_CAND; i++) {
        TSNode pc = ts_node_named_child(c, i);
        if (kind(w, pc) != K_PAIR)
          continue;
        TSNode pv = ts_node_child_by_field_id(pc, w->L->f_value);
        if (ts_node_is_null(pv))
          continue;
        stack[sp] = pv;
        gfb[sp++] = false;
      }
    } else if (k == K_TERNARY && sp + 2 <= MAX_CAND) {
      stack[sp] = ts_node_child_by_field_id(c, w->L->f_consequence);
      gfb[sp++] = false;
      stack[sp] = ts_node_child_by_field_id(c, w->L->f_alternative);
      gfb[sp++] = false;
    } else if (k == K_CALL && sp < MAX_CAND) {
      /* method chains that return the client: `createClient().connect()`,
       * `new PrismaClient().$extends(...)` */
      TSNode fn = core(w, ts_node_child_by_field_id(c, w->L->f_function));
      if (!ts_node_is_null(fn) && kind(w, fn) == K_MEMBER) {
        TSNode obj = core(w, ts_node_child_by_field_id(fn, w->L->f_object));
        uint8_t ok = kind(w, obj);
        if (ok == K_NEW || ok == K_CALL) {
          stack[sp] = obj;
          gfb[sp++] = false;
        }
      }
    }
  }
}

/* ---- frames ------------------------------------------------------------------------ */

static void push_frame(walker *w, frame_kind k, uint32_t depth, int32_t a) {
  frame fr = {k, depth, a, -1};
  il_array_push(&w->frames, fr);
  if (w->hi < depth)
    w->hi = depth;
}

static void leave(walker *w, uint32_t depth) {
  if (depth > w->hi)
    return; /* every stack top is shallower: nothing to pop */
  while (w->frames.len && w->frames.data[w->frames.len - 1].depth >= depth) {
    frame fr = w->frames.data[--w->frames.len];
    switch (fr.kind) {
    case FR_SCOPE:
      w->scope = fr.a;
      break;
    case FR_CTOR:
      w->ctor = fr.a;
      break;
    case FR_VALUE:
      w->values.len--;
      w->value = fr.a;
      break;
    case FR_CLASS:
      w->klass = fr.a;
      break;
    case FR_DECLKIND:
      w->decl_kind = (il_decl_kind)fr.a;
      break;
    case FR_PATTERN:
      w->pattern_kind = fr.a;
      break;
    case FR_EXPORT:
      w->exporting = fr.a != 0;
      break;
    case FR_RUN:
      w->run = fr.a;
      break;
    case FR_MODINIT:
      w->mod_init = fr.a;
      break;
    }
  }
  while (w->pend.len && w->pend.data[w->pend.len - 1].owner_depth >= depth)
    w->pend.len--;
  while (w->args.len && w->args.data[w->args.len - 1].owner_depth >= depth)
    w->args.len--;
  while (w->lslots.len && w->lslots.data[w->lslots.len - 1].owner_depth >= depth)
    w->lslots.len--;
  while (w->fslots.len && w->fslots.data[w->fslots.len - 1].owner_depth >= depth)
    w->fslots.len--;
  uint32_t hi = 0;
  if (w->frames.len && w->frames.data[w->frames.len - 1].depth > hi)
    hi = w->frames.data[w->frames.len - 1].depth;
  if (w->pend.len && w->pend.data[w->pend.len - 1].owner_depth > hi)
    hi = w->pend.data[w->pend.len - 1].owner_depth;
  if (w->args.len && w->args.data[w->args.len - 1].owner_depth > hi)
    hi = w->args.data[w->args.len - 1].owner_depth;
  if (w->lslots.len && w->lslots.data[w->lslots.len - 1].owner_depth > hi)
    hi = w->lslots.data[w->lslots.len - 1].owner_depth;
  if (w->fslots.len && w->fslots.data[w->fslots.len - 1].owner_depth > hi)
    hi = w->fslots.data[w->fslots.len - 1].owner_depth;
  w->hi = hi;
}

static void add_pending(walker *w, TSNode fn, uint32_t owner_depth, const char *name, bool handler,
                        bool iife) {
  uint8_t k = kind(w, fn);
  if (k != K_ARROW && k != K_FUNC_EXPR && k != K_METHOD && k != K_FUNC_DECL)
    return;
  pending p = {fn.id, owner_depth, name, handler, iife, -1, -1};
  il_array_push(&w->pend, p);
  if (w->hi < owner_depth)
    w->hi = owner_depth;
}

static const pending *find_pending(const walker *w, TSNode n) {
  for (uint32_t i = w->pend.len; i-- > 0;)
    if (w->pend.data[i].id == n.id)
      return &w->pend.data[i];
  return NULL;
}

static int32_t push_scope(walker *w, TSNode n, uint32_t depth, il_scope_kind sk, const char *name) {
  il_facts *f = w->f;
  const il_scope *parent = &f->scopes.data[w->scope];
  il_scope s = {.parent = w->scope,
                .kind = sk,
                .at_load = sk == IL_SCOPE_STATIC && parent->at_load,
                .class_decl = -1,
                .arg_of = -1,
                .cb_call = -1,
                .name = name ? name : "<anonymous>",
                .span = span_of(n)};
  il_array_push(&f->scopes, s);
  push_frame(w, FR_SCOPE, depth, w->scope);
  w->scope = (int32_t)f->scopes.len - 1;
  return w->scope;
}

static int32_t declare(walker *w, TSNode name_node, il_decl_kind k, int32_t scope) {
  il_facts *f = w->f;
  il_decl d = {.name = text(w, name_node),
               .span = span_of(name_node),
               .scope = scope,
               .kind = k,
               .exported = w->exporting && scope == 0,
               .init_ctor = -1,
               .owner = -1};
  il_array_push(&f->decls, d);
  return (int32_t)f->decls.len - 1;
}

static int32_t declare_import(walker *w, TSNode local, const char *module, const char *imported,
                              bool type_only, int32_t scope) {
  int32_t d = declare(w, local, IL_DECL_IMPORT, scope);
  il_decl *dp = &w->f->decls.data[d];
  dp->module = module;
  dp->imported = imported;
  dp->type_only = type_only;
  if (!type_only)
    il_array_push(&w->import_names, dp->name);
  return d;
}

static bool has_token(TSNode n, const char *tok) {
  uint32_t nc = ts_node_child_count(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_child(n, i);
    if (!ts_node_is_named(c) && strcmp(ts_node_type(c), tok) == 0)
      return true;
  }
  return false;
}

/* has_token(n, a) || has_token(n, b), in one pass over the children. */
static bool has_token2(TSNode n, const char *a, const char *b) {
  uint32_t nc = ts_node_child_count(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_child(n, i);
    if (ts_node_is_named(c))
      continue;
    const char *t = ts_node_type(c);
    if (strcmp(t, a) == 0 || strcmp(t, b) == 0)
      return true;
  }
  return false;
}

/* import_statement: every form, at any position (they are hoisted). */
/* An import or export specifier's name: `x`, or the string of `"a-b" as x`. */
static const char *spec_name(walker *w, TSNode n) {
  return kind(w, n) == K_STRING ? string_value(w, n) : text(w, n);
}

static void do_import(walker *w, TSNode n) {
  const char *module = string_value(w, ts_node_child_by_field_id(n, w->L->f_source));
  if (!module) {
    /* `import pg = require("pg")`: the source belongs to the clause */
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc && !module; i++) {
      TSNode c = ts_node_named_child(n, i);
      if (strcmp(ts_node_type(c), "import_require_clause") == 0)
        module = string_value(w, ts_node_child_by_field_id(c, w->L->f_source));
    }
  }
  if (!module)
    return;
  bool type_only = has_token2(n, "type", "typeof");
  uint32_t nc = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(n, i);
    const char *t = ts_node_type(c);
    if (strcmp(t, "import_require_clause") == 0) {
      TSNode id = ts_node_named_child(c, 0);
      if (kind(w, id) == K_IDENT)
        declare_import(w, id, module, "*", type_only, 0);
      continue;
    }
    if (strcmp(t, "import_clause") != 0)
      continue;
    uint32_t nk = ts_node_named_child_count(c);
    for (uint32_t j = 0; j < nk; j++) {
      TSNode k = ts_node_named_child(c, j);
      const char *kt = ts_node_type(k);
      if (kind(w, k) == K_IDENT) {
        declare_import(w, k, module, "default", type_only, 0);
      } else if (strcmp(kt, "namespace_import") == 0) {
        TSNode id = ts_node_named_child(k, 0);
        if (!ts_node_is_null(id))
          declare_import(w, id, module, "*", type_only, 0);
      } else if (strcmp(kt, "named_imports") == 0) {
        uint32_t ns = ts_node_named_child_count(k);
        for (uint32_t s = 0; s < ns; s++) {
          TSNode spec = ts_node_named_child(k, s);
          if (strcmp(ts_node_type(spec), "import_specifier") != 0)
            continue;
          TSNode name = ts_node_child_by_field_id(spec, w->L->f_name);
          TSNode alias = ts_node_child_by_field_id(spec, w->L->f_alias);
          if (ts_node_is_null(name))
            continue;
          bool spec_type = type_only || has_token2(spec, "type", "typeof");
          declare_import(w, ts_node_is_null(alias) ? name : alias, module,
                         spec_name(w, name),
                         spec_type, 0);
        }
      }
    }
  }
}

/* Export statements that name what they export, for the cross-file pass:
 * `export { a as b }`, `export { x } from "m"`, `export * from "m"`,
 * `export * as ns from "m"`, `export default ident`. */
static void add_export(walker *w, const char *name, const char *local, const char *module,
                       bool type_only, TSNode at) {
  il_export e = {name, local, module, type_only, span_of(at)};
  il_array_push(&w->f->exports, e);
}

static void do_export(walker *w, TSNode n) {
  const char *module = string_value(w, ts_node_child_by_field_id(n, w->L->f_source));
  bool type_only = has_token(n, "type");
  bool star = has_token(n, "*");
  uint32_t nc = ts_node_named_child_count(n);
  bool clause = false;
  for (uint32_t i = 0; i < nc; i++) {
    TSNode c = ts_node_named_child(n, i);
    const char *t = ts_node_type(c);
    if (strcmp(t, "namespace_export") == 0) {
      TSNode id = ts_node_named_child(c, 0);
      if (module && !ts_node_is_null(id))
        add_export(w, spec_name(w, id), "*", module, type_only, c);
      clause = true;
    } else if (strcmp(t, "export_clause") == 0) {
      clause = true;
      uint32_t ns = ts_node_named_child_count(c);
      for (uint32_t s = 0; s < ns; s++) {
        TSNode spec = ts_node_named_child(c, s);
        if (strcmp(ts_node_type(spec), "export_specifier") != 0)
          continue;
        TSNode name = ts_node_child_by_field_id(spec, w->L->f_name);
        TSNode alias = ts_node_child_by_field_id(spec, w->L->f_alias);
        if (ts_node_is_null(name))
          continue;
        const char *local = spec_name(w, name);
        add_export(w, ts_node_is_null(alias) ? local : spec_name(w, alias), local, module,
                   type_only || has_token(spec, "type"), spec);
      }
    }
  }
  if (star && module && !clause) {
    add_export(w, "*", "*", module, type_only, n);
    return;
  }
  if (!module && has_token(n, "default")) {
    TSNode v = core(w, ts_node_child_by_field_id(n, w->L->f_value));
    if (!ts_node_is_null(v) && kind(w, v) == K_IDENT)
      add_export(w, "default", text(w, v), NULL, false, v);
  }
}

/* `const x = require("m")`, `const { A, B: C } = require("m")`. Returns true if handled. */
/* The module of a default or namespace import named `id` declared so far at module
 * scope (`import pg from "pg"`), or NULL. */
static const char *whole_import(walker *w, TSNode id) {
  for (uint32_t i = 0; i < w->f->decls.len; i++) {
    const il_decl *d = &w->f->decls.data[i];
    if (d->kind == IL_DECL_IMPORT && d->scope == 0 && !d->type_only && d->module &&
        (strcmp(d->imported, "default") == 0 || strcmp(d->imported, "*") == 0) &&
        text_is(w, id, d->name))
      return d->module;
  }
  return NULL;
}

/* `const x = require("m")`, `const { A, B: C } = require("m")`, and the same from
 * `await import("m")` or from a default / namespace import (`const { Pool } = pg`):
 * import declarations. */
static bool do_require(walker *w, TSNode name, TSNode value) {
  TSNode c = core(w, value);
  if (ts_node_is_null(c))
    return false;
  uint8_t nk = kind(w, name);
  const char *module = NULL;
  if (kind(w, c) == K_IDENT) {
    if (nk != K_OBJ_PATTERN || !(module = whole_import(w, c)))
      return false;
  } else {
    if (kind(w, c) != K_CALL)
      return false;
    TSNode fn = ts_node_child_by_field_id(c, w->L->f_function);
    if (!(kind(w, fn) == K_IDENT && text_is(w, fn, "require")) &&
        strcmp(ts_node_type(fn), "import") != 0)
      return false;
    TSNode args = ts_node_child_by_field_id(c, w->L->f_arguments);
    module = string_value(w, ts_node_named_child(args, 0));
    if (!module)
      return false;
  }
  if (nk == K_IDENT) {
    declare_import(w, name, module, "*", false, w->scope);
  } else if (nk == K_OBJ_PATTERN) {
    uint32_t n = ts_node_named_child_count(name);
    for (uint32_t i = 0; i < n; i++) {
      TSNode p = ts_node_named_child(name, i);
      uint8_t pk = kind(w, p);
      if (pk == K_SHORTHAND_PAT) {
        declare_import(w, p, module, text(w, p), false, w->scope);
      } else if (pk == K_PAIR_PATTERN) {
        TSNode key = ts_node_child_by_field_id(p, w->L->f_key);
        TSNode val = ts_node_child_by_field_id(p, w->L->f_value);
        if (kind(w, val) == K_IDENT && !ts_node_is_null(key))
          declare_import(w, val, module, text(w, key), false, w->scope);
      }
    }
  } else {
    return false;
  }
  return true;
}

static il_init_kind init_kind_of(const walker *w, TSNode value) {
  if (ts_node_is_null(value))
    return IL_INIT_NONE;
  TSNode c = core(w, value);
  switch (kind(w, c)) {
  case K_NULL:
  case K_UNDEFINED:
    return IL_INIT_NONE;
  case K_OBJECT:
  case K_ARRAY:
    return IL_INIT_CONTAINER;
  case K_NEW: {
    TSNode k = ts_node_child_by_field_id(c, w->L->f_constructor);
    static const char *const containers[] = {"Map", "Set", "Array", "Object", NULL};
    return kind(w, k) == K_IDENT && text_in(w, k, containers) ? IL_INIT_CONTAINER : IL_INIT_OTHER;
  }
  case K_CALL: {
    TSNode fn = ts_node_child_by_field_id(c, w->L->f_function);
    return text_is(w, fn, "Object.create") ? IL_INIT_CONTAINER : IL_INIT_OTHER;
  }
  case K_IDENT:
    return is_global_root(w, c) ? IL_INIT_GLOBAL_ALIAS : IL_INIT_OTHER;
  default:
    return IL_INIT_OTHER;
  }
}

/* The bindings an object literal o names as property values (`{ key, db }`,
 * `{ db: pool }`), at most max of them into out; 0 when o is no object literal. */
static uint32_t object_names(const walker *w, TSNode o, TSNode *out, uint32_t max) {
  uint32_t n = 0;
  if (ts_node_is_null(o) || kind(w, o) != K_OBJECT)
    return 0;
  for (uint32_t i = 0, nc = ts_node_named_child_count(o); i < nc && n < max; i++) {
    TSNode pc = ts_node_named_child(o, i);
    uint8_t pk = kind(w, pc);
    if (pk == K_PAIR) {
      pc = core(w, ts_node_child_by_field_id(pc, w->L->f_value));
      pk = ts_node_is_null(pc) ? K_NONE : kind(w, pc);
    }
    if (pk == K_IDENT || pk == K_SHORTHAND_PROP)
      out[n++] = pc;
  }
  return n;
}

static void push_slot(walker *w, uint32_t depth, TSNode v, int32_t decl, int32_t assign,
                      int32_t ret) {
  value_slot vs;
  /* inside a function, an object literal holds what its property values hold */
  value_candidates(w, v, &vs, !w->f->scopes.data[w->scope].at_load);
  vs.decl = decl;
  vs.assign = assign;
  vs.ret = ret;
  il_array_push(&w->values, vs);
  push_frame(w, FR_VALUE, depth, w->value);
  w->value = (int32_t)w->values.len - 1;
}

static void push_value(walker *w, uint32_t depth, TSNode v, int32_t decl, int32_t assign) {
  push_slot(w, depth, v, decl, assign, -1);
}

/* `return v;` or an arrow function's expression body v: what the function returns
 * (value flow, analyzer/flow/). */
static void push_ret(walker *w, uint32_t depth, TSNode v) {
  if (ts_node_is_null(v) || w->f->scopes.data[w->scope].kind != IL_SCOPE_FUNCTION)
    return;
  il_ret r = {.scope = w->scope, .span = span_of(v), .value_ctor = -1, .value_decl = -1};
  TSNode vc = core(w, v);
  if (!ts_node_is_null(vc) && kind(w, vc) == K_IDENT)
    r.value_name = text(w, vc);
  il_array_push(&w->f->rets, r);
  int32_t ri = (int32_t)w->f->rets.len - 1;
  /* `return { db, key }`: the object holds what the bindings it names hold, one
   * return record per binding named (property values that are calls are candidates
   * of the slot below) */
  TSNode names[16];
  uint32_t nn = object_names(w, vc, names, 16);
  for (uint32_t i = 0; i < nn; i++) {
    il_ret b = r;
    b.span = span_of(names[i]);
    b.value_name = text(w, names[i]);
    il_array_push(&w->f->rets, b);
  }
  push_slot(w, depth, v, -1, -1, ri);
}

/* Exported functions that frameworks call per request: route modules (Next.js,
 * Astro, SvelteKit), Pages Functions, Remix loaders and actions. */
static const char *const route_exports[] = {
    "GET",          "POST",          "PUT",           "PATCH",          "DELETE",
    "HEAD",         "OPTIONS",       "onRequest",     "onRequestGet",   "onRequestPost",
    "onRequestPut", "onRequestPatch", "onRequestDelete", "onRequestHead", "onRequestOptions",
    "loader",       "action",        "handler",       NULL};

/* `export default { fetch(...) {...} }`, or a module-level object literal that
 * holds such entry points (`const worker = {...}; export default worker`). */
static void mark_entry_object(walker *w, TSNode v, uint32_t depth) {
  const langinfo *L = w->L;
  if (ts_node_is_null(v) || kind(w, v) != K_OBJECT)
    return;
  static const char *const entry_points[] = {"fetch", "scheduled", "queue", "email",
                                             "tail",  "trace",     "test",  NULL};
  uint32_t nc = ts_node_named_child_count(v);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode m = ts_node_named_child(v, i);
    uint8_t mk = kind(w, m);
    TSNode key = ts_node_child_by_field_id(m, mk == K_PAIR ? L->f_key : L->f_name);
    if (ts_node_is_null(key) && mk == K_SHORTHAND_PROP)
      key = m;
    if (ts_node_is_null(key) || !text_in(w, key, entry_points))
      continue;
    if (mk == K_METHOD)
      add_pending(w, m, depth, text(w, key), true, false);
    else if (mk == K_PAIR)
      add_pending(w, core(w, ts_node_child_by_field_id(m, L->f_value)), depth, text(w, key), true,
                  false);
    else if (mk == K_SHORTHAND_PROP)
      il_array_push(&w->f->handler_names, text(w, key));
  }
}

/* "Obj.prop" for a member expression `Obj.prop` / `this.prop` (one level), else NULL:
 * the name a composition node gives a static field or namespace member. */
static const char *member_name(walker *w, TSNode m) {
  if (ts_node_is_null(m) || kind(w, m) != K_MEMBER)
    return NULL;
  TSNode obj = core(w, ts_node_child_by_field_id(m, w->L->f_object));
  TSNode prop = ts_node_child_by_field_id(m, w->L->f_property);
  if (ts_node_is_null(obj) || ts_node_is_null(prop))
    return NULL;
  uint8_t ok = kind(w, obj);
  if (ok != K_IDENT && ok != K_THIS)
    return NULL;
  return il_arena_printf(w->f->arena, "%s.%s", text(w, obj), text(w, prop));
}

/* A member binding "Owner.prop" of a class or module-level object namespace. */
static int32_t add_field(walker *w, int32_t owner, const char *prop, il_span span) {
  il_decl d = {.name = il_arena_printf(w->f->arena, "%s.%s", w->f->decls.data[owner].name, prop),
               .span = span,
               .scope = w->f->decls.data[owner].scope,
               .kind = IL_DECL_FIELD,
               .init_ctor = -1,
               .owner = owner};
  il_array_push(&w->f->decls, d);
  return (int32_t)w->f->decls.len - 1;
}

/* `decl` is an alias of the binding `name` (an identifier or "Obj.prop"). */
static void alias_lnode(walker *w, const char *name, il_span span, int32_t decl) {
  il_lnode l = {.is_name = true, .name = name, .ctor = -1, .span = span, .scope = w->scope,
                .parent = -1, .arg_index = -1, .init_of = decl, .decl = -1};
  il_array_push(&w->f->lnodes, l);
}

/* `const Db = { Live: Layer.scoped(...), Alias: OtherLive }` at module level: each
 * property is a member binding "Db.Live" that compositions can name. */
static void namespace_members(walker *w, TSNode obj, int32_t owner, uint32_t depth) {
  enum { MAX_MEMBERS = 64 };
  TSNode calls[MAX_MEMBERS];
  int32_t decls[MAX_MEMBERS];
  uint32_t nc = 0, n = ts_node_named_child_count(obj);
  for (uint32_t i = 0; i < n && nc < MAX_MEMBERS; i++) {
    TSNode p = ts_node_named_child(obj, i);
    if (kind(w, p) != K_PAIR)
      continue;
    TSNode key = ts_node_child_by_field_id(p, w->L->f_key);
    TSNode val = core(w, ts_node_child_by_field_id(p, w->L->f_value));
    if (ts_node_is_null(key) || ts_node_is_null(val) ||
        strcmp(ts_node_type(key), "property_identifier") != 0)
      continue;
    uint8_t vk = kind(w, val);
    if (vk != K_CALL && vk != K_IDENT && vk != K_MEMBER)
      continue;
    int32_t fd = add_field(w, owner, text(w, key), span_of(key));
    if (vk == K_CALL) {
      calls[nc] = val;
      decls[nc++] = fd;
    } else {
      const char *an = vk == K_IDENT ? text(w, val) : member_name(w, val);
      if (an)
        alias_lnode(w, an, span_of(val), fd);
    }
  }
  for (uint32_t i = nc; i-- > 0;) {
    fslot fs = {calls[i].id, decls[i], depth};
    il_array_push(&w->fslots, fs);
    if (w->hi < fs.owner_depth)
      w->hi = fs.owner_depth;
  }
}

/* ---- entry hints (il_facts.entry_hints) ---- */

/* `export const runtime = "edge"` (Next.js route segment config; "experimental-edge" is
 * the older spelling). */
static void edge_runtime(walker *w, const il_decl *dp, TSNode value) {
  if (strcmp(dp->name, "runtime") != 0 || ts_node_is_null(value))
    return;
  const char *v = string_value(w, core(w, value));
  if (v && (strcmp(v, "edge") == 0 || strcmp(v, "experimental-edge") == 0))
    w->f->entry_hints |= IL_HINT_EDGE;
}

/* `export default { fetch ... }`: a Worker's module-format handler object. */
static void default_object(walker *w, TSNode v) {
  if (ts_node_is_null(v) || kind(w, v) != K_OBJECT)
    return;
  for (uint32_t i = 0, nc = ts_node_named_child_count(v); i < nc; i++) {
    TSNode m = ts_node_named_child(v, i);
    uint8_t mk = kind(w, m);
    TSNode key = mk == K_SHORTHAND_PROP
                     ? m
                     : ts_node_child_by_field_id(m, mk == K_PAIR ? w->L->f_key : w->L->f_name);
    if ((mk == K_PAIR || mk == K_METHOD || mk == K_SHORTHAND_PROP) && !ts_node_is_null(key) &&
        text_is(w, key, "fetch"))
      w->f->entry_hints |= IL_HINT_FETCH;
  }
}

/* After the walk: is the default export a binding built by a router of hono or
 * itty-router (`const app = new Hono(); export default app`)? */
static void default_router(walker *w) {
  il_facts *f = w->f;
  for (uint32_t e = 0; e < f->exports.len; e++) {
    const il_export *ex = &f->exports.data[e];
    if (ex->module || ex->type_only || strcmp(ex->name, "default") != 0)
      continue;
    for (uint32_t k = 0; k < f->ctors.len; k++) {
      const il_ctor *c = &f->ctors.data[k];
      if (c->local_call || c->decl < 0 || c->path[0] ||
          strcmp(f->decls.data[c->decl].name, ex->local) != 0 || f->decls.data[c->decl].scope)
        continue;
      for (uint32_t d = 0; d < f->decls.len; d++) {
        const il_decl *im = &f->decls.data[d];
        if (im->kind != IL_DECL_IMPORT || im->scope || !im->module || im->type_only ||
            strcmp(im->name, c->root) != 0)
          continue;
        const char *m = im->module, *x = im->imported;
        bool hono = strcmp(m, "hono") == 0 || strncmp(m, "hono/", 5) == 0 ||
                    strcmp(m, "@hono/zod-openapi") == 0;
        bool itty = strcmp(m, "itty-router") == 0;
        if ((hono && (strcmp(x, "Hono") == 0 || strcmp(x, "OpenAPIHono") == 0)) ||
            (itty && (strcmp(x, "Router") == 0 || strcmp(x, "AutoRouter") == 0 ||
                      strcmp(x, "IttyRouter") == 0)))
          f->entry_hints |= IL_HINT_ROUTER;
      }
    }
  }
}

static void do_declarator(walker *w, TSNode n, uint32_t depth) {
  TSNode name = ts_node_child_by_field_id(n, w->L->f_name);
  TSNode value = ts_node_child_by_field_id(n, w->L->f_value);
  if (ts_node_is_null(name))
    return;
  if (!ts_node_is_null(value) && do_require(w, name, value))
    return;
  int32_t d = -1;
  if (kind(w, name) == K_IDENT) {
    d = declare(w, name, w->decl_kind, w->scope);
    il_decl *dp = &w->f->decls.data[d];
    dp->init_kind = init_kind_of(w, value);
    if (dp->init_kind == IL_INIT_GLOBAL_ALIAS)
      il_array_push(&w->alias_names, dp->name);
    if (dp->exported && w->scope == 0)
      edge_runtime(w, dp, value);
    if (!ts_node_is_null(value)) {
      TSNode c = core(w, value);
      uint8_t ck = kind(w, c);
      if (ck == K_ARROW || ck == K_FUNC_EXPR) {
        add_pending(w, c, depth, dp->name, dp->exported && text_in(w, name, route_exports),
                    false);
        if (w->pend.len && w->pend.data[w->pend.len - 1].id == c.id)
          w->pend.data[w->pend.len - 1].decl = d;
      }
    }
  }
  if (!ts_node_is_null(value)) {
    if (w->scope == 0)
      mark_entry_object(w, core(w, value), depth);
    TSNode vc = core(w, value);
    uint8_t vk = ts_node_is_null(vc) ? 0 : kind(w, vc);
    if (w->scope == 0 && d >= 0 && (vk == K_IDENT || vk == K_MEMBER)) {
      /* `const AppLive = MainLive` / `= Db.Live`: an alias a composition may go through */
      const char *an = vk == K_IDENT ? text(w, vc) : member_name(w, vc);
      if (an)
        alias_lnode(w, an, span_of(vc), d);
    }
    if (w->scope == 0 && d >= 0 && vk == K_OBJECT && w->decl_kind == IL_DECL_CONST)
      namespace_members(w, vc, d, depth);
    push_value(w, depth, value, d, -1);
    if (w->scope == 0 && d >= 0 && w->mod_init < 0) {
      push_frame(w, FR_MODINIT, depth, w->mod_init);
      w->mod_init = d;
    }
  }
}

static bool is_function_kind(uint8_t k) {
  return k == K_ARROW || k == K_FUNC_EXPR || k == K_FUNC_DECL || k == K_METHOD;
}

static const char *const route_methods[] = {"get",   "post",    "put",  "patch", "delete", "all",
                                            "use",   "options", "head", "on",    "route",  NULL};
/* The name of a setup callback's scope (its pointer marks the scope as run once). */
static const char plugin_setup[] = "defineNitroPlugin callback";

static const char *const handler_factories[] = {
    "defineEventHandler", "eventHandler",   "defineHandler",  "createMiddleware",
    "defineMiddleware",   "route",          "defineCachedEventHandler", "defineWebSocketHandler",
    "onRequest",          "createHandler",  "websocket",      NULL};

/* Calls that register request handlers: route methods, hook registrations,
 * handler factories, addEventListener("fetch"). */
static void mark_handler_args(walker *w, TSNode call, uint32_t depth, TSNode fn, uint8_t fk,
                              TSNode prop) {
  /* the callee first: the arguments are only looked up for a callee that can
   * register a handler (a field lookup is not free, and most calls cannot) */
  enum { NONE, ROUTE, HOOK, LISTENER, FACTORY, SETUP } what = NONE;
  if (fk == K_MEMBER) {
    if (text_in(w, prop, route_methods))
      what = ROUTE;
    else if (text_is(w, prop, "hook") || text_is(w, prop, "addEventListener"))
      what = HOOK;
  } else if (fk == K_IDENT) {
    if (text_is(w, fn, "addEventListener"))
      what = LISTENER;
    else if (text_in(w, fn, handler_factories))
      what = FACTORY;
    else if (text_is(w, fn, "defineNitroPlugin") && w->f->scopes.data[w->scope].at_load)
      what = SETUP; /* runs once per isolate: its closure's variables outlive requests */
  }
  if (what == NONE)
    return;
  TSNode args = ts_node_child_by_field_id(call, w->L->f_arguments);
  if (ts_node_is_null(args))
    return;
  const char *label = NULL;
  const char *first_str =
      what == FACTORY ? NULL : string_value(w, ts_node_named_child(args, 0));
  if (what == ROUTE) {
    const char *m = text(w, prop);
    char upper[16];
    size_t i = 0;
    for (; m[i] && i < sizeof upper - 1; i++)
      upper[i] = (char)(m[i] >= 'a' && m[i] <= 'z' ? m[i] - 32 : m[i]);
    upper[i] = '\0';
    label = first_str ? il_arena_printf(w->f->arena, "%s %s", upper, first_str)
                      : il_arena_printf(w->f->arena, "%s", strcmp(m, "use") == 0 ? "middleware" : upper);
  } else if (what == HOOK) {
    if (first_str && (strcmp(first_str, "request") == 0 || strcmp(first_str, "fetch") == 0))
      label = il_arena_printf(w->f->arena, "%s hook", first_str);
  } else if (what == LISTENER) {
    if (first_str && (strcmp(first_str, "fetch") == 0 || strcmp(first_str, "scheduled") == 0))
      label = il_arena_printf(w->f->arena, "%s listener", first_str);
    else if (text_in(w, fn, handler_factories))
      label = text(w, fn);
  } else if (what == SETUP) {
    label = plugin_setup;
  } else {
    label = text(w, fn);
  }
  if (!label)
    return;
  enum { MAX_ARGS = 64 };
  TSNode argv[MAX_ARGS];
  uint32_t n = named_children(w, args, argv, MAX_ARGS);
  for (uint32_t i = 0; i < n; i++) {
    TSNode a = core(w, i < MAX_ARGS ? argv[i] : ts_node_named_child(args, i));
    if (is_function_kind(kind(w, a)))
      add_pending(w, a, depth, label, what != SETUP, false);
  }
}

static void record_assign(walker *w, TSNode n, uint32_t depth, il_assign_op op, TSNode target,
                          TSNode value) {
  il_assign a = {.op = op,
                 .span = span_of(target),
                 .scope = w->scope,
                 .value_ctor = -1,
                 .decl = -1,
                 .value_decl = -1};
  TSNode t = core(w, target);
  uint8_t tk = kind(w, t);
  if (tk == K_IDENT) {
    a.target = IL_TARGET_NAME;
    a.root = text(w, t);
  } else if (tk == K_MEMBER || tk == K_SUBSCRIPT) {
    /* find the root of the chain and the first property after it */
    TSNode cur = t, first_prop = {0};
    bool have_prop = false;
    for (int i = 0; i < 64; i++) {
      uint8_t ck = kind(w, cur);
      if (ck != K_MEMBER && ck != K_SUBSCRIPT)
        break;
      first_prop = ck == K_MEMBER ? ts_node_child_by_field_id(cur, w->L->f_property)
                                  : ts_node_child_by_field_id(cur, w->L->f_index);
      have_prop = true;
      cur = core(w, ts_node_child_by_field_id(cur, w->L->f_object));
    }
    uint8_t rk = kind(w, cur);
    const char *prop = "[]";
    if (have_prop && !ts_node_is_null(first_prop)) {
      const char *s = string_value(w, first_prop);
      prop = s ? s : kind(w, first_prop) == K_IDENT ? "[]" : text(w, first_prop);
    }
    if (rk == K_THIS) {
      a.target = IL_TARGET_THIS;
      a.prop = prop;
    } else if (rk == K_IDENT) {
      a.target = IL_TARGET_MEMBER;
      a.root = text(w, cur);
      a.prop = prop;
    } else {
      return;
    }
  } else {
    return;
  }
  il_array_push(&w->f->assigns, a);
  int32_t ai = (int32_t)w->f->assigns.len - 1;
  TSNode vc = core(w, value);
  if (!ts_node_is_null(vc) && kind(w, vc) == K_IDENT)
    w->f->assigns.data[ai].value_name = text(w, vc);
  push_value(w, depth, value, -1, ai);
  /* `cache = { key, db }` inside a function: the object holds what the bindings it
   * names hold, one assignment record per binding named */
  TSNode names[16];
  uint32_t nn = w->f->scopes.data[w->scope].at_load ? 0 : object_names(w, vc, names, 16);
  for (uint32_t i = 0; i < nn; i++) {
    il_assign b = w->f->assigns.data[ai];
    b.value_name = text(w, names[i]);
    il_array_push(&w->f->assigns, b);
  }
  (void)n;
}

/* Is the node at depth the operand of `await` (through parentheses and casts)? */
static bool is_awaited(const walker *w, uint32_t depth) {
  for (uint32_t d = depth; d-- > 0;) {
    uint8_t k = w->kinds.data[d];
    if (k == K_AWAIT)
      return true;
    if (k != K_PAREN && k != K_AS && k != K_SATISFIES && k != K_NONNULL && k != K_TYPE_ASSERT)
      return false;
  }
  return false;
}

/* ---- composition nodes ---------------------------------------------------------- */

static int32_t push_lnode(walker *w, il_lnode l) {
  il_array_push(&w->f->lnodes, l);
  return (int32_t)w->f->lnodes.len - 1;
}

/* The module-level declaration whose initializer value is node n, or -1. */
static int32_t init_of_node(const walker *w, TSNode n) {
  if (w->value < 0)
    return -1;
  const value_slot *vs = &w->values.data[w->value];
  if (vs->decl < 0 || !vs->n || vs->ids[0] != n.id || w->f->decls.data[vs->decl].scope != 0)
    return -1;
  return vs->decl;
}

/* An identifier or `Obj.prop` argument becomes a node now; a call argument waits to
 * be entered. */
static void lnode_operand(walker *w, TSNode a, int32_t parent, int32_t index, uint32_t depth) {
  a = core(w, a);
  if (ts_node_is_null(a))
    return;
  uint8_t k = kind(w, a);
  const char *mname = k == K_MEMBER ? member_name(w, a) : NULL;
  if (k == K_IDENT || mname) {
    il_lnode l = {.is_name = true, .name = mname ? mname : text(w, a), .ctor = -1,
                  .span = span_of(a), .scope = w->scope, .parent = parent, .arg_index = index,
                  .init_of = -1, .decl = -1};
    push_lnode(w, l);
  } else if (k == K_CALL) {
    lslot sl = {a.id, parent, index, depth};
    il_array_push(&w->lslots, sl);
    if (w->hi < sl.owner_depth)
      w->hi = sl.owner_depth;
  }
}

/* Does an object literal hold `local: true`? */
static bool has_local_true(walker *w, TSNode o) {
  enum { MAX_PROPS = 64 };
  TSNode props[MAX_PROPS];
  uint32_t n = named_children(w, o, props, MAX_PROPS);
  for (uint32_t i = 0; i < n; i++) {
    TSNode p = i < MAX_PROPS ? props[i] : ts_node_named_child(o, i);
    if (kind(w, p) != K_PAIR)
      continue;
    TSNode key = ts_node_child_by_field_id(p, w->L->f_key);
    TSNode val = core(w, ts_node_child_by_field_id(p, w->L->f_value));
    if (!ts_node_is_null(key) && text_is(w, key, "local") && !ts_node_is_null(val) &&
        text_is(w, val, "true"))
      return true;
  }
  return false;
}

/* Records call n as a composition node: links it to the argument slot it fills,
 * then registers its own arguments (and the receiver of `.pipe`). */
static int32_t do_lnode(walker *w, TSNode n, uint32_t depth, TSNode callee, bool is_pipe,
                        int32_t parent, int32_t index) {
  il_lnode l = {.is_pipe = is_pipe, .ctor = -1, .span = span_of(callee), .scope = w->scope,
                .parent = parent, .arg_index = index, .init_of = init_of_node(w, n),
                .decl = -1};
  int32_t li = push_lnode(w, l);
  TSNode args = ts_node_child_by_field_id(n, w->L->f_arguments);
  enum { MAX_ARGS = 64 };
  TSNode argv[MAX_ARGS];
  uint32_t na = named_children(w, args, argv, MAX_ARGS);
  if (na > MAX_ARGS)
    na = MAX_ARGS;
  int32_t ai = 0; /* arguments, not comments */
  for (uint32_t i = 0; i < na; i++)
    ai += kind(w, argv[i]) != K_COMMENT;
  for (uint32_t i = na; i-- > 0;) {
    TSNode a = argv[i];
    if (kind(w, a) == K_COMMENT)
      continue;
    ai--;
    TSNode ac = core(w, a);
    if (!ts_node_is_null(ac) && kind(w, ac) == K_OBJECT && has_local_true(w, ac))
      w->f->lnodes.data[li].local_opts = true;
    lnode_operand(w, a, li, ai, depth);
  }
  if (is_pipe)
    lnode_operand(w, ts_node_child_by_field_id(callee, w->L->f_object), li, -1, depth);
  return li;
}

/* The `dependencies: [A.Default, B.Default]` of an Effect.Service factory call n:
 * its layer builds them too, so they become arguments (index 1) of its node. */
static void service_deps(walker *w, TSNode n, int32_t li, uint32_t depth) {
  TSNode args = ts_node_child_by_field_id(n, w->L->f_arguments);
  uint32_t na = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
  for (uint32_t i = 0; i < na; i++) {
    TSNode o = core(w, ts_node_named_child(args, i));
    if (ts_node_is_null(o) || kind(w, o) != K_OBJECT)
      continue;
    uint32_t np = ts_node_named_child_count(o);
    for (uint32_t j = 0; j < np; j++) {
      TSNode p = ts_node_named_child(o, j);
      if (kind(w, p) != K_PAIR || !text_is(w, ts_node_child_by_field_id(p, w->L->f_key),
                                           "dependencies"))
        continue;
      TSNode arr = core(w, ts_node_child_by_field_id(p, w->L->f_value));
      if (ts_node_is_null(arr) || kind(w, arr) != K_ARRAY)
        continue;
      enum { MAX_DEPS = 64 };
      uint32_t ne = ts_node_named_child_count(arr);
      if (ne > MAX_DEPS)
        ne = MAX_DEPS;
      for (uint32_t e = ne; e-- > 0;) /* reverse: call slots are entered in order */
        if (kind(w, ts_node_named_child(arr, e)) != K_COMMENT)
          lnode_operand(w, ts_node_named_child(arr, e), li, 1, depth);
    }
  }
}

/* Construction ki is a candidate value of the current value slot: it initializes
 * the slot's binding, is its assignment's value or the function's return value. */
static void slot_ctor(walker *w, int32_t ki, bool gfb) {
  const value_slot *vs = &w->values.data[w->value];
  il_ctor *kp = &w->f->ctors.data[ki];
  kp->global_fallback = gfb;
  if (vs->decl >= 0) {
    kp->decl = vs->decl;
    if (w->f->decls.data[vs->decl].init_ctor < 0)
      w->f->decls.data[vs->decl].init_ctor = ki;
  }
  if (vs->assign >= 0) {
    kp->assign = vs->assign;
    if (w->f->assigns.data[vs->assign].value_ctor < 0)
      w->f->assigns.data[vs->assign].value_ctor = ki;
  }
  if (vs->ret >= 0 && w->f->rets.data[vs->ret].value_ctor < 0)
    w->f->rets.data[vs->ret].value_ctor = ki;
}

/* Roots of the calls that do I/O, set timers or draw random values while the module
 * loads, when made in the body of a function that runs then (global-scope-io, with
 * the call graph of value flow). */
static const char *const load_op_roots[] = {
    "fetch",      "crypto",      "setTimeout",      "setInterval", "AbortController",
    "AbortSignal", "connect",    "randomUUID",      "randomBytes", "getRandomValues",
    "randomInt",  NULL};

/* The properties a member callee is checked for before its chain: `.pipe(...)`,
 * `.set(k, v)`, handler registrations (with route_methods). */
static const char *const callee_props[] = {"pipe", "set", "hook", "addEventListener", NULL};

/* Callees that run the functions they are given before returning, when their receiver
 * is an array (`[a, b].forEach(fn)`, `Object.keys(o).map(fn)`) or a promise made by
 * `Promise` (`Promise.resolve().then(fn)`: at load, its callbacks run before the first
 * request). */
static const char *const array_runs_now[] = {
    "forEach", "map", "flatMap", "filter", "reduce", "reduceRight", "some", "every", "find",
    "findIndex", "findLast", "findLastIndex", "sort", NULL};
static const char *const promise_runs_now[] = {"then", "catch", "finally", NULL};

static bool runs_callbacks_now(const walker *w, TSNode prop, TSNode obj) {
  if (ts_node_is_null(prop) || ts_node_is_null(obj))
    return false;
  if (text_in(w, prop, array_runs_now)) {
    static const char *const arrays_of[] = {"keys", "values", "entries", "from", "of", NULL};
    if (kind(w, obj) == K_ARRAY)
      return true;
    if (kind(w, obj) != K_CALL)
      return false;
    TSNode f = core(w, ts_node_child_by_field_id(obj, w->L->f_function));
    if (ts_node_is_null(f) || kind(w, f) != K_MEMBER)
      return false;
    TSNode o = core(w, ts_node_child_by_field_id(f, w->L->f_object));
    return !ts_node_is_null(o) && (text_is(w, o, "Object") || text_is(w, o, "Array")) &&
           text_in(w, ts_node_child_by_field_id(f, w->L->f_property), arrays_of);
  }
  if (!text_in(w, prop, promise_runs_now))
    return false;
  for (int i = 0; i < 64 && !ts_node_is_null(obj); i++) { /* down to the chain's root */
    uint8_t k = kind(w, obj);
    if (k == K_CALL)
      obj = core(w, ts_node_child_by_field_id(obj, w->L->f_function));
    else if (k == K_MEMBER)
      obj = core(w, ts_node_child_by_field_id(obj, w->L->f_object));
    else
      return k == K_IDENT && text_is(w, obj, "Promise");
  }
  return false;
}

/* A call at load that runs its callbacks now (runs_callbacks_now): the functions
 * written as its arguments run at load too (as an IIFE's body), and a function named
 * as one is called here (a call record of the name, so the load-time call graph and
 * global-scope-io see `[url].forEach(fetch)` and `[a].forEach(setup)`). */
static void callbacks_at_load(walker *w, TSNode call, uint32_t depth, TSNode prop) {
  TSNode args = ts_node_child_by_field_id(call, w->L->f_arguments);
  uint32_t na = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
  for (uint32_t i = 0; i < na && i < 4; i++) {
    TSNode a = core(w, ts_node_named_child(args, i));
    uint8_t ak = ts_node_is_null(a) ? K_NONE : kind(w, a);
    if ((ak == K_ARROW || ak == K_FUNC_EXPR) && !find_pending(w, a)) {
      add_pending(w, a, depth, il_arena_printf(w->f->arena, "<%s callback>", text(w, prop)),
                  false, true);
    } else if (ak == K_IDENT) {
      il_call cr = {.root = text(w, a),
                    .path = "",
                    .span = span_of(a),
                    .full = span_of(a),
                    .scope = w->scope,
                    .in_run = -1,
                    .init_of = w->mod_init,
                    .ctor = -1,
                    .decl = -1,
                    .io_call = -1,
                    .io_decl = -1};
      il_array_push(&w->f->calls, cr);
    }
  }
}

/* `init(() => ...)` at load, init a function of this file: the callback runs at load
 * if init calls its parameter (value flow decides: il_scope.cb_call). */
static void callbacks_of_local(walker *w, TSNode call, uint32_t depth, int32_t rec) {
  TSNode args = ts_node_child_by_field_id(call, w->L->f_arguments);
  uint32_t na = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
  for (uint32_t i = 0; i < na && i < 4; i++) {
    TSNode a = core(w, ts_node_named_child(args, i));
    uint8_t ak = ts_node_is_null(a) ? K_NONE : kind(w, a);
    if ((ak != K_ARROW && ak != K_FUNC_EXPR) || find_pending(w, a))
      continue;
    add_pending(w, a, depth, NULL, false, false);
    w->pend.data[w->pend.len - 1].cb_call = rec;
  }
}

static void do_call(walker *w, TSNode n, uint32_t depth, bool is_new) {
  /* a call that fills a composition node's argument slot */
  int32_t lparent = -1, lindex = -1;
  if (w->lslots.len && w->lslots.data[w->lslots.len - 1].id == n.id) {
    lslot sl = w->lslots.data[--w->lslots.len];
    lparent = sl.parent;
    lindex = sl.index;
  }
  int32_t finit = -1; /* member binding this call initializes */
  if (w->fslots.len && w->fslots.data[w->fslots.len - 1].id == n.id)
    finit = w->fslots.data[--w->fslots.len].decl;
  TSNode callee = ts_node_child_by_field_id(n, is_new ? w->L->f_constructor : w->L->f_function);
  if (ts_node_is_null(callee))
    return;
  TSNode c = core(w, callee);
  uint8_t ck = kind(w, c);
  if (ck == K_IDENT)
    w->callee = c.id;
  /* Most calls are neither constructions nor recorded, and their callee is checked
   * for nothing: two reads of the source say so without the lookups of the callee's
   * parts. `chain`: the callee chain's root may matter (its root, if an identifier,
   * is the callee's first token); `prop`: a member callee's property (its last
   * token) may be one the checks below look for. */
  const il_scope *sc = &w->f->scopes.data[w->scope];
  bool chain = sc->at_load || w->run >= 0 || w->mod_init >= 0 ||
               head_may_be(w, ts_node_start_byte(c), w->import_names.data, w->import_names.len,
                           sc->kind == IL_SCOPE_FUNCTION ? load_op_roots
                                                                            : NULL);
  bool prop = ck == K_MEMBER && (tail_may_be(w, ts_node_end_byte(c), callee_props) ||
                                 tail_may_be(w, ts_node_end_byte(c), route_methods));
#ifndef NDEBUG
  /* debug builds take the full path and check that the pre-checks were right */
  bool chain_pre = chain, prop_pre = prop;
  chain = true;
  prop = ck == K_MEMBER;
#endif
  /* a member callee's property and object, looked up once for every use below */
  TSNode c_prop = {0}, c_obj = {0};
  if (ck == K_MEMBER && (prop || chain)) {
    c_prop = ts_node_child_by_field_id(c, w->L->f_property);
    c_obj = core(w, ts_node_child_by_field_id(c, w->L->f_object));
  }
#ifndef NDEBUG
  if (ck == K_MEMBER && !prop_pre &&
      (text_in(w, c_prop, callee_props) || text_in(w, c_prop, route_methods)))
    abort(); /* the pre-check missed a property */
#endif
  int32_t li = -1;
  if (!is_new && prop && text_is(w, c_prop, "pipe"))
    li = do_lnode(w, n, depth, c, true, lparent, lindex);
  if (li >= 0 && finit >= 0 && w->f->lnodes.data[li].init_of < 0)
    w->f->lnodes.data[li].init_of = finit;
  if (!is_new) {
    if (ck == K_ARROW || ck == K_FUNC_EXPR) {
      add_pending(w, c, depth, "<module IIFE>", false, true);
      return;
    }
    if (ck != K_MEMBER || prop)
      mark_handler_args(w, n, depth, c, ck, c_prop);
    if (ck == K_MEMBER && w->f->scopes.data[w->scope].at_load &&
        runs_callbacks_now(w, c_prop, c_obj))
      callbacks_at_load(w, n, depth, c_prop);
    /* container.set(key, value) */
    if (prop) {
      TSNode obj = c_obj;
      if (text_is(w, c_prop, "set") && kind(w, obj) == K_IDENT) {
        TSNode args = ts_node_child_by_field_id(n, w->L->f_arguments);
        TSNode val = ts_node_named_child(args, 1);
        if (!ts_node_is_null(val)) {
          il_assign a = {.op = IL_ASSIGN_SET,
                         .target = IL_TARGET_MEMBER,
                         .root = text(w, obj),
                         .prop = "set",
                         .span = span_of(obj),
                         .scope = w->scope,
                         .value_ctor = -1,
                         .decl = -1,
                         .value_decl = -1};
          il_array_push(&w->f->assigns, a);
          int32_t ai = (int32_t)w->f->assigns.len - 1;
          TSNode vc = core(w, val);
          if (kind(w, vc) == K_IDENT)
            w->f->assigns.data[ai].value_name = text(w, vc);
          push_value(w, depth, val, -1, ai);
        }
      }
    }
  }
  /* `makeSql()` where the value of a binding, an assignment or a return is made: a
   * call of a function of this file (or a global), recorded as a construction
   * with local_call so that value flow (analyzer/flow/) can give it what the function
   * returns. Imported callees are recorded below. */
  /* ... and where it is a direct argument of a recorded construction
   * (`Effect.acquireRelease(acquirePool(url), ...)`): what it returns or builds is then
   * part of that construction's value (a wrapper's client, a layer's body) */
  if (!is_new && ck == K_IDENT && (w->value >= 0 || w->ctor >= 0) &&
      !span_name_in(w, c, w->import_names.data, w->import_names.len)) {
    int32_t slot = -1;
    if (w->value >= 0) {
      const value_slot *vs = &w->values.data[w->value];
      for (uint32_t i = 0; i < vs->n && slot < 0; i++)
        if (vs->ids[i] == n.id)
          slot = (int32_t)i;
    }
    const ctor_args *top = w->args.len ? &w->args.data[w->args.len - 1] : NULL;
    bool arg = top && top->ctor >= 0 && top->ctor == w->ctor && top->owner_depth + 2 == depth;
    if (slot >= 0 || arg) {
      il_ctor k = {.root = text(w, c),
                   .path = "",
                   .span = span_of(callee),
                   .full = span_of(n),
                   .scope = w->scope,
                   .outer = w->ctor,
                   .decl = -1,
                   .assign = -1,
                   .inner = -1,
                   .local_call = true};
      il_array_push(&w->f->ctors, k);
      int32_t ki = (int32_t)w->f->ctors.len - 1;
      if (slot >= 0)
        slot_ctor(w, ki, w->values.data[w->value].gfb[slot]);
      /* what its arguments hold is "in" it: a function returning its parameter gives
       * the call what the arguments hold (value flow) */
      TSNode args = ts_node_child_by_field_id(n, w->L->f_arguments);
      if (!ts_node_is_null(args)) {
        ctor_args ca = {args.id, ki, -1, depth};
        il_array_push(&w->args, ca);
        if (w->hi < ca.owner_depth)
          w->hi = ca.owner_depth;
      }
    }
  }
  if (!chain)
    return;
  /* the callee chain: `Root`, `Root.a.b`, `Root.a().b` (segments outermost first) */
  enum { MAX_CHAIN = 16 };
  TSNode segs[MAX_CHAIN]; /* a property node, the string of a `["name"]` segment, or the
                            call node of a "()" segment */
  bool seg_call[MAX_CHAIN], seg_str[MAX_CHAIN];
  uint32_t ns = 0;
  bool through_call = false;
  TSNode cur = c;
  for (;;) {
    uint8_t kk = kind(w, cur);
    if (kk != K_MEMBER && kk != K_CALL && kk != K_SUBSCRIPT)
      break;
    if (ns == MAX_CHAIN)
      return;
    segs[ns] = cur;
    seg_call[ns] = kk == K_CALL;
    seg_str[ns] = kk == K_SUBSCRIPT;
    if (kk == K_SUBSCRIPT) { /* globalThis["fetch"]: a member named by a plain string */
      TSNode idx = ts_node_child_by_field_id(cur, w->L->f_index);
      if (ts_node_is_null(idx) || kind(w, idx) != K_STRING || !plain_name_string(w, idx))
        return;
      segs[ns] = idx;
      cur = core(w, ts_node_child_by_field_id(cur, w->L->f_object));
    } else if (kk == K_MEMBER) {
      if (ns == 0) { /* cur is the callee c */
        segs[ns] = c_prop;
        cur = c_obj;
      } else {
        segs[ns] = ts_node_child_by_field_id(cur, w->L->f_property);
        cur = core(w, ts_node_child_by_field_id(cur, w->L->f_object));
      }
    } else {
      through_call = true;
      cur = core(w, ts_node_child_by_field_id(cur, w->L->f_function));
    }
    if (ts_node_is_null(segs[ns]))
      return;
    ns++;
  }
  if (kind(w, cur) != K_IDENT)
    return;
  /* `Root.Service<Self>()("Id", {...})`: the Effect service class factory, recorded
   * as the construction "Service()" so its options are arguments of a construction */
  bool service = through_call && !is_new && ns == 2 && seg_call[0] && !seg_call[1] &&
                 text_is(w, segs[1], "Service");
  /* `Layer.effect(this)(body)`, the curried (data-last) form of Effect 4's layer
   * constructors: recorded as the construction `Layer.effect` with the body as its
   * argument (the inner call is recorded on its own, with the tag) */
  static const char *const curried_layers[] = {"effect", "scoped", "sync", "effectDiscard",
                                               "scopedDiscard", NULL};
  bool curried = through_call && !is_new && ns == 2 && seg_call[0] && !seg_call[1] &&
                 text_in(w, segs[1], curried_layers);
  /* a construction candidate: `Root` or `Root.a.b` (up to 8 members) with Root imported */
  bool imported = (!through_call || service || curried) && ns <= 8 &&
                  span_name_in(w, cur, w->import_names.data, w->import_names.len);
  TSNode leaf = ns ? segs[0] : cur;
  bool leaf_name = !(ns && seg_call[0]);
  static const char *const io_names[] = {"fetch", "connect", NULL};
  static const char *const run_names[] = {"runSync",        "runPromise", "runSyncExit",
                                          "runPromiseExit", "runFork",    NULL};
  bool is_run = !is_new && leaf_name && text_in(w, leaf, run_names);
  /* in the body of a function: calls that are I/O, timers or random values if the
   * function is called while the module loads (global-scope-io) */
  bool record = sc->at_load ||
                ((w->run >= 0 || w->mod_init >= 0) &&
                 (imported || (leaf_name && text_in(w, leaf, io_names)))) ||
                (sc->kind == IL_SCOPE_FUNCTION &&
                 text_in(w, cur, load_op_roots));
#ifndef NDEBUG
  if (!chain_pre && (imported || record))
    abort(); /* the pre-check missed a root */
#endif
  if (!imported && !record)
    return;
  size_t plen = 0;
  for (uint32_t i = 0; i < ns; i++)
    plen += seg_call[i] ? 2 : ts_node_end_byte(segs[i]) - ts_node_start_byte(segs[i]) + 1;
  char *path = il_arena_alloc(w->f->arena, plen + 1);
  size_t pn = 0;
  for (uint32_t i = ns; i-- > 0;) {
    if (seg_call[i] && curried && i == 0)
      continue;
    if (seg_call[i]) {
      memcpy(path + pn, "()", 2);
      pn += 2;
      continue;
    }
    uint32_t a = ts_node_start_byte(segs[i]), b = ts_node_end_byte(segs[i]);
    if (seg_str[i]) { /* the name between the quotes */
      a++;
      b--;
    }
    if (pn)
      path[pn++] = '.';
    memcpy(path + pn, w->src + a, b - a);
    pn += b - a;
  }
  path[pn] = '\0';
  const char *root = text(w, cur);
  il_span full = span_of(n);
  il_span tight = is_new ? span_join(full, span_of(callee)) : span_of(callee);
  int32_t ki = -1;
  if (imported) {
    il_ctor k = {.root = root,
                 .path = path,
                 .is_new = is_new,
                 .span = tight,
                 .full = full,
                 .scope = w->scope,
                 .outer = w->ctor,
                 .decl = -1,
                 .assign = -1,
                 .inner = -1};
    il_array_push(&w->f->ctors, k);
    ki = (int32_t)w->f->ctors.len - 1;
    if (li >= 0)
      w->f->lnodes.data[li].ctor = ki;
    else if (!is_new) {
      int32_t nl = do_lnode(w, n, depth, c, false, lparent, lindex); /* may grow lnodes */
      w->f->lnodes.data[nl].ctor = ki;
      if (finit >= 0 && w->f->lnodes.data[nl].init_of < 0)
        w->f->lnodes.data[nl].init_of = finit;
      if (service)
        service_deps(w, n, nl, depth);
    }
    if (w->value >= 0) {
      value_slot *vs = &w->values.data[w->value];
      for (uint32_t i = 0; i < vs->n; i++)
        if (vs->ids[i] == n.id) {
          slot_ctor(w, ki, vs->gfb[i]);
          break;
        }
    }
  }
  TSNode args = ts_node_child_by_field_id(n, w->L->f_arguments);
  int32_t ci = -1;
  if (record) {
    il_call call = {.root = root,
                    .path = path,
                    .is_new = is_new,
                    .awaited = is_awaited(w, depth),
                    .span = tight,
                    .full = full,
                    .scope = w->scope,
                    .in_run = w->run,
                    .init_of = w->mod_init,
                    .ctor = ki,
                    .decl = -1,
                    .io_call = -1,
                    .io_decl = -1};
    if (is_run && !ts_node_is_null(args)) {
      TSNode a = core(w, ts_node_named_child(args, 0));
      for (int i = 0; i < 64 && !ts_node_is_null(a); i++) {
        uint8_t ak = kind(w, a);
        if (ak == K_MEMBER)
          a = core(w, ts_node_child_by_field_id(a, w->L->f_object));
        else if (ak == K_CALL)
          a = core(w, ts_node_child_by_field_id(a, w->L->f_function));
        else
          break;
      }
      if (!ts_node_is_null(a) && kind(w, a) == K_IDENT)
        call.arg_root = text(w, a);
    }
    il_array_push(&w->f->calls, call);
    if (is_run)
      ci = (int32_t)w->f->calls.len - 1;
    if (!is_new && !imported && ns == 0 && sc->at_load)
      callbacks_of_local(w, n, depth, (int32_t)w->f->calls.len - 1);
  }
  /* references inside the arguments (not the callee) are "in" this construction, and
   * calls inside a run candidate's arguments are part of its program */
  if (!ts_node_is_null(args) && (ki >= 0 || ci >= 0)) {
    ctor_args ca = {args.id, ki, ci, depth};
    il_array_push(&w->args, ca);
    if (w->hi < ca.owner_depth)
      w->hi = ca.owner_depth;
  }
}

/* The construction whose argument list holds function n (at depth) directly, or as
 * a property value / method of an object literal argument, or -1. */
static int32_t function_arg_of(const walker *w, uint32_t depth) {
  uint32_t ad;
  const uint8_t *kd = w->kinds.data;
  if (depth >= 1 && kd[depth - 1] == K_ARGUMENTS)
    ad = depth - 1;
  else if (depth >= 2 && kd[depth - 1] == K_OBJECT && kd[depth - 2] == K_ARGUMENTS)
    ad = depth - 2;
  else if (depth >= 3 && kd[depth - 1] == K_PAIR && kd[depth - 2] == K_OBJECT &&
           kd[depth - 3] == K_ARGUMENTS)
    ad = depth - 3;
  else
    return -1;
  for (uint32_t i = w->frames.len; i-- > 0;) {
    const frame *fr = &w->frames.data[i];
    if (fr->depth < ad)
      break;
    if (fr->kind == FR_CTOR && fr->depth == ad)
      return w->ctor;
  }
  return -1;
}

static void do_function(walker *w, TSNode n, uint32_t depth, uint8_t k) {
  int32_t arg_of = function_arg_of(w, depth);
  const pending *p = find_pending(w, n);
  const char *name = p ? p->name : NULL;
  TSNode name_node = ts_node_child_by_field_id(n, w->L->f_name);
  if (!name && !ts_node_is_null(name_node))
    name = text(w, name_node);
  int32_t fd = p ? p->decl : -1;
  if (k == K_FUNC_DECL && !ts_node_is_null(name_node))
    fd = declare(w, name_node, IL_DECL_FUNCTION, w->scope);
  bool handler = p && p->handler, iife = p && p->iife;
  bool in_class = k == K_METHOD && w->klass >= 0 &&
                  w->frames.data[w->klass].depth + 2 == depth; /* class > class_body > method */
  int32_t class_decl = in_class ? w->frames.data[w->klass].b : -1;
  bool is_static = in_class && has_token(n, "static");
  bool durable = false;
  if (in_class) {
    durable = w->f->decls.data[class_decl].is_durable;
    if (durable && !text_is(w, name_node, "constructor"))
      handler = true;
  }
  if (k == K_FUNC_DECL && w->exporting && w->scope == 0 && !ts_node_is_null(name_node)) {
    if (text_in(w, name_node, route_exports))
      handler = true;
  }
  int32_t s = push_scope(w, n, depth, IL_SCOPE_FUNCTION, name);
  if (fd >= 0)
    w->f->decls.data[fd].fn = s;
  il_scope *sp = &w->f->scopes.data[s];
  sp->is_handler = handler;
  sp->once = p && p->name == plugin_setup;
  sp->at_load = iife && w->f->scopes.data[sp->parent].at_load;
  sp->is_static = is_static;
  sp->is_instance = in_class && !is_static;
  sp->is_durable = durable;
  sp->class_decl = class_decl;
  sp->arg_of = arg_of;
  sp->cb_call = p ? p->cb_call : -1;
  if (k == K_ARROW) {
    TSNode param = ts_node_child_by_field_id(n, w->L->f_parameter);
    if (!ts_node_is_null(param) && kind(w, param) == K_IDENT)
      declare(w, param, IL_DECL_PARAM, s);
    /* `() => postgres(url)`: the body is what the function returns */
    TSNode body = ts_node_child_by_field_id(n, w->L->f_body);
    if (!ts_node_is_null(body) && strcmp(ts_node_type(body), "statement_block") != 0)
      push_ret(w, depth, body);
  }
}

/* `class Db extends Effect.Service<Db>()("Db", { scoped: ... }) {}` (also
 * Context.Service / ServiceMap.Service): the factory call is the service's layer,
 * named by the static members "Db.Default", "Db.DefaultWithoutDependencies" (v3)
 * and the effect "Db.make" (v4, `Layer.effect(this, this.make)`). */
static void service_class(walker *w, TSNode v, int32_t d, uint32_t depth) {
  v = core(w, v);
  if (ts_node_is_null(v) || kind(w, v) != K_CALL || d < 0 ||
      strcmp(w->f->decls.data[d].name, "<class>") == 0)
    return;
  TSNode inner = core(w, ts_node_child_by_field_id(v, w->L->f_function));
  if (ts_node_is_null(inner) || kind(w, inner) != K_CALL)
    return;
  TSNode m = core(w, ts_node_child_by_field_id(inner, w->L->f_function));
  if (ts_node_is_null(m) || kind(w, m) != K_MEMBER ||
      !text_is(w, ts_node_child_by_field_id(m, w->L->f_property), "Service"))
    return;
  il_span sp = span_of(v);
  int32_t def = add_field(w, d, "Default", sp);
  const char *def_name = w->f->decls.data[def].name;
  alias_lnode(w, def_name, sp, add_field(w, d, "DefaultWithoutDependencies", sp));
  alias_lnode(w, def_name, sp, add_field(w, d, "make", sp));
  fslot fs = {v.id, def, depth};
  il_array_push(&w->fslots, fs);
  if (w->hi < fs.owner_depth)
    w->hi = fs.owner_depth;
}

static void do_class(walker *w, TSNode n, uint32_t depth) {
  TSNode name = ts_node_child_by_field_id(n, w->L->f_name);
  int32_t d;
  if (!ts_node_is_null(name)) {
    d = declare(w, name, IL_DECL_CLASS, w->scope);
  } else {
    il_decl anon = {.name = "<class>", .span = span_of(n), .scope = w->scope,
                    .kind = IL_DECL_CLASS, .init_ctor = -1, .owner = -1};
    il_array_push(&w->f->decls, anon);
    d = (int32_t)w->f->decls.len - 1;
  }
  /* Durable Objects and entrypoints: `extends DurableObject`, `extends cf.DurableObject` */
  uint32_t nc = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < nc; i++) {
    TSNode h = ts_node_named_child(n, i);
    if (kind(w, h) != K_HERITAGE)
      continue;
    TSNode ext = ts_node_named_child(h, 0);
    if (kind(w, ext) == K_EXTENDS) {
      TSNode v = ts_node_child_by_field_id(ext, w->L->f_value);
      if (kind(w, v) == K_MEMBER)
        v = ts_node_child_by_field_id(v, w->L->f_property);
      static const char *const bases[] = {"DurableObject", "WorkerEntrypoint",
                                          "WorkflowEntrypoint", NULL};
      if (!ts_node_is_null(v) && text_in(w, v, bases))
        w->f->decls.data[d].is_durable = true;
      service_class(w, ts_node_child_by_field_id(ext, w->L->f_value), d, depth);
    }
  }
  push_frame(w, FR_CLASS, depth, w->klass);
  w->klass = (int32_t)w->frames.len - 1;
  w->frames.data[w->klass].b = d;
}

/* Records a global-object property read. */
static void do_member(walker *w, TSNode n, TSFieldId field, uint8_t parent_kind) {
  if ((parent_kind == K_ASSIGN || parent_kind == K_AUG_ASSIGN) && field == w->L->f_left)
    return;
  /* the object, if an identifier, is the member's first token: most are not a global
   * root, and the object's lookup is then not needed */
  if (!head_may_be(w, ts_node_start_byte(n), w->alias_names.data, w->alias_names.len,
                   global_names)) {
#ifndef NDEBUG
    if (is_global_root(w, core(w, ts_node_child_by_field_id(n, w->L->f_object))))
      abort(); /* the pre-check missed a global root */
#endif
    return;
  }
  TSNode obj = core(w, ts_node_child_by_field_id(n, w->L->f_object));
  if (!is_global_root(w, obj))
    return;
  TSNode prop = kind(w, n) == K_MEMBER ? ts_node_child_by_field_id(n, w->L->f_property)
                                       : ts_node_child_by_field_id(n, w->L->f_index);
  const char *p = string_value(w, prop);
  il_global_read g = {.root = text(w, obj),
                      .prop = p ? p : ts_node_is_null(prop) ? "" : text(w, prop),
                      .span = span_of(n),
                      .scope = w->scope};
  il_array_push(&w->f->greads, g);
}

static void do_ident(walker *w, TSNode n, TSFieldId field, uint8_t parent_kind) {
  const langinfo *L = w->L;
  if (w->pattern_kind) {
    /* inside a declaration pattern: names are declared, defaults are read */
    if (!(parent_kind == K_ASSIGN_PATTERN && field == L->f_right)) {
      declare(w, n, (il_decl_kind)(w->pattern_kind - 1), w->scope);
      return;
    }
  }
  if (field == L->f_name &&
      (parent_kind == K_DECLARATOR || parent_kind == K_FUNC_DECL || parent_kind == K_CLASS_DECL ||
       parent_kind == K_CLASS || parent_kind == K_FUNC_EXPR))
    return;
  if (field == L->f_pattern && (parent_kind == K_REQ_PARAM || parent_kind == K_OPT_PARAM)) {
    declare(w, n, IL_DECL_PARAM, w->scope);
    return;
  }
  if (field == L->f_parameter && (parent_kind == K_ARROW || parent_kind == K_CATCH)) {
    if (parent_kind == K_CATCH)
      declare(w, n, IL_DECL_LET, w->scope);
    return; /* arrow parameter declared with the scope */
  }
  if ((parent_kind == K_ASSIGN || parent_kind == K_AUG_ASSIGN) && field == L->f_left)
    return;
  if (w->scope == 0 && w->ctor < 0)
    return;
  il_ref r = {.name = w->src + ts_node_start_byte(n),
              .name_len = ts_node_end_byte(n) - ts_node_start_byte(n),
              .called = n.id == w->callee,
              .span = span_of(n),
              .scope = w->scope,
              .in_ctor = w->ctor,
              .decl = -1};
  il_array_push(&w->f->refs, r);
}

/* ---- what tree-sitter-typescript 0.23.2 cannot parse ------------------------------
 * Valid TypeScript the grammar leaves small ERROR nodes of a known shape in. Two
 * remedies, both only for a tree that has errors: a same-length rewrite of the text
 * and a second parse (patch_source: the tree then has the real nodes, so the facts
 * around them are kept), and, in the walk, ERROR nodes recognized as harmless
 * (benign_error: not counted as syntax errors). */

/* An ERROR node the walk need not count: `type` alone in an export statement
 * (`export type * from "./a"`: the re-export itself is parsed), or a bare `&` in
 * JSX text (`<p>Tom & Jerry</p>`: text, no facts in it). */
static bool benign_error(TSNode n, uint8_t parent_kind) {
  uint32_t nc = ts_node_child_count(n);
  if (nc == 0)
    return false;
  const char *first = ts_node_type(ts_node_child(n, 0));
  if (parent_kind == K_EXPORT)
    return nc == 1 && !ts_node_is_named(ts_node_child(n, 0)) && strcmp(first, "type") == 0;
  if (parent_kind == K_JSX)
    return !ts_node_is_named(ts_node_child(n, 0)) && (strcmp(first, "&") == 0 || strcmp(first, "&&") == 0);
  return false;
}

/* Blanks [a, b) of the patched copy: spaces, line breaks kept (lines stay where they are). */
static void blank(char *p, uint32_t a, uint32_t b) {
  for (uint32_t i = a; i < b; i++)
    if (p[i] != '\n' && p[i] != '\r')
      p[i] = ' ';
}

static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || (unsigned char)c >= 0x80;
}

/* The length of the identifier starting at s[i] (0 when none does). */
static uint32_t word_len(const char *s, uint32_t i, uint32_t len) {
  uint32_t k = i;
  while (k < len && ident_char(s[k]))
    k++;
  return k - i;
}

/* Whether a type parameter's name starts at s[i] (after a variance annotation):
 * `[out] T` followed by `,`, `>`, `=` (not `==`, `=>`) or `extends`. */
static bool type_param_at(const char *s, uint32_t i, uint32_t len) {
  uint32_t w = word_len(s, i, len);
  if (w == 3 && memcmp(s + i, "out", 3) == 0) { /* `in out T` */
    i += w;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
      i++;
    w = word_len(s, i, len);
  }
  if (w == 0)
    return false;
  uint32_t k = i + w;
  while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r'))
    k++;
  if (k >= len)
    return false;
  if (s[k] == ',' || s[k] == '>')
    return true;
  if (s[k] == '=')
    return k + 1 < len && s[k + 1] != '=' && s[k + 1] != '>';
  return word_len(s, k, len) == 7 && memcmp(s + k, "extends", 7) == 0;
}

/* Counts the ERROR and MISSING nodes of a tree the walk would count: it descends
 * only into subtrees that have an error (cheap on a tree with a few), never into
 * types (K_TYPE_SKIP, not walked either). With patch, also blanks there the
 * type arguments of an instantiation expression a template follows: `sql<Row[]>`...``
 * is a tagged template the grammar does not know (an ERROR, or a MISSING `!`). */
static uint32_t error_count(const langinfo *L, TSNode root, const char *src, uint32_t len,
                            char *patch) {
  uint32_t n = 0;
  TSTreeCursor c = ts_tree_cursor_new(root);
  for (;;) {
    TSNode x = ts_tree_cursor_current_node(&c);
    bool err = ts_node_is_missing(x) || ts_node_symbol(x) == (TSSymbol)-1 ||
               strcmp(ts_node_type(x), "ERROR") == 0;
    n += err;
    if (patch && !err && ts_node_is_named(x)) {
      /* the instantiation itself, or the operand a MISSING `!` was put after
       * (`await sql<T>`...``, `yield* sql<T>`...``): down its last operands */
      const char *t = ts_node_type(x);
      TSNode y = x;
      int hops = strcmp(t, "instantiation_expression") == 0 ? 1
                 : strcmp(t, "non_null_expression") == 0  ? 4
                                                          : 0;
      for (; hops > 0 && !ts_node_is_null(y); hops--) {
        uint32_t nk = ts_node_named_child_count(y);
        if (strcmp(ts_node_type(y), "instantiation_expression") == 0) {
          uint32_t e = ts_node_end_byte(y);
          TSNode ta = ts_node_named_child(y, nk - 1);
          if (e < len && src[e] == '`' && strcmp(ts_node_type(ta), "type_arguments") == 0)
            blank(patch, ts_node_start_byte(ta), ts_node_end_byte(ta));
          break;
        }
        y = nk ? ts_node_named_child(y, nk - 1) : (TSNode){0};
      }
    }
    /* into a child with an error, or any child of one (to see the instantiations) */
    TSSymbol sym = ts_node_symbol(x);
    bool skip = sym < L->n_symbols && L->kind_of[sym] == K_TYPE_SKIP;
    if (!skip && ts_node_has_error(x) && ts_tree_cursor_goto_first_child(&c))
      continue;
    while (!ts_tree_cursor_goto_next_sibling(&c))
      if (!ts_tree_cursor_goto_parent(&c)) {
        ts_tree_cursor_delete(&c);
        return n;
      }
  }
}

/* The offset + 1 of the significant character before i (skipping blanks, block
 * comments and whole-line `//` comments), or 0. */
static uint32_t prev_significant(const char *s, uint32_t i) {
  while (i > 0) {
    char ch = s[i - 1];
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      i--;
    } else if (ch == '\n') {
      /* a previous line that is only a `//` comment is skipped whole */
      uint32_t ls = i - 1;
      while (ls > 0 && s[ls - 1] != '\n')
        ls--;
      uint32_t k = ls;
      while (k < i - 1 && (s[k] == ' ' || s[k] == '\t'))
        k++;
      i = (k + 1 < i - 1 && s[k] == '/' && s[k + 1] == '/') ? ls : i - 1;
    } else if (ch == '/' && i >= 2 && s[i - 2] == '*') {
      uint32_t k = i - 2;
      while (k >= 2 && !(s[k - 2] == '/' && s[k - 1] == '*'))
        k--;
      if (k < 2)
        return 0;
      i = k - 2;
    } else {
      return i;
    }
  }
  return 0;
}

/* Same-length rewrites of text the grammar cannot parse, into patch (a copy of src):
 * - in .ts, a generic call or construct signature on a line of its own after a type
 *   (`(a: A) => Effect<A>` then `<A, B>(self: ...): ...` in an overloaded object type):
 *   the grammar reads the `<` as the type's arguments; a `;` in the indentation
 *   before it separates the members as TypeScript does (it never continues a type
 *   reference with `<` across a line break);
 * - `f<typeof import("./m")>(...)`: type arguments naming an import type, blanked
 *   (the grammar reads `f < typeof import(...) > (...)`).
 * Returns whether anything was rewritten. */
static bool patch_text(const char *s, uint32_t len, char *patch, bool tsx) {
  bool any = false;
  for (uint32_t i = 1; !tsx && i < len; i++) {
    if (s[i] != '<' || (s[i - 1] != ' ' && s[i - 1] != '\t'))
      continue;
    uint32_t ls = i;
    while (ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
      ls--;
    if (ls == 0 || s[ls - 1] != '\n' || i + 1 >= len || !(ident_char(s[i + 1]) || s[i + 1] == '\n'))
      continue;
    uint32_t pi = prev_significant(s, ls);
    char pc = pi ? s[pi - 1] : 0;
    if (ident_char(pc) || pc == ')' || pc == ']' || pc == '}' ||
        (pc == '>' && pi >= 2 && s[pi - 2] != '=')) { /* `=>` then a generic arrow: no */
      patch[i - 1] = ';';
      any = true;
    }
  }
  for (const char *p = s; (p = memchr(p, '`', len - (size_t)(p - s))) != NULL; p++) {
    /* an escaped backtick (an odd run of backslashes before it), which the grammar
     * does not know in a template literal type: blanked with its backslash */
    uint32_t k = (uint32_t)(p - s), bs = 0;
    while (bs < k && s[k - 1 - bs] == '\\')
      bs++;
    if (bs % 2 == 1) {
      blank(patch, k - 1, k + 1);
      any = true;
    }
  }
  for (uint32_t i = 0; i + 2 < len; i++) {
    if (s[i] == '?' && s[i + 1] == '.' && s[i + 2] >= '0' && s[i + 2] <= '9') {
      /* `c?.5:1` is a conditional, not optional chaining (the grammar reads `?.`) */
      patch[i + 1] = ' ';
      any = true;
      continue;
    }
    if ((s[i] != 'i' && s[i] != 'o' && s[i] != 'l' && s[i] != 'u') || (i > 0 && ident_char(s[i - 1])))
      continue;
    uint32_t w = word_len(s, i, len), next = i + w;
    while (next < len && (s[next] == ' ' || s[next] == '\t'))
      next++;
    uint32_t pi = prev_significant(s, i);
    char pc = pi ? s[pi - 1] : 0, nc = next < len ? s[next] : 0;
    if (!tsx && ((w == 2 && memcmp(s + i, "in", 2) == 0) || (w == 3 && memcmp(s + i, "out", 3) == 0)) &&
        (pc == '<' || pc == ',') && next > i + w && ident_char(nc) && type_param_at(s, next, len)) {
      /* a variance annotation, `<in out T, out U>`: blanked (the grammar does not know them) */
      blank(patch, i, i + w);
      uint32_t w2 = word_len(s, next, len);
      if (w == 2 && w2 == 3 && memcmp(s + next, "out", 3) == 0)
        blank(patch, next, next + 3);
      any = true;
    } else if (((w == 2 && memcmp(s + i, "in", 2) == 0) || (w == 10 && memcmp(s + i, "instanceof", 10) == 0)) &&
               i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t') && pi && pi < i &&
               memchr(s + pi, '\n', i - pi) && (ident_char(pc) || pc == ')' || pc == ']' || pc == '}' || pc == '"' || pc == '\'') &&
               (nc == ':' || (nc == '?' && next + 1 < len && s[next + 1] == ':') ||
                (nc == '=' && next + 1 < len && s[next + 1] != '=' && s[next + 1] != '>'))) {
      /* a member named `in` on a line of its own after one without `;` (`name: string` then
       * `in: string`): the grammar reads `string in ...`; a `;` in the indentation ends the
       * member before it, as TypeScript does */
      patch[i - 1] = ';';
      any = true;
    } else if (w == 3 && memcmp(s + i, "let", 3) == 0 && next > i + 3 && next + 2 <= len &&
               memcmp(s + next, "as", 2) == 0 && word_len(s, next, len) == 2) {
      /* `let as = ...`: a variable named `as`, renamed in the copy (names are read from the text) */
      uint32_t k = next + 2;
      while (k < len && (s[k] == ' ' || s[k] == '\t'))
        k++;
      if (k < len && (s[k] == '=' || s[k] == ':' || s[k] == ',' || s[k] == ';')) {
        patch[next] = '_';
        any = true;
      }
    } else if (w == 5 && memcmp(s + i, "using", 5) == 0 && !(next > i + 5 && ident_char(nc))) {
      /* `using` as a name (a parameter, a variable read), not a `using x =` declaration:
       * renamed in the copy, which the grammar then reads as an identifier */
      patch[i + 4] = '_';
      any = true;
    }
    i += w ? w - 1 : 0;
  }
  static const char tq[] = "<typeof import(";
  for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), tq, sizeof tq - 1)) != NULL; p++) {
    uint32_t lt = (uint32_t)(p - s);
    if (lt == 0 || !ident_char(s[lt - 1]))
      continue;
    int depth = 0, par = 0;
    uint32_t k = lt, end = lt + 1024 < len ? lt + 1024 : len;
    for (; k < end; k++) {
      char ch = s[k];
      if (ch == '(')
        par++;
      else if (ch == ')')
        par--;
      else if (ch == '<')
        depth++;
      else if (ch == '>' && s[k - 1] != '=' && --depth == 0)
        break;
      else if (ch == ';' || par < 0)
        break;
    }
    if (k < end && depth == 0 && par == 0 && k + 1 < len && (s[k + 1] == '(' || s[k + 1] == '`')) {
      blank(patch, lt, k + 1);
      any = true;
    }
  }
  return any;
}

/* Handles entering node n at depth; returns whether to descend into it. */
static bool enter(walker *w, TSNode n, uint8_t k, uint32_t depth, uint8_t parent_kind) {
  if (k == K_NONE)
    return true;
  const langinfo *L = w->L;
  switch (k) {
  case K_IMPORT:
    return false; /* handled before the walk */
  case K_TYPE_SKIP:
  case K_STRING:
    return false;
  case K_ERROR:
    if (benign_error(n, parent_kind))
      return false;
    if (w->f->n_syntax_errors++ == 0)
      w->f->first_syntax_error = span_of(n);
    return false;
  case K_COMMENT:
    il_facts_comment(w->f, span_of(n));
    return false;
  case K_EXPORT: {
    if (w->scope == 0)
      do_export(w, n);
    push_frame(w, FR_EXPORT, depth, w->exporting);
    w->exporting = true;
    if (has_token(n, "default")) {
      TSNode v = ts_node_child_by_field_id(n, L->f_value);
      mark_entry_object(w, core(w, v), depth);
      if (w->scope == 0)
        default_object(w, core(w, v));
      /* `export default Layer.scoped(...)`: a binding named "default" (no reference can
       * name it) initialized by the call, so other files can follow the layer */
      TSNode vc = core(w, v);
      if (w->scope == 0 && !ts_node_is_null(vc) && kind(w, vc) == K_CALL && w->mod_init < 0) {
        int32_t d = declare(w, vc, IL_DECL_CONST, 0);
        w->f->decls.data[d].name = "default";
        push_value(w, depth, v, d, -1);
        push_frame(w, FR_MODINIT, depth, w->mod_init);
        w->mod_init = d;
      }
    }
    return true;
  }
  case K_LEXDECL:
  case K_VARDECL: {
    push_frame(w, FR_DECLKIND, depth, (int32_t)w->decl_kind);
    il_decl_kind dk = IL_DECL_VAR;
    if (k == K_LEXDECL)
      dk = has_token(n, "const") ? IL_DECL_CONST : IL_DECL_LET;
    w->decl_kind = dk;
    return true;
  }
  case K_DECLARATOR:
    do_declarator(w, n, depth);
    return true;
  case K_OBJ_PATTERN:
  case K_ARR_PATTERN:
  case K_REST_PATTERN:
    if (!w->pattern_kind) {
      TSFieldId field = cur_field(w);
      il_decl_kind dk;
      if (field == L->f_name && parent_kind == K_DECLARATOR)
        dk = w->decl_kind;
      else if (field == L->f_pattern && (parent_kind == K_REQ_PARAM || parent_kind == K_OPT_PARAM))
        dk = IL_DECL_PARAM;
      else if (field == L->f_parameter && parent_kind == K_CATCH)
        dk = IL_DECL_LET;
      else
        return true; /* destructuring assignment: not a declaration */
      push_frame(w, FR_PATTERN, depth, w->pattern_kind);
      w->pattern_kind = (int32_t)dk + 1;
    }
    return true;
  case K_SHORTHAND_PAT:
    if (w->pattern_kind)
      declare(w, n, (il_decl_kind)(w->pattern_kind - 1), w->scope);
    return false;
  case K_NEW:
    do_call(w, n, depth, true);
    return true;
  case K_CALL:
    do_call(w, n, depth, false);
    return true;
  case K_MEMBER:
  case K_SUBSCRIPT:
    do_member(w, n, parent_kind == K_ASSIGN || parent_kind == K_AUG_ASSIGN ? cur_field(w) : 0,
              parent_kind);
    return true;
  case K_ASSIGN:
  case K_AUG_ASSIGN: {
    TSNode left = ts_node_child_by_field_id(n, L->f_left);
    TSNode right = ts_node_child_by_field_id(n, L->f_right);
    if (ts_node_is_null(left) || ts_node_is_null(right))
      return true;
    il_assign_op op = IL_ASSIGN_EQ;
    if (k == K_AUG_ASSIGN) {
      const char *o = operator_of(w, n);
      if (strcmp(o, "?\?=") == 0)
        op = IL_ASSIGN_NULLISH;
      else if (strcmp(o, "||=") == 0)
        op = IL_ASSIGN_OR;
      else
        return true;
    }
    record_assign(w, n, depth, op, left, right);
    return true;
  }
  case K_FUNC_DECL:
  case K_FUNC_EXPR:
  case K_ARROW:
  case K_METHOD:
    do_function(w, n, depth, k);
    return true;
  case K_RETURN:
    if (ts_node_named_child_count(n))
      push_ret(w, depth, ts_node_named_child(n, 0));
    return true;
  case K_CLASS_DECL:
  case K_CLASS:
    do_class(w, n, depth);
    return true;
  case K_FIELD: {
    TSNode value = ts_node_child_by_field_id(n, L->f_value);
    if (ts_node_is_null(value))
      return true;
    bool is_static = has_token(n, "static");
    int32_t class_decl = w->klass >= 0 ? w->frames.data[w->klass].b : -1;
    int32_t fd = -1;
    if (is_static && class_decl >= 0) {
      TSNode name = ts_node_child_by_field_id(n, L->f_name);
      if (!ts_node_is_null(name)) {
        il_decl d = {.name = il_arena_printf(w->f->arena, "%s.%s",
                                             w->f->decls.data[class_decl].name, text(w, name)),
                     .span = span_of(name),
                     .scope = w->scope,
                     .kind = IL_DECL_FIELD,
                     .init_ctor = -1,
                     .owner = class_decl};
        d.init_kind = init_kind_of(w, value);
        il_array_push(&w->f->decls, d);
        fd = (int32_t)w->f->decls.len - 1;
      }
    }
    int32_t s = push_scope(w, n, depth, is_static ? IL_SCOPE_STATIC : IL_SCOPE_FUNCTION,
                           is_static ? "<static initializer>" : "<field initializer>");
    il_scope *sp = &w->f->scopes.data[s];
    sp->is_instance = !is_static;
    sp->is_static = is_static;
    sp->class_decl = class_decl;
    if (fd >= 0) {
      /* `static Live = OtherLive` / `= this.Default`: an alias of a layer binding */
      TSNode vc = core(w, value);
      uint8_t vk = ts_node_is_null(vc) ? 0 : kind(w, vc);
      const char *an = vk == K_IDENT ? text(w, vc) : vk == K_MEMBER ? member_name(w, vc) : NULL;
      if (an)
        alias_lnode(w, an, span_of(vc), fd);
    }
    push_value(w, depth, value, fd, -1);
    return true;
  }
  case K_STATIC_BLOCK: {
    int32_t s = push_scope(w, n, depth, IL_SCOPE_STATIC, "<static block>");
    w->f->scopes.data[s].is_static = true;
    w->f->scopes.data[s].class_decl = w->klass >= 0 ? w->frames.data[w->klass].b : -1;
    return true;
  }
  case K_ARGUMENTS:
    if (w->args.len && w->args.data[w->args.len - 1].id == n.id) {
      const ctor_args *ca = &w->args.data[w->args.len - 1];
      if (ca->ctor >= 0) {
        push_frame(w, FR_CTOR, depth, w->ctor);
        w->ctor = ca->ctor;
      }
      if (ca->run >= 0) {
        push_frame(w, FR_RUN, depth, w->run);
        w->run = ca->run;
      }
    }
    return true;
  case K_IDENT:
    /* do_ident only asks for the field under these parents: the lookup is not free */
    switch (parent_kind) {
    case K_DECLARATOR:
    case K_FUNC_DECL:
    case K_CLASS_DECL:
    case K_CLASS:
    case K_FUNC_EXPR:
    case K_REQ_PARAM:
    case K_OPT_PARAM:
    case K_ARROW:
    case K_CATCH:
    case K_ASSIGN:
    case K_AUG_ASSIGN:
    case K_ASSIGN_PATTERN:
      do_ident(w, n, cur_field(w), parent_kind);
      break;
    default:
      do_ident(w, n, 0, parent_kind);
    }
    return false;
  case K_SHORTHAND_PROP:
    do_ident(w, n, 0, parent_kind);
    return false;
  default:
    return true;
  }
}

/* The cursor walk. A parent's child count (the visible children the cursor steps
 * through) says when its last child is done, so the walk goes up at once: a
 * ts_tree_cursor_goto_next_sibling that finds no sibling costs as much as one that
 * does (it climbs to the parent and back to look). */
static void walk(walker *w, TSNode root) {
  TSTreeCursor cur = ts_tree_cursor_new(root);
  w->cur = &cur;
  w->aux = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  il_array_push(&w->kinds, (uint8_t)K_NONE);
  il_array_push(&w->left, 0u);
  /* MISSING nodes carry an error cost, so a tree without errors has none */
  bool may_miss = ts_node_has_error(root);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cur);
    uint8_t parent_kind = depth ? w->kinds.data[depth - 1] : K_NONE;
    if (may_miss && ts_node_is_missing(n) && w->f->n_syntax_errors++ == 0)
      w->f->first_syntax_error = span_of(n);
    uint8_t k = kind(w, n);
    bool descend = enter(w, n, k, depth, parent_kind);
    w->kinds.data[depth] = k;
    uint32_t nc = descend ? ts_node_child_count(n) : 0;
    if (nc && ts_tree_cursor_goto_first_child(&cur)) {
      depth++;
      if (w->kinds.len <= depth) {
        il_array_grow(&w->kinds, 1);
        w->kinds.len = depth + 1;
        il_array_grow(&w->left, 1);
        w->left.len = depth + 1;
      }
      w->left.data[depth] = nc - 1;
      continue;
    }
    for (;;) {
      leave(w, depth);
      if (w->left.data[depth]) {
        w->left.data[depth]--;
        if (ts_tree_cursor_goto_next_sibling(&cur))
          break;
      }
#ifndef NDEBUG
      /* debug builds ask the cursor anyway (a failed call leaves it where it is) */
      else if (ts_tree_cursor_goto_next_sibling(&cur))
        abort(); /* the child count missed a sibling */
#endif
      if (!ts_tree_cursor_goto_parent(&cur))
        goto done;
      depth--;
    }
  }
done:
  ts_tree_cursor_delete(&w->aux);
  ts_tree_cursor_delete(&cur);
}

/* A parser per file, on the thread's pool (ts_pool.h): when the file's walk is done,
 * its tree and parser are deleted and the pool's slabs go back to malloc, so the
 * memory the parse needed at its peak serves the facts and the next file alike,
 * and peak memory is what it was with tree-sitter on malloc. A parse that fails
 * (timeout) leaves its parser for the thread's next file; the thread-local pointer
 * keeps it reachable, and the key's destructor frees it when a worker thread ends. */
static pthread_key_t parser_key;
static pthread_once_t parser_key_once = PTHREAD_ONCE_INIT;
static _Thread_local TSParser *tl_parser;

static void parser_free(void *p) {
  ts_parser_delete(p);
  ts_pool_release(); /* the thread's last tree-sitter object is gone */
}
static void parser_key_init(void) { (void)pthread_key_create(&parser_key, parser_free); }

static TSParser *thread_parser(void) {
  if (!tl_parser) {
    pthread_once(&parser_key_once, parser_key_init);
    tl_parser = ts_parser_new();
    (void)pthread_setspecific(parser_key, tl_parser);
  }
  return tl_parser;
}

/* Deletes the thread's parser and gives its pool back. */
static void thread_parser_done(void) {
  if (!tl_parser)
    return;
  (void)pthread_setspecific(parser_key, NULL);
  parser_free(tl_parser);
  tl_parser = NULL;
}

/* A tree with errors: the text rewritten where the grammar is known to fail
 * (patch_text, error_count), parsed again, and that tree kept if it has fewer errors.
 * The rewrite keeps every byte offset, so the facts read names from the real text. */
/* Tells tree about each run of bytes where patch differs from src (same length), so
 * that a parse of patch with it reuses everything else: the second parse costs what
 * the rewritten places cost, not the file. One pass over the text for the points. */
static void advance(TSPoint *p, char c) {
  if (c == '\n') {
    p->row++;
    p->column = 0;
  } else {
    p->column++;
  }
}

static void edit_patched(TSTree *tree, const char *src, const char *patch, uint32_t len) {
  /* edits apply in turn: each one's start is in the text the earlier ones made, the
   * patched text up to there */
  TSPoint at = {0, 0};
  for (uint32_t i = 0; i < len;) {
    bool same = src[i] == patch[i];
    TSInputEdit e = {.start_byte = i, .start_point = at, .old_end_point = at};
    uint32_t j = i;
    for (; j < len && (src[j] == patch[j]) == same; j++) {
      advance(&e.old_end_point, src[j]);
      advance(&at, patch[j]);
    }
    if (!same) {
      e.old_end_byte = e.new_end_byte = j;
      e.new_end_point = at;
      ts_tree_edit(tree, &e);
    }
    i = j;
  }
}

static TSTree *reparse(const langinfo *L, TSParser *parser, TSTree *tree, const char *src,
                       uint32_t len) {
  char *patch = il_xmalloc(len ? len : 1);
  memcpy(patch, src, len);
  uint32_t before = error_count(L, ts_tree_root_node(tree), src, len, patch);
  if (before && (patch_text(src, len, patch, L == &tsx_info) || memcmp(patch, src, len) != 0)) {
    TSTree *old = ts_tree_copy(tree);
    edit_patched(old, src, patch, len);
    TSTree *t2 = ts_parser_parse_string(parser, old, patch, len);
    ts_tree_delete(old);
    if (!t2) {
      ts_parser_reset(parser);
    } else if (error_count(L, ts_tree_root_node(t2), patch, len, NULL) < before) {
      ts_tree_delete(tree);
      tree = t2;
    } else {
      ts_tree_delete(t2);
    }
  }
  free(patch);
  return tree;
}

bool il_ts_extract(il_facts *f, char **err) {
  pthread_once(&info_once, info_init);
  const langinfo *L = f->lang == IL_LANG_TS ? &ts_info : &tsx_info;
  TSParser *parser = thread_parser();
  if (ts_parser_language(parser) != L->lang && !ts_parser_set_language(parser, L->lang)) {
    *err = il_xstrdup("the TypeScript grammar is incompatible with the tree-sitter library");
    return false;
  }
  if (f->len > UINT32_MAX) {
    *err = il_xstrdup("file is larger than 4 GiB");
    return false;
  }
  ts_parser_set_timeout_micros(parser, f->parse_timeout_us); /* 0: none */
  TSTree *tree = ts_parser_parse_string(parser, NULL, f->src, (uint32_t)f->len);
  if (!tree) {
    ts_parser_reset(parser); /* else the next parse would resume this one */
    f->timed_out = f->parse_timeout_us != 0;
    *err = il_xstrdup("the parser gave up on this file");
    return false;
  }
  if (ts_node_has_error(ts_tree_root_node(tree)))
    tree = reparse(L, parser, tree, f->src, (uint32_t)f->len);
  TSNode root = ts_tree_root_node(tree);
  walker w = {.f = f, .L = L, .src = f->src, .scope = 0, .ctor = -1, .value = -1, .klass = -1,
              .run = -1, .mod_init = -1, .decl_kind = IL_DECL_VAR};
  /* imports first: a construction is only recorded when its callee's root is imported */
  /* one cursor pass over the top-level statements: ts_node_named_child(root, i) walks
   * the children from the first each time (quadratic in a file of many statements) */
  TSTreeCursor top = ts_tree_cursor_new(root);
  for (bool more = ts_tree_cursor_goto_first_child(&top); more;
       more = ts_tree_cursor_goto_next_sibling(&top)) {
    TSNode c = ts_tree_cursor_current_node(&top);
    if (ts_node_is_named(c) && kind(&w, c) == K_IMPORT)
      do_import(&w, c);
  }
  ts_tree_cursor_delete(&top);
  walk(&w, root);
  default_router(&w);
  il_array_free(&w.frames);
  il_array_free(&w.values);
  il_array_free(&w.pend);
  il_array_free(&w.args);
  il_array_free(&w.lslots);
  il_array_free(&w.fslots);
  il_array_free(&w.kinds);
  il_array_free(&w.left);
  il_array_free(&w.import_names);
  il_array_free(&w.alias_names);
  ts_tree_delete(tree);
  thread_parser_done();
  return true;
}
