/* The walk of a scan's paths, in-memory sources, shards and context files
 * (discover/discover.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/path.h"
#include "discover/discover.h"

static bool dotdot(const char *path) {
  for (const char *p = path; (p = strstr(p, "..")); p += 2)
    if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
      return true;
  return false;
}

/* Set of (dev, ino): open addressing, grows at half load. */
static bool fid_seen(il_fid_set *set, const struct stat *st) {
  if ((set->len + 1) * 2 > set->cap) {
    uint32_t ncap = set->cap ? set->cap * 2 : 64;
    il_fid *nt = il_xcalloc(ncap, sizeof *nt);
    bool *nu = il_xcalloc(ncap, sizeof *nu);
    for (uint32_t i = 0; i < set->cap; i++)
      if (set->used[i]) {
        uint64_t h = ((uint64_t)set->slots[i].dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)set->slots[i].ino;
        uint32_t j = (uint32_t)(h ^ (h >> 29)) & (ncap - 1);
        while (nu[j])
          j = (j + 1) & (ncap - 1);
        nt[j] = set->slots[i];
        nu[j] = true;
      }
    free(set->slots);
    free(set->used);
    set->slots = nt;
    set->used = nu;
    set->cap = ncap;
  }
  uint64_t h = ((uint64_t)st->st_dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)st->st_ino;
  uint32_t j = (uint32_t)(h ^ (h >> 29)) & (set->cap - 1);
  while (set->used[j]) {
    if (set->slots[j].dev == st->st_dev && set->slots[j].ino == st->st_ino)
      return true;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j].dev = st->st_dev;
  set->slots[j].ino = st->st_ino;
  set->used[j] = true;
  set->len++;
  return false;
}

static void fid_set_free(il_fid_set *set) {
  free(set->slots);
  free(set->used);
}

static bool inside_roots(const il_discovery *d, const char *real) {
  for (uint32_t i = 0; i < d->roots.len; i++) {
    const char *r = d->roots.data[i];
    size_t n = strlen(r);
    if (strncmp(real, r, n) == 0 && (real[n] == '/' || real[n] == '\0' || (n == 1 && r[0] == '/')))
      return true;
  }
  return false;
}

/* The path to report for path: without leading "./", relative to the current
 * directory cwd when under it (cwd NULL: get it, for an absolute path). */
static char *display_of_in(const char *cwd, const char *path) {
  while (path[0] == '.' && path[1] == '/') {
    path += 2;
    while (*path == '/')
      path++;
  }
  char buf[PATH_MAX];
  if (path[0] == '/' && !cwd)
    cwd = getcwd(buf, sizeof buf);
  if (path[0] == '/' && cwd) {
    size_t n = strlen(cwd);
    if (strncmp(path, cwd, n) == 0 && path[n] == '/')
      path += n + 1;
  }
  return il_xstrdup(*path ? path : ".");
}

char *il_display_of(const char *path) {
  return display_of_in(NULL, path);
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir), m = strlen(name);
  if (n == 1 && dir[0] == '.')
    return il_xstrdup(name);
  bool slash = !(n && dir[n - 1] == '/');
  char *p = il_xmalloc(n + slash + m + 1);
  memcpy(p, dir, n);
  p[n] = '/';
  memcpy(p + n + slash, name, m + 1);
  return p;
}

void il_file_stat_of(const struct stat *st, il_file_stat *out) {
  out->size = (uint64_t)st->st_size;
  out->mtime_ns = (uint64_t)st->st_mtim.tv_sec * 1000000000ull + (uint64_t)st->st_mtim.tv_nsec;
  out->ctime_ns = (uint64_t)st->st_ctim.tv_sec * 1000000000ull + (uint64_t)st->st_ctim.tv_nsec;
  out->ino = (uint64_t)st->st_ino;
  out->dev = (uint64_t)st->st_dev;
}

/* The configuration of a directory's entries (abs_dir NULL: unknown, the run's). */
static const il_config *dir_config(il_discovery *d, const char *abs_dir, char *const *names,
                                   uint32_t n) {
  if (!d->configs || !abs_dir)
    return d->cfg;
  return d->configs->dir(d->configs->ctx, abs_dir, names, n);
}

