//! Runs the fuzz targets without libFuzzer, on a stable toolchain.
//!
//! ```text
//! drive <frontmatter|markdown|math|config|aliases|notebook> [--seconds N] [--seed S] [--record FILE]
//! drive <target> --replay FILE_OR_DIR...
//! ```
//!
//! Inputs come from a seeded, deterministic generator: tokens of the target's
//! dictionary (`dict/<target>.dict`) mixed with random bytes, and mutations of
//! the seeds (`seeds/<target>/`) and of the libFuzzer corpus (`corpus/<target>/`)
//! when there is one. A panic saves the input to `artifacts/<target>/` and exits 1;
//! an input slower than 10 s is saved too. A crash that kills the process (stack
//! overflow) is found again with the same seed and `--record FILE`, which writes
//! each input to FILE before running it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

fn target(name: &str) -> Option<Target> {
    match name {
        "frontmatter" => Some(syllabus_fuzz::frontmatter),
        "markdown" => Some(syllabus_fuzz::markdown),
        "math" => Some(syllabus_fuzz::math),
        "config" => Some(syllabus_fuzz::config),
        "aliases" => Some(syllabus_fuzz::aliases),
        "notebook" => Some(syllabus_fuzz::notebook),
        _ => None,
    }
}

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Tokens of a libFuzzer dictionary file (`"text"` lines with `\xNN`, `\\`, `\"` escapes).
fn dictionary(path: &Path) -> Vec<Vec<u8>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut tokens = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(inner) = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
            continue;
        };
        let (mut token, b) = (Vec::new(), inner.as_bytes());
        let mut i = 0;
        while i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x')) if i + 3 < b.len() + 1 => {
                    let hex = std::str::from_utf8(&b[i + 2..(i + 4).min(b.len())]).unwrap_or("");
                    token.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 4;
                }
                (b'\\', Some(&c)) => {
                    token.push(c);
                    i += 2;
                }
                (c, _) => {
                    token.push(c);
                    i += 1;
                }
            }
        }
        tokens.push(token);
    }
    tokens
}

fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            entries.sort();
            out.extend(entries.into_iter().filter(|e| e.is_file()));
        } else if p.is_file() {
            out.push(p.clone());
        }
    }
    out
}

struct Generator {
    rng: Rng,
    tokens: Vec<Vec<u8>>,
    seeds: Vec<Vec<u8>>,
}

impl Generator {
    fn token(&mut self) -> Vec<u8> {
        if self.tokens.is_empty() || self.rng.chance(8) {
            let n = 1 + self.rng.below(4);
            (0..n).map(|_| self.rng.next() as u8).collect()
        } else {
            self.tokens[self.rng.below(self.tokens.len())].clone()
        }
    }

    /// A fresh input of tokens, or a mutated seed.
    fn input(&mut self) -> Vec<u8> {
        if self.seeds.is_empty() || self.rng.chance(3) {
            let mut out = vec![self.rng.next() as u8];
            let n = self.rng.below(64);
            for _ in 0..n {
                out.extend(self.token());
            }
            return out;
        }
        let mut data = self.seeds[self.rng.below(self.seeds.len())].clone();
        let rounds = 1 + self.rng.below(8);
        for _ in 0..rounds {
            self.mutate(&mut data);
        }
        data
    }

    fn mutate(&mut self, data: &mut Vec<u8>) {
        let len = data.len();
        let at = self.rng.below(len + 1);
        match self.rng.below(6) {
            0 => {
                let t = self.token();
                data.splice(at..at, t);
            }
            1 if len > 0 => {
                let end = (at + 1 + self.rng.below(16)).min(len);
                data.drain(at.min(len - 1)..end);
            }
            2 if len > 0 => data[at.min(len - 1)] ^= 1 << self.rng.below(8),
            3 if len > 0 => {
                let end = (at + 1 + self.rng.below(64)).min(len);
                let copy = data[at.min(len - 1)..end].to_vec();
                let to = self.rng.below(len + 1);
                data.splice(to..to, copy);
            }
            4 if !self.seeds.is_empty() => {
                let other = &self.seeds[self.rng.below(self.seeds.len())];
                let from = self.rng.below(other.len());
                let piece = other[from..(from + self.rng.below(256)).min(other.len())].to_vec();
                data.splice(at..at, piece);
            }
            _ => {
                let t = self.token();
                let end = (at + t.len()).min(len);
                data.splice(at..end, t);
            }
        }
    }
}

