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
    assert_eq!(back.capacity(), 4);
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
    assert_eq!(back.capacity(), pool.capacity());
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