/* display: fs's display path (taken over), or NULL; dcfg: the configuration of its
 * directory, abs_dir that directory (NULL: unknown) */
static void add_file(il_discovery *d, const char *fs, struct stat *st, bool explicit_arg,
                     char *display, const il_config *dcfg, const char *abs_dir) {
  if (!display)
    display = il_display_of(fs);
  int lang;
  if (!S_ISREG(st->st_mode)) {
    il_file_out_note(&d->notes, IL_NOTE_SKIPPED, IL_LEVEL_WARNING, display, 0, 0,
                     "Skipped: not a regular file.");
    free(display);
    return;
  }
  if (!il_lang_of_path(fs, &lang)) {
    if (explicit_arg)
      il_file_out_note(&d->notes, IL_NOTE_SKIPPED, IL_LEVEL_WARNING, display, 0, 0,
                       "Skipped: not a TypeScript, JavaScript or C source file.");
    free(display);
    return;
  }
  const char *base = strrchr(fs, '/');
  char *abs = abs_dir && (dcfg->includes.len || d->configs)
                  ? il_path_dir_file(abs_dir, base ? base + 1 : fs)
                  : NULL;
  /* "include" narrows what a walk finds; files named explicitly are always in */
  if ((!explicit_arg && !il_included(dcfg, display, abs)) || fid_seen(&d->files, st)) {
    free(abs);
    free(display);
    return;
  }
  il_item it = {il_xstrdup(fs), display, lang, NULL, false, false, {0}, NULL};
  if (d->configs && abs)
    it.cfg = d->configs->file(d->configs->ctx, dcfg, abs, display);
  free(abs);
  il_file_stat_of(st, &it.st);
  it.has_st = true;
  il_array_push(&d->items, it);
}

/* Is entry name of directory abs_dir (lst: its lstat) ignored by an ignore file? */
static bool ignored_entry(il_discovery *d, int32_t frame, const char *abs_dir, const char *name,
                          const struct stat *lst, const char *path) {
  bool is_dir = S_ISDIR(lst->st_mode);
  struct stat st;
  if (S_ISLNK(lst->st_mode) && stat(path, &st) == 0)
    is_dir = S_ISDIR(st.st_mode);
  char *abs = il_path_dir_file(abs_dir, name);
  bool r = il_ignore_match(&d->ignore, frame, abs, is_dir);
  free(abs);
  return r;
}

bool il_skipped_dir_name(const char *name) {
  return strcmp(name, "node_modules") == 0 || strcmp(name, ".git") == 0 ||
         strcmp(name, ".wrangler") == 0 || strcmp(name, ".isolint-cache") == 0;
}

static bool skip_dir_name(const il_discovery *d, const char *name) {
  return il_skipped_dir_name(name) || (!d->cfg->no_ignore && il_build_dir_name(name));
}

/* The ignore frame for the entries of top's parent: the ignore files of the
 * directories from the current one down to it (none outside the current directory). */
static int32_t frames_above(il_discovery *d, const char *cwd, const char *top) {
  if (d->cfg->no_ignore || !cwd)
    return -1;
  char *abs = il_abs_path_in(cwd, top);
  size_t cl = strlen(cwd);
  bool root = strcmp(cwd, "/") == 0;
  int32_t frame = -1;
  if (root ? abs[1] != '\0' : strncmp(abs, cwd, cl) == 0 && abs[cl] == '/') {
    frame = il_ignore_enter(&d->ignore, -1, cwd, NULL, 0);
    /* then each directory strictly between cwd and top */
    for (char *p = strchr(abs + (root ? 1 : cl + 1), '/'); p; p = strchr(p + 1, '/')) {
      *p = '\0';
      frame = il_ignore_enter(&d->ignore, frame, abs, NULL, 0);
      *p = '/';
    }
  }
  free(abs);
  return frame;
}

