/* XML escaping shared by the JUnit and checkstyle reporters. */
#include "xml_int.h"

#include <string.h>

#include "base/position.h"

void il_xml_put(FILE *out, const char *s) {
  if (!s)
    return;
  const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
  while (p < end) {
    size_t len = il_utf8_seq_len(p, (size_t)(end - p));
    if (!len || (len == 1 && p[0] < 0x20 && p[0] != '\t' && p[0] != '\n' && p[0] != '\r') ||
        (len == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
      fputs("\xef\xbf\xbd", out);
      p += len ? len : 1;
      continue;
    }
    switch (len == 1 ? p[0] : 0) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\t': fputs("&#9;", out); break;
    case '\n': fputs("&#10;", out); break;
    case '\r': fputs("&#13;", out); break;
    default: fwrite(p, 1, len, out);
    }
    p += len;
  }
}
