/* `isolint scan --staged`: the content staged for the next commit, read from
 * the git index rather than the work tree, so a fix left unstaged cannot hide
 * a staged bug (and a bug left unstaged does not block a clean commit).
 *
 * Three git processes whatever the number of files:
 *   git rev-parse --is-inside-work-tree --show-prefix   where the user stands
 *   git diff --cached --raw -z --diff-filter=ACMR ...   what is staged: mode,
 *                                                       index blob id, path
 *   git cat-file --batch                                 every blob, in one go
 * The blobs are asked for by the object ids that `diff --cached --raw` gives
 * for the index side, which are exactly the stage-0 entries `:path` names,
 * but unlike `:path` an id survives a file name holding a newline on
 * cat-file's line-based input, whatever the git version. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "git_int.h"

typedef struct {
  const char *path; /* from the repository root, inside the diff output */
  const char *oid;  /* hex object id of the index blob, inside the diff output */
  size_t oid_len;
} entry;

typedef IL_ARRAY(entry) entry_list;

/* The path as `git status` shows it from the directory `prefix` (relative to
 * the repository root, "" or ending in '/'): "x.ts", "../lib/y.ts". */
static char *display_path(const char *prefix, const char *path) {
  /* skip the directories the two share */
  size_t common = 0;
  for (size_t i = 0; prefix[i] && prefix[i] == path[i]; i++)
    if (prefix[i] == '/')
      common = i + 1;
  size_t ups = 0;
  for (const char *p = prefix + common; *p; p++)
    ups += *p == '/';
  const char *rest = path + common;
  size_t rest_len = strlen(rest);
  char *s = il_xmalloc(ups * 3 + rest_len + 1);
  for (size_t i = 0; i < ups; i++)
    memcpy(s + i * 3, "../", 3);
  memcpy(s + ups * 3, rest, rest_len + 1);
  return s;
}

static bool is_hex_oid(const char *s, size_t n) {
  if (n != 40 && n != 64) /* SHA-1 or SHA-256 repositories */
    return false;
  for (size_t i = 0; i < n; i++)
    if (!s[i] || !strchr("0123456789abcdef", s[i]))
      return false;
  return true;
}

/* Parses `git diff --raw -z` output (":M1 M2 OID1 OID2 S\0PATH\0", with a
 * second path after R and C) into the regular files the filter keeps: no
 * symlinks or submodules (their "content" is no source), no intent-to-add
 * entries (nothing staged yet), only paths il_lang_of_path accepts. False
 * when the output is not in that format. */
static bool parse_raw(char *s, size_t len, entry_list *out) {
  char *end = s + len;
  while (s < end) {
    char *hdr_end = memchr(s, '\0', (size_t)(end - s));
    if (!hdr_end || *s != ':')
      return false;
    /* ":100644 100644 <oid> <oid> M" */
    char *field[5];
    size_t n = 0;
    for (char *p = s + 1; n < 5 && p < hdr_end;) {
      field[n++] = p;
      char *sp = memchr(p, ' ', (size_t)(hdr_end - p));
      if (!sp)
        break;
      *sp = '\0';
      p = sp + 1;
    }
    if (n != 5)
      return false;
    char status = field[4][0];
    char *path = hdr_end + 1;
    char *path_end = path < end ? memchr(path, '\0', (size_t)(end - path)) : NULL;
    if (!path_end)
      return false;
    if (status == 'R' || status == 'C') { /* "\0FROM\0TO\0": the new name counts */
      path = path_end + 1;
      path_end = path < end ? memchr(path, '\0', (size_t)(end - path)) : NULL;
      if (!path_end)
        return false;
    }
    s = path_end + 1;
    char *mode_end;
    unsigned long mode = strtoul(field[1], &mode_end, 8);
    size_t oid_len = strlen(field[3]);
    if (*mode_end || !is_hex_oid(field[3], oid_len))
      return false;
    int lang;
    if (!strchr("ACMR", status) || (mode & 0170000) != 0100000 ||
        strspn(field[3], "0") == oid_len || !il_lang_of_path(path, &lang))
      continue;
    entry e = {path, field[3], oid_len};
    il_array_push(out, e);
  }
  return true;
}

