//! Batch mode: blocks of whole lines in, results out in input order, on one
//! thread or several.
//!
//! Memory stays bounded whatever the input size: input is read in blocks of
//! about [`BLOCK`] bytes (longer only to finish a long line), each evaluator
//! resets its arena as it fills, and with several threads at most
//! `2 * jobs + 2` blocks are in flight between reading and writing.
//!
//! Each worker evaluates in an `Arena` of its own, reset whenever it holds
//! more than 16 KiB, so the trees being built stay in cache. A shared
//! `SyncArena` would bump each node the same way (its per-thread arenas are
//! `Arena`s, reached through one more pointer) but can be reset only while
//! no worker runs: over a 100 MB input it would hold every tree of the run,
//! 860 MB (`--stats`, "arena bytes in all") rather than 20 KB at most. So
//! the workers keep their own arenas; the values they produce never need
//! to outlive a block.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::line::{Evaluator, Totals};

/// Input bytes per block (smaller under Miri, so that its tests still span
/// several blocks in reasonable time).
const BLOCK: usize = if cfg!(miri) { 4 * 1024 } else { 256 * 1024 };

/// Inputs at least this large get a progress bar (when standard error is a
/// terminal).
const PROGRESS_FROM: u64 = 16 << 20;

/// How batch mode runs.
pub struct Options {
    /// Worker threads; 1 evaluates on the calling thread.
    pub jobs: usize,
    /// Print trees instead of values.
    pub ast: bool,
    /// Count nodes for `--stats`.
    pub count_nodes: bool,
    /// The input's size, when known and a progress bar may be drawn.
    pub progress_size: Option<u64>,
}

/// Evaluates every line of `input`, writing one line of results for each to
/// `output`, and returns the counts.
pub fn run(
    input: Box<dyn Read + Send>,
    mut output: impl Write,
    options: &Options,
) -> io::Result<Totals> {
    let mut progress = Progress::new(options.progress_size);
    let totals = if options.jobs <= 1 {
        run_serial(input, &mut output, options, &mut progress)
    } else {
        run_parallel(input, &mut output, options, &mut progress)
    };
    progress.finish();
    let totals = totals?;
    output.flush()?;
    Ok(totals)
}

fn run_serial(
    input: Box<dyn Read + Send>,
    output: &mut impl Write,
    options: &Options,
    progress: &mut Progress,
) -> io::Result<Totals> {
    let mut blocks = Blocks::new(input);
    let mut evaluator = Evaluator::new(options.ast, options.count_nodes);
    let mut block = Vec::new();
    let mut out = Vec::new();
    let mut bytes = 0;
    while blocks.next(&mut block)? {
        let lines = evaluate_block(&mut evaluator, &block, &mut out);
        output.write_all(&out)?;
        out.clear();
        bytes += block.len() as u64;
        progress.advance(block.len() as u64, lines);
    }
    Ok(evaluator.take_totals(bytes))
}

/// Evaluates the lines of `block` into `out`; returns how many there were.
fn evaluate_block(evaluator: &mut Evaluator, block: &[u8], out: &mut Vec<u8>) -> u64 {
    let mut lines = 0;
    for line in block.split_inclusive(|&b| b == b'\n') {
        evaluator.line(line, out);
        lines += 1;
    }
    lines
}

/// A block of input evaluated by a worker.
struct Done {
    seq: u64,
    input: Vec<u8>,
    output: Vec<u8>,
    lines: u64,
}

