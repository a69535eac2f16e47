//! Collections from `allocator-api2` and `hashbrown` living in an arena.

#![cfg(feature = "allocator-api2")]

use allocator_api2::vec::Vec;
use arena_pool::Arena;
use hashbrown::HashMap;

const N: u64 = if cfg!(miri) { 200 } else { 100_000 };

#[test]
fn vec_in_arena() {
    let arena = Arena::new();
    let mut v = Vec::new_in(&arena);
    for i in 0..N {
        v.push(i);
    }
    assert_eq!(v.len() as u64, N);
    assert!(v.iter().copied().eq(0..N));
    assert!(arena.contains(v.as_slice()));
    // Growth of the most recent block reuses its memory: the arena holds
    // little more than the final capacity.
    assert!(arena.allocated_bytes() <= v.capacity() * 8 * 2);
}

#[test]
fn hash_map_in_arena() {
    let arena = Arena::new();
    let mut map = HashMap::new_in(&arena);
    for i in 0..N {
        map.insert(i, i * i);
    }
    for i in 0..N {
        assert_eq!(map.get(&i), Some(&(i * i)));
    }
    map.retain(|k, _| k % 2 == 0);
    assert_eq!(map.len() as u64, N.div_ceil(2));
}

#[test]
fn several_collections_interleaved() {
    let arena = Arena::with_capacity(64);
    let mut names: Vec<&str, &Arena> = Vec::new_in(&arena);
    let mut lengths: Vec<usize, &Arena> = Vec::new_in(&arena);
    for i in 0..N.min(2000) {
        let name: &str = arena.alloc_str(&format!("item-{i}"));
        names.push(name);
        lengths.push(name.len());
    }
    assert!(names.iter().zip(&lengths).all(|(n, &l)| n.len() == l));
}
