//! One `Arena` per worker, reset after every request: everything a request
//! allocates is freed in one step, and the memory held stays flat.
//!
//! Run it with `cargo run -p arena-pool --example per_request`.

use arena_pool::Arena;

/// A parsed header, borrowing from the request's arena.
struct Header<'a> {
    name: &'a str,
    value: &'a str,
}

/// A request of `n` headers and a body of `body_len` bytes.
fn make_request(n: usize, body_len: usize) -> String {
    let mut text = String::from("POST /upload HTTP/1.1\n");
    for i in 0..n {
        text.push_str(&format!("X-Header-{i}: value number {}\n", i * 7919 % 1000));
    }
    text.push('\n');
    text.push_str(&"x".repeat(body_len));
    text
}

/// Parses `request` into `arena` and returns a summary line, also in the
/// arena: the request's data needs no other allocation, and no `free`.
fn handle<'a>(arena: &'a Arena, request: &str) -> &'a str {
    let (head, body) = request.split_once("\n\n").unwrap_or((request, ""));
    let mut lines = head.lines();
    let request_line = arena.alloc_str(lines.next().unwrap_or(""));
    let headers = arena.alloc_slice_fill_iter(lines.filter_map(|line| {
        let (name, value) = line.split_once(':')?;
        let name = arena.alloc_str(name.trim());
        name.make_ascii_lowercase();
        Some(Header {
            name,
            value: arena.alloc_str(value.trim()),
        })
    }));
    // A working copy of the body, as a decoder would make.
    let decoded = arena.alloc_slice_copy(body.as_bytes());
    decoded.make_ascii_uppercase();
    let longest = headers
        .iter()
        .map(|h| h.name.len() + h.value.len())
        .max()
        .unwrap_or(0);
    let first = headers.first().map_or("-", |h| h.name);
    arena.alloc_str(&format!(
        "{request_line}: {} headers (first {first}, longest {longest} bytes), body {} bytes",
        headers.len(),
        decoded.len()
    ))
}

fn main() {
    // Request sizes vary, with a big one now and then.
    let requests: Vec<String> = (0..12)
        .map(|i| {
            make_request(
                10 + i * 37 % 60,
                if i % 5 == 3 { 48_000 } else { 2_000 + i * 500 },
            )
        })
        .collect();

    let mut arena = Arena::new();
    println!(
        "{:>3} {:>8} {:>10} {:>10} {:>6} {:>14}",
        "req", "size", "allocated", "capacity", "chunks", "after reset"
    );
    for (i, request) in requests.iter().enumerate() {
        let summary = handle(&arena, request);
        if i == 0 {
            println!("    ({summary})");
        }
        let (allocated, capacity, chunks) = (
            arena.allocated_bytes(),
            arena.capacity(),
            arena.chunk_count(),
        );
        // `reset` needs `&mut`: the borrow checker has already proved that
        // `summary` and every other reference into the arena is gone.
        arena.reset();
        println!(
            "{i:>3} {:>8} {allocated:>10} {capacity:>10} {chunks:>6} {:>14}",
            request.len(),
            arena.capacity()
        );
    }
    println!(
        "after {} requests the arena holds {} bytes in {} chunk, ready for the next one",
        requests.len(),
        arena.capacity(),
        arena.chunk_count()
    );
}
