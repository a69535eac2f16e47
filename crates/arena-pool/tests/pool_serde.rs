//! Serialising pools: handles stay valid across a round trip.
#![cfg(feature = "serde")]

use arena_pool::{FixedPool, Handle, Pool};

#[test]
fn handles_survive_a_round_trip() {
    let mut pool = Pool::new();
    let handles: Vec<_> = (0..20).map(|i| pool.insert(format!("v{i}"))).collect();
    for h in handles.iter().step_by(3) {
        pool.remove(*h);
    }
    let reused = pool.insert(String::from("reused"));
    let json = serde_json::to_string(&pool).unwrap();
    let mut back: Pool<String> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.len(), pool.len());
    for &h in handles.iter().chain([&reused]) {
        assert_eq!(back.get(h), pool.get(h));
    }
    // Stale handles stay stale after new values take the free slots.
    for _ in 0..10 {
        let b = back.insert(String::from("next"));
        assert!(!handles.contains(&b) && b != reused);
    }
    assert!(handles.iter().all(|&h| back.get(h) == pool.get(h)));
    assert_eq!(back[reused], "reused");
    let json_handles = serde_json::to_string(&handles).unwrap();
    let handles_back: Vec<Handle<String>> = serde_json::from_str(&json_handles).unwrap();
    assert_eq!(handles_back, handles);
}

#[test]
fn bounded_and_fixed_pools_round_trip() {
    let mut pool = Pool::bounded(4);
    let a = pool.insert(1u32);
    pool.insert(2);
    pool.remove(a);
    let json = serde_json::to_string(&pool).unwrap();
    let mut back: Pool<u32> = serde_json::from_str(&json).unwrap();
    assert!(back.is_bounded());
    // Only the slots read are allocated; the bound still holds.
    assert_eq!(back.capacity(), 2);
    for i in 0..3 {
        back.insert(i);
    }
    assert!(back.try_insert(9).is_err());

    let mut fixed: FixedPool<u32, 4> = FixedPool::new();
    let h = fixed.insert(5);
    fixed.remove(h);
    let g = fixed.insert(6);
    let json = serde_json::to_string(&fixed).unwrap();
    let back: FixedPool<u32, 4> = serde_json::from_str(&json).unwrap();
    assert_eq!(back.get(h), None);
    assert_eq!(back[g], 6);
}

#[test]
fn retired_slots_stay_retired() {
    let mut pool = Pool::new();
    let h = pool.insert(0u8);
    pool.remove(h);
    pool.age_vacant_slots(u32::MAX);
    let last = pool.insert(1);
    pool.remove(last);
    let json = serde_json::to_string(&pool).unwrap();
    let mut back: Pool<u8> = serde_json::from_str(&json).unwrap();
    // The one slot is retired: nothing is left to reuse.
    assert_eq!(back.capacity(), 0);
    let next = back.insert(2);
    assert_ne!(next.index(), last.index());
}

