/* JSON with comments and trailing commas (isolint.json, tsconfig.json, wrangler.jsonc,
 * package.json's neighbours) made strict JSON in place: see jsonc.h. */
#include <stddef.h>

#include "base/jsonc.h"

bool il_jsonc_blank(char *t, size_t n, int *line) {
  bool in_str = false;
  int ln = 1;
  for (size_t i = 0; i < n; i++) {
    if (t[i] == '\n')
      ln++;
    if (in_str) {
      if (t[i] == '\\' && i + 1 < n)
        i++;
      else if (t[i] == '"')
        in_str = false;
      continue;
    }
    if (t[i] == '"') {
      in_str = true;
    } else if (t[i] == '/' && i + 1 < n && t[i + 1] == '/') {
      while (i < n && t[i] != '\n')
        t[i++] = ' ';
      i--; /* the newline is counted by the loop */
    } else if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
      int start = ln;
      t[i] = t[i + 1] = ' ';
      size_t j = i + 2;
      while (j + 1 < n && !(t[j] == '*' && t[j + 1] == '/')) {
        if (t[j] == '\n')
          ln++;
        else
          t[j] = ' ';
        j++;
      }
      if (j + 1 >= n) {
        if (j < n && t[j] != '\n')
          t[j] = ' ';
        *line = start;
        return false;
      }
      t[j] = t[j + 1] = ' ';
      i = j + 1;
    }
  }
  /* trailing commas, now that comments are blank */
  in_str = false;
  for (size_t i = 0; i < n; i++) {
    if (in_str) {
      if (t[i] == '\\' && i + 1 < n)
        i++;
      else if (t[i] == '"')
        in_str = false;
      continue;
    }
    if (t[i] == '"') {
      in_str = true;
    } else if (t[i] == ',') {
      size_t j = i + 1;
      while (j < n && (t[j] == ' ' || t[j] == '\t' || t[j] == '\n' || t[j] == '\r'))
        j++;
      if (j < n && (t[j] == '}' || t[j] == ']'))
        t[i] = ' ';
    }
  }
  return true;
}
