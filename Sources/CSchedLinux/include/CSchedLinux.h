// Thin wrappers for Linux APIs that Swift's Glibc module does not expose. Wrapper-only: no logic.
#ifndef CSCHEDLINUX_H
#define CSCHEDLINUX_H
#endif