/* Does the exclude of dcfg match entry name of abs_dir (NULL: unknown), displayed disp? */
static bool excluded_entry(const il_config *dcfg, const char *disp, const char *abs_dir,
                           const char *name) {
  char *abs = abs_dir ? il_path_dir_file(abs_dir, name) : NULL;
  bool r = il_excluded(dcfg, disp, abs);
  free(abs);
  return r;
}

static void walk_dir(il_discovery *d, const char *top) {
  IL_ARRAY(char *) stack = {0};
  IL_ARRAY(int32_t) frames = {0}; /* per stack entry: the ignore frame of its parent */
  il_array_push(&stack, il_xstrdup(top));
  char cwd_buf[PATH_MAX];
  const char *cwd = getcwd(cwd_buf, sizeof cwd_buf); /* (for display paths) */
  il_array_push(&frames, frames_above(d, cwd, top));
  while (stack.len) {
    char *dir = stack.data[--stack.len];
    int32_t parent_frame = frames.data[--frames.len];
    DIR *dh = opendir(dir);
    if (!dh) {
      char *disp = display_of_in(cwd, dir);
      il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_ERROR, disp, 0, 0,
                       "Cannot read the directory: %s.", strerror(errno));
      free(disp);
      free(dir);
      continue;
    }
    IL_ARRAY(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(dh)))
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
        il_array_push(&names, il_xstrdup(e->d_name));
    /* entries are examined relative to the open directory: no path walk each */
    int dfd = dirfd(dh);
    if (names.len > 1)
      qsort(names.data, names.len, sizeof *names.data, il_cmp_cstr);
    /* .gitignore / .isolintignore: the entries of this directory are matched against
     * them and those of the directories above */
    char *abs_dir = cwd ? il_abs_path_in(cwd, dir) : NULL;
    /* the isolint.json files of this directory and above: its entries' configuration */
    const il_config *dcfg = dir_config(d, abs_dir, names.data, names.len);
    int32_t frame = abs_dir && !d->cfg->no_ignore ? il_ignore_enter(&d->ignore, parent_frame, abs_dir, names.data,
                                              names.len)
                            : -1;
    /* push subdirectories in reverse so they pop in name order */
    IL_ARRAY(char *) subdirs = {0};
    for (uint32_t i = 0; i < names.len; i++) {
      char *path = join(dir, names.data[i]);
      char *disp = display_of_in(cwd, path);
      struct stat lst, st;
      bool keep = false;
      if ((dfd >= 0 ? fstatat(dfd, names.data[i], &lst, AT_SYMLINK_NOFOLLOW)
                    : lstat(path, &lst)) != 0) {
        if (errno != ENOENT) /* vanished files are fine; a path too long is not */
          il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_ERROR, disp, 0, 0,
                           "Cannot examine the path: %s.", strerror(errno));
      } else if ((dcfg->excludes.len && excluded_entry(dcfg, disp, abs_dir, names.data[i]))) {
        /* excluded */
      } else if (frame >= 0 && ignored_entry(d, frame, abs_dir, names.data[i], &lst, path)) {
        /* in an ignore file */
      } else if (S_ISLNK(lst.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real || stat(path, &st) != 0) {
          il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_NOTE, disp, 0, 0,
                           "Skipped a dangling symbolic link.");
        } else if (!inside_roots(d, real)) {
          il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_NOTE, disp, 0, 0,
                           "Skipped a symbolic link that points outside the scanned paths.");
        } else if (S_ISDIR(st.st_mode)) {
          if (skip_dir_name(d, names.data[i])) {
          } else if (fid_seen(&d->dirs, &st)) {
            il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_NOTE, disp, 0, 0,
                             "Skipped a symbolic link to a directory already scanned (a loop or a "
                             "duplicate).");
          } else {
            il_array_push(&subdirs, path);
            keep = true;
          }
        } else if (S_ISREG(st.st_mode)) {
          add_file(d, path, &st, false, NULL, dcfg, abs_dir);
        }
        free(real);
      } else if (S_ISDIR(lst.st_mode)) {
        if (!skip_dir_name(d, names.data[i]) && !fid_seen(&d->dirs, &lst)) {
          il_array_push(&subdirs, path);
          keep = true;
        }
      } else if (S_ISREG(lst.st_mode)) {
        add_file(d, path, &lst, false, disp, dcfg, abs_dir);
        disp = NULL; /* taken over */
      }
      if (!keep)
        free(path);
      free(disp);
    }
    closedir(dh);
    /* the names stay, for il_listing_absent (not for a path through "..", which
     * a symbolic link makes another directory than the lexical one) */
    if (cwd && !dotdot(dir))
      il_listing_add(&d->listing, il_abs_path_in(cwd, dir), names.data, names.len);
    else {
      for (uint32_t i = 0; i < names.len; i++)
        free(names.data[i]);
      il_array_free(&names);
    }
    for (uint32_t i = subdirs.len; i-- > 0;) {
      il_array_push(&stack, subdirs.data[i]);
      il_array_push(&frames, frame);
    }
    il_array_free(&subdirs);
    free(abs_dir);
    free(dir);
  }
  il_array_free(&stack);
  il_array_free(&frames);
}