/* Reads the blobs of `files` with one `git cat-file --batch` into sources. */
static bool read_blobs(const entry_list *files, const char *prefix, il_source *src, char **err) {
  size_t req_len = 0;
  for (uint32_t i = 0; i < files->len; i++)
    req_len += files->data[i].oid_len + 1;
  char *req = il_xmalloc(req_len + 1), *w = req;
  for (uint32_t i = 0; i < files->len; i++) {
    memcpy(w, files->data[i].oid, files->data[i].oid_len);
    w += files->data[i].oid_len;
    *w++ = '\n';
  }
  /* --buffer: no flush per object; our poll() loop keeps reading meanwhile */
  static const char *const args[] = {"cat-file", "--batch", "--buffer", NULL};
  cli_git_result res;
  bool ok = cli_git_run(args, req, req_len, &res, err);
  free(req);
  if (!ok)
    goto out;
  ok = false;
  if (res.status != 0) {
    *err = cli_git_failure("cat-file --batch", &res);
    goto out;
  }
  /* "<oid> blob <size>\n<content>\n" per request, in order; "<oid> missing\n" */
  const char *p = res.out, *end = res.out + res.out_len;
  for (uint32_t i = 0; i < files->len; i++) {
    const entry *f = &files->data[i];
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    char *size_end;
    unsigned long long size = 0;
    bool good = nl && (size_t)(nl - p) > f->oid_len + 6 && memcmp(p, f->oid, f->oid_len) == 0 &&
                memcmp(p + f->oid_len, " blob ", 6) == 0;
    if (good) {
      size = strtoull(p + f->oid_len + 6, &size_end, 10);
      /* the content and its closing newline are all there */
      good = size_end == nl && (unsigned long long)(end - nl) > size + 1 && nl[1 + size] == '\n';
    }
    if (!good) {
      *err = il_xasprintf("git cat-file gave no content for the staged file '%s' (object %.*s)",
                          f->path, (int)f->oid_len, f->oid);
      goto out;
    }
    char *text = il_xmalloc((size_t)size + 1);
    memcpy(text, nl + 1, (size_t)size);
    text[size] = '\0';
    src[i] = (il_source){display_path(prefix, f->path), text, (size_t)size};
    p = nl + 1 + size + 1;
  }
  ok = true;
out:
  cli_git_result_fini(&res);
  return ok;
}

bool cli_staged_sources(il_source **out, uint32_t *n, char **err) {
  *out = NULL;
  *n = 0;
  *err = NULL;
  bool ok = false;
  cli_git_result diff = {0};
  char *prefix = NULL;
  entry_list files = {0};
  il_source *src = NULL;

  static const char *const query[] = {"--show-prefix", NULL};
  prefix = cli_git_work_tree_ask(query, err);
  if (!prefix)
    goto out;

  /* Run from where the user stands, so a relative GIT_DIR or GIT_INDEX_FILE
   * (set by git for hooks) keeps its meaning; -c diff.relative=false keeps the
   * listing whole and root-relative whatever the user's config. */
  static const char *const diff_args[] = {"-c",
                                          "diff.relative=false",
                                          "diff",
                                          "--cached",
                                          "--raw",
                                          "-z",
                                          "--no-abbrev",
                                          "--no-renames",
                                          "--no-color",
                                          "--no-ext-diff",
                                          "--diff-filter=ACMR",
                                          NULL};
  if (!cli_git_run(diff_args, NULL, 0, &diff, err))
    goto out;
  if (diff.status != 0) {
    *err = cli_git_failure("diff --cached", &diff);
    goto out;
  }
  if (!parse_raw(diff.out, diff.out_len, &files)) {
    *err = il_xstrdup("cannot parse the output of git diff --cached --raw -z");
    goto out;
  }
  if (files.len) {
    src = il_xcalloc(files.len, sizeof *src);
    if (!read_blobs(&files, prefix, src, err))
      goto out;
  }
  *out = src;
  *n = files.len;
  src = NULL;
  ok = true;
out:
  if (src)
    cli_staged_free(src, files.len);
  il_array_free(&files);
  free(prefix);
  cli_git_result_fini(&diff);
  return ok;
}

void cli_staged_free(il_source *s, uint32_t n) {
  for (uint32_t i = 0; s && i < n; i++) {
    free((char *)s[i].path);
    free((char *)s[i].text);
  }
  free(s);
}
