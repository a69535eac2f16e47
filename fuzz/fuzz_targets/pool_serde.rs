//! Feeds arbitrary bytes to the pools' deserialisers (JSON and the compact
//! binary form of postcard), then uses whatever was read: every handle the
//! pool shows must reach its value, new insertions must never return a
//! handle it already showed, and the counts must agree.

#![no_main]

use arena_pool::{FixedPool, Handle, Pool};
use libfuzzer_sys::fuzz_target;

/// Exercises a pool read from untrusted input.
macro_rules! exercise {
    ($pool:expr) => {{
        let mut pool = $pool;
        let shown: Vec<Handle<u16>> = pool.iter().map(|(h, _)| h).collect();
        assert_eq!(shown.len(), pool.len());
        assert_eq!(pool.iter().rev().count(), pool.len());
        for &h in &shown {
            assert!(pool.get(h).is_some());
        }
        for i in 0..4u16 {
            if let Ok(h) = pool.try_insert(i) {
                assert!(!shown.contains(&h), "a new value took a live handle");
                assert_eq!(pool.get(h), Some(&i));
            }
        }
        if let Some(&h) = shown.first() {
            assert!(pool.remove(h).is_some());
            assert_eq!(pool.get(h), None);
            if let Ok(again) = pool.try_insert(9) {
                assert_ne!(again, h, "a stale handle came back");
            }
        }
        let len = pool.len();
        assert_eq!(pool.drain().count(), len);
        assert!(pool.is_empty());
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    match kind % 4 {
        0 => {
            if let Ok(pool) = serde_json::from_slice::<Pool<u16>>(bytes) {
                exercise!(pool);
            }
        }
        1 => {
            if let Ok(pool) = postcard::from_bytes::<Pool<u16>>(bytes) {
                exercise!(pool);
            }
        }
        2 => {
            if let Ok(pool) = serde_json::from_slice::<FixedPool<u16, 8>>(bytes) {
                exercise!(pool);
            }
        }
        _ => {
            if let Ok(pool) = postcard::from_bytes::<FixedPool<u16, 8>>(bytes) {
                exercise!(pool);
            }
        }
    }
});
