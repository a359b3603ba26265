/* Per-directory configuration: which isolint.json files apply to a directory (its own and
 * those above it, up to "root": true, the top of the repository or "/"), merged farthest
 * first, then the "overrides" that match a file, then the command line. Each directory is
 * resolved once and kept in a table by absolute path; directories without an isolint.json
 * share their parent's configuration, so there are as many configurations as files (and
 * combinations of matching overrides), not as directories. Used from one thread at a time
 * (discovery, the serial parts of a scan). */
#include "core/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/path.h"
#include "core/config_int.h"

typedef struct node node;

struct node {
  il_config cfg;                          /* effective: the files, overrides, command line */
  IL_ARRAY(const il_config_file *) files; /* the isolint.json files, farthest first */
  IL_ARRAY(node *) derived;               /* the same with matching overrides (by key) */
  char *key;                              /* derived: '1' per override of files that matched */
};

typedef struct {
  char *dir; /* owned */
  node *nd;
} dir_slot;

struct il_config_set {
  il_config *base;
  il_config_layer cli;
  bool fixed;     /* --config FILE or --no-config: top for every directory */
  bool anchored;  /* globs relative to each file's directory (not --config) */
  node *top;      /* no isolint.json (or the --config file) */
  IL_ARRAY(il_config_file *) files; /* every file read (owned), in the order read */
  uint32_t n_clients_added;         /* files[0..n) had their turn at the knowledge base */
  IL_ARRAY(node *) nodes;           /* owned */
  dir_slot *table;                  /* open addressing, dir NULL: empty */
  uint32_t cap, len;
  char *error;
  bool sealed;
  const il_config *run;  /* the run's configuration (seal) */
  il_file_out pending;   /* notes about files read after the seal */
  bool has_pending;
};

static node *node_new(il_config_set *s, const il_config_file *const *files, uint32_t n,
                      const il_config_file *more) {
  node *nd = il_xcalloc(1, sizeof *nd);
  for (uint32_t i = 0; i < n; i++)
    il_array_push(&nd->files, files[i]);
  if (more)
    il_array_push(&nd->files, more);
  il_config_copy(&nd->cfg, s->base);
  for (uint32_t i = 0; i < nd->files.len; i++)
    il_config_apply_file(&nd->cfg, nd->files.data[i], s->anchored);
  il_config_apply_layer(&nd->cfg, &s->cli);
  nd->cfg.origin = nd;
  il_array_push(&s->nodes, nd);
  return nd;
}

static void node_free(node *nd) {
  il_config_fini(&nd->cfg);
  il_array_free(&nd->files);
  il_array_free(&nd->derived);
  free(nd->key);
  free(nd);
}

/* A file read later than the seal: its run-wide keys are not used, and a note says so. */
static void note_late(il_config_set *s, const il_config_file *f);

static il_config_file *read_file(il_config_set *s, const char *path) {
  char *err = NULL;
  il_config_file *f = il_config_file_read(path, &err);
  if (!f) {
    if (!s->error)
      s->error = err;
    else
      free(err);
    return NULL;
  }
  il_array_push(&s->files, f);
  if (s->sealed)
    note_late(s, f);
  return f;
}

il_config_set *il_config_set_new(il_config *base, const il_config_layer *cli, const char *fixed,
                                 bool no_config, char **err) {
  il_config_set *s = il_xcalloc(1, sizeof *s);
  s->base = base;
  if (cli)
    s->cli = *cli;
  else
    il_config_layer_init(&s->cli);
  s->fixed = fixed || no_config;
  s->anchored = !fixed;
  il_file_out_init(&s->pending);
  il_config_file *f = NULL;
  if (fixed && !(f = read_file(s, fixed))) {
    *err = s->error;
    s->error = NULL;
    il_config_set_free(s);
    return NULL;
  }
  if (f) /* --config FILE: its overrides match display paths, as its other globs do */
    for (uint32_t i = 0; i < f->overrides.len; i++)
      for (uint32_t k = 0; k < f->overrides.data[i].files.len; k++) {
        free(f->overrides.data[i].files.data[k].base);
        f->overrides.data[i].files.data[k].base = NULL;
      }
  s->top = node_new(s, NULL, 0, f);
  return s;
}

