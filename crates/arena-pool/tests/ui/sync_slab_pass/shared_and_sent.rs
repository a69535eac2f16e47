// What the `Send`/`Sync` impls and the borrows allow.
use std::cell::Cell;
use std::sync::{Arc, Mutex, MutexGuard};

use arena_pool::{OwnedSlabEntry, SlabEntry, SlabKey, SyncSlab};

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

fn main() {
    // A slab of `Send` values that are not `Sync` moves between threads.
    assert_send::<SyncSlab<Cell<u8>>>();
    let slab = SyncSlab::new();
    let key = slab.insert(Cell::new(1)).unwrap();
    let slab = std::thread::spawn(move || {
        slab.get(key).unwrap().set(2);
        slab
    })
    .join()
    .unwrap();
    assert_eq!(slab.get(key).unwrap().get(), 2);

    // Shared by reference between scoped threads, guards sent along.
    let slab = SyncSlab::new();
    let key = slab.insert(String::from("a")).unwrap();
    std::thread::scope(|s| {
        let entry: SlabEntry<'_, String> = slab.get(key).unwrap();
        s.spawn(move || assert_eq!(*entry, "a"));
        s.spawn(|| assert!(slab.insert(String::from("b")).is_ok()));
    });

    // Owned guards go anywhere.
    let slab = Arc::new(SyncSlab::new());
    let key: SlabKey = slab.insert(5u64).unwrap();
    let entry: OwnedSlabEntry<u64> = slab.get_owned(key).unwrap();
    std::thread::spawn(move || assert_eq!(*entry, 5)).join().unwrap();

    // A guard on a `Sync` value that is not `Send` can be shared.
    assert_sync::<SlabEntry<'static, MutexGuard<'static, u8>>>();
    assert_sync::<OwnedSlabEntry<MutexGuard<'static, u8>>>();
    let lock = Mutex::new(0u8);
    let slab = SyncSlab::new();
    let key = slab.insert(lock.lock().unwrap()).unwrap();
    let entry = slab.get(key).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| assert_eq!(**entry, 0));
    });
    drop(entry);
    drop(slab);

    // Borrowed values declared before the slab.
    let text = String::from("borrowed");
    let slab = SyncSlab::new();
    let key = slab.insert(text.as_str()).unwrap();
    assert_eq!(*slab.get(key).unwrap(), "borrowed");
}
