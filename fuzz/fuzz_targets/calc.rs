//! Arbitrary bytes never panic the parser or evaluator, and the arena and
//! `Box` trees always agree.

#![no_main]

use arena_pool::Arena;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let arena = Arena::new();
    let ours =
        calc::parse(&arena, &text).map(|tree| (tree.to_string(), tree.node_count(), tree.eval()));
    let boxed =
        calc_fixtures::boxed::parse(&text).map(|tree| (tree.to_string(), tree.node_count(), tree.eval()));
    assert_eq!(ours, boxed);
    match ours {
        Ok((_, _, Err(error))) => {
            assert!(error.column() >= 1 && error.column() <= text.chars().count());
            let _ = error.to_string();
        }
        Err(error) => {
            assert!(error.column() >= 1 && error.column() <= text.chars().count() + 1);
            let _ = error.to_string();
        }
        Ok(_) => {}
    }
    assert_eq!(
        calc::evaluate(&text).map_err(|e| e.column()),
        match calc::parse(&arena, &text) {
            Ok(tree) => tree.eval().map_err(|e| e.column()),
            Err(error) => Err(error.column()),
        }
    );
});
