//! Compile-fail tests: guards cannot outlive their slab or overlap
//! `&mut` access, and slabs and guards are `Send`/`Sync` only for the
//! values their impls name; compile-pass tests for what they allow.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn sync_slab_misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/sync_slab/*.rs");
}

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn sync_slab_sharing_compiles() {
    trybuild::TestCases::new().pass("tests/ui/sync_slab_pass/*.rs");
}