void il_config_set_free(il_config_set *s) {
  if (!s)
    return;
  for (uint32_t i = 0; i < s->nodes.len; i++)
    node_free(s->nodes.data[i]);
  il_array_free(&s->nodes);
  for (uint32_t i = 0; i < s->files.len; i++)
    il_config_file_free(s->files.data[i]);
  il_array_free(&s->files);
  for (uint32_t i = 0; i < s->cap; i++)
    free(s->table[i].dir);
  free(s->table);
  free(s->error);
  il_file_out_fini(&s->pending);
  free(s);
}

const char *il_config_set_error(const il_config_set *s) {
  return s->error;
}

/* ---- the table of directories ------------------------------------------------------ */

static uint32_t slot_of(const il_config_set *s, const char *dir) {
  uint64_t h = il_fnv64(IL_FNV64_INIT, dir, strlen(dir));
  uint32_t j = (uint32_t)(h ^ (h >> 32)) & (s->cap - 1);
  while (s->table[j].dir && strcmp(s->table[j].dir, dir) != 0)
    j = (j + 1) & (s->cap - 1);
  return j;
}

static node *lookup(const il_config_set *s, const char *dir) {
  if (!s->cap)
    return NULL;
  uint32_t j = slot_of(s, dir);
  return s->table[j].dir ? s->table[j].nd : NULL;
}

static void insert(il_config_set *s, const char *dir, node *nd) {
  if ((s->len + 1) * 2 > s->cap) {
    dir_slot *old = s->table;
    uint32_t old_cap = s->cap;
    s->cap = s->cap ? s->cap * 2 : 64;
    s->table = il_xcalloc(s->cap, sizeof *s->table);
    for (uint32_t i = 0; i < old_cap; i++)
      if (old[i].dir)
        s->table[slot_of(s, old[i].dir)] = old[i];
    free(old);
  }
  uint32_t j = slot_of(s, dir);
  if (!s->table[j].dir) {
    s->table[j].dir = il_xstrdup(dir);
    s->len++;
  }
  s->table[j].nd = nd;
}

static bool listed(char *const *names, uint32_t n, const char *name) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = strcmp(names[mid], name);
    if (c == 0)
      return true;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

static node *node_of_dir(il_config_set *s, const char *dir, char *const *names, uint32_t n) {
  node *nd = lookup(s, dir);
  if (nd)
    return nd;
  char *cand = il_path_dir_file(dir, "isolint.json");
  struct stat st;
  bool has_cfg = (!names || listed(names, n, "isolint.json")) && stat(cand, &st) == 0 &&
                 S_ISREG(st.st_mode);
  char *git = names ? NULL : il_path_dir_file(dir, ".git");
  bool has_git = names ? listed(names, n, ".git") : lstat(git, &st) == 0;
  free(git);
  const il_config_file *f = has_cfg ? read_file(s, cand) : NULL;
  free(cand);
  /* the search stops at "root": true, at the top of a repository and at "/" */
  node *parent = s->top;
  if (!(f && f->root) && !has_git && strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    parent = node_of_dir(s, up, NULL, 0);
    free(up);
  }
  nd = f ? node_new(s, f->root ? NULL : parent->files.data, f->root ? 0 : parent->files.len, f)
         : parent;
  insert(s, dir, nd);
  return nd;
}

const il_config *il_config_set_dir(il_config_set *s, const char *abs_dir, char *const *names,
                                   uint32_t n) {
  if (s->fixed)
    return &s->top->cfg;
  return &node_of_dir(s, abs_dir, names, n)->cfg;
}

/* ---- overrides --------------------------------------------------------------------- */

