//! Cases, contenders and the timing loop.

use std::hint::black_box;
use std::time::Instant;

/// The timed part of one contender: performs the case's operations once.
pub type Run = Box<dyn FnMut()>;

/// One crate's way of doing a case's work.
pub struct Contender {
    /// The crate's name as published (`bumpalo`), `box` for `Box` with the
    /// system allocator, `vec-reserved` for a `Vec` made with room for every
    /// value, or `arena-pool` for ours.
    pub name: &'static str,
    /// Untimed setup for `ops` operations; returns the timed part.
    pub prepare: Box<dyn Fn(u64) -> Run>,
}

impl Contender {
    /// A contender whose setup is `prepare`.
    pub fn new(name: &'static str, prepare: impl Fn(u64) -> Run + 'static) -> Self {
        Self {
            name,
            prepare: Box::new(prepare),
        }
    }
}

/// One workload and everyone who does it.
pub struct Case {
    /// `GROUP/what`, the group one of `arena`, `typed`, `pool`, `sync`, `calc`.
    pub name: String,
    /// Operations per timed sample in a full run.
    pub ops: u64,
    /// Operations per timed sample with `--quick`.
    pub quick_ops: u64,
    /// The contenders; `arena-pool` is the baseline of every ratio.
    pub contenders: Vec<Contender>,
}

impl Case {
    /// A case of `ops` operations per sample (a tenth of that with `--quick`).
    pub fn new(name: impl Into<String>, ops: u64, contenders: Vec<Contender>) -> Self {
        Self {
            name: name.into(),
            ops,
            quick_ops: (ops / 10).max(1),
            contenders,
        }
    }

    /// Overrides the operations per sample used with `--quick`.
    #[must_use]
    pub fn quick_ops(mut self, ops: u64) -> Self {
        self.quick_ops = ops.max(1);
        self
    }
}

/// How long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Timed rounds; each round runs every contender once.
    pub rounds: usize,
    /// Whether to use each case's `quick_ops`.
    pub quick: bool,
}

/// The median time of one contender on one case.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub case: String,
    pub contender: &'static str,
    pub ns_per_op: f64,
    /// Contender time over arena-pool time: above 1 means arena-pool is
    /// faster. `None` when the case has no arena-pool contender.
    pub ratio: Option<f64>,
}

/// Times every contender of `case`, interleaving them round by round, and
/// returns the median nanoseconds per operation of each.
///
/// Each round runs the contenders in a fresh pseudo-random order, so that no
/// contender always follows the same neighbour (whose teardown can leave the
/// heap fragmented or its pages cold for whoever runs next).
pub fn measure(case: &Case, plan: Plan) -> Vec<Measurement> {
    let ops = if plan.quick { case.quick_ops } else { case.ops };
    let count = case.contenders.len();
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(plan.rounds); count];
    // One untimed warm-up round.
    for contender in &case.contenders {
        run_once(contender, ops);
    }
    let mut order: Vec<usize> = (0..count).collect();
    let mut rng = Shuffler::new(case.name.len() as u64 ^ 0x9E37_79B9_7F4A_7C15);
    for _ in 0..plan.rounds {
        rng.shuffle(&mut order);
        for &index in &order {
            let nanos = time_once(&case.contenders[index], ops);
            samples[index].push(nanos / ops as f64);
        }
    }
    let medians: Vec<f64> = samples.iter_mut().map(|s| median(s)).collect();
    let baseline = case
        .contenders
        .iter()
        .position(|c| c.name == "arena-pool")
        .map(|i| medians[i]);
    case.contenders
        .iter()
        .zip(medians)
        .map(|(contender, ns_per_op)| Measurement {
            case: case.name.clone(),
            contender: contender.name,
            ns_per_op,
            ratio: baseline.map(|base| ns_per_op / base),
        })
        .collect()
}

/// A small xorshift generator for the run order; deterministic per case.
struct Shuffler(u64);

