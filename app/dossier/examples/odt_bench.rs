//! Times the ODT, Markdown and JSON writers on a large generated motion and writes the files to a
//! directory for inspection: `cargo run --release -p dossier --example odt_bench -- [paragraphs]
//! [amendments] [out-dir]` (defaults: 1000, 500, no files written).

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let paragraphs: usize = args.next().map_or(Ok(1000), |a| a.parse())?;
    let amendments: usize = args.next().map_or(Ok(500), |a| a.parse())?;
    let out_dir = args.next();
    let doc = dossier::sample::motion(paragraphs, amendments);
    let lines: usize = doc
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| p.lines.len())
        .sum();

    let runs = 5;
    let mut odt = Vec::new();
    let start = Instant::now();
    for _ in 0..runs {
        odt = dossier::odt::render_odt(&doc)?;
    }
    let odt_time = start.elapsed() / runs;
    let start = Instant::now();
    let markdown = dossier::markdown::render_markdown(&doc);
    let markdown_time = start.elapsed();
    let start = Instant::now();
    let json = dossier::open_data::render_json(&doc);
    let json_time = start.elapsed();

    println!("{paragraphs} paragraphs, {lines} lines, {amendments} amendments");
    println!(
        "odt      {:>8.1} ms  {:>9} bytes (mean of {runs})",
        odt_time.as_secs_f64() * 1e3,
        odt.len()
    );
    println!(
        "markdown {:>8.1} ms  {:>9} bytes",
        markdown_time.as_secs_f64() * 1e3,
        markdown.len()
    );
    println!(
        "json     {:>8.1} ms  {:>9} bytes",
        json_time.as_secs_f64() * 1e3,
        json.len()
    );

    if let Some(dir) = out_dir {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(format!("{dir}/motion.odt"), &odt)?;
        std::fs::write(format!("{dir}/motion.md"), &markdown)?;
        std::fs::write(format!("{dir}/motion.json"), &json)?;
    }
    Ok(())
}