const il_config *il_config_set_file(il_config_set *s, const il_config *dir_cfg,
                                    const char *abs_path, const char *display) {
  node *nd = (node *)dir_cfg->origin;
  if (!nd || nd->key) /* not ours, or a file's already */
    return dir_cfg;
  uint32_t n_ov = 0;
  for (uint32_t i = 0; i < nd->files.len; i++)
    n_ov += nd->files.data[i]->overrides.len;
  if (!n_ov)
    return dir_cfg;
  if (!display)
    display = abs_path;
  char *key = il_xmalloc(n_ov + 1);
  bool any = false;
  uint32_t k = 0;
  for (uint32_t i = 0; i < nd->files.len; i++) {
    const il_config_file *f = nd->files.data[i];
    for (uint32_t o = 0; o < f->overrides.len; o++) {
      bool hit = il_globs_match(f->overrides.data[o].files.data, f->overrides.data[o].files.len,
                                display, abs_path);
      key[k++] = hit ? '1' : '0';
      any |= hit;
    }
  }
  key[k] = '\0';
  if (!any) {
    free(key);
    return dir_cfg;
  }
  for (uint32_t i = 0; i < nd->derived.len; i++)
    if (strcmp(nd->derived.data[i]->key, key) == 0) {
      free(key);
      return &nd->derived.data[i]->cfg;
    }
  node *dv = il_xcalloc(1, sizeof *dv);
  dv->key = key;
  il_config_copy(&dv->cfg, s->base);
  for (uint32_t i = 0; i < nd->files.len; i++)
    il_config_apply_file(&dv->cfg, nd->files.data[i], s->anchored);
  k = 0;
  for (uint32_t i = 0; i < nd->files.len; i++) {
    const il_config_file *f = nd->files.data[i];
    for (uint32_t o = 0; o < f->overrides.len; o++)
      if (key[k++] == '1') {
        il_config_apply_layer(&dv->cfg, &f->overrides.data[o].set);
        il_array_push(&dv->cfg.sources, il_xasprintf("%s: overrides[%u]", f->path, o));
      }
  }
  il_config_apply_layer(&dv->cfg, &s->cli);
  dv->cfg.origin = dv;
  il_array_push(&s->nodes, dv);
  il_array_push(&nd->derived, dv);
  return &dv->cfg;
}

