//! Compile-fail tests: boxes cannot outlive their pool, and pools,
//! recyclers, boxes and guards are `Send`/`Sync` only for the values their
//! `Send`/`Sync` impls name.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn compile_fail_sync_pool() {
    trybuild::TestCases::new().compile_fail("tests/ui/sync_pool/*.rs");
}
