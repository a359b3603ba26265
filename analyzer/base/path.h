/* Paths and languages: absolute, lexically normalized paths (no file system access
 * but getcwd), joins without printf (they run for every candidate of every import),
 * and the language of a source file by its extension. */
#ifndef IL_BASE_PATH_H
#define IL_BASE_PATH_H

#include "base/common.h"

typedef enum {
  IL_LANG_TS = 0,
  IL_LANG_TSX,
  IL_LANG_JS, /* parsed with the TSX grammar, which accepts JSX and plain JS */
  IL_LANG_C,
} il_lang;

/* The language of a path by its extension, or false when not a source file we scan. */
bool il_lang_of_path(const char *path, int *lang);

/* The absolute, lexically normalized form of a path (relative to the current
 * directory); malloc'd. */
char *il_abs_path(const char *path);
/* The same against a current directory the caller got once (a scan's loop over files). */
char *il_abs_path_in(const char *cwd, const char *path);

/* Collapses "//", "." and ".." in an absolute path, in place, p[0..done) being
 * normalized already (done 0, or the end of a normalized path without its final '/'). */
void il_path_normalize_at(char *p, size_t done);
void il_path_normalize(char *p);
/* dir + "/" + name ("/" + name at the root); malloc'd. */
char *il_path_dir_file(const char *dir, const char *name);
/* "a/b"; malloc'd. */
char *il_path_join(const char *a, const char *b);
/* The directory of an absolute path ("/" for a file at the root); malloc'd. */
char *il_path_dir_of(const char *abs);
/* dir joined with rel (rel itself when absolute), normalized; malloc'd. */
char *il_path_join_norm(const char *dir, const char *rel);

#endif