const il_config *il_config_set_path(il_config_set *s, const char *path) {
  char *abs = il_abs_path(path);
  struct stat st;
  if (stat(abs, &st) == 0 && S_ISDIR(st.st_mode)) {
    const il_config *c = il_config_set_dir(s, abs, NULL, 0);
    free(abs);
    return c;
  }
  char *dir = il_path_dir_of(abs);
  while (strcmp(dir, "/") != 0 && !(stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) {
    char *up = il_path_dir_of(dir);
    free(dir);
    dir = up;
  }
  const il_config *c = il_config_set_file(s, il_config_set_dir(s, dir, NULL, 0), abs, path);
  free(dir);
  free(abs);
  return c;
}

/* ---- the discovery's callbacks ----------------------------------------------------- */

static const il_config *source_dir(void *ctx, const char *abs_dir, char *const *names,
                                   uint32_t n) {
  return il_config_set_dir(ctx, abs_dir, names, n);
}

static const il_config *source_file(void *ctx, const il_config *dir_cfg, const char *abs_path,
                                    const char *display) {
  return il_config_set_file(ctx, dir_cfg, abs_path, display);
}

il_config_source il_config_set_source(il_config_set *s) {
  return (il_config_source){source_dir, source_file, s};
}

/* ---- run-wide keys ----------------------------------------------------------------- */

static bool run_uses(const il_config_set *s, const il_config_file *f) {
  for (uint32_t i = 0; s->run && i < s->run->sources.len; i++)
    if (strcmp(s->run->sources.data[i], f->path) == 0)
      return true;
  return false;
}

/* "docsUrl" of a file the run's configuration does not come from, when it differs. */
static void note_docs_url(il_config_set *s, const il_config_file *f, il_file_out *notes) {
  if (!notes || !f->docs_url || run_uses(s, f) ||
      (s->run && s->run->docs_url && strcmp(s->run->docs_url, f->docs_url) == 0))
    return;
  char *disp = il_display_of(f->path);
  il_file_out_note(notes, IL_NOTE_CONFIG, IL_LEVEL_NOTE, disp, 0, 0,
                   "\"docsUrl\" here is not used: it applies to a whole run, and this run takes "
                   "it from %s. Set it in that file (or run isolint from this directory) for it "
                   "to apply.",
                   s->run && s->run->path ? s->run->path : "no isolint.json");
  free(disp);
}

static void note_late(il_config_set *s, const il_config_file *f) {
  note_docs_url(s, f, &s->pending);
  s->has_pending |= f->docs_url != NULL;
  if (!f->clients)
    return;
  char *disp = il_display_of(f->path);
  il_file_out_note(&s->pending, IL_NOTE_CONFIG, IL_LEVEL_NOTE, disp, 0, 0,
                   "\"clients\" here are not used: this isolint.json applies only to files that "
                   "imports led to outside the scanned paths, and the knowledge base of a run is "
                   "made before they are read. Scan this directory too, or add the rows to an "
                   "isolint.json of the scanned paths.");
  s->has_pending = true;
  free(disp);
}

static int by_dir(const void *a, const void *b) {
  const il_config_file *x = *(il_config_file *const *)a, *y = *(il_config_file *const *)b;
  int c = strcmp(x->dir, y->dir);
  return c ? c : strcmp(x->path, y->path);
}

void il_config_set_seal(il_config_set *s, const il_config *run_cfg, il_file_out *notes) {
  s->run = run_cfg;
  uint32_t n = s->files.len - s->n_clients_added;
  il_config_file **fresh = il_xmalloc((n ? n : 1) * sizeof *fresh);
  if (n)
    memcpy(fresh, s->files.data + s->n_clients_added, n * sizeof *fresh);
  /* a directory sorts before what is below it: farther files first, whatever the order
   * of the arguments or of the walk (a later row wins over an earlier one) */
  qsort(fresh, n, sizeof *fresh, by_dir);
  for (uint32_t i = 0; i < n; i++) {
    il_config_add_clients(s->base->kb, fresh[i]);
    note_docs_url(s, fresh[i], notes);
  }
  free(fresh);
  s->n_clients_added = s->files.len;
  s->sealed = true;
}

void il_config_set_notes(il_config_set *s, il_file_out *notes) {
  if (!s->has_pending)
    return;
  for (uint32_t i = 0; i < s->pending.notes.len; i++) {
    const il_notification *no = &s->pending.notes.data[i];
    il_file_out_note(notes, no->kind, no->level, no->path, 0, 0, "%s", no->message);
  }
  il_file_out_fini(&s->pending);
  il_file_out_init(&s->pending);
  s->has_pending = false;
}

/* ---- one-off resolution ------------------------------------------------------------ */

bool il_config_load_for(il_config *cfg, const char *path, char **err) {
  il_config_set *s = il_config_set_new(cfg, NULL, NULL, false, err);
  const il_config *r = il_config_set_path(s, path);
  if (s->error) {
    *err = s->error;
    s->error = NULL;
    il_config_set_free(s);
    return false;
  }
  il_config_set_seal(s, r, NULL);
  il_config tmp;
  il_config_copy(&tmp, r);
  tmp.origin = NULL;
  struct il_kb *kb = cfg->kb;
  bool borrowed = cfg->kb_borrowed;
  cfg->kb_borrowed = true; /* kept */
  il_config_fini(cfg);
  *cfg = tmp;
  cfg->kb = kb;
  cfg->kb_borrowed = borrowed;
  il_config_set_free(s);
  return true;
}
