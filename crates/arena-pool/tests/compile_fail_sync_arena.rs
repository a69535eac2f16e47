//! Compile-fail tests: references from a `SyncArena` cannot outlive it or a
//! reset, a `LocalArena` stays on its thread, and references to values that
//! are not `Sync` (or `&mut` to values that are not `Send`) cannot cross
//! threads.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn compile_fail_sync_arena() {
    trybuild::TestCases::new().compile_fail("tests/ui/sync_arena/*.rs");
}
