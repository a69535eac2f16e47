//! Arena collections cannot outlive their arena, a reset or their scope,
//! cannot cross threads (except boxes of `Send` values), and `unsize_box!`
//! accepts only real unsizing coercions.

#[test]
#[cfg_attr(miri, ignore = "trybuild runs rustc, which Miri cannot")]
fn collections_misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/collections/*.rs");
}
