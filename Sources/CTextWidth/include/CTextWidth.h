// The C library's wcwidth in a UTF-8 locale, whatever the process's own (LANG=C included): the width
// ncurses places each character by. Swift's Glibc module does not declare wcwidth.
#ifndef DESCENT_CTEXTWIDTH_H
#define DESCENT_CTEXTWIDTH_H

/// Columns `scalar` takes in a terminal (0, 1 or 2), -1 when it is not printable, -2 when no UTF-8
/// locale could be made (the caller then measures by its own table).
int descent_wcwidth(unsigned int scalar);

#endif
