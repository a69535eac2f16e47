//! Integer-expression parsing and evaluation on an arena.