fn run_parallel(
    input: Box<dyn Read + Send>,
    output: &mut impl Write,
    options: &Options,
    progress: &mut Progress,
) -> io::Result<Totals> {
    let in_flight = 2 * options.jobs + 2;
    // Empty input buffers: the reader takes one per block, the writer gives
    // it back once the block's results are written. This bounds the blocks
    // in flight, whatever order the workers finish in.
    let (free_tx, free_rx) = mpsc::sync_channel::<Vec<u8>>(in_flight);
    for _ in 0..in_flight {
        free_tx.send(Vec::new()).ok();
    }
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Vec<u8>)>(in_flight);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = mpsc::channel::<Done>();

    thread::scope(|scope| {
        let reader = scope.spawn(move || read_blocks(input, &free_rx, &work_tx));
        let workers: Vec<_> = (0..options.jobs)
            .map(|_| {
                let work_rx = Arc::clone(&work_rx);
                let done_tx = done_tx.clone();
                scope.spawn(move || work(&work_rx, &done_tx, options))
            })
            .collect();
        // Only the workers hold these now, so each side sees the other go.
        drop(work_rx);
        drop(done_tx);

        let written = write_in_order(output, done_rx, free_tx, progress);
        let mut totals = Totals::default();
        for worker in workers {
            totals.add(&worker.join().expect("a worker thread panicked"));
        }
        let read = reader.join().expect("the reader thread panicked");
        totals.bytes = read?;
        written?;
        Ok(totals)
    })
}

/// The reader thread: fills free buffers with blocks and numbers them.
/// Returns the number of bytes read.
fn read_blocks(
    input: Box<dyn Read + Send>,
    free: &Receiver<Vec<u8>>,
    work: &SyncSender<(u64, Vec<u8>)>,
) -> io::Result<u64> {
    let mut blocks = Blocks::new(input);
    let mut bytes = 0;
    for seq in 0.. {
        // Either channel closing means the writer stopped early.
        let Ok(mut block) = free.recv() else { break };
        if !blocks.next(&mut block)? {
            break;
        }
        bytes += block.len() as u64;
        if work.send((seq, block)).is_err() {
            break;
        }
    }
    Ok(bytes)
}

/// A worker thread: evaluates blocks with its own arena until the input
/// ends or the writer stops.
fn work(
    work: &Mutex<Receiver<(u64, Vec<u8>)>>,
    done: &mpsc::Sender<Done>,
    options: &Options,
) -> Totals {
    let mut evaluator = Evaluator::new(options.ast, options.count_nodes);
    loop {
        // The lock is held only while waiting for the next block.
        let next = work.lock().map(|rx| rx.recv());
        let Ok(Ok((seq, input))) = next else { break };
        let mut output = Vec::with_capacity(input.len() / 2);
        let lines = evaluate_block(&mut evaluator, &input, &mut output);
        let done_block = Done {
            seq,
            input,
            output,
            lines,
        };
        if done.send(done_block).is_err() {
            break;
        }
    }
    evaluator.take_totals(0)
}

/// Writes results in input order, handing input buffers back to the reader.
/// Returning (on success or error) drops both channel ends, which stops the
/// other threads.
fn write_in_order(
    output: &mut impl Write,
    done: Receiver<Done>,
    free: SyncSender<Vec<u8>>,
    progress: &mut Progress,
) -> io::Result<()> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    for block in done {
        waiting.insert(block.seq, block);
        while let Some(mut block) = waiting.remove(&next) {
            output.write_all(&block.output)?;
            progress.advance(block.input.len() as u64, block.lines);
            block.input.clear();
            // The reader may have finished; then the buffer is not needed.
            let _ = free.send(block.input);
            next += 1;
        }
    }
    Ok(())
}

/// Reads an input as blocks of whole lines.
struct Blocks {
    input: Box<dyn Read + Send>,
    /// The start of an unfinished line, read past the end of the last block.
    carry: Vec<u8>,
    eof: bool,
}

impl Blocks {
    fn new(input: Box<dyn Read + Send>) -> Self {
        Self {
            input,
            carry: Vec::new(),
            eof: false,
        }
    }

    /// Replaces `block` with the next lines: about [`BLOCK`] bytes, ending
    /// with a newline unless the input ends without one. Returns `false` at
    /// the end of the input.
    fn next(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        block.clear();
        block.append(&mut self.carry);
        while !self.eof {
            let start = block.len();
            let read = (&mut self.input).take(BLOCK as u64).read_to_end(block)?;
            if read == 0 {
                self.eof = true;
                break;
            }
            // Earlier bytes of the block hold no newline (they are the carry
            // or a long line's beginning), so only the new ones are searched.
            if let Some(at) = block[start..].iter().rposition(|&b| b == b'\n') {
                let end = start + at + 1;
                self.carry.extend_from_slice(&block[end..]);
                block.truncate(end);
                return Ok(true);
            }
        }
        Ok(!block.is_empty())
    }
}

