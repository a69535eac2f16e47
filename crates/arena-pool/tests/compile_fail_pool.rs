//! Misuse of pools and handles that must not compile, and borrowing that
//! must (the drop check treats a pool as it treats a `Vec`).

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn pool_misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/pool/*.rs");
}

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn pools_of_borrowed_values_compile() {
    trybuild::TestCases::new().pass("tests/ui/pool_pass/*.rs");
}
