#define _GNU_SOURCE
#include <locale.h>
#include <pthread.h>
#include <wchar.h>
#include "CTextWidth.h"

static locale_t utf8 = (locale_t)0;
static pthread_once_t made = PTHREAD_ONCE_INIT;

static void make_locale(void) {
    utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8 == (locale_t)0) utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
}

int descent_wcwidth(unsigned int scalar) {
    pthread_once(&made, make_locale);
    if (utf8 == (locale_t)0) return -2;
    locale_t previous = uselocale(utf8);
    int width = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return width;
}
