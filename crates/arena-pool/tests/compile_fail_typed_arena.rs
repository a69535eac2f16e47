//! Misuses of `TypedArena` that must not compile: references outliving the
//! arena or living across `clear`, `into_vec` and `iter_mut`; sharing between
//! threads; cycles whose `Drop` reads a neighbour; lifetime shortening.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn typed_arena_misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/typed_arena/*.rs");
}
