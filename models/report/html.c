/*
 * html — escaping and base64 for the report page. The data: URI reads the
 * whole file first so a read error leaves nothing half-written.
 */
#include "html.h"

#include <errno.h>
#include <string.h>

#include "mem.h"

#define HTML_MAX_EMBED (64u * 1024u * 1024u)

void html_escape(FILE *fp, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&#39;", fp);
            break;
        default:
            if (*p >= 0x20 || *p == '\t' || *p == '\n')
                fputc(*p, fp);
            else if (*p == '\r')
                break;
        }
    }
}

void html_base64(FILE *fp, const unsigned char *data, size_t n)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned long v =
            (unsigned long)data[i] << 16 | (unsigned long)data[i + 1] << 8 | data[i + 2];
        fputc(digits[v >> 18 & 63], fp);
        fputc(digits[v >> 12 & 63], fp);
        fputc(digits[v >> 6 & 63], fp);
        fputc(digits[v & 63], fp);
    }
    if (i < n) {
        unsigned long v = (unsigned long)data[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)data[i + 1] << 8;
        fputc(digits[v >> 18 & 63], fp);
        fputc(digits[v >> 12 & 63], fp);
        fputc(i + 1 < n ? digits[v >> 6 & 63] : '=', fp);
        fputc('=', fp);
    }
}

int html_data_uri(FILE *fp, const char *path, const char *mime, err_info *e)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return err_set(e, ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1u << 16, n = 0;
    unsigned char *buf = mem_alloc(cap);
    int rc = buf == NULL ? err_set(e, ERR_NOMEM, path, 0, "out of memory") : 0;
    while (rc == 0) {
        n += fread(buf + n, 1, cap - n, in);
        if (n < cap)
            break;
        unsigned char *bigger = cap >= HTML_MAX_EMBED ? NULL : mem_resize(buf, cap, 2);
        if (bigger == NULL)
            rc = err_set(e, cap >= HTML_MAX_EMBED ? ERR_IO : ERR_NOMEM, path, 0,
                         cap >= HTML_MAX_EMBED ? "too large to embed" : "out of memory");
        else
            buf = bigger, cap *= 2;
    }
    if (rc == 0 && ferror(in))
        rc = err_set(e, ERR_IO, path, 0, "read error");
    fclose(in);
    if (rc == 0) {
        fprintf(fp, "data:%s;base64,", mime);
        html_base64(fp, buf, n);
    }
    mem_free(buf);
    return rc;
}
