//! A server-style buffer recycler shared by threads: workers pull `Vec<u8>`
//! buffers, write responses into them and hand them to a writer thread,
//! which sends them and drops them, so they go back for reuse.
//!
//! Run it with `cargo run -p arena-pool --example buffers`.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use arena_pool::{RecycledOwned, Recycler};

const WORKERS: usize = 4;
const REQUESTS_PER_WORKER: usize = 500;

/// Buffers the recycler had to make (the others were reused).
static CREATED: AtomicUsize = AtomicUsize::new(0);

fn main() {
    // At most 16 idle buffers are kept; each comes back cleared, with its
    // capacity, so a reused buffer needs no allocation.
    let buffers = Arc::new(
        Recycler::with_max_idle(16, || {
            CREATED.fetch_add(1, Ordering::Relaxed);
            Vec::<u8>::new()
        })
        .with_reset(Vec::clear),
    );
    let (to_writer, outbox) = mpsc::sync_channel::<RecycledOwned<Vec<u8>>>(8);

    // The writer "sends" each response and drops its buffer, which returns
    // it to the recycler from this thread, not the one that pulled it.
    let writer = thread::spawn(move || {
        let (mut responses, mut bytes) = (0, 0);
        for response in outbox {
            responses += 1;
            bytes += response.len();
        }
        (responses, bytes)
    });

    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let buffers = Arc::clone(&buffers);
            let to_writer = to_writer.clone();
            thread::spawn(move || {
                let mut reused = 0;
                for request in 0..REQUESTS_PER_WORKER {
                    // `pull_owned` keeps the recycler alive through the
                    // `Arc`, so the buffer may cross to another thread.
                    let mut buf = buffers.pull_owned();
                    if buf.capacity() > 0 {
                        reused += 1;
                    }
                    let body = format!("worker {worker} answers request {request}\n");
                    write!(
                        buf,
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .expect("writing to a Vec cannot fail");
                    to_writer.send(buf).expect("the writer is running");
                }
                reused
            })
        })
        .collect();
    drop(to_writer);

    for (worker, handle) in workers.into_iter().enumerate() {
        let reused = handle.join().expect("worker panicked");
        println!(
            "worker {worker}: {REQUESTS_PER_WORKER} responses, {reused} written into reused buffers"
        );
    }
    let (responses, bytes) = writer.join().expect("writer panicked");
    let created = CREATED.load(Ordering::Relaxed);
    println!("writer: sent {responses} responses, {bytes} bytes");
    println!(
        "buffers made: {created} for {responses} responses ({} reuses); {} idle now, at most {} kept",
        responses - created,
        buffers.idle(),
        buffers.max_idle()
    );

    // A pulled buffer comes back cleared but keeps its capacity.
    let buf = buffers.pull();
    println!(
        "next pull: len {}, capacity {} (no allocation needed)",
        buf.len(),
        buf.capacity()
    );
}
