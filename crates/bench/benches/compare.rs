//! Every `compare` case as a criterion benchmark, with the same contenders:
//! one benchmark group per case, one benchmark per contender.
//!
//! ```text
//! cargo bench -p bench                      # every case
//! cargo bench -p bench -- 'pool/'           # cases whose name matches
//! ```
//!
//! Each iteration runs a contender's untimed setup (`prepare`) and then times
//! its run of the case's `--quick` operation count, so the reported
//! throughput is operations per second. The HTML reports land under
//! `target/criterion/`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bench::harness::{self, Contender};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

/// Total time of `iters` timed runs of `contender`, `ops` operations each;
/// setup and teardown are not timed.
fn timed_runs(contender: &Contender, ops: u64, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let mut run = (contender.prepare)(ops);
        let start = Instant::now();
        harness::measured_region(&mut run);
        total += start.elapsed();
        drop(black_box(run));
    }
    total
}

fn compare(c: &mut Criterion) {
    harness::pin_allocator_tuning();
    for case in bench::cases::all() {
        let ops = case.quick_ops;
        let mut group = c.benchmark_group(&case.name);
        group
            .throughput(Throughput::Elements(ops))
            // Each iteration is a whole run of `ops` operations, long enough
            // that few samples suffice; flat sampling keeps the untimed
            // setup from multiplying.
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1));
        for contender in &case.contenders {
            group.bench_function(contender.name, |b| {
                b.iter_custom(|iters| timed_runs(contender, ops, iters));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