void il_discover_paths(il_discovery *d, const char *const *paths, uint32_t n) {
  static const char *const dot[] = {"."};
  if (!n) {
    paths = dot;
    n = 1;
  }
  for (uint32_t i = 0; i < n; i++) {
    char *real = realpath(paths[i], NULL);
    if (real)
      il_array_push(&d->roots, real);
  }
  for (uint32_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(paths[i], &st) != 0) {
      char *disp = il_display_of(paths[i]);
      il_file_out_note(&d->notes, IL_NOTE_CANNOT_READ, IL_LEVEL_ERROR, disp, 0, 0,
                       "Cannot access the path: %s.", strerror(errno));
      free(disp);
      d->missing = true;
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      fid_seen(&d->dirs, &st);
      walk_dir(d, paths[i]);
    } else {
      /* files named explicitly are scanned, unless the walk would skip them (a file under
       * node_modules or a build directory, or one an ignore file lists), or "exclude" of
       * their isolint.json matches them (unless --force) */
      char cwd_buf[PATH_MAX];
      const char *cwd = getcwd(cwd_buf, sizeof cwd_buf);
      char *abs = cwd ? il_abs_path_in(cwd, paths[i]) : NULL;
      char *abs_dir = abs ? il_path_dir_of(abs) : NULL;
      const il_config *dcfg = dir_config(d, abs_dir, NULL, 0);
      char *disp = il_display_of(paths[i]);
      if (!d->cfg->force && il_excluded(dcfg, disp, abs)) {
        il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_NOTE, disp, 0, 0,
                         "Skipped: an \"exclude\" glob of isolint.json (or --exclude) matches it; "
                         "--force scans it anyway.");
        free(disp);
      } else if (!il_ignored_path(d->cfg, cwd, paths[i])) {
        add_file(d, paths[i], &st, true, disp, dcfg, abs_dir);
      } else {
        il_file_out_note(&d->notes, IL_NOTE_WALK, IL_LEVEL_NOTE, disp, 0, 0,
                         "Skipped: a scan of the directory would skip it (it is under "
                         "node_modules or .git, under build output, or an ignore file lists it; "
                         "--no-ignore scans the last two).");
        free(disp);
      }
      free(abs);
      free(abs_dir);
    }
  }
}

uint32_t il_shard_of(const char *display_path, uint32_t n) {
  uint64_t h = il_fnv64(IL_FNV64_INIT, display_path, strlen(display_path));
  return n ? (uint32_t)(h % n) : 0;
}

/* In-memory sources (stdin, the git index): no discovery, but the same
 * language, include and exclude rules as files found on disk; a path that is not a
 * source file is skipped with the note an explicit path gets. */
