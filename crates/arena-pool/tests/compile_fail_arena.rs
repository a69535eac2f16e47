//! References into an arena cannot outlive it, a reset, or a scope.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn arena_lifetimes_are_enforced() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/arena/*.rs");
}
