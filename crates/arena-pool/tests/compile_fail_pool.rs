//! Misuse of pools and handles that must not compile.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn pool_misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/pool/*.rs");
}