void il_discover_sources(il_discovery *d, const il_source *sources, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    const il_source *s = &sources[i];
    char *display = il_display_of(s->path);
    char cwd_buf[PATH_MAX];
    const char *cwd = getcwd(cwd_buf, sizeof cwd_buf);
    char *abs = cwd ? il_abs_path_in(cwd, s->path) : NULL;
    char *abs_dir = abs ? il_path_dir_of(abs) : NULL;
    const il_config *dcfg = dir_config(d, abs_dir, NULL, 0);
    free(abs_dir);
    if (il_excluded(dcfg, display, abs) || !il_included(dcfg, display, abs) ||
        il_ignored_path(d->cfg, cwd, s->path)) {
      free(abs);
      free(display);
      continue;
    }
    int lang;
    if (!il_lang_of_path(display, &lang)) { /* as a file named explicitly: a .d.ts, a .py */
      il_file_out_note(&d->notes, IL_NOTE_SKIPPED, IL_LEVEL_WARNING, display, 0, 0,
                       "Skipped: not a TypeScript, JavaScript or C source file.");
      free(abs);
      free(display);
      continue;
    }
    il_item it = {NULL, display, lang, s, false, false, {0}, NULL};
    if (d->configs && abs)
      it.cfg = d->configs->file(d->configs->ctx, dcfg, abs, display);
    free(abs);
    il_array_push(&d->items, it);
  }
}

/* --shard K/N reports the files whose path hashes to K; the split depends only
 * on each path, so N machines with the same tree cover every file once. The other
 * files are still read (as context) so imports resolve against the whole tree. */
void il_discover_shard(il_discovery *d, uint32_t shard_index, uint32_t shard_count) {
  if (shard_count < 2)
    return;
  for (uint32_t i = 0; i < d->items.len; i++) {
    il_item *it = &d->items.data[i];
    it->context = il_shard_of(it->display, shard_count) != shard_index - 1;
  }
}

void il_context_paths_fini(il_context_paths *cp) {
  free(cp->cwd_real);
  free(cp->dir);
  free(cp->dir_real);
}

/* realpath(path), resolving each directory once (the paths come sorted, so the
 * last one is the one to keep): a file that is not a symbolic link is its
 * directory's realpath plus its name. *st: its lstat, when it succeeded. */
static char *context_realpath(il_context_paths *cp, const char *path, struct stat *st, bool *has_st) {
  *has_st = lstat(path, st) == 0;
  const char *slash = strrchr(path, '/');
  if (!*has_st || S_ISLNK(st->st_mode) || !slash || slash == path || !slash[1] ||
      strcmp(slash + 1, ".") == 0 || strcmp(slash + 1, "..") == 0)
    return realpath(path, NULL);
  size_t n = (size_t)(slash - path);
  if (!cp->dir || strlen(cp->dir) != n || strncmp(cp->dir, path, n) != 0) {
    free(cp->dir);
    free(cp->dir_real);
    cp->dir = il_xstrndup(path, n);
    cp->dir_real = realpath(cp->dir, NULL);
  }
  if (!cp->dir_real)
    return realpath(path, NULL);
  size_t dn = strlen(cp->dir_real);
  return il_xasprintf("%s%s%s", cp->dir_real, dn && cp->dir_real[dn - 1] == '/' ? "" : "/",
                      slash + 1);
}

bool il_readable_context(const il_discovery *d, il_context_paths *cp, const char *path,
                             struct stat *st, bool *has_st) {
  char *real = context_realpath(cp, path, st, has_st);
  if (!real)
    return true; /* gone: reading it fails harmlessly */
  bool ok = inside_roots(d, real);
  if (!ok && !cp->cwd_done) {
    char cwd[PATH_MAX];
    cp->cwd_done = true;
    cp->cwd_real = getcwd(cwd, sizeof cwd) ? realpath(cwd, NULL) : NULL;
  }
  if (!ok && cp->cwd_real) {
    size_t n = strlen(cp->cwd_real);
    ok = strncmp(real, cp->cwd_real, n) == 0 &&
         (real[n] == '/' || (n == 1 && cp->cwd_real[0] == '/'));
  }
  free(real);
  return ok;
}

void il_discovery_fini(il_discovery *d) {
  il_listing_free(&d->listing);
  il_ignore_fini(&d->ignore);
  il_array_free(&d->items);
  fid_set_free(&d->dirs);
  fid_set_free(&d->files);
  for (uint32_t i = 0; i < d->roots.len; i++)
    free(d->roots.data[i]);
  il_array_free(&d->roots);
}
