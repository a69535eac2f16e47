//! A compiler-style syntax tree in an arena: tokenize and parse a small
//! expression language, then pretty-print and evaluate each program.
//!
//! Run it with `cargo run -p arena-pool --example ast`.
//!
//! The trees live in one `Arena` for as long as the program runs. The tokens
//! are temporaries: they go into a scope of a second, scratch arena, which
//! frees them the moment parsing is over, so the scratch memory is reused
//! for every program.

use std::fmt;

use arena_pool::{Arena, Scope};

/// A node of the tree; its children and names live in the same arena.
enum Expr<'a> {
    Num(i64),
    Var(&'a str),
    Bin(char, &'a Expr<'a>, &'a Expr<'a>),
}

/// Splits `src` into words, numbers and one-character symbols, stored in
/// the scope `tmp`.
fn tokenize<'s>(tmp: &Scope<'s>, src: &'s str) -> &'s [&'s str] {
    let mut rest = src.trim_start();
    tmp.alloc_slice_fill_iter(std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let len = match rest.find(|c: char| !c.is_ascii_alphanumeric()) {
            _ if !first.is_ascii_alphanumeric() => first.len_utf8(),
            Some(end) => end,
            None => rest.len(),
        };
        let (token, tail) = rest.split_at(len);
        rest = tail.trim_start();
        Some(token)
    }))
}

/// A recursive-descent parser that builds the tree in `arena`.
struct Parser<'t, 'a> {
    tokens: &'t [&'t str],
    arena: &'a Arena,
}

impl<'t, 'a> Parser<'t, 'a> {
    fn next(&mut self) -> Result<&'t str, String> {
        let (&token, rest) = self.tokens.split_first().ok_or("unexpected end")?;
        self.tokens = rest;
        Ok(token)
    }

    /// Left-associative operators of precedence `level` and above (0 for a
    /// whole expression).
    fn binary(&mut self, level: usize) -> Result<&'a Expr<'a>, String> {
        let Some(ops) = ["+-", "*/"].get(level) else {
            return self.atom();
        };
        let mut left = self.binary(level + 1)?;
        while let Some(op) = self.tokens.first().and_then(|t| t.chars().next()) {
            if !ops.contains(op) {
                break;
            }
            self.tokens = &self.tokens[1..];
            left = self
                .arena
                .alloc(Expr::Bin(op, left, self.binary(level + 1)?));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<&'a Expr<'a>, String> {
        let token = self.next()?;
        if token == "(" {
            let inner = self.binary(0)?;
            return match self.next()? {
                ")" => Ok(inner),
                other => Err(format!("expected `)`, found `{other}`")),
            };
        }
        let node = match token.parse() {
            Ok(n) => Expr::Num(n),
            Err(_) if token.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                Expr::Var(self.arena.alloc_str(token))
            }
            Err(_) => return Err(format!("unexpected `{token}`")),
        };
        Ok(self.arena.alloc(node))
    }
}

impl Expr<'_> {
    /// The value, with the names bound in `env`.
    fn eval(&self, env: &[(&str, i64)]) -> Result<i64, String> {
        Ok(match *self {
            Expr::Num(n) => n,
            Expr::Var(name) => match env.iter().find(|(bound, _)| *bound == name) {
                Some(&(_, value)) => value,
                None => return Err(format!("`{name}` is not defined")),
            },
            Expr::Bin(op, l, r) => {
                let (l, r) = (l.eval(env)?, r.eval(env)?);
                let result = match op {
                    '+' => l.checked_add(r),
                    '-' => l.checked_sub(r),
                    '*' => l.checked_mul(r),
                    _ => l.checked_div(r),
                };
                match (result, r) {
                    (Some(value), _) => value,
                    (None, 0) => return Err("division by zero".into()),
                    (None, _) => return Err("overflow".into()),
                }
            }
        })
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Bin('+' | '-', ..) => 1,
            Expr::Bin(..) => 2,
            Expr::Num(_) | Expr::Var(_) => 3,
        }
    }
}

/// Writes `e`, in parentheses when `paren`.
fn operand(f: &mut fmt::Formatter<'_>, e: &Expr<'_>, paren: bool) -> fmt::Result {
    if paren {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

/// Prints only the parentheses that precedence needs.
impl fmt::Display for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Expr::Num(n) => write!(f, "{n}"),
            Expr::Var(name) => f.write_str(name),
            Expr::Bin(op, l, r) => {
                let p = self.precedence();
                operand(f, l, l.precedence() < p)?;
                write!(f, " {op} ")?;
                operand(f, r, r.precedence() <= p)
            }
        }
    }
}

fn main() {
    let programs = [
        "((1 + 2)) * (3)",
        "width * height - width / 2",
        "(4 - 10) * 7 - (2 - 1)",
        "million * million * million * million",
        "width * (1 + depth)",
        "10 / (5 - 5)",
        "2 + * 3",
    ];
    let env = [("width", 12), ("height", 5), ("million", 1_000_000)];
    let trees = Arena::new();
    let mut scratch = Arena::new();
    for src in programs {
        println!("{src}");
        // The tokens live only as long as this scope.
        let parsed = scratch.scope(|tmp| {
            let tokens = tokenize(tmp, src);
            let bytes = tmp.allocated_bytes();
            println!("  {} tokens in {bytes} bytes of scratch", tokens.len());
            let mut parser = Parser {
                tokens,
                arena: &trees,
            };
            let tree = parser.binary(0)?;
            match parser.tokens.first() {
                Some(extra) => Err(format!("unexpected `{extra}` after the end")),
                None => Ok(tree),
            }
        });
        match parsed.map(|tree| (tree, tree.eval(&env))) {
            Ok((tree, Ok(value))) => println!("  {tree} = {value}"),
            Ok((tree, Err(e))) => println!("  {tree}: {e}"),
            Err(e) => println!("  syntax error: {e}"),
        }
        println!(
            "  trees: {} bytes in all; scratch after the scope: {} bytes",
            trees.allocated_bytes(),
            scratch.allocated_bytes()
        );
    }
}
