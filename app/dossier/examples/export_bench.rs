//! Times the PDF export of a long motion: `cargo run --release -p dossier --example export_bench
//! -- [paragraphs] [amendments] [out.pdf]` (defaults: 70 paragraphs and 500 amendments, about
//! 100 pages; no file written).
//!
//! Renders the generated motion three times and prints its pages, bytes and the best time. The
//! target is 3 s on a 2-core machine, in release.

use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let paragraphs: usize = args.next().map_or(Ok(70), |a| a.parse())?;
    let amendments: usize = args.next().map_or(Ok(500), |a| a.parse())?;
    let out = args.next();
    let doc = dossier::sample::motion(paragraphs, amendments);
    let lines: usize = doc
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| p.lines.len())
        .sum();

    let mut best = Duration::MAX;
    let mut rendered = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let pdf = dossier::pdf::typeset_pdf(&doc)?;
        best = best.min(start.elapsed());
        rendered = Some(pdf);
    }
    let Some(pdf) = rendered else { return Ok(()) };

    println!("{paragraphs} paragraphs, {lines} lines, {amendments} amendments");
    println!(
        "pdf {:>8.0} ms  {:>9} bytes  {:>4} pages (best of {RUNS})",
        best.as_secs_f64() * 1e3,
        pdf.bytes.len(),
        pdf.pages
    );
    if let Some(path) = out {
        std::fs::write(path, &pdf.bytes)?;
    }
    Ok(())
}
