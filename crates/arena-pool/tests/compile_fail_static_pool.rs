//! Compile tests of `StaticPool`: boxes cannot outlive their pool, pools
//! and boxes are `Send`/`Sync` only for the values their impls name, and a
//! wrong word count does not compile; what must compile does.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn compile_fail_static_pool() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/static_pool/*.rs");
    t.pass("tests/ui/static_pool_pass/*.rs");
}
