/*
 * test_char_width.c -- UTF-8 decoding and terminal widths (util/char_width.h)
 * that the table view pads with.
 */
#include "check.h"
#include "util/char_width.h"

static int decode(const char *s, uint32_t *cp) { return aiq_utf8_decode(s, strlen(s), cp); }

static void test_decode(void)
{
    uint32_t cp = 0;
    CHECK_EQ_I64(decode("A", &cp), 1);
    CHECK_EQ_I64(cp, 'A');
    CHECK_EQ_I64(decode("\xC3\xA9", &cp), 2); /* é */
    CHECK_EQ_I64(cp, 0xE9);
    CHECK_EQ_I64(decode("\xE6\x97\xA5", &cp), 3); /* 日 */
    CHECK_EQ_I64(cp, 0x65E5);
    CHECK_EQ_I64(decode("\xF0\x9F\x94\xA5", &cp), 4); /* 🔥 */
    CHECK_EQ_I64(cp, 0x1F525);
    CHECK_EQ_I64(decode("\x80", &cp), 0);             /* stray continuation byte */
    CHECK_EQ_I64(decode("\xC0\xAF", &cp), 0);         /* overlong '/' */
    CHECK_EQ_I64(decode("\xED\xA0\x80", &cp), 0);     /* surrogate U+D800 */
    CHECK_EQ_I64(decode("\xF4\x90\x80\x80", &cp), 0); /* past U+10FFFF */
    CHECK_EQ_I64(decode("\xE6\x97", &cp), 0);         /* truncated */
    CHECK_EQ_I64(decode("\xE6" "A" "\xA5", &cp), 0);   /* broken sequence */
    CHECK_EQ_I64(aiq_utf8_decode("\xC3\xA9", 1, &cp), 0); /* cut by the length */
}

static void test_widths(void)
{
    CHECK_EQ_I64(aiq_char_width('a'), 1);
    CHECK_EQ_I64(aiq_char_width('\\'), 1);
    CHECK_EQ_I64(aiq_char_width(0xE9), 1);    /* é */
    CHECK_EQ_I64(aiq_char_width(0xAD), 1);    /* soft hyphen: terminals draw it */
    CHECK_EQ_I64(aiq_char_width(0x301), 0);   /* combining acute accent */
    CHECK_EQ_I64(aiq_char_width(0x200B), 0);  /* zero width space */
    CHECK_EQ_I64(aiq_char_width(0xFE0F), 0);  /* variation selector */
    CHECK_EQ_I64(aiq_char_width(0x65E5), 2);  /* 日 */
    CHECK_EQ_I64(aiq_char_width(0xAC00), 2);  /* 가 */
    CHECK_EQ_I64(aiq_char_width(0xFF21), 2);  /* fullwidth A */
    CHECK_EQ_I64(aiq_char_width(0x1F525), 2); /* 🔥 */
    CHECK_EQ_I64(aiq_char_width(0x20000), 2); /* CJK extension B */
    CHECK_EQ_I64(aiq_char_width(0x0416), 1);  /* Ж */
    CHECK_EQ_I64(aiq_char_width('\n'), -1);
    CHECK_EQ_I64(aiq_char_width(0x1B), -1);   /* ESC */
    CHECK_EQ_I64(aiq_char_width(0x7F), -1);   /* DEL */
    CHECK_EQ_I64(aiq_char_width(0x9B), -1);   /* C1 CSI */
}

void test_char_width(void)
{
    test_decode();
    test_widths();
}