#[test]
fn malformed_input_is_refused() {
    for bad in [
        r#"{"bound":null,"slots":[[1]]}"#,
        r#"{"bound":null,"slots":[[2,5]]}"#,
        r#"{"bound":null,"slots":[[4294967295,5]]}"#,
        r#"{"bound":1,"slots":[[0],[0]]}"#,
        r#"{"bound":null}"#,
        r#"{"slots":[]}"#,
        r#"{"bound":null,"slots":[[]]}"#,
    ] {
        assert!(serde_json::from_str::<Pool<u8>>(bad).is_err(), "{bad}");
    }
    assert!(
        serde_json::from_str::<FixedPool<u8, 1>>(r#"{"bound":null,"slots":[[0],[1,1]]}"#).is_err()
    );
    assert!(serde_json::from_str::<Handle<u8>>("[3,0]").is_err());
}

/// The error message serde_json gives for `input`, as a `Pool<u64>`.
fn refusal(input: &str) -> String {
    match serde_json::from_str::<Pool<u64>>(input) {
        Ok(pool) => panic!("{input} was accepted: {} values", pool.len()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_huge_bound_allocates_nothing() {
    // Once this allocated the whole bound (64 GiB) and aborted.
    let pool: Pool<u64> = serde_json::from_str(r#"{"bound":4294967295,"slots":[]}"#).unwrap();
    assert!(pool.is_bounded());
    assert_eq!(pool.capacity(), 0);
    let mut pool: Pool<u64> =
        serde_json::from_str(r#"{"bound":4294967295,"slots":[[1,7],[2]]}"#).unwrap();
    assert_eq!(pool.capacity(), 2);
    let h = pool.insert(8);
    assert_eq!(h.index(), 1);
    // A bounded pool read back still stops at its bound, growing up to it.
    let mut small: Pool<u64> = serde_json::from_str(r#"{"bound":3,"slots":[[1,7]]}"#).unwrap();
    small.insert(1);
    small.insert(2);
    assert!(small.try_insert(3).is_err());
    assert!(small.capacity() <= 3);
}

#[test]
fn inconsistent_input_is_a_clear_error() {
    let cases = [
        (r#"{"bound":4294967296,"slots":[]}"#, "above the most slots"),
        (r#"{"bound":1,"slots":[[0],[0]]}"#, "below its 2 slots"),
        (r#"{"bound":0,"slots":[[1,5]]}"#, "below its 1 slots"),
        (
            r#"{"bound":null,"slots":[[1]]}"#,
            "odd version must hold a value",
        ),
        (
            r#"{"bound":null,"slots":[[2,5]]}"#,
            "even version is vacant",
        ),
        (
            r#"{"bound":null,"slots":[[4294967295,5]]}"#,
            "past retirement",
        ),
        (
            r#"{"bound":null,"slots":[[4294967295]]}"#,
            "past retirement",
        ),
        (
            r#"{"bound":null,"slots":[[3,5,6]]}"#,
            "at most two elements",
        ),
        (r#"{"bound":null,"slots":[[]]}"#, "invalid length 0"),
        (
            r#"{"bound":null,"bound":null,"slots":[]}"#,
            "duplicate field",
        ),
        (r#"{"bound":null,"slots":[],"extra":1}"#, "unknown field"),
        (r#"{"bound":null}"#, "missing field `slots`"),
        (r#"{"slots":[]}"#, "missing field `bound`"),
        (r#"{"bound":-1,"slots":[]}"#, "invalid value"),
    ];
    for (input, expected) in cases {
        let message = refusal(input);
        assert!(
            message.contains(expected),
            "{input}: {message:?} does not say {expected:?}"
        );
    }
    let fixed = serde_json::from_str::<FixedPool<u8, 1>>(r#"{"bound":null,"slots":[[0],[1,1]]}"#);
    assert!(fixed.unwrap_err().to_string().contains("more slots than"));
}

#[test]
fn retired_and_reusable_versions_are_kept_apart() {
    // A retired slot (version u32::MAX - 1) never comes back; the highest
    // reusable one gives its last generation once.
    let json = r#"{"bound":null,"slots":[[4294967294],[4294967292]]}"#;
    let mut pool: Pool<u8> = serde_json::from_str(json).unwrap();
    assert_eq!(pool.capacity(), 1);
    let last = pool.insert(1);
    assert_eq!((last.index(), last.generation()), (1, u32::MAX - 2));
    pool.remove(last);
    let fresh = pool.insert(2);
    assert_eq!(fresh.index(), 2);
    assert_eq!(pool.len(), 1);
}

#[test]
fn the_compact_binary_form_round_trips_and_refuses_garbage() {
    let mut pool = Pool::bounded(8);
    let a = pool.insert(String::from("a"));
    let b = pool.insert(String::from("b"));
    pool.remove(a);
    let bytes = postcard::to_allocvec(&pool).unwrap();
    let back: Pool<String> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back[b], "b");
    assert_eq!(back.get(a), None);
    assert!(back.is_bounded());
    // Every prefix, and every byte changed, is refused or read back as a
    // valid pool; none crashes or allocates by a number it holds.
    for end in 0..bytes.len() {
        if let Ok(pool) = postcard::from_bytes::<Pool<String>>(&bytes[..end]) {
            assert!(pool.len() <= 2);
        }
    }
    for at in 0..bytes.len() {
        for value in [0, 1, 0x7f, 0x80, 0xff] {
            let mut changed = bytes.clone();
            changed[at] = value;
            if let Ok(mut pool) = postcard::from_bytes::<Pool<String>>(&changed) {
                let _ = pool.try_insert(String::from("c"));
                assert_eq!(pool.iter().count(), pool.len());
            }
        }
    }
    // A length prefix claiming four billion slots, with no bytes behind it.
    let claim = [
        0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f,
    ];
    assert!(postcard::from_bytes::<Pool<u64>>(&claim).is_err());
}

arena_pool::new_key_type! {
    struct NodeId;
}

#[test]
fn declared_handle_types_are_written_as_handles() {
    let mut pool: Pool<u8, NodeId> = Pool::with_key();
    let gone = pool.insert(1);
    pool.remove(gone);
    let kept = pool.insert(2);
    let json = serde_json::to_string(&kept).unwrap();
    assert_eq!(json, "[0,3]");
    assert_eq!(serde_json::from_str::<NodeId>(&json).unwrap(), kept);
    assert!(serde_json::from_str::<NodeId>("[0,2]").is_err());
    let back: Pool<u8, NodeId> =
        serde_json::from_str(&serde_json::to_string(&pool).unwrap()).unwrap();
    assert_eq!(back[kept], 2);
    assert_eq!(back.get(gone), None);
    let bytes = postcard::to_allocvec(&kept).unwrap();
    assert_eq!(postcard::from_bytes::<NodeId>(&bytes).unwrap(), kept);
}