fn save(kind: &str, target: &str, data: &[u8]) -> PathBuf {
    let dir = fuzz_dir().join("artifacts").join(target);
    let _ = std::fs::create_dir_all(&dir);
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{kind}-{hash:016x}"));
    let _ = std::fs::write(&path, data);
    path
}

/// Runs one input; false when it panicked (the input is saved).
fn run_one(run: Target, name: &str, data: &[u8]) -> bool {
    let start = Instant::now();
    let ok = std::panic::catch_unwind(|| run(data)).is_ok();
    if !ok {
        eprintln!(
            "CRASH: input saved to {}",
            save("crash", name, data).display()
        );
    } else if start.elapsed() > Duration::from_secs(10) {
        eprintln!(
            "SLOW ({:.1} s): input saved to {}",
            start.elapsed().as_secs_f64(),
            save("slow", name, data).display()
        );
    }
    ok
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: drive <frontmatter|markdown|math|config|aliases|notebook> [--seconds N] [--seed S] [--record FILE] | --replay PATH...";
    let Some(name) = args.first() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Some(run) = target(name) else {
        eprintln!("unknown target `{name}`\n{usage}");
        std::process::exit(2);
    };
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(i) = args.iter().position(|a| a == "--replay") {
        let paths: Vec<PathBuf> = args[i + 1..].iter().map(PathBuf::from).collect();
        let inputs = files(&paths);
        let failed = inputs
            .iter()
            .filter(|p| !run_one(run, name, &std::fs::read(p).unwrap_or_default()))
            .count();
        println!(
            "{name}: replayed {} input(s), {failed} crash(es)",
            inputs.len()
        );
        std::process::exit(i32::from(failed > 0));
    }
    let seconds: u64 = value("--seconds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = value("--seed").and_then(|s| s.parse().ok()).unwrap_or(1) | 1;
    let record = value("--record").map(PathBuf::from);
    let dir = fuzz_dir();
    let seeds = files(&[dir.join("seeds").join(name), dir.join("corpus").join(name)])
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    let mut generator = Generator {
        rng: Rng(seed),
        tokens: dictionary(&dir.join("dict").join(format!("{name}.dict"))),
        seeds,
    };
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let (mut runs, mut bytes) = (0u64, 0u64);
    while Instant::now() < deadline {
        let data = generator.input();
        if let Some(path) = &record {
            let _ = std::fs::write(path, &data);
        }
        if !run_one(run, name, &data) {
            println!("{name}: crash after {runs} run(s) (seed {seed})");
            std::process::exit(1);
        }
        runs += 1;
        bytes += data.len() as u64;
    }
    println!(
        "{name}: {runs} runs, {} MB of input, in {:.0} s with seed {seed}: no crash",
        bytes / 1_000_000,
        start.elapsed().as_secs_f64()
    );
    if name == "math" {
        math_summary();
    }
}

/// How the math inputs ended; the first inputs on which pulldown-latex panicked
/// (caught by syllabus) or wrote unbalanced MathML are saved as
/// `artifacts/math/caught-<hash>` and `unbalanced-<hash>`.
fn math_summary() {
    let n: Vec<u64> = syllabus_fuzz::MATH_OUTCOMES
        .iter()
        .map(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        .collect();
    println!(
        "math: {} rendered, {} invalid TeX, {} over a limit, {} unbalanced, {} caught renderer panics",
        n[0], n[1], n[2], n[3], n[4]
    );
    let kept = syllabus_fuzz::MATH_KEPT
        .lock()
        .map(|k| k.clone())
        .unwrap_or_default();
    for (kind, data) in kept {
        println!(
            "{kind}: input saved to {}",
            save(kind, "math", &data).display()
        );
    }
}