impl Shuffler {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Fisher-Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Fixes the system allocator's tuning for the whole run, before any case
/// runs, so that results do not depend on which cases and contenders ran
/// before.
///
/// glibc's `malloc` raises its `mmap` and trim thresholds at run time, as it
/// sees large blocks freed; whether a fresh arena's big chunks then come from
/// pages already faulted in or from new mappings depends on that history.
/// Pinning the `mmap` threshold at its documented default (128 KiB) turns the
/// adjustment off: every large chunk is a fresh mapping, so first-touch page
/// faults count for every contender alike. Elsewhere this does nothing.
pub fn pin_allocator_tuning() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: `mallopt` only changes glibc's tuning parameters and is
        // safe to call at any time; `M_MMAP_THRESHOLD` takes a byte count.
        let accepted = unsafe { mallopt(M_MMAP_THRESHOLD, 128 * 1024) };
        debug_assert_eq!(accepted, 1, "glibc refused the mmap threshold");
    }
}

/// Gives free heap memory back to the system and merges free blocks
/// (glibc's `malloc_trim`); elsewhere it does nothing.
fn settle_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: `malloc_trim` only rearranges and releases memory that is
        // free.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Runs a contender once for `ops` operations, untimed.
pub fn run_once(contender: &Contender, ops: u64) {
    let mut run = (contender.prepare)(ops);
    measured_region(&mut run);
    drop(black_box(run));
}

/// Runs the timed part of a contender. Never inlined, so that an instruction
/// counter can count only inside it:
/// `valgrind --tool=callgrind --toggle-collect='*measured_region*' compare --ops N ...`.
#[inline(never)]
pub fn measured_region(run: &mut Run) {
    run();
}

/// Times one sample of a contender.
///
/// The contender first does the same work once, untimed, so that its code
/// and data are warm. Then its setup runs, and just before the clock starts
/// the heap is settled: free memory goes back to the system, so no sample
/// finds pages that another contender (or its own untimed run) faulted in
/// and freed. glibc serves large requests from free heap memory before it
/// maps new pages, so without this a fresh arena's chunks arrived paged in
/// or not depending on the heap's layout, which every allocation of every
/// contender shifts: one change to a first chunk's size moved every
/// contender of a fresh case between 35 and 8 ns per operation. Settled,
/// every page a sample touches for the first time costs a fault, for every
/// contender alike; what setup keeps alive (a reused arena's chunk, a
/// filled pool) stays paged in.
fn time_once(contender: &Contender, ops: u64) -> f64 {
    run_once(contender, ops);
    let mut run = (contender.prepare)(ops);
    settle_heap();
    let start = Instant::now();
    measured_region(&mut run);
    let elapsed = start.elapsed();
    // Teardown (dropping the structure) happens after the clock stops unless
    // the case itself measures it.
    drop(black_box(run));
    elapsed.as_nanos() as f64
}

/// The median of `samples` (sorted in place).
pub fn median(samples: &mut [f64]) -> f64 {
    assert!(!samples.is_empty(), "median of no samples");
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    if samples.len().is_multiple_of(2) {
        (samples[mid - 1] + samples[mid]) / 2.0
    } else {
        samples[mid]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn shuffle_is_a_permutation_that_varies() {
        let mut rng = Shuffler::new(7);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let mut order: Vec<usize> = (0..6).collect();
            rng.shuffle(&mut order);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..6).collect::<Vec<_>>());
            seen.insert(order);
        }
        assert!(seen.len() > 10, "orders barely vary: {}", seen.len());
    }

    #[test]
    fn ratio_is_relative_to_arena_pool() {
        use std::cell::Cell;
        use std::rc::Rc;
        let calls = Rc::new(Cell::new(0u64));
        let counted = Rc::clone(&calls);
        let case = Case::new(
            "arena/test",
            10,
            vec![
                Contender::new("arena-pool", |_| Box::new(|| {})),
                Contender::new("other", move |ops| {
                    let counted = Rc::clone(&counted);
                    Box::new(move || counted.set(counted.get() + ops))
                }),
            ],
        );
        let results = measure(
            &case,
            Plan {
                rounds: 3,
                quick: false,
            },
        );
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].ratio, Some(1.0));
        // One warm-up round, then three rounds of an untimed run and a
        // timed one, each of 10 operations.
        assert_eq!(calls.get(), 70);
    }
}
