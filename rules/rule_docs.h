/* The rule pages docs/rules/<id>.md, embedded in il_core at build time by
 * cmake/embed_rule_docs.cmake (the generated rule_docs.c): `isolint explain` prints
 * them, SARIF carries them as each rule's help.markdown. */
#ifndef IL_RULE_DOCS_H
#define IL_RULE_DOCS_H

#include <stddef.h>

typedef struct {
  const char *id;             /* the page's file name without .md */
  const unsigned char *text;  /* the page's bytes, NUL-terminated */
  size_t len;                 /* without the NUL */
} il_rule_doc;

extern const il_rule_doc il_rule_docs[]; /* sorted by id */
extern const unsigned il_n_rule_docs;

/* The page of rule `id`, or NULL when there is none. */
const il_rule_doc *il_rule_doc_get(const char *id);

#endif
