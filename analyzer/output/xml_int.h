/* XML text for the XML reporters (junit.c, checkstyle.c); private to analyzer/output. */
#ifndef IL_OUTPUT_XML_INT_H
#define IL_OUTPUT_XML_INT_H

#include <stdio.h>

/* Writes s (NUL-terminated; NULL writes nothing) as XML character data that is valid in
 * both element content and a double-quoted attribute: & < > " escaped (attributes are double-quoted), tab, newline
 * and carriage return as character references (kept by attribute value normalisation),
 * and every byte XML 1.0 cannot carry (other C0 controls, invalid UTF-8, U+FFFE, U+FFFF)
 * as U+FFFD. */
void il_xml_put(FILE *out, const char *s);

#endif