/// A progress bar on standard error for large inputs, or nothing.
struct Progress {
    bar: Option<ProgressBar>,
    lines: u64,
    start: Instant,
    shown: Instant,
}

impl Progress {
    fn new(size: Option<u64>) -> Self {
        let bar = size.filter(|&size| size >= PROGRESS_FROM).map(|size| {
            let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}, {eta} left")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        let now = Instant::now();
        Self {
            bar,
            lines: 0,
            start: now,
            shown: now,
        }
    }

    fn advance(&mut self, bytes: u64, lines: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(bytes);
        self.lines += lines;
        let now = Instant::now();
        if now.duration_since(self.shown) >= Duration::from_millis(200) {
            self.shown = now;
            let seconds = now.duration_since(self.start).as_secs_f64().max(1e-9);
            bar.set_message(format!("{:.0} lines/s", self.lines as f64 / seconds));
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_of(text: &[u8]) -> Vec<Vec<u8>> {
        let mut blocks = Blocks::new(Box::new(io::Cursor::new(text.to_vec())));
        let mut all = Vec::new();
        let mut block = Vec::new();
        while blocks.next(&mut block).unwrap() {
            all.push(block.clone());
        }
        all
    }

    #[test]
    fn blocks_end_at_newlines_and_cover_the_input() {
        let line = b"12345 + 67890\n";
        let copies = 3 * BLOCK / line.len();
        let text: Vec<u8> = line
            .iter()
            .copied()
            .cycle()
            .take(line.len() * copies)
            .collect();
        let mut last = text.clone();
        last.extend_from_slice(b"1 + 2");
        for input in [text, last] {
            let blocks = blocks_of(&input);
            assert!(blocks.len() > 2);
            for block in &blocks[..blocks.len() - 1] {
                assert_eq!(block.last(), Some(&b'\n'));
            }
            assert_eq!(blocks.concat(), input);
        }
        assert!(blocks_of(b"").is_empty());
        assert_eq!(blocks_of(b"\n"), [b"\n".to_vec()]);
    }

    #[test]
    fn a_line_longer_than_a_block_stays_whole() {
        let mut input = vec![b'1'; 3 * BLOCK];
        input.push(b'\n');
        input.extend_from_slice(b"2\n");
        let blocks = blocks_of(&input);
        assert_eq!(blocks.concat(), input);
        assert!(blocks.iter().all(|block| block.ends_with(b"\n")));
        assert!(blocks[0].starts_with(&input[..=3 * BLOCK]));
    }

    fn batch(input: &str, jobs: usize) -> (String, Totals) {
        let options = Options {
            jobs,
            ast: false,
            count_nodes: true,
            progress_size: None,
        };
        let mut out = Vec::new();
        let totals = run(
            Box::new(io::Cursor::new(input.as_bytes().to_vec())),
            &mut out,
            &options,
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), totals)
    }

    #[test]
    fn threads_keep_input_order() {
        let lines = if cfg!(miri) { 2_000 } else { 200_000 };
        let input: String = (0..lines).map(|i| format!("{i} * 2 - {i}\n")).collect();
        let expected: String = (0..lines).map(|i| format!("{i}\n")).collect();
        let (serial, serial_totals) = batch(&input, 1);
        assert_eq!(serial, expected);
        for jobs in [2, 3, 8] {
            let (parallel, totals) = batch(&input, jobs);
            assert_eq!(parallel, expected);
            assert_eq!(totals.lines, serial_totals.lines);
            assert_eq!(totals.nodes, serial_totals.nodes);
            assert_eq!(totals.bytes, input.len() as u64);
        }
    }
}
