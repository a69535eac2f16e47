//! The interactive prompt: line editing and history from rustyline.

use std::io;

use calc::Arena;
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;

const PROMPT: &str = "> ";

/// Reads, evaluates and prints until end of input (Ctrl-D). Ctrl-C abandons
/// the line being typed.
pub fn run(ast: bool) -> io::Result<()> {
    let mut editor = DefaultEditor::new().map_err(to_io)?;
    let mut arena = Arena::new();
    loop {
        let line = match editor.readline(PROMPT) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return Ok(()),
            Err(error) => return Err(to_io(error)),
        };
        if line.trim_matches([' ', '\t']).is_empty() {
            continue;
        }
        // History is a convenience; failing to record a line is no error.
        let _ = editor.add_history_entry(line.as_str());
        match calc::parse(&arena, &line) {
            Ok(tree) => {
                if ast {
                    println!("{tree}");
                }
                match tree.eval() {
                    Ok(value) => println!("{value}"),
                    Err(error) => show_error(&line, error.column(), &error),
                }
            }
            Err(error) => show_error(&line, error.column(), &error),
        }
        arena.reset();
    }
}

/// Points at the error's column under the typed line, then explains it.
fn show_error(line: &str, column: usize, error: &dyn std::fmt::Display) {
    let pad: String = line
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    println!("{}{pad}^", " ".repeat(PROMPT.len()));
    println!("error: {error}");
}

fn to_io(error: ReadlineError) -> io::Error {
    match error {
        ReadlineError::Io(error) => error,
        other => io::Error::other(other),
    }
}
