// A small shim over ncursesw for Swift 6: its macros do not import, and its globals
// (stdscr, LINES, COLS, COLORS, COLOR_PAIRS) are not concurrency-safe, so they are read through getters.
#ifndef DESCENT_CNCURSES_SHIM_H
#define DESCENT_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <string.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

static inline WINDOW *descent_stdscr(void) { return stdscr; }
static inline int descent_lines(void) { return LINES; }
static inline int descent_cols(void) { return COLS; }
static inline int descent_colors(void) { return COLORS; }
static inline int descent_color_pairs(void) { return COLOR_PAIRS; }

static inline int descent_key_resize(void) { return KEY_RESIZE; }
static inline int descent_key_mouse(void) { return KEY_MOUSE; }
static inline int descent_key_up(void) { return KEY_UP; }
static inline int descent_key_down(void) { return KEY_DOWN; }
static inline int descent_key_left(void) { return KEY_LEFT; }
static inline int descent_key_right(void) { return KEY_RIGHT; }
static inline int descent_key_btab(void) { return KEY_BTAB; }
static inline int descent_key_enter(void) { return KEY_ENTER; }
static inline int descent_key_backspace(void) { return KEY_BACKSPACE; }

static inline attr_t descent_a_bold(void) { return A_BOLD; }
static inline attr_t descent_a_dim(void) { return A_DIM; }
static inline attr_t descent_a_reverse(void) { return A_REVERSE; }

/// Reads one key: returns OK with a character, KEY_CODE_YES with a function key, or ERR on timeout.
static inline int descent_get_wch(wint_t *out) { return wget_wch(stdscr, out); }
static inline int descent_key_code_yes(void) { return KEY_CODE_YES; }

/// Puts one wide character with attributes and a colour pair at (y, x).
static inline void descent_put(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    wchar_t text[2] = { ch, 0 };
    cchar_t cell;
    setcchar(&cell, text, attrs, pair, NULL);
    mvwadd_wch(stdscr, y, x, &cell);
}

/// Enables click reports; returns the mask the terminal accepted.
static inline mmask_t descent_enable_mouse(void) {
    return mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
}

/// The cell of the last mouse click, or -1 when the event was not a left click.
static inline int descent_mouse_click(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    if (!(event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))) return -1;
    *x = event.x;
    *y = event.y;
    return 0;
}

/// What the terminal (TERM) lacks that a full-screen explorer needs: 0 nothing, 1 cursor addressing (cup),
/// 2 clearing the screen (clear); -1 when the type has no terminfo entry. Asked before the screen is taken.
static inline int descent_terminal_lacks(void) {
    int error = 0;
    if (setupterm(NULL, 1, &error) != OK) return -1;
    const char *cup = tigetstr("cup");
    const char *clear = tigetstr("clear");
    int lacks = (cup == NULL || cup == (char *)-1) ? 1 : (clear == NULL || clear == (char *)-1) ? 2 : 0;
    del_curterm(cur_term);
    return lacks;
}

/// initscr, but failing with -1 instead of exiting when the terminal type (TERM) is unknown here.
static inline int descent_start_screen(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return -1;
    set_term(screen);
    return 0;
}

/// True when the current locale's character set is UTF-8.
static inline int descent_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
