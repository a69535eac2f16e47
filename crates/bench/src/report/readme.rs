//! Rewrites the blocks of a markdown file that lie between marker comments,
//! `<!-- bench:KEY -->` and `<!-- /bench:KEY -->`, leaving the rest as it is.

/// The heading of the section that missing blocks are added to.
pub const SECTION: &str = "## Benchmarks";

fn start_marker(key: &str) -> String {
    format!("<!-- bench:{key} -->")
}

fn end_marker(key: &str) -> String {
    format!("<!-- /bench:{key} -->")
}

/// Where to add a block whose markers are missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Before every other block of the benchmarks section.
    First,
    /// At the end of the benchmarks section.
    Last,
}

/// `text` with the block `key` holding `body`. When the markers are
/// missing, they are added to the benchmarks section (made at the end of the
/// text if there is none), placed as `placement` says.
///
/// # Errors
///
/// When only one of the two markers is present, or the end marker comes
/// before the start marker: the text is then left for a person to mend.
pub fn replace_block(
    text: &str,
    key: &str,
    body: &str,
    placement: Placement,
) -> Result<String, String> {
    let (start, end) = (start_marker(key), end_marker(key));
    let block = format!("{start}\n{}\n{end}", body.trim_matches('\n'));
    match (text.find(&start), text.find(&end)) {
        (Some(open), Some(close)) if open < close => {
            let mut out = String::with_capacity(text.len() + body.len());
            out.push_str(&text[..open]);
            out.push_str(&block);
            out.push_str(&text[close + end.len()..]);
            Ok(out)
        }
        (None, None) => Ok(insert_block(text, &block, placement)),
        (Some(_), Some(_)) => Err(format!("{end} comes before {start}")),
        (Some(_), None) => Err(format!("{start} has no matching {end}")),
        (None, Some(_)) => Err(format!("{end} has no matching {start}")),
    }
}

/// Adds `block` to the benchmarks section of `text`.
fn insert_block(text: &str, block: &str, placement: Placement) -> String {
    let mut text = text.to_owned();
    let heading = match find_heading(&text) {
        Some(at) => at,
        None => {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            if !text.is_empty() {
                text.push('\n');
            }
            let at = text.len();
            text.push_str(SECTION);
            text.push('\n');
            at
        }
    };
    let body_start = text[heading..]
        .find('\n')
        .map_or(text.len(), |n| heading + n + 1);
    let section_end = next_heading(&text, body_start).unwrap_or(text.len());
    let at = match placement {
        Placement::First => text[body_start..section_end]
            .find("<!-- bench:")
            .map_or(section_end, |n| body_start + n),
        Placement::Last => section_end,
    };
    // One blank line before and after the block.
    let before = text[..at].trim_end_matches('\n');
    let after = text[at..].trim_start_matches('\n');
    let mut out = String::with_capacity(text.len() + block.len() + 4);
    out.push_str(before);
    out.push_str("\n\n");
    out.push_str(block);
    out.push('\n');
    if !after.is_empty() {
        out.push('\n');
        out.push_str(after);
    }
    out
}

/// The byte offset of the line that is exactly the section heading.
fn find_heading(text: &str) -> Option<usize> {
    line_starts(text).find(|&at| text[at..].lines().next().map(str::trim_end) == Some(SECTION))
}

/// The byte offset of the first level-1 or level-2 heading at or after
/// `from`, outside fenced code.
fn next_heading(text: &str, from: usize) -> Option<usize> {
    let mut fenced = false;
    for at in line_starts(text).filter(|&at| at >= from) {
        let line = text[at..].lines().next().unwrap_or("");
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && (line.starts_with("# ") || line.starts_with("## ")) {
            return Some(at);
        }
    }
    None
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(
        text.match_indices('\n')
            .map(|(at, _)| at + 1)
            .filter(move |&at| at < text.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_between_markers_only() {
        let text = "# T\n\nintro\n<!-- bench:arena -->\nold\nrows\n<!-- /bench:arena -->\ntail\n";
        let out = replace_block(text, "arena", "new", Placement::Last).unwrap();
        assert_eq!(
            out,
            "# T\n\nintro\n<!-- bench:arena -->\nnew\n<!-- /bench:arena -->\ntail\n"
        );
        // Idempotent.
        assert_eq!(
            replace_block(&out, "arena", "new", Placement::Last).unwrap(),
            out
        );
    }

    #[test]
    fn adds_a_section_when_there_is_none() {
        let out = replace_block("# T\n\ntext", "pool", "rows", Placement::Last).unwrap();
        assert_eq!(
            out,
            "# T\n\ntext\n\n## Benchmarks\n\n<!-- bench:pool -->\nrows\n<!-- /bench:pool -->\n"
        );
    }

    #[test]
    fn adds_blocks_at_the_end_of_the_section() {
        let text =
            "# T\n\n## Benchmarks\n\nHow.\n\n```\n## not a heading\n```\n\n## Layout\n\nmore\n";
        let out = replace_block(text, "pool", "P", Placement::Last).unwrap();
        assert_eq!(
            out,
            "# T\n\n## Benchmarks\n\nHow.\n\n```\n## not a heading\n```\n\n\
             <!-- bench:pool -->\nP\n<!-- /bench:pool -->\n\n## Layout\n\nmore\n"
        );
        let out = replace_block(&out, "instructions", "I", Placement::First).unwrap();
        assert_eq!(
            out,
            "# T\n\n## Benchmarks\n\nHow.\n\n```\n## not a heading\n```\n\n\
             <!-- bench:instructions -->\nI\n<!-- /bench:instructions -->\n\n\
             <!-- bench:pool -->\nP\n<!-- /bench:pool -->\n\n## Layout\n\nmore\n"
        );
    }

    #[test]
    fn first_goes_after_the_intro_when_the_section_has_no_block() {
        let text = "## Benchmarks\n\nHow.\n";
        let out = replace_block(text, "instructions", "I", Placement::First).unwrap();
        assert_eq!(
            out,
            "## Benchmarks\n\nHow.\n\n<!-- bench:instructions -->\nI\n<!-- /bench:instructions -->\n"
        );
    }

    #[test]
    fn refuses_unbalanced_markers() {
        let half = "<!-- bench:arena -->\nrows\n";
        assert!(replace_block(half, "arena", "x", Placement::Last).is_err());
        let swapped = "<!-- /bench:arena -->\n<!-- bench:arena -->\n";
        assert!(replace_block(swapped, "arena", "x", Placement::Last).is_err());
    }
}
