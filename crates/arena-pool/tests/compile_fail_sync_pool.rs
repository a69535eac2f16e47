//! Compile-fail tests: boxes cannot outlive their pool, and boxes of
//! non-`Send` values cannot cross threads.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn compile_fail_sync_pool() {
    trybuild::TestCases::new().compile_fail("tests/ui/sync_pool/*.rs");
}
