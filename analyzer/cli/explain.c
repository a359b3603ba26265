/* `isolint explain RULE-ID`: prints the rule's page, docs/rules/<id>.md, from
 * the copy embedded at build time, so an installed binary needs no docs dir. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rules/rule.h"
#include "rules/rule_docs.h"

static const char explain_usage[] =
    "Usage: isolint explain RULE-ID\n"
    "Prints the documentation of a rule (docs/rules/RULE-ID.md, built into isolint).\n"
    "`isolint rules` lists the rule ids.\n";

static void list_known(FILE *fp) {
  fputs("Known rules:", fp);
  for (uint32_t i = 0; i < il_n_rules; i++)
    fprintf(fp, " %s", il_rules[i]->id);
  fputc('\n', fp);
}

int cmd_explain(int argc, char **argv) {
  if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
    fputs(explain_usage, stdout);
    return EXIT_CLEAN;
  }
  if (argc != 1) {
    if (argc == 0)
      fputs("isolint: explain needs a rule id\n", stderr);
    else
      fputs("isolint: explain takes one rule id\n", stderr);
    fputs(explain_usage, stderr);
    list_known(stderr);
    return EXIT_TROUBLE;
  }
  const char *id = argv[0];
  if (!il_rule_find(id)) {
    fprintf(stderr, "isolint: unknown rule '%s'\n", id);
    list_known(stderr);
    return EXIT_TROUBLE;
  }
  const il_rule_doc *doc = il_rule_doc_get(id);
  if (!doc) {
    /* the registry test makes every rule have a page; a build without it still answers */
    fprintf(stderr, "isolint: no documentation was built in for rule '%s'\n", id);
    return EXIT_TROUBLE;
  }
  if (fwrite(doc->text, 1, doc->len, stdout) != doc->len || fflush(stdout) != 0) {
    perror("isolint: writing the documentation");
    return EXIT_TROUBLE;
  }
  return EXIT_CLEAN;
}
