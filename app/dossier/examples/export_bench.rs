//! Times every writer of the dossier on one long generated motion: `cargo run --release -p dossier
//! --example export_bench -- [paragraphs] [amendments] [out-dir]` (defaults: 70 paragraphs and 500
//! amendments, about 100 pages of PDF; with `out-dir`, the files are written there to look at).
//!
//! Each writer runs three times; the best time is printed with the size (and the PDF's pages).
//! Targets on a 2-core machine, in release: PDF ≤ 3 s, ODT ≤ 1 s.

use std::time::{Duration, Instant};

const RUNS: usize = 3;

/// The best of [`RUNS`] timings of `render`, with its last output.
fn best<T>(
    mut render: impl FnMut() -> Result<T, dossier::DossierError>,
) -> Result<(Duration, T), dossier::DossierError> {
    let mut best = Duration::MAX;
    let mut output = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let rendered = render()?;
        best = best.min(start.elapsed());
        output = Some(rendered);
    }
    output
        .map(|output| (best, output))
        .ok_or_else(|| dossier::DossierError::Archive("no run".to_owned()))
}

fn report(name: &str, time: Duration, bytes: usize, extra: &str) {
    println!(
        "{name:<9} {:>8.1} ms  {bytes:>9} bytes{extra} (best of {RUNS})",
        time.as_secs_f64() * 1e3
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let paragraphs: usize = args.next().map_or(Ok(70), |a| a.parse())?;
    let amendments: usize = args.next().map_or(Ok(500), |a| a.parse())?;
    let out_dir = args.next();
    let doc = dossier::sample::motion(paragraphs, amendments);
    let lines: usize = doc
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| p.lines.len())
        .sum();
    println!("{paragraphs} paragraphs, {lines} lines, {amendments} amendments");

    let (time, pdf) = best(|| dossier::pdf::typeset_pdf(&doc))?;
    report(
        "pdf",
        time,
        pdf.bytes.len(),
        &format!("  {:>4} pages", pdf.pages),
    );
    let (time, odt) = best(|| dossier::odt::render_odt(&doc))?;
    report("odt", time, odt.len(), "");
    let (time, markdown) = best(|| Ok(dossier::markdown::render_markdown(&doc)))?;
    report("markdown", time, markdown.len(), "");
    let (time, json) = best(|| Ok(dossier::open_data::render_json(&doc)))?;
    report("json", time, json.len(), "");
    let (time, dossier) = best(|| dossier::bundle::build_dossier(&doc))?;
    report(
        "dossier",
        time,
        dossier.zip.len(),
        "  (all of the above, sealed)",
    );

    if let Some(dir) = out_dir {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(format!("{dir}/motion.pdf"), &pdf.bytes)?;
        std::fs::write(format!("{dir}/motion.odt"), &odt)?;
        std::fs::write(format!("{dir}/motion.md"), &markdown)?;
        std::fs::write(format!("{dir}/motion.json"), &json)?;
        std::fs::write(format!("{dir}/dossier.zip"), &dossier.zip)?;
    }
    Ok(())
}
